import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARRIVAL, liveEnv, logCodes, messageRecords, person, spawnRun, startInProcess, submissionFor, type InProcessRun, type LiveEnv,
  type RunProcess } from '../helpers/live-run.ts';
import { appendMessages, folderMessageIds, readSink, ROOT, startSmtpSink, waitFor, wipeMailbox } from '../helpers/services.ts';

const exec = promisify(execFile);
let live: LiveEnv | undefined;
let run: InProcessRun | undefined;
let proc: RunProcess | undefined;
let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined;
let tag: string;
// A port nobody listens on until the test starts its own SMTP server there: "the SMTP server is down".
const smtpPort = 25_000 + (process.pid % 1000);

beforeEach(() => {
  wipeMailbox();
  tag = `j${Date.now().toString(36)}`;
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const logs = run?.logs ?? proc?.logs ?? [];
    console.error(
      logs.filter((l) => Number(l.level) >= 40 || /^(reply|followup|job)\./.test(String(l.code))).slice(-40).map((l) => JSON.stringify(l)).join('\n'),
    );
  }
  await run?.close();
  run = undefined;
  await proc?.stop('SIGKILL');
  proc = undefined;
  await sink?.close();
  sink = undefined;
  await live?.cleanup();
  live = undefined;
});

const cli = (args: string[]) => exec(process.execPath, [join(ROOT, 'bin/seis-intake.js'), ...args], { cwd: ROOT, env: { ...process.env, ...live!.env } });

describe('failed jobs and the operator', () => {
  it('retries a reply while the SMTP server is down and sends it once the server is back', async () => {
    live = liveEnv('smtp-retry', { SMTP_PORT: String(smtpPort) });
    run = await startInProcess(live.env);
    await appendMessages([await submissionFor(person(50), { from: `late-${tag}@example.test`, messageId: `late-${tag}@example.test` })], {
      internalDate: ARRIVAL,
    });
    await waitFor(() => run!.logs.filter((l) => l.code === 'job.retry.smtp.connection').length >= 2, { what: 'failed sends to be retried' });
    expect((await folderMessageIds(['INBOX'])).INBOX).toEqual([`late-${tag}@example.test`]);

    sink = await startSmtpSink(smtpPort);
    await waitFor(async () => (await folderMessageIds(['Processed'])).Processed.length === 1, { what: 'the reply to go out and the original to move',
      timeoutMs: 30_000 });
    expect(sink.received).toHaveLength(1);
  });

  it('queues nothing on `content` while reading is off (no worker would ever take it)', async () => {
    live = liveEnv('no-reading');
    run = await startInProcess(live.env);
    await appendMessages([await submissionFor(person(51), { from: `names-${tag}@example.test`, messageId: `names-${tag}@example.test` })], {
      internalDate: ARRIVAL,
    });
    await waitFor(async () => (await folderMessageIds(['Processed'])).Processed.length === 1, { what: 'the message to be answered and moved' });
    const content = new Queue('content', { connection: { url: live.env.REDIS_URL }, prefix: live.prefix });
    try {
      const counts = await content.getJobCounts('waiting', 'prioritized', 'waiting-children', 'delayed', 'active');
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    } finally {
      await content.close();
    }
  });

  it('keeps a job that ran out of retries, with the message in the mailbox, until `seis-intake jobs --retry-all`', async () => {
    live = liveEnv('smtp-failed', { SMTP_PORT: String(smtpPort), JOB_ATTEMPTS: '3' });
    run = await startInProcess(live.env);
    const id = `stuck-${tag}@example.test`;
    await appendMessages([await submissionFor(person(51), { from: id, messageId: id })], { internalDate: ARRIVAL });
    await waitFor(() => run!.logs.some((l) => l.code === 'job.failed.smtp.connection'), { what: 'the reply job to fail for good' });

    const listing = await cli(['jobs']);
    expect(listing.stdout).toMatch(/reply-[0-9a-f]{32}/);
    expect(listing.stdout).toContain('smtp');
    const report = JSON.parse((await cli(['jobs', '--json', '--queue', 'reply'])).stdout);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatchObject({ queue: 'reply', attemptsMade: 3 });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await folderMessageIds(['INBOX'])).INBOX).toEqual([id]);
    expect((await messageRecords(live.archiveDir))[0].reply?.sentAt).toBeUndefined();

    sink = await startSmtpSink(smtpPort);
    const retried = await cli(['jobs', '--retry-all']);
    expect(retried.stdout).toMatch(/1 งาน/);
    await waitFor(async () => (await folderMessageIds(['Processed'])).Processed.includes(id), { what: 'the retried reply and the move', timeoutMs: 30_000 });
    expect(sink.received).toHaveLength(1);
    expect(JSON.parse((await cli(['jobs', '--json'])).stdout).failed).toEqual([]);
  });
});

describe('SIGTERM', () => {
  it('finishes the jobs in hand, releases the watcher lease and exits 0; a new process finishes the rest', async () => {
    live = liveEnv('term');
    proc = spawnRun(live.env);
    const raws = await Promise.all(
      Array.from({ length: 30 }, (_, i) => submissionFor(person(2000 + i), { from: `t${i}-${tag}@example.test`, messageId: `t${i}-${tag}@example.test` })),
    );
    await appendMessages(raws, { internalDate: ARRIVAL });
    await waitFor(() => logCodes(proc!, 'ingest.done').length >= 3, { what: 'work to be under way', intervalMs: 20 });
    const code = await proc.stop('SIGTERM');
    expect(code).toBe(0);
    expect(logCodes(proc, 'run.stopped')).toHaveLength(1);
    expect(proc.logs.filter((l) => String(l.code).startsWith('job.failed'))).toEqual([]);

    const redis = new Redis(live.env.REDIS_URL);
    const connection = { url: live.env.REDIS_URL };
    try {
      expect(await redis.keys(`${live.prefix}:seis-state:lease:*`)).toEqual([]);
      for (const name of ['ingest', 'reply', 'followup']) {
        const queue = new Queue(name, { connection, prefix: live.prefix });
        expect((await queue.getJobCounts('active')).active).toBe(0);
        await queue.close();
      }
    } finally {
      redis.disconnect();
    }

    proc = spawnRun(live.env);
    await waitFor(async () => (await folderMessageIds(['Processed'])).Processed.length === 30, { what: 'the rest to be handled', timeoutMs: 30_000 });
    const replies = readSink({ to: `-${tag}@` });
    expect(new Set(replies.map((r) => r.headers['in-reply-to'])).size).toBe(30);
    expect(replies).toHaveLength(30);
  });
});
