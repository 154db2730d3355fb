// What the bench sections share about mail: an IMAP client on the bench mailbox and, for the sections that time
// replies, each reply's arrival at the SMTP sink by the Message-ID it answers (In-Reply-To) and the wait for the
// replies still missing.
import { ImapFlow } from 'imapflow';
import { sinkArrival, sinkFiles, sinkInReplyTo, type BenchServices } from './services.ts';
import type { WorkerProcess } from './worker-process.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function benchImapClient(svc: BenchServices): ImapFlow {
  return new ImapFlow({
    host: svc.env.IMAP_HOST,
    port: Number(svc.env.IMAP_PORT),
    secure: false,
    auth: { user: svc.env.IMAP_USER, pass: svc.env.IMAP_PASSWORD },
    logger: false,
    disableAutoIdle: true,
  });
}

export interface ReplyArrivals {
  /** Arrival time at the sink (ms) by the Message-ID the reply answers: the first reply only. */
  arrivedAt: Map<string, number>;
  /** Reads the sink files not seen yet. */
  collect(): Promise<void>;
}

export function replyArrivals(svc: BenchServices): ReplyArrivals {
  const arrivedAt = new Map<string, number>();
  const seen = new Set<string>();
  return {
    arrivedAt,
    async collect() {
      for (const file of await sinkFiles(svc)) {
        if (seen.has(file)) continue;
        seen.add(file);
        const inReplyTo = await sinkInReplyTo(svc, file);
        if (inReplyTo && !arrivedAt.has(inReplyTo)) arrivedAt.set(inReplyTo, sinkArrival(file));
      }
    },
  };
}

/** APPEND end → reply in ms; Infinity when no reply came (it counts as infinitely late in the percentiles). */
export function replyLatency(arrivals: ReplyArrivals, messageId: string, appendedAt: number): number {
  const arrived = arrivals.arrivedAt.get(messageId);
  return arrived === undefined ? Infinity : arrived - appendedAt;
}

/**
 * Collects every pollMs until no reply is missing, the drain time is up or `run` has exited. Returns the error to
 * report: the process gone, or how many replies are still missing.
 */
export async function drainReplies(worker: WorkerProcess, arrivals: ReplyArrivals, missing: () => number,
  opts: { drainMs: number; pollMs: number }): Promise<string | undefined> {
  const drainUntil = Date.now() + opts.drainMs;
  while (missing() > 0 && Date.now() < drainUntil) {
    await sleep(opts.pollMs);
    await arrivals.collect();
    if (!worker.alive()) return `run exited; see ${worker.logFile}`;
  }
  return missing() > 0 ? `${missing()} replies missing after the drain timeout` : undefined;
}

/** The end of a section that ran `run` on the mailbox: the IMAP client closed, `run` stopped, its archive and keys gone. */
export async function endLiveRun(client: ImapFlow, worker: WorkerProcess, state: { cleanup(): Promise<void> }): Promise<void> {
  await client.logout().catch(() => client.close());
  await worker.stop();
  await state.cleanup();
}
