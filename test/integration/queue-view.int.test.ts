// The administrators' queue view (bull-board inside the dashboard) over real BullMQ queues in the machine's
// Redis, driven with fastify's inject: the dashboard's login in front of its page, API and assets, the CSRF
// header on every change, the refused changes, the audit line, its Content-Security-Policy; and the queue
// gauges on /metrics read from the same queues.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';
import { silentLogger } from '../../adapters/logger.ts';
import { metrics } from '../../adapters/metrics.ts';
import { watchQueues } from '../../adapters/queue-gauges.ts';
import { QUEUE_NAMES } from '../../adapters/queues.ts';
import { hashPassword } from '../../dashboard/auth.ts';
import { canManageQueues } from '../../dashboard/roles.ts';
import { QUEUE_VIEW_CSP, tidyEntryPage } from '../../dashboard/queue-view.ts';
import { createDashboard, type Dashboard } from '../../dashboard/server.ts';
import { CONTENT_SECURITY_POLICY } from '../../dashboard/views/layout.ts';
import { dropPrefix, sessionPrefix } from '../helpers/dashboard/redis-sessions.ts';
import { deleteRedisPrefix, servicesEnv, uniquePrefix } from '../helpers/services.ts';

const JOB = 'ingest-0a1b2c3d4e-1-7';
const SESSIONS = sessionPrefix('queue-view');
const PASSWORD = 'correct horse battery';
let root: string;
let prefix: string;
let queues: Queue[];
let dash: Dashboard;
let unwatch: () => void;
const redisUrl = () => servicesEnv().REDIS_URL;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'queue-view-'));
  prefix = uniquePrefix('qview');
  const connection = { url: redisUrl() };
  queues = Object.values(QUEUE_NAMES).map((name) => new Queue(name, { connection, prefix }));
  const ingest = queues[0];
  await ingest.add('ingest', { mailbox: 'INBOX', uidValidity: '1', uid: 7, emlPath: '_messages/2023/09/x.eml' }, { jobId: JOB, attempts: 1 });
  const worker = new Worker(QUEUE_NAMES.ingest, async () => {
    throw new UnrecoverableError('payload.invalid: made to fail by the test');
  }, { connection, prefix });
  await new Promise((resolve) => worker.once('failed', resolve));
  await worker.close();
  const config = loadConfig({ env: { REDIS_PREFIX: prefix }, overrides: { archiveDir: root } });
  const passwordHash = await hashPassword(PASSWORD);
  dash = await createDashboard({
    config,
    store: new ArchiveStore(root),
    log: silentLogger,
    queues,
    sessionPrefix: SESSIONS,
    users: [
      { name: 'somying', passwordHash, role: 'admin' },
      { name: 'cm', passwordHash, role: 'unit', units: ['50'] },
      { name: 'guest', passwordHash, role: 'viewer' },
    ],
  });
  unwatch = watchQueues(queues);
}, 60_000);
afterAll(async () => {
  unwatch?.();
  await dash?.close();
  await Promise.all((queues ?? []).map((q) => q.close()));
  await deleteRedisPrefix(redisUrl(), prefix);
  await dropPrefix(SESSIONS);
  await rm(root, { recursive: true, force: true });
});

async function login(username = 'somying'): Promise<{ cookie: string; csrf: string }> {
  const form = await dash.app.inject({ method: 'GET', url: '/login' });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
  const res = await dash.app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: form.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, username, password: PASSWORD, next: '/' }).toString(),
  });
  const cookie = `seis_session=${res.cookies.find((c) => c.name === 'seis_session')!.value}`;
  const page = await dash.app.inject({ method: 'GET', url: '/', headers: { cookie } });
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1] };
}

describe('queue view', () => {
  it('keeps its page, API and assets behind the dashboard login', async () => {
    const page = await dash.app.inject({ method: 'GET', url: '/queues/' });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fqueues%2F');
    for (const url of ['/queues/api/queues', `/queues/api/queues/ingest/${JOB}`, '/queues/static/favicon-32x32.png']) {
      const res = await dash.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.body, url).not.toContain(JOB);
    }
    const retry = await dash.app.inject({ method: 'PUT', url: `/queues/api/queues/ingest/${JOB}/retry` });
    expect(retry.statusCode).toBe(401);
    expect(await queues[0].getJobState(JOB)).toBe('failed');
  });

  it('refuses accounts whose role has no queue access: no link, no page, no API, no change', async () => {
    for (const user of ['cm', 'guest']) {
      const { cookie, csrf } = await login(user);
      const home = await dash.app.inject({ method: 'GET', url: '/', headers: { cookie } });
      expect(home.body, user).not.toContain('href="/queues/"');
      for (const url of ['/queues/', '/queues/api/queues', '/queues/static/favicon-32x32.png']) {
        const res = await dash.app.inject({ method: 'GET', url, headers: { cookie } });
        expect(res.statusCode, `${user} ${url}`).toBe(403);
        expect(res.body).not.toContain(JOB);
      }
      const retry = await dash.app.inject({ method: 'PUT', url: `/queues/api/queues/ingest/${JOB}/retry`, headers: { cookie, 'x-xsrf-token': csrf } });
      expect(retry.statusCode, user).toBe(403);
    }
    expect(await queues[0].getJobState(JOB)).toBe('failed');
  });

  it('shows the failed job to a signed-in administrator, under its own script policy, with the CSRF cookie', async () => {
    const { cookie, csrf } = await login();
    const home = await dash.app.inject({ method: 'GET', url: '/', headers: { cookie } });
    expect(home.body).toContain('href="/queues/"');
    expect(home.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);

    const page = await dash.app.inject({ method: 'GET', url: '/queues/', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toBe(QUEUE_VIEW_CSP);
    expect(page.body).not.toMatch(/fonts\.googleapis|style="/);
    const xsrf = page.cookies.find((c) => c.name === 'XSRF-TOKEN')!;
    expect(xsrf).toMatchObject({ value: csrf, path: '/queues', sameSite: 'Strict' });
    expect(xsrf.httpOnly).toBeFalsy();

    const api = await dash.app.inject({ method: 'GET', url: '/queues/api/queues?activeQueue=ingest&status=failed&page=1', headers: { cookie } });
    expect(api.statusCode).toBe(200);
    const ingest = (api.json() as { queues: Array<{ name: string; jobs: Array<{ id: string; failedReason: string }> }> }).queues.find((q) =>
      q.name === 'ingest'
    )!;
    expect(ingest.jobs.map((j) => j.id)).toEqual([JOB]);
    expect(ingest.jobs[0].failedReason).toMatch(/payload\.invalid/);
  });

  it('refuses a change without the CSRF header or with a wrong one, and changes it may not make at all', async () => {
    const { cookie, csrf } = await login();
    const put = (url: string, headers: Record<string, string> = {}) => dash.app.inject({ method: 'PUT', url, headers: { cookie, ...headers } });
    expect((await put(`/queues/api/queues/ingest/${JOB}/retry`)).statusCode).toBe(403);
    expect((await put(`/queues/api/queues/ingest/${JOB}/retry`, { 'x-xsrf-token': `${csrf}x` })).statusCode).toBe(403);
    expect((await put('/queues/api/queues/ingest/empty', { 'x-xsrf-token': csrf })).statusCode).toBe(403);
    expect((await put('/queues/api/queues/ingest/obliterate', { 'x-xsrf-token': csrf })).statusCode).toBe(403);
    const add = await dash.app.inject({
      method: 'POST',
      url: '/queues/api/queues/ingest/add',
      headers: { cookie, 'x-xsrf-token': csrf, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'ingest', data: {} }),
    });
    expect(add.statusCode).toBe(403);
    const crossSite = await put(`/queues/api/queues/ingest/${JOB}/retry`, { 'x-xsrf-token': csrf, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    expect(await queues[0].getJobState(JOB)).toBe('failed');
    expect(await queues[0].count()).toBe(0);
  });

  it('reports the queues on /metrics: one failed ingest job, nothing waiting', async () => {
    const text = await metrics.text();
    expect(text).toContain('seis_queue_jobs{queue="ingest",state="failed"} 1');
    expect(text).toContain('seis_queue_jobs{queue="reply",state="waiting"} 0');
    expect(text).toContain('seis_queue_oldest_waiting_seconds{queue="ingest"} 0');
    expect(text).toContain('seis_redis_up 1');
  });

  it('retries the failed job with the header, and writes who did it in the audit log', async () => {
    const { cookie, csrf } = await login();
    const res = await dash.app.inject({ method: 'PUT', url: `/queues/api/queues/ingest/${JOB}/retry`, headers: { cookie, 'x-xsrf-token': csrf } });
    expect(res.statusCode).toBe(204);
    expect(await queues[0].getJobState(JOB)).toBe('waiting');
    const text = await metrics.text();
    expect(text).toContain('seis_queue_jobs{queue="ingest",state="waiting"} 1');
    // Waiting since it was first added (BullMQ keeps the job's creation time across a retry).
    expect(Number(/seis_queue_oldest_waiting_seconds\{queue="ingest"\} (\S+)/.exec(text)![1])).toBeGreaterThan(0);
    const lines = (await Promise.all((await readdir(path.join(root, '_audit'))).map((f) => readFile(path.join(root, '_audit', f), 'utf8'))))
      .join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.action === 'queue-action')).toEqual([expect.objectContaining({
      user: 'somying',
      target: 'ingest',
      detail: expect.objectContaining({ change: 'PUT /api/queues/:queueName/:jobId/retry', jobId: JOB }),
    })]);
  });
});

describe('queue view pieces', () => {
  it('gates the queues by role through one function: admin and central yes, unit and viewer no, anonymous no', () => {
    expect(canManageQueues({ role: 'admin' })).toBe(true);
    expect(canManageQueues({ role: 'central' })).toBe(true);
    expect(canManageQueues({ role: 'unit' })).toBe(false);
    expect(canManageQueues({ role: 'viewer' })).toBe(false);
    expect(canManageQueues(undefined)).toBe(false);
  });

  it('drops what the policy refuses from bull-board\'s page: the Google Fonts sheet and the inline-styled loader', async () => {
    const ejs = await readFile(path.resolve('node_modules/@bull-board/ui/dist/index.ejs'), 'utf8');
    const tidy = tidyEntryPage(ejs);
    expect(tidy).not.toMatch(/googleapis|style=|<style>/);
    expect(tidy).toContain('<div id="root"></div>');
    expect(tidy).toMatch(/<script defer src="static\/js\/main\.[0-9a-f]+\.js"><\/script>/);
  });
});
