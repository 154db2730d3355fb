// The mailbox watcher against a real Dovecot and Redis: a large message goes from the IMAP FETCH to its .eml as a
// stream (never whole in memory), byte for byte; a download cut midway leaves nothing behind and is done again.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pino from 'pino';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { messageEmlPath } from '../../pipelines/archive-paths.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';
import { ingestJobId, openQueues, type Queues } from '../../adapters/queues.ts';
import { bullProducerConnection, createRedis } from '../../adapters/redis-connection.ts';
import { MailboxWatcher, type WatcherDeps } from '../../workers/mailbox-watcher.ts';
import { submission } from '../helpers/eml.ts';
import { ARRIVAL, liveEnv, person, startInProcess, submissionFor, type InProcessRun, type LiveEnv } from '../helpers/live-run.ts';
import { appendMessages, folderMessageIds, readSink, servicesEnv, uidValidityOf, waitFor, wipeMailbox } from '../helpers/services.ts';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const MB = 1024 * 1024;

let live: LiveEnv | undefined;
let run: InProcessRun | undefined;
let watcher: { stop(): Promise<void>; logs: Array<Record<string, unknown>>; queues: Queues } | undefined;
let tag: string;

beforeEach(() => {
  wipeMailbox();
  tag = `t${Date.now().toString(36)}`;
});
afterEach(async (ctx) => {
  const logs = watcher?.logs ?? run?.logs ?? [];
  if (ctx.task.result?.state === 'fail')
    console.error(logs.filter((l) => /^watcher\./.test(String(l.code)) || Number(l.level) >= 40).slice(-40).map((l) => JSON.stringify(l)).join('\n'));
  await watcher?.stop();
  watcher = undefined;
  await run?.close();
  run = undefined;
  await live?.cleanup();
  live = undefined;
});

/** The watcher alone (no ingest worker, so its jobs stay in the queue to be looked at), on a private prefix. */
function startWatcher(extra: Partial<WatcherDeps> = {}) {
  live = liveEnv('stream');
  const config = loadConfig({ env: live.env });
  const logs: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const redis = createRedis(config.redis.url, log, 'test');
  const queues = openQueues(config, bullProducerConnection(config.redis.url));
  const w = new MailboxWatcher({ config, log, store: new ArchiveStore(config.archiveDir), queues, redis, ...extra });
  w.start();
  watcher = {
    logs,
    queues,
    async stop() {
      await w.stop();
      await queues.close();
      redis.disconnect();
    },
  };
  return { archiveDir: config.archiveDir, queues, logs };
}

/** Every file under _messages, relative to the archive (temp files included). */
function messageFiles(archiveDir: string): string[] {
  const root = join(archiveDir, '_messages');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else out.push(relative(archiveDir, join(dir, e.name)));
    }
  };
  try {
    walk(root);
  } catch {
    // no _messages yet
  }
  return out.sort();
}

/** A submission of about `mb` MB: one attachment of random bytes (base64 in the message). */
function bigSubmission(mb: number, id: string): Buffer {
  return submission({
    from: `big-${tag}@example.test`,
    to: 'submissions@example.test',
    messageId: `${id}-${tag}@example.test`,
    subject: 'ส่งเอกสาร',
    attachments: [{ name: 'scan.pdf', contentType: 'application/pdf', content: randomBytes(Math.round((mb * MB * 3) / 4)) }],
  });
}

const deliver = (raws: Buffer[]) => appendMessages(raws, { internalDate: ARRIVAL });
const refOf = (uid: number) => ({ mailbox: 'INBOX', uidValidity: String(uidValidityOf()), uid });

describe('mailbox watcher: large messages streamed to the archive', () => {
  it('stores a 12 MB message byte for byte as it streams, beside a small one fetched whole, and queues both', async () => {
    const chunks: number[] = [];
    const { archiveDir, queues, logs } = startWatcher({ onStreamChunk: (_uid, n) => void chunks.push(n) });
    const big = bigSubmission(12, 'big');
    const small = bigSubmission(0.1, 'small');
    const [bigUid, smallUid] = await deliver([big, small]);

    const jobs = await waitFor(async () => {
      const found = await Promise.all([bigUid, smallUid].map((uid) => queues.ingest.getJob(ingestJobId(refOf(uid)))));
      return found.every(Boolean) ? found : undefined;
    }, { what: 'both ingest jobs' });
    const [bigJob, smallJob] = jobs;
    expect(bigJob!.data).toEqual({ ...refOf(bigUid), emlPath: messageEmlPath(sha(big), ARRIVAL), internalDate: ARRIVAL.toISOString(), size: big.length });
    expect(smallJob!.data.emlPath).toBe(messageEmlPath(sha(small), ARRIVAL));
    const stored = readFileSync(join(archiveDir, bigJob!.data.emlPath));
    expect(stored.length).toBe(big.length);
    expect(sha(stored)).toBe(sha(big));
    expect(statSync(join(archiveDir, bigJob!.data.emlPath)).mode & 0o777).toBe(0o444);
    // Streamed in windows, not fetched whole: the hook saw it grow chunk by chunk.
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.at(-1)).toBe(big.length);
    expect(messageFiles(archiveDir)).toEqual([bigJob!.data.emlPath, smallJob!.data.emlPath].sort());
    expect(logs.filter((l) => l.code === 'watcher.queued').map((l) => l.size).sort()).toEqual([big.length, small.length].sort());
  });

  it('a stream error midway leaves no .eml and no job, keeps the message in INBOX, and the next pass stores it', async () => {
    const big = bigSubmission(8, 'cut');
    let attempts = 0;
    let last = Infinity;
    let seenAtRetry: { files: string[]; job: unknown; inbox: string[] } | undefined;
    const ctx: ReturnType<typeof startWatcher> = startWatcher({
      async onStreamChunk(uid, n) {
        // A download that starts again counts from zero.
        const first = n <= last;
        last = n;
        if (first) attempts++;
        if (attempts === 1 && n >= 4 * MB) throw Object.assign(new Error('injected: disk went away'), { code: 'EIO' });
        if (attempts === 2 && first) {
          // The second download has begun, so the first one is over: look at what it left.
          seenAtRetry = {
            files: messageFiles(ctx.archiveDir).filter((f) => f.endsWith('.eml')),
            job: await ctx.queues.ingest.getJob(ingestJobId(refOf(uid))),
            inbox: (await folderMessageIds(['INBOX'])).INBOX,
          };
        }
      },
    });
    const [uid] = await deliver([big]);
    const job = await waitFor(() => ctx.queues.ingest.getJob(ingestJobId(refOf(uid))), { what: 'the ingest job after the retry', timeoutMs: 30_000 });

    expect(attempts).toBe(2);
    expect(seenAtRetry).toEqual({ files: [], job: undefined, inbox: [`cut-${tag}@example.test`] });
    expect(ctx.logs.some((l) => String(l.code).startsWith('watcher.scan_'))).toBe(true);
    expect(sha(readFileSync(join(ctx.archiveDir, job!.data.emlPath)))).toBe(sha(big));
    expect(messageFiles(ctx.archiveDir)).toEqual([job!.data.emlPath]); // no temp file left either
    expect(ctx.logs.filter((l) => l.code === 'watcher.queued')).toHaveLength(1);
  });

  it('a connection dropped midway leaves no .eml and no job; the watcher reconnects and stores the message', async () => {
    const big = bigSubmission(20, 'drop'); // 5 windows: the kick comes while most are still to be fetched
    let attempts = 0;
    let last = Infinity;
    let seenAtRetry: { files: string[]; job: unknown; inbox: string[] } | undefined;
    const ctx: ReturnType<typeof startWatcher> = startWatcher({
      async onStreamChunk(uid, n) {
        const first = n <= last;
        last = n;
        if (first) attempts++;
        if (attempts === 1 && first) {
          // Dovecot hangs up on the watcher while the rest of the message is still to come.
          execFileSync('doveadm', ['-c', servicesEnv().DOVECOT_CONF, 'kick', servicesEnv().IMAP_USER], { stdio: 'ignore' });
        }
        if (attempts === 2 && first) {
          seenAtRetry = {
            files: messageFiles(ctx.archiveDir).filter((f) => f.endsWith('.eml')),
            job: await ctx.queues.ingest.getJob(ingestJobId(refOf(uid))),
            inbox: (await folderMessageIds(['INBOX'])).INBOX,
          };
        }
      },
    });
    const [uid] = await deliver([big]);
    const job = await waitFor(() => ctx.queues.ingest.getJob(ingestJobId(refOf(uid))), { what: 'the ingest job after reconnecting', timeoutMs: 40_000 });

    expect(attempts).toBe(2);
    expect(seenAtRetry).toEqual({ files: [], job: undefined, inbox: [`drop-${tag}@example.test`] });
    expect(ctx.logs.some((l) => l.code === 'watcher.reconnect')).toBe(true);
    expect(sha(readFileSync(join(ctx.archiveDir, job!.data.emlPath)))).toBe(sha(big));
    expect(messageFiles(ctx.archiveDir)).toEqual([job!.data.emlPath]);
  });
});

describe('seis-intake run: a streamed message over maxMessageBytes', () => {
  it('is stored whole on disk and answered with the reason', async () => {
    live = liveEnv('too-large');
    const configFile = join(tmpdir(), `seis-${tag}-limits.json`);
    onTestFinished(() => rmSync(configFile, { force: true }));
    writeFileSync(configFile, JSON.stringify({ limits: { maxMessageBytes: 2 * MB } }));
    live.env.CONFIG_FILE = configFile;
    run = await startInProcess(live.env);
    const officer = person(7);
    const raw = await submissionFor(officer, {
      from: `large-${tag}@example.test`,
      messageId: `large-${tag}@example.test`,
      file: { name: 'สำเนาบัตรประชาชน.pdf', content: randomBytes(3 * MB) },
    });
    await deliver([raw]);

    const reply = await waitFor(() => readSink({ to: `large-${tag}@` })[0], { what: 'the reply', timeoutMs: 40_000 });
    const text = (await simpleParser(reply.raw)).text ?? '';
    expect(text).toContain('อีเมลมีขนาดใหญ่เกินกำหนด');
    const emlPath = messageEmlPath(sha(raw), ARRIVAL);
    expect(sha(readFileSync(join(live.archiveDir, emlPath)))).toBe(sha(raw));
    expect(run.logs.find((l) => l.code === 'watcher.queued')?.size).toBe(raw.length);
  });
});
