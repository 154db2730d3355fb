// One throughput scenario: a freshly delivered mailbox, N `run` processes with a fresh archive and Redis
// prefix, and a clock that stops when every message is answered at the sink and INBOX is empty. Bounded:
// a scenario that makes no progress for `stallMs`, or exceeds `timeoutMs`, ends with an error result.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchMailbox } from './generate.ts';
import { clearSink, deleteRedisPrefix, deliverToMaildir, folderCounts, inboxCount, sinkFiles, sinkInReplyTo, wipeMailbox,
  type BenchServices } from './services.ts';
import { logMilestones, rssAtProgress, startWorker, type Milestone, type RssSample, type WorkerProcess } from './worker-process.ts';

export interface ScenarioOptions {
  label: string;
  processes: number;
  concurrency: number;
  mailbox: BenchMailbox;
  workDir: string;
  logDir: string;
  cpuProfDir?: string;
  stallMs?: number;
  timeoutMs?: number;
}

export interface ScenarioResult {
  label: string;
  processes: number;
  concurrency: number;
  messages: number;
  bytes: number;
  ok: boolean;
  error?: string;
  /** spawn → first process watching the mailbox */
  startupMs: number;
  /** spawn → every message answered and moved */
  seconds: number;
  msgsPerSec: number;
  mbPerSec: number;
  replies: number;
  /** distinct originals answered (In-Reply-To): equal to replies unless something was answered twice */
  distinctReplies: number;
  inboxLeft: number;
  folders: Record<string, number>;
  peakRssMb: number;
  /** RSS of the first process when 25/50/75/100 % of the replies had arrived */
  rssAtQuartilesMb: number[];
  cpuSeconds: number;
  /** per stage: how many log lines and when the last came (watcher.queued, ingest.done, reply.sent, followup.moved) */
  stages: Record<string, Milestone>;
  progress: Array<{ t: number; done: number }>;
  rssSamples: RssSample[][];
}

export function benchEnv(svc: BenchServices, extra: Record<string, string>): Record<string, string> {
  return {
    IMAP_HOST: svc.env.IMAP_HOST,
    IMAP_PORT: svc.env.IMAP_PORT,
    IMAP_SECURE: 'false',
    IMAP_USER: svc.env.IMAP_USER,
    IMAP_PASSWORD: svc.env.IMAP_PASSWORD,
    SMTP_HOST: svc.env.SMTP_HOST,
    SMTP_PORT: svc.env.SMTP_PORT,
    SMTP_SECURE: 'false',
    REDIS_URL: svc.env.REDIS_URL,
    REPLY_FROM: 'SEIS Intake <seis-intake@example.test>',
    LOG_LEVEL: 'info',
    // `CONTENT_READING=off npm run bench …` measures the mail path alone (no scan reading in the background).
    ...(process.env.CONTENT_READING ? { CONTENT_READING: process.env.CONTENT_READING } : {}),
    ...extra,
  };
}

/** Fresh archive dir + Redis prefix for one scenario, removed again by `cleanup`. */
export async function freshState(svc: BenchServices, workDir: string, label: string) {
  const prefix = `seis-bench-${label}-${Date.now().toString(36)}`;
  const archiveDir = join(workDir, label);
  await rm(archiveDir, { recursive: true, force: true });
  await mkdir(archiveDir, { recursive: true });
  return {
    prefix,
    archiveDir,
    cleanup: async () => {
      await rm(archiveDir, { recursive: true, force: true });
      await deleteRedisPrefix(svc.env.REDIS_URL, prefix).catch(() => 0);
    },
  };
}

/** A fresh state (see freshState) on an empty INBOX and an empty SMTP sink: where every section starts. */
export async function freshSection(svc: BenchServices, workDir: string, label: string) {
  const state = await freshState(svc, workDir, label);
  await wipeMailbox(svc);
  await clearSink(svc);
  return state;
}

/** `run`'s environment on a fresh state: its Redis prefix and archive, a roster, and the ingest concurrency when set. */
export function stateEnv(svc: BenchServices, state: { prefix: string; archiveDir: string }, rosterFile: string, concurrency?: number) {
  const ingest: Record<string, string> = concurrency === undefined ? {} : { INGEST_CONCURRENCY: String(concurrency) };
  return benchEnv(svc, { REDIS_PREFIX: state.prefix, ARCHIVE_DIR: state.archiveDir, ROSTER_FILE: rosterFile, ...ingest });
}

export const STAGES = ['watcher.queued', 'ingest.done', 'reply.sent', 'followup.moved'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runScenario(svc: BenchServices, opts: ScenarioOptions): Promise<ScenarioResult> {
  const { mailbox } = opts;
  const total = mailbox.messages.length;
  const state = await freshSection(svc, opts.workDir, opts.label);
  await deliverToMaildir(svc, mailbox.messages.map((m) => join(mailbox.dir, m.file)));

  const env = stateEnv(svc, state, mailbox.rosterFile, opts.concurrency);
  const workers: WorkerProcess[] = [];
  for (let i = 0; i < opts.processes; i++) {
    workers.push(startWorker({ label: `${opts.label}-p${i + 1}`, env, logDir: opts.logDir, cpuProfDir: opts.cpuProfDir }));
  }
  const t0 = workers[0].spawnedAt;
  const progress: Array<{ t: number; done: number }> = [];
  let startupMs = NaN;
  void Promise.any(workers.map((w) => w.waitForLog('watcher.watching', 60_000))).then((ms) => (startupMs = ms), () => undefined);

  const stallMs = opts.stallMs ?? 90_000;
  const deadline = t0 + (opts.timeoutMs ?? 120_000 + total * 1_000);
  let error: string | undefined;
  let replies = 0;
  let inboxLeft = total;
  let lastChange = Date.now();
  let t1: number;
  for (;;) {
    await sleep(200);
    const now = Date.now();
    const r = (await sinkFiles(svc)).length;
    const left = await inboxCount(svc);
    if (r !== replies || left !== inboxLeft) lastChange = now;
    if (r !== replies) progress.push({ t: now - t0, done: r });
    replies = r;
    inboxLeft = left;
    if (replies >= total && inboxLeft === 0) {
      t1 = now;
      break;
    }
    const dead = workers.find((w) => !w.alive());
    if (dead) error = `${dead.label} exited; see ${dead.logFile}`;
    else if (now - lastChange > stallMs) error = `no progress for ${stallMs / 1000} s (${replies}/${total} replies, ${inboxLeft} left in INBOX)`;
    else if (now > deadline) error = `timed out after ${Math.round((now - t0) / 1000)} s (${replies}/${total} replies, ${inboxLeft} left in INBOX)`;
    if (error) {
      t1 = now;
      break;
    }
  }
  await Promise.all(workers.map((w) => w.stop()));
  const folders = await folderCounts(svc);
  const answered = new Set(await Promise.all((await sinkFiles(svc)).map((f) => sinkInReplyTo(svc, f))));
  answered.delete(undefined);
  if (!error && answered.size !== total) error = `${answered.size} distinct originals answered by ${replies} replies, expected ${total}`;
  await state.cleanup();
  const stages = await logMilestones(workers.map((w) => w.logFile), t0, STAGES);
  const seconds = (t1 - t0) / 1000;
  return {
    label: opts.label,
    processes: opts.processes,
    concurrency: opts.concurrency,
    messages: total,
    bytes: mailbox.bytes,
    ok: !error,
    ...(error ? { error } : {}),
    startupMs,
    seconds,
    msgsPerSec: total / seconds,
    mbPerSec: mailbox.bytes / 1e6 / seconds,
    replies,
    distinctReplies: answered.size,
    inboxLeft,
    folders,
    peakRssMb: Math.max(...workers.map((w) => w.peakMb())),
    rssAtQuartilesMb: rssAtProgress(workers[0].samples, progress, total, [0.25, 0.5, 0.75, 1]),
    cpuSeconds: workers.reduce((n, w) => n + w.cpuSeconds(), 0),
    stages,
    progress,
    rssSamples: workers.map((w) => w.samples),
  };
}
