// What `serve` adds for operators: read handles on every BullMQ queue (the queue view and the queue gauges),
// a Redis client for /readyz, and the metrics/health endpoint on METRICS_PORT when it is set. `serve` has no
// IMAP session, so its readiness is Redis, a writable archive and free disk.
import { Queue } from 'bullmq';
import type { AppConfig } from '../config/schema.ts';
import { archiveWritableProbe, freeDiskProbe, readiness, redisProbe } from '../adapters/health-probes.ts';
import type { Logger } from '../adapters/logger.ts';
import { startOpsServer, type OpsServer } from '../adapters/ops-server.ts';
import { watchQueues } from '../adapters/queue-gauges.ts';
import { QUEUE_NAMES } from '../adapters/queues.ts';
import { bullProducerConnection, createRedis } from '../adapters/redis-connection.ts';
import { UsageError } from './args.ts';

export interface ServeOps {
  queues: Queue[];
  /** Starts the metrics/health endpoint when METRICS_PORT is set. */
  listen(): Promise<OpsServer | undefined>;
  close(): Promise<void>;
}

export function openServeOps(config: AppConfig, log: Logger, archiveRoot: string, dashboardPort: number): ServeOps {
  if (config.metrics.port !== undefined && config.metrics.port !== 0 && config.metrics.port === dashboardPort) {
    throw new UsageError(`METRICS_PORT must differ from the dashboard's port (${dashboardPort}): metrics need no login`);
  }
  const connection = bullProducerConnection(config.redis.url);
  let down = false;
  const queues = Object.values(QUEUE_NAMES).map((name) => {
    const queue = new Queue(name, { connection, prefix: config.redis.prefix });
    queue.on('error', (err) => {
      if (!down) log.warn({ code: 'serve.queue_error', err }, 'queue view: Redis connection error');
      down = true;
    });
    return queue;
  });
  const unwatch = watchQueues(queues);
  const redis = createRedis(config.redis.url, log, 'serve-health');
  let server: OpsServer | undefined;
  return {
    queues,
    async listen() {
      if (config.metrics.port === undefined) return undefined;
      const probes = {
        redis: redisProbe(redis),
        archive: archiveWritableProbe(archiveRoot),
        disk: freeDiskProbe(archiveRoot, config.ready.minFreeMb),
      };
      server = await startOpsServer({ host: config.metrics.host, port: config.metrics.port, log, command: 'serve', ready: () => readiness(probes) });
      return server;
    },
    async close() {
      unwatch();
      await server?.close();
      await Promise.all(queues.map((q) => q.close().catch(() => q.disconnect())));
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
