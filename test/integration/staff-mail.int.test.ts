// Mail from staff decisions reaches the sender: `seis-intake serve` (a real process, driven over HTTP) queues
// the revision request / updated acknowledgement on the staff-mail queue, `run`'s reply role sends it over
// SMTP to the test sink exactly once, and the person page says so. Redis unreachable from serve: the mail
// stays in the outbox, staff see "not queued", and it is queued (and sent once) when Redis answers again.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import type { Person } from '../../pipelines/types.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';
import { ingestRaw } from '../../usecases/ingest-message.ts';
import { silentLogger } from '../../adapters/logger.ts';
import { openStaffMailQueue, requeuePending, staffMailIdOf, staffMailStatus } from '../../usecases/staff-mail.ts';
import { staffSentMarkerKey } from '../../workers/staff-mail.worker.ts';
import { SuppressionList } from '../../adapters/suppression.ts';
import { submission } from '../helpers/eml.ts';
import { makePdf } from '../helpers/pdf.ts';
import { ARRIVAL, liveEnv, logCodes, person, spawnRun, startInProcess, submissionFor, type InProcessRun, type LiveEnv,
  type RunProcess } from '../helpers/live-run.ts';
import { readSink, ROOT, waitFor } from '../helpers/services.ts';

const C = 'seis-certification';
const PASSWORD = 'correct horse battery staple';

let live: LiveEnv | undefined;
let serve: ChildProcess | undefined;
let run: RunProcess | undefined;
let inProcess: InProcessRun | undefined;

afterEach(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve!.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
  await run?.stop();
  await inProcess?.close();
  await live?.cleanup();
  serve =
    run =
    inProcess =
    live =
      undefined;
});

/** `seis-intake serve` on a free port; resolves with its base URL. */
async function startServe(env: Record<string, string>): Promise<string> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/seis-intake.js'), 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, LOG_PRETTY: 'false', LOG_LEVEL: 'warn', ADMIN_PASSWORD: PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  serve = proc;
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  proc.stdout!.resume();
  const match = await waitFor(() => /seis-intake dashboard: (http:\/\/[^/\s]+)\//.exec(err), { what: `serve to listen (${err})`, timeoutMs: 30_000 });
  return match[1];
}

/** A logged-in browser without a browser: cookies and the CSRF token of the session. */
async function login(base: string): Promise<{ post(path: string, form: Record<string, string>): Promise<string>; get(path: string): Promise<string> }> {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const request = async (path: string, form?: Record<string, string>) => {
    const res = await fetch(base + path, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: cookie(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    keep(res);
    return res;
  };
  const token = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)![1];
  const form = await request('/login');
  const signedIn = await request('/login', { _csrf: token(await form.text()), username: 'admin', password: PASSWORD, next: '/' });
  expect(signedIn.status).toBe(303);
  const csrf = token(await (await request(`/c/${C}`)).text());
  return {
    async post(path, body) {
      const res = await request(path, { _csrf: csrf, ...body });
      expect(res.status).toBe(303);
      return res.headers.get('location') ?? '';
    },
    async get(path) {
      return (await request(path)).text();
    },
  };
}

/** A filed submission for p from `from`, plus one unidentified message from the same sender. */
async function seed(env: Record<string, string>, p: Person, from: string, tag: string) {
  const config = loadConfig({ env });
  const store = new ArchiveStore(config.archiveDir);
  const ctx = { config, store, now: () => ARRIVAL, log: silentLogger, internalDate: ARRIVAL };
  await ingestRaw(await submissionFor(p, { from, messageId: `sub-${tag}@example.test` }), ctx);
  const unmatched = await ingestRaw(submission({
    from,
    to: 'submissions@example.test',
    messageId: `unk-${tag}@example.test`,
    subject: 'ส่งเอกสารเพิ่มเติม',
    text: 'ส่งทะเบียนบ้านครับ',
    attachments: [{ name: 'ทะเบียนบ้าน.pdf', content: await makePdf(1), contentType: 'application/pdf' }],
  }), ctx);
  const doc = (await store.readPerson(C, p.nationalId))!.manifest.documents.find((d) => d.current)!;
  return { config, store, docPath: doc.path, unmatchedKey: unmatched.messageKey };
}

const sinkFor = (tag: string) => readSink({ to: `-${tag}@` });

describe('staff mail with SMTP configured', () => {
  it('a returned document and an assigned message each send one mail over SMTP, once, and the person page says sent', async () => {
    live = liveEnv('staffmail');
    const tag = `sm${Date.now().toString(36)}`;
    const p = person(8101);
    const from = `officer-${tag}@example.test`;
    const { store, config, docPath, unmatchedKey } = await seed(live.env, p, from, tag);
    run = spawnRun(live.env, ['--roles', 'reply']);
    const base = await startServe(live.env);
    const browser = await login(base);

    const afterReturn = await browser.post(`/c/${C}/p/${p.nationalId}/review`, { path: docPath, decision: 'return', reason: 'เอกสารไม่ชัดเจน อ่านไม่ออก' });
    expect(afterReturn).toContain('done=returned-queued');
    const [revision] = await waitFor(() => sinkFor(tag).length >= 1 && sinkFor(tag), { what: 'the revision request at the sink' });
    expect(revision.headers['in-reply-to']).toBe(`<sub-${tag}@example.test>`);
    expect(revision.headers['auto-submitted']).toBe('auto-generated');
    expect(revision.rcptTo).toEqual([from]);

    const afterAssign = await browser.post(`/c/${C}/unmatched/${unmatchedKey}/assign`, { nationalId: p.nationalId, notify: '1' });
    expect(afterAssign).toContain('done=assigned-mail-queued');
    await waitFor(() => sinkFor(tag).length >= 2, { what: 'the acknowledgement at the sink' });
    // Asking again changes nothing and sends nothing.
    expect(await browser.post(`/c/${C}/p/${p.nationalId}/review`, { path: docPath, decision: 'return', reason: 'เอกสารไม่ชัดเจน อ่านไม่ออก' }))
      .toContain('done=unchanged');

    const page = await waitFor(async () => {
      const body = await browser.get(`/c/${C}/p/${p.nationalId}`);
      return (body.match(/data-mail-state="sent"/g) ?? []).length === 2 && body;
    }, { what: 'the person page to show both mails sent' });
    expect(page).not.toContain('data-mail-state="queued"');
    await new Promise((r) => setTimeout(r, 1500));
    const mails = sinkFor(tag);
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => m.headers['in-reply-to']).sort()).toEqual([`<sub-${tag}@example.test>`, `<unk-${tag}@example.test>`]);
    expect(logCodes(run, 'staff_mail.sent')).toHaveLength(2);

    const manifest = (await store.readPerson(C, p.nationalId))!.manifest;
    const returned = manifest.decisions.find((d) => d.action === 'return-document')!;
    const id = staffMailIdOf(p.nationalId, returned)!;
    expect((await staffMailStatus(store, id))?.state).toBe('sent');
    const redis = new Redis(live.env.REDIS_URL);
    try {
      expect(await redis.get(staffSentMarkerKey(config, id))).toBeTruthy();
    } finally {
      redis.disconnect();
    }
  }, 90_000);

  it('Redis unreachable from serve: the mail stays in the outbox, staff see it was not queued; queued and sent once when Redis is back', async () => {
    live = liveEnv('staffmail-down');
    const tag = `sd${Date.now().toString(36)}`;
    const p = person(8201);
    const from = `officer-${tag}@example.test`;
    const { store, docPath } = await seed(live.env, p, from, tag);
    const base = await startServe({ ...live.env, REDIS_URL: 'redis://127.0.0.1:1' });
    const browser = await login(base);

    const started = Date.now();
    const location = await browser.post(`/c/${C}/p/${p.nationalId}/review`, { path: docPath, decision: 'return', reason: 'ไม่ได้รับรองสำเนาถูกต้อง' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(location).toContain('done=returned-notqueued');
    const page = await browser.get(`/c/${C}/p/${p.nationalId}`);
    expect(page).toContain('data-mail-state="not-queued"');
    const returned = (await store.readPerson(C, p.nationalId))!.manifest.decisions.find((d) => d.action === 'return-document')!;
    const id = staffMailIdOf(p.nationalId, returned)!;
    expect(existsSync(join(live.archiveDir, '_outbox', `${id}.eml`))).toBe(true);

    // Redis answers again (here: the dashboard's requeue pass with a working connection) and run sends it.
    inProcess = await startInProcess(live.env, { roles: ['reply'] });
    const config = loadConfig({ env: live.env });
    const queue = openStaffMailQueue(config, silentLogger);
    try {
      const log = pino({ level: 'silent' });
      expect(await requeuePending({ store, queue, log, now: () => new Date() })).toEqual({ queued: 1, pending: 0 });
      expect(await requeuePending({ store, queue, log, now: () => new Date() })).toEqual({ queued: 0, pending: 0 });
    } finally {
      await queue.close();
    }
    await waitFor(async () => (await staffMailStatus(store, id))?.state === 'sent', { what: 'the mail to be sent' });
    expect(sinkFor(tag)).toHaveLength(1);
    expect(await browser.get(`/c/${C}/p/${p.nationalId}`)).toContain('data-mail-state="sent"');
  }, 90_000);

  it('does not send staff mail to an address whose earlier mail bounced', async () => {
    live = liveEnv('staffmail-bounced');
    const tag = `sb${Date.now().toString(36)}`;
    const p = person(8301);
    const from = `officer-${tag}@example.test`;
    const { docPath } = await seed(live.env, p, from, tag);
    await new SuppressionList(live.archiveDir).add({ address: from, since: ARRIVAL.toISOString(), bounceMessageKey: 'b'.repeat(32), replyMessageIds: [] });
    run = spawnRun(live.env, ['--roles', 'reply']);
    const browser = await login(await startServe(live.env));
    expect(await browser.post(`/c/${C}/p/${p.nationalId}/review`, { path: docPath, decision: 'return', reason: 'เอกสารไม่ครบทุกหน้า' }))
      .toContain('done=returned-queued');
    await waitFor(() => logCodes(run!, 'staff_mail.bounced-address').length === 1, { what: 'the worker to suppress the mail' });
    expect(await browser.get(`/c/${C}/p/${p.nationalId}`)).toContain('data-mail-state="suppressed"');
    expect(sinkFor(tag)).toHaveLength(0);
  }, 90_000);
});
