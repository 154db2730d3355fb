// Memory with large attachments: a `run` process idles on the mailbox, then receives one message with a
// 25 MB PDF and one with a 50 MB ZIP of scans (two messages: both in one would exceed the default 80 MB
// message limit and be refused unread). Reports idle RSS, the kernel's peak (VmHWM) and the time each took.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchMailbox, BenchMessage } from './generate.ts';
import { benchImapClient, endLiveRun } from './reply-watch.ts';
import { freshSection, stateEnv } from './scenario.ts';
import { inboxCount, sinkFiles, type BenchServices } from './services.ts';
import { startWorker } from './worker-process.ts';

export interface LargeMessageResult {
  kind: string;
  bytes: number;
  seconds: number;
  peakRssMb: number;
}

export interface MemoryResult {
  idleRssMb: number;
  peakRssMb: number;
  messages: LargeMessageResult[];
  error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLargeMessages(svc: BenchServices, opts: {
  mailbox: BenchMailbox;
  big: BenchMessage[];
  concurrency: number;
  workDir: string;
  logDir: string;
  timeoutMs?: number;
}): Promise<MemoryResult> {
  const state = await freshSection(svc, opts.workDir, 'memory');
  const worker = startWorker({ label: 'memory', logDir: opts.logDir, sampleMs: 50, env: stateEnv(svc, state, opts.mailbox.rosterFile, opts.concurrency) });
  const client = benchImapClient(svc);
  const results: LargeMessageResult[] = [];
  let idleRssMb = NaN;
  let error: string | undefined;
  try {
    await worker.waitForLog('watcher.watching', 60_000);
    await sleep(3_000);
    idleRssMb = worker.samples.at(-1)?.rssMb ?? NaN;
    await client.connect();
    for (const [k, m] of opts.big.entries()) {
      const raw = await readFile(join(opts.mailbox.dir, m.file));
      const before = worker.samples.length;
      const t = Date.now();
      await client.append('INBOX', raw, [], new Date(m.receivedAt));
      const deadline = t + (opts.timeoutMs ?? 180_000);
      while ((await sinkFiles(svc)).length < k + 1 || (await inboxCount(svc)) > 0) {
        if (Date.now() > deadline) throw new Error(`${m.kind}: not answered and moved within ${(opts.timeoutMs ?? 180_000) / 1000} s`);
        if (!worker.alive()) throw new Error(`run exited while handling ${m.kind}; see ${worker.logFile}`);
        await sleep(100);
      }
      const during = worker.samples.slice(before).map((s) => s.rssMb);
      results.push({ kind: m.kind, bytes: raw.length, seconds: (Date.now() - t) / 1000, peakRssMb: Math.max(...during) });
    }
  } catch (err) {
    error = (err as Error).message;
  } finally {
    await endLiveRun(client, worker, state);
  }
  return { idleRssMb, peakRssMb: worker.peakMb(), messages: results, ...(error ? { error } : {}) };
}
