// The operations side of `run`: job metrics on every worker, queue gauges for every queue, and the readiness
// of this process (the watcher's IMAP session when it watches, Redis, a writable archive with room on its disk).
// Serving them is adapters/ops-server.ts's job; cli/run.ts starts it when METRICS_PORT is set.
import { Queue, type ConnectionOptions, type Worker } from 'bullmq';
import { Gauge } from 'prom-client';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/schema.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { CredentialGate, CredentialUser } from '../adapters/credential-gate.ts';
import { archiveWritableProbe, freeDiskProbe, readiness, redisProbe, type Probe, type ReadyReport } from '../adapters/health-probes.ts';
import { metrics } from '../adapters/metrics.ts';
import { watchQueues } from '../adapters/queue-gauges.ts';
import { QUEUE_NAMES, type Queues } from '../adapters/queues.ts';
import { attachJobMetrics } from './job-metrics.ts';
import type { MailboxWatcher } from './mailbox-watcher.ts';
import { watcherReadiness } from './watcher-status.ts';

export interface RunOpsDeps {
  config: AppConfig;
  store: ArchiveStore;
  redis: Redis;
  queues: Queues;
  workers: Worker[];
  watcher?: MailboxWatcher;
  gate: CredentialGate;
  connection: ConnectionOptions;
}

const USERS: CredentialUser[] = ['imap', 'smtp'];
/** The gate of the process's (last started) run: read when Prometheus scrapes. */
let currentGate: CredentialGate | undefined;
const refused = new Gauge({
  name: 'seis_credentials_refused',
  help: '1 while the mail provider refuses the mailbox credentials for IMAP or SMTP (watching or replies paused).',
  labelNames: ['via'] as const,
  registers: [],
  collect() {
    for (const via of USERS) refused.set({ via }, currentGate?.isPaused(via) ? 1 : 0);
  },
});

export interface RunOps {
  ready(): Promise<ReadyReport>;
  close(): Promise<void>;
}

/** seis_credentials_refused is reported by `run` only (serve holds no credentials). */
export function registerCredentialGauge(): void {
  if (!metrics.registry.getSingleMetric('seis_credentials_refused')) metrics.registry.registerMetric(refused);
}

export function instrumentRun(deps: RunOpsDeps): RunOps {
  for (const worker of deps.workers) attachJobMetrics(worker, { store: deps.store });
  currentGate = deps.gate;
  registerCredentialGauge();
  // The staff-mail queue has no producer in `run`: a read-only handle for its gauges.
  const staffMail = new Queue(QUEUE_NAMES.staffMail, { connection: deps.connection, prefix: deps.config.redis.prefix });
  staffMail.on('error', () => undefined); // reported by seis_redis_up and /readyz, not here
  const unwatch = watchQueues([deps.queues.ingest, deps.queues.reply, deps.queues.followup, deps.queues.content, staffMail]);

  const probes: Record<string, Probe> = {
    redis: redisProbe(deps.redis),
    archive: archiveWritableProbe(deps.store.root),
    disk: freeDiskProbe(deps.store.root, deps.config.ready.minFreeMb),
  };
  const { watcher } = deps;
  if (watcher) probes.imap = async () => watcherReadiness(watcher.status.current, Date.now());
  const { gate } = deps;
  probes.credentials = async () => {
    const paused = USERS.filter((via) => gate.isPaused(via));
    return { ok: paused.length === 0, detail: paused.length ? { refused: paused } : {} };
  };

  return {
    ready: () => readiness(probes),
    async close() {
      unwatch();
      await staffMail.close();
    },
  };
}
