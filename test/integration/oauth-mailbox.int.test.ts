// The circular's own mailbox kind end to end: an Outlook.com-like account that accepts only XOAUTH2, on a private
// Dovecot whose oauth2 passdb asks a local token endpoint about every bearer token, and an SMTP server that does
// the same. The endpoint rotates refresh tokens on every use (the old one dies), expires and revokes tokens.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARRIVAL, liveEnv, messageRecords, person, startInProcess, submissionFor, type InProcessRun, type LiveEnv } from '../helpers/live-run.ts';
import { startOAuthDovecot, startOAuthSmtp, withOAuthImap, type OAuthDovecot, type OAuthSmtp } from '../helpers/oauth-mail-servers.ts';
import { TestOAuthProvider } from '../helpers/oauth-provider.ts';
import { waitFor } from '../helpers/services.ts';

const USER = 'submissions@example.test';
const CLIENT = { clientId: 'seis-intake-app', clientSecret: 'app-secret-not-real' };
// Beside the plain test services' ports: IMAP_TEST_PORT + 10, SMTP_TEST_PORT + 10 and + 11 unless given.
const IMAP_PORT = Number(process.env.OAUTH_IMAP_TEST_PORT ?? Number(process.env.IMAP_TEST_PORT ?? 1143) + 10);
const TOKEN_PORT = Number(process.env.OAUTH_TOKEN_TEST_PORT ?? Number(process.env.SMTP_TEST_PORT ?? 2525) + 10);
const SMTP_PORT = Number(process.env.OAUTH_SMTP_TEST_PORT ?? Number(process.env.SMTP_TEST_PORT ?? 2525) + 11);
const FOLDERS = ['INBOX', 'Processed', 'Rejected', 'Ignored'];

let provider: TestOAuthProvider;
let dovecot: OAuthDovecot;
let smtp: OAuthSmtp;
/** The test's own grant, for delivering and looking: never revoked. */
let testGrant: string;
let live: LiveEnv | undefined;
let run: InProcessRun | undefined;

beforeAll(async () => {
  provider = new TestOAuthProvider(TOKEN_PORT, { user: USER, ...CLIENT });
  await provider.start();
  dovecot = await startOAuthDovecot({ port: IMAP_PORT, introspectionUrl: provider.introspectionUrl });
  smtp = await startOAuthSmtp(SMTP_PORT, provider);
  testGrant = provider.consent();
});
afterAll(async () => {
  dovecot?.stop();
  await smtp?.close();
  await provider?.stop();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && run) {
    console.error(
      run.logs.filter((l) => Number(l.level) >= 40 || /^(auth|oauth|watcher|reply|followup)\./.test(String(l.code))).slice(-60).map((l) => JSON.stringify(l))
        .join('\n'),
    );
  }
  await run?.close();
  run = undefined;
  await live?.cleanup();
  live = undefined;
});

const imap = <T>(fn: Parameters<typeof withOAuthImap<T>>[3]) => withOAuthImap(IMAP_PORT, USER, provider.accessTokenFor(testGrant), fn);
const deliver = (raws: Buffer[]) =>
  imap(async (c) => {
    for (const raw of raws) await c.append('INBOX', raw, [], ARRIVAL);
  });
async function folders(): Promise<Record<string, string[]>> {
  return imap(async (c) => {
    const out: Record<string, string[]> = {};
    for (const folder of FOLDERS) {
      out[folder] = [];
      if (!(await c.list()).some((m) => m.path === folder)) continue;
      const lock = await c.getMailboxLock(folder);
      try {
        for await (const m of c.fetch('1:*', { envelope: true })) out[folder].push(m.envelope?.messageId?.replace(/^<|>$/g, '') ?? '');
      } catch {
        // an empty mailbox has no 1:*
      } finally {
        lock.release();
      }
    }
    return out;
  });
}
async function repliesTo(messageId: string): Promise<number> {
  const parsed = await Promise.all(smtp.received.map((m) => simpleParser(m.raw)));
  return parsed.filter((p) => p.inReplyTo === `<${messageId}>`).length;
}

function oauthEnv(name: string, refreshToken: string): LiveEnv {
  const env = liveEnv(name, {
    IMAP_HOST: '127.0.0.1',
    IMAP_PORT: String(IMAP_PORT),
    IMAP_SECURE: 'false',
    IMAP_USER: USER,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(SMTP_PORT),
    SMTP_SECURE: 'false',
    SMTP_USER: USER,
    OAUTH_TOKEN_URL: provider.tokenUrl,
    OAUTH_CLIENT_ID: CLIENT.clientId,
    OAUTH_CLIENT_SECRET: CLIENT.clientSecret,
    OAUTH_REFRESH_TOKEN: refreshToken,
    IMAP_RECHECK_SECONDS: '1',
  });
  delete env.env.IMAP_PASSWORD;
  return env;
}

async function emptyMailbox(): Promise<void> {
  await imap(async (c) => {
    for (const folder of FOLDERS) {
      if (!(await c.list()).some((m) => m.path === folder)) continue;
      const lock = await c.getMailboxLock(folder);
      try {
        await c.messageDelete('1:*').catch(() => undefined);
      } finally {
        lock.release();
      }
    }
  });
}

const errors = (r: InProcessRun) => r.logs.filter((l) => Number(l.level) >= 50);

describe('an XOAUTH2-only mailbox (Outlook.com kind) end to end', () => {
  it('watches over XOAUTH2, replies over XOAUTH2, renews expired access tokens silently, and survives a revoked grant', async () => {
    await emptyMailbox();
    const appGrant = provider.consent();
    live = oauthEnv('oauth', appGrant);
    run = await startInProcess(live.env);
    const tag = Date.now().toString(36);
    const ids = [1, 2, 3, 4].map((n) => `oauth${n}-${tag}@example.test`);
    const submit = (n: number) => submissionFor(person(400 + n), { from: `officer${n}-${tag}@example.test`, messageId: ids[n - 1] });

    // 1. The ordinary path: in over IMAP, reply over SMTP, original moved; both logins were XOAUTH2 with our token.
    await deliver([await submit(1)]);
    await waitFor(async () => (await folders()).Processed.includes(ids[0]), { what: 'message 1 moved to Processed' });
    expect(await repliesTo(ids[0])).toBe(1);
    expect(smtp.received[0].user).toBe(USER);

    // 2. Every access token expires early: the next login fetches a new one; nobody is told anything.
    provider.expireAccessTokens();
    await deliver([await submit(2)]);
    await waitFor(async () => (await folders()).Processed.includes(ids[1]), { what: 'message 2 moved to Processed' });
    expect(await repliesTo(ids[1])).toBe(1);
    expect(run.logs.filter((l) => l.code === 'auth.refused')).toEqual([]);

    // 3. The grant is revoked mid-run (its access tokens die with it). The IDLE session lives on, so message 3 is
    //    filed, but its reply is refused: held, not failed. Then the provider ends the IMAP session: watcher paused.
    provider.setGrantActive(appGrant, false);
    await deliver([await submit(3)]);
    await waitFor(() => run!.handle.credentials.isPaused('smtp'), { what: 'SMTP refused and held' });
    dovecot.kick(USER);
    await waitFor(() => run!.handle.watcher?.paused, { what: 'the watcher to pause' });
    await deliver([await submit(4)]);
    // Several more rounds of refusals (the watcher and the held reply try again every second) before looking.
    const refusalsSoFar = provider.tokenRequests.length;
    await waitFor(() => provider.tokenRequests.length >= refusalsSoFar + 4, { what: 'retries while refused' });
    expect(errors(run).map((l) => l.code)).toEqual(['auth.refused']);
    expect(run.logs.filter((l) => String(l.code).startsWith('job.failed'))).toEqual([]);
    const during = await folders();
    expect(during.INBOX.sort()).toEqual([ids[2], ids[3]].sort());
    expect(await repliesTo(ids[2])).toBe(0);
    const record3 = (await messageRecords(live.archiveDir)).find((r) => r.messageId === ids[2]);
    expect(record3?.reply?.rendered).toBeTruthy();
    expect(record3?.reply?.sentAt).toBeUndefined();
    // /readyz says so: an operator has to act (docs/operations.md).
    const notReady = await run.handle.ready();
    expect(notReady.ok).toBe(false);
    expect(notReady.checks.credentials).toEqual({ ok: false, detail: { refused: ['imap', 'smtp'] } });
    expect(notReady.checks.imap).toMatchObject({ ok: false, detail: { state: 'paused' } });

    // 4. The grant works again: the held reply goes out once, message 4 is caught up with, both originals move.
    provider.setGrantActive(appGrant, true);
    await waitFor(async () => {
      const f = await folders();
      return f.INBOX.length === 0 && f.Processed.length === 4;
    }, { what: 'messages 3 and 4 handled after the grant came back', timeoutMs: 30_000 });
    for (const id of ids) expect(await repliesTo(id)).toBe(1);
    expect(smtp.received).toHaveLength(4);
    expect(run.logs.filter((l) => l.code === 'auth.restored')).toHaveLength(1);
    expect(errors(run).map((l) => l.code)).toEqual(['auth.refused']);
    expect(run.handle.watcher?.paused).toBe(false);
    await waitFor(async () => (await run!.handle.ready()).ok, { what: '/readyz ready again' });
  });

  it('keeps the rotated refresh token across a restart (the configured one is dead by then), and a new consent wins', async () => {
    await emptyMailbox();
    const configured = provider.consent();
    live = oauthEnv('oauth-restart', configured);
    run = await startInProcess(live.env);
    const tag = Date.now().toString(36);
    const ids = [1, 2, 3].map((n) => `restart${n}-${tag}@example.test`);
    const submit = (n: number) => submissionFor(person(500 + n), { from: `officer${n}-${tag}@example.test`, messageId: ids[n - 1] });
    await deliver([await submit(1)]);
    await waitFor(async () => (await folders()).Processed.includes(ids[0]), { what: 'message 1 handled' });
    await run.close();

    const stateDir = join(live.archiveDir, '_state', 'oauth');
    const [file] = readdirSync(stateDir);
    expect(statSync(join(stateDir, file)).mode & 0o777).toBe(0o600);
    const requestsBefore = provider.tokenRequests.length;

    // Same configuration, OAUTH_REFRESH_TOKEN now stale: the stored newest token must be used.
    run = await startInProcess(live.env);
    await deliver([await submit(2)]);
    await waitFor(async () => (await folders()).Processed.includes(ids[1]), { what: 'message 2 handled after the restart' });
    expect(provider.tokenRequests.slice(requestsBefore).map((r) => r.refreshToken)).not.toContain(configured);
    expect(run.logs.filter((l) => l.code === 'auth.refused' || l.code === 'oauth.refresh_failed')).toEqual([]);
    await run.close();

    // The operator consents again and configures the new token: it replaces the stored one of the old grant.
    const renewed = provider.consent();
    run = await startInProcess({ ...live.env, OAUTH_REFRESH_TOKEN: renewed });
    await deliver([await submit(3)]);
    await waitFor(async () => (await folders()).Processed.includes(ids[2]), { what: 'message 3 handled with the new grant' });
    expect(provider.tokenRequests.slice(requestsBefore).map((r) => r.refreshToken)).toContain(renewed);
    for (const id of ids) expect(await repliesTo(id)).toBe(1);
    expect(errors(run)).toEqual([]);
  });
});
