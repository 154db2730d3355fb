// ioredis clients for our own keys (lease, watcher state, reply markers) and the option objects BullMQ
// builds its connections from. Reconnects forever with capped backoff: Redis going away is transient.
import { Redis } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import type { Logger } from './logger.ts';

/** 0.5 s, 1 s, 1.5 s … capped at 5 s, with jitter so many processes do not reconnect in step. */
export function reconnectDelay(times: number): number {
  return Math.min(times * 500, 5000) + Math.floor(Math.random() * 250);
}

/** Fails a command after a few reconnect attempts instead of waiting for Redis forever. */
export function createRedis(url: string, log: Logger, name: string): Redis {
  const client = new Redis(url, {
    connectionName: `seis-intake-${name}`,
    maxRetriesPerRequest: 2,
    retryStrategy: reconnectDelay,
    enableReadyCheck: true,
  });
  let down = false;
  client.on('error', (err) => {
    if (!down) log.warn({ code: 'redis.unavailable', connection: name, err }, 'Redis connection error');
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info({ code: 'redis.ready', connection: name }, 'Redis connection back');
    down = false;
  });
  return client;
}

/** For BullMQ: workers block on Redis and must wait for it (maxRetriesPerRequest null, set by BullMQ). */
export function bullConnection(url: string): ConnectionOptions {
  return { url, retryStrategy: reconnectDelay };
}

/** For producers (watcher, workers adding follow-ups): fail fast so the caller backs off and logs. */
export function bullProducerConnection(url: string): ConnectionOptions {
  return { url, retryStrategy: reconnectDelay, maxRetriesPerRequest: 2 };
}
