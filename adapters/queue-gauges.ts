// Queue depth and the age of the oldest waiting job, read from Redis when Prometheus scrapes (not kept in
// memory: every `run` and `serve` process sees the same queues, so dashboards take max() over instances).
// A Redis that does not answer within the scrape budget leaves the queue gauges out and sets seis_redis_up 0.
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { metrics } from './metrics.ts';

/** Job states worth watching; completed jobs are kept a week for idempotency and say nothing about health. */
export const GAUGE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'] as const;
/** Prometheus' default scrape timeout is 10 s; Redis answers in milliseconds when it answers at all. */
const COLLECT_TIMEOUT_MS = 2000;

const sources = new Set<Queue>();

export interface QueueSnapshot {
  queue: string;
  counts: Record<string, number>;
  oldestWaitingSeconds: number;
}

/** Counts per state and the oldest job still waiting for a worker (0 when none waits). */
export async function snapshotQueue(queue: Queue, now: number): Promise<QueueSnapshot> {
  const counts = await queue.getJobCounts(...GAUGE_STATES);
  // asc = true: BullMQ returns the wait list oldest first, so [0, 0] is the job that has waited longest.
  const [oldest] = await queue.getJobs(['wait', 'prioritized'], 0, 0, true);
  const oldestWaitingSeconds = oldest?.timestamp ? Math.max(0, (now - oldest.timestamp) / 1000) : 0;
  return { queue: queue.name, counts, oldestWaitingSeconds };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('Redis did not answer in time'), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let inFlight: Promise<void> | undefined;

/** One read of every queue per scrape, shared by the three gauges (prom-client collects them concurrently). */
function refresh(): Promise<void> {
  inFlight ??= (async () => {
    depth.reset();
    oldestWaiting.reset();
    if (sources.size === 0) return;
    const now = Date.now();
    try {
      const snapshots = await withTimeout(Promise.all([...sources].map((q) => snapshotQueue(q, now))), COLLECT_TIMEOUT_MS);
      for (const s of snapshots) {
        for (const state of GAUGE_STATES) depth.set({ queue: s.queue, state }, s.counts[state] ?? 0);
        oldestWaiting.set({ queue: s.queue }, s.oldestWaitingSeconds);
      }
      redisUp.set(1);
    } catch {
      redisUp.set(0);
    }
  })().finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

const depth: Gauge<'queue' | 'state'> = new Gauge({
  name: 'seis_queue_jobs',
  help: 'Jobs per queue and state, read from Redis at scrape time.',
  labelNames: ['queue', 'state'] as const,
  registers: [metrics.registry],
  collect: refresh,
});
const oldestWaiting: Gauge<'queue'> = new Gauge({
  name: 'seis_queue_oldest_waiting_seconds',
  help: 'Age of the oldest job waiting for a worker, by queue (0 when none waits).',
  labelNames: ['queue'] as const,
  registers: [metrics.registry],
  collect: refresh,
});
const redisUp: Gauge = new Gauge({
  name: 'seis_redis_up',
  help: '1 when the last read of the queues from Redis succeeded within the scrape budget.',
  registers: [metrics.registry],
  collect: refresh,
});

/** Reports these queues on /metrics until the returned function is called. */
export function watchQueues(queues: Queue[]): () => void {
  for (const q of queues) sources.add(q);
  return () => {
    for (const q of queues) sources.delete(q);
  };
}
