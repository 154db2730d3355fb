import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyError } from '../../../adapters/errors.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { RefreshingToken } from '../../../adapters/oauth-token.ts';

// A real token endpoint on loopback, answering like Microsoft's and Google's: form in, JSON out.
let server: Server | undefined;
const requests: URLSearchParams[] = [];

async function tokenEndpoint(answer: (n: number) => { status: number; body: object }): Promise<string> {
  requests.length = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push(new URLSearchParams(body));
      const { status, body: out } = answer(requests.length);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/token`;
}

afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

describe('RefreshingToken', () => {
  it('refreshes once, reuses the token until shortly before it expires, then refreshes with the rotated refresh token', async () => {
    const url = await tokenEndpoint((n) => ({ status: 200, body: { access_token: `at-${n}`, expires_in: 3600, refresh_token: `rt-${n + 1}` } }));
    let clock = Date.parse('2023-09-01T03:00:00Z');
    const tokens = new RefreshingToken({ tokenUrl: url, clientId: 'client', clientSecret: 's3cret', refreshToken: 'rt-1', now: () => clock }, silentLogger);

    expect(await Promise.all([tokens.getAccessToken(), tokens.getAccessToken()])).toEqual(['at-1', 'at-1']);
    expect(requests).toHaveLength(1);
    expect(Object.fromEntries(requests[0])).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-1', client_id: 'client', client_secret: 's3cret' });

    clock += 50 * 60_000; // 10 minutes left: still good
    expect(await tokens.getAccessToken()).toBe('at-1');
    clock += 6 * 60_000; // 4 minutes left: inside the margin
    expect(await tokens.getAccessToken()).toBe('at-2');
    expect(requests[1].get('refresh_token')).toBe('rt-2');
  });

  it('reports a revoked refresh token as permanent and a failing endpoint as transient', async () => {
    const url = await tokenEndpoint((n) => (n === 1
      ? { status: 400, body: { error: 'invalid_grant', error_description: 'AADSTS70000' } }
      : { status: 503, body: {} })
    );
    const tokens = new RefreshingToken({ tokenUrl: url, clientId: 'c', refreshToken: 'revoked' }, silentLogger);
    const first = await tokens.getAccessToken().catch((e) => e);
    expect(classifyError(first)).toEqual({ kind: 'permanent', code: 'oauth.refused' });
    const second = await tokens.getAccessToken().catch((e) => e);
    expect(classifyError(second)).toEqual({ kind: 'transient', code: 'oauth.unavailable' });
  });
});
