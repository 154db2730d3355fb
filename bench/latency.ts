// Latency while `run` idles on the mailbox: first a few messages one at a time (the pipeline's own latency,
// no queue), then messages APPENDed at a steady rate. Each is timed from the end of its APPEND to its reply's
// arrival at the SMTP sink (matched by In-Reply-To; the sink's file name carries its arrival time, so polling
// adds no error). A reply still missing after the drain timeout counts as infinitely late in the percentiles.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchMailbox } from './generate.ts';
import { freshSection, stateEnv } from './scenario.ts';
import { benchImapClient, drainReplies, endLiveRun, replyArrivals, replyLatency } from './reply-watch.ts';
import type { BenchServices } from './services.ts';
import { percentile } from './stats.ts';
import { startWorker } from './worker-process.ts';

export interface LatencyResult {
  ratePerSec: number;
  seconds: number;
  concurrency: number;
  appended: number;
  answered: number;
  /** appends that started more than 100 ms behind schedule */
  lateAppends: number;
  appendMsP50: number;
  /** APPEND → reply of messages sent one at a time into an idle mailbox */
  single: number[];
  p50: number;
  p95: number;
  p99: number;
  max: number;
  peakRssMb: number;
  error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const SINGLES = 5;

export async function runLatency(svc: BenchServices, opts: {
  mailbox: BenchMailbox;
  rate: number;
  seconds: number;
  concurrency: number;
  workDir: string;
  logDir: string;
  drainMs?: number;
}): Promise<LatencyResult> {
  const count = Math.round(opts.rate * opts.seconds);
  const messages = opts.mailbox.messages.slice(0, count);
  const singles = opts.mailbox.messages.slice(count, count + SINGLES);
  if (singles.length < SINGLES) throw new Error(`latency needs ${count + SINGLES} distinct messages, the mailbox has ${opts.mailbox.messages.length}`);
  const state = await freshSection(svc, opts.workDir, 'latency');
  const worker = startWorker({ label: 'latency', logDir: opts.logDir, env: stateEnv(svc, state, opts.mailbox.rosterFile, opts.concurrency) });
  const appendedAt = new Map<string, number>();
  const replies = replyArrivals(svc);
  let lateAppends = 0;
  const appendMs: number[] = [];
  const single: number[] = [];
  let error: string | undefined;
  const client = benchImapClient(svc);
  try {
    await worker.waitForLog('watcher.watching', 60_000);
    await sleep(2_000); // let it settle into IDLE: the section measures an idle watcher being woken
    await client.connect();
    for (const m of singles) {
      const raw = await readFile(join(opts.mailbox.dir, m.file));
      await client.append('INBOX', raw, [], new Date(m.receivedAt));
      const t = Date.now();
      while (!replies.arrivedAt.has(m.messageId) && Date.now() - t < 30_000) {
        await sleep(50);
        await replies.collect();
      }
      single.push(replyLatency(replies, m.messageId, t));
      await sleep(1_000);
    }
    const start = Date.now();
    const interval = 1000 / opts.rate;
    for (const [k, m] of messages.entries()) {
      const due = start + k * interval;
      if (Date.now() < due) await sleep(due - Date.now());
      if (Date.now() - due > 100) lateAppends++;
      const raw = await readFile(join(opts.mailbox.dir, m.file));
      const t = Date.now();
      await client.append('INBOX', raw, [], new Date(m.receivedAt));
      const done = Date.now();
      appendMs.push(done - t);
      appendedAt.set(m.messageId, done);
      if (k % 10 === 0) await replies.collect();
    }
    const missing = () => messages.filter((m) => !replies.arrivedAt.has(m.messageId)).length;
    error = await drainReplies(worker, replies, missing, { drainMs: opts.drainMs ?? 120_000, pollMs: 200 });
  } finally {
    await endLiveRun(client, worker, state);
  }
  const latencies = [...appendedAt].map(([id, t]) => replyLatency(replies, id, t));
  return {
    ratePerSec: opts.rate,
    seconds: opts.seconds,
    concurrency: opts.concurrency,
    appended: appendedAt.size,
    answered: latencies.filter(Number.isFinite).length,
    lateAppends,
    appendMsP50: percentile(appendMs, 50),
    single,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    peakRssMb: worker.peakMb(),
    ...(error ? { error } : {}),
  };
}
