// Logging in to a dashboard under test (fastify inject) and posting forms as a browser does.
import { expect } from 'vitest';
import type { Dashboard } from '../../../dashboard/server.ts';

export const FORM = 'application/x-www-form-urlencoded';
const cookieHeader = (cookies: Array<{ name: string; value: string }>) => cookies.map((c) => `${c.name}=${c.value}`).join('; ');

export interface Login {
  cookie: string;
  csrf: string;
}

export async function loginAs(dash: Dashboard, username: string, password: string, headers: Record<string, string> = {}): Promise<Login> {
  const form = await dash.app.inject({ method: 'GET', url: '/login' });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
  const res = await dash.app.inject({
    method: 'POST',
    url: '/login',
    headers: { ...headers, cookie: [cookieHeader(form.cookies), headers.cookie].filter(Boolean).join('; '), 'content-type': FORM },
    payload: new URLSearchParams({ _csrf: token, username, password, next: '/' }).toString(),
  });
  expect(res.statusCode, `login ${username}`).toBe(303);
  const cookie = `seis_session=${res.cookies.find((c) => c.name === 'seis_session')!.value}`;
  const page = await dash.app.inject({ method: 'GET', url: '/', headers: { cookie } });
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1] };
}

export function postForm(dash: Dashboard, url: string, login: Login | undefined, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return dash.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': FORM, ...(login ? { cookie: login.cookie } : {}), ...headers },
    payload: new URLSearchParams({ ...(login ? { _csrf: login.csrf } : {}), ...fields }).toString(),
  });
}

/** The login form's own CSRF cookie and token, for posting /login by hand. */
export async function loginForm(dash: Dashboard): Promise<{ cookie: string; token: string }> {
  const form = await dash.app.inject({ method: 'GET', url: '/login' });
  return { cookie: cookieHeader(form.cookies), token: /name="_csrf" value="([^"]+)"/.exec(form.body)![1] };
}
