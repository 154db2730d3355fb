import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Lease } from '../../adapters/lease.ts';
import { silentLogger } from '../../adapters/logger.ts';
import { markerThenSlots, reserveReplySlot, HOUR_MS } from '../../adapters/reply-limits.ts';
import { deleteRedisPrefix, servicesEnv, uniquePrefix, waitFor } from '../helpers/services.ts';

const url = servicesEnv().REDIS_URL;
const prefix = uniquePrefix('lease');
let redis: Redis;
const leases: Lease[] = [];

beforeAll(() => {
  redis = new Redis(url);
});
afterEach(async () => {
  await Promise.all(leases.splice(0).map((l) => l.stop()));
});
afterAll(async () => {
  await deleteRedisPrefix(url, prefix);
  redis.disconnect();
});

function lease(key: string, ttlMs: number, events: string[], name: string): Lease {
  const l = new Lease(redis, `${prefix}:${key}`, ttlMs, {
    onAcquired: () => events.push(`${name}+`),
    onLost: (reason) => events.push(`${name}-${reason}`),
  }, silentLogger);
  leases.push(l);
  return l;
}

describe('watcher lease', () => {
  it('is held by exactly one process and passed on at once when the holder stops', async () => {
    const events: string[] = [];
    const a = lease('one', 1000, events, 'a');
    const b = lease('one', 1000, events, 'b');
    a.start();
    await waitFor(() => a.isHeld, { what: 'a to hold the lease' });
    b.start();
    await new Promise((r) => setTimeout(r, 1500)); // longer than the TTL: a keeps renewing it
    expect(a.isHeld && !b.isHeld).toBe(true);
    await a.stop();
    await waitFor(() => b.isHeld, { what: 'b to take over', timeoutMs: 2000 });
    expect(events).toEqual(['a+', 'a-released', 'b+']);
  });

  it('is taken over after its TTL when the holder dies without releasing it', async () => {
    await redis.set(`${prefix}:dead`, 'a process that was killed', 'PX', 800);
    const events: string[] = [];
    const b = lease('dead', 800, events, 'b');
    const started = Date.now();
    b.start();
    await waitFor(() => b.isHeld, { what: 'b to take over the dead lease', timeoutMs: 3000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('tells its holder when someone else took the lease', async () => {
    const events: string[] = [];
    const a = lease('stolen', 900, events, 'a');
    a.start();
    await waitFor(() => a.isHeld, { what: 'a to hold the lease' });
    await redis.set(`${prefix}:stolen`, 'someone else', 'PX', 5000);
    await waitFor(() => events.includes('a-taken'), { what: 'a to notice', timeoutMs: 2000 });
    expect(a.isHeld).toBe(false);
  });
});

describe('per-sender hourly reply limit', () => {
  it('allows N replies an hour per sender, does not charge a retried reply twice, and frees slots after an hour', async () => {
    const key = `${prefix}:rate:officer@example.test`;
    const t0 = Date.parse('2023-09-01T03:00:00Z');
    expect(await reserveReplySlot(redis, key, 'm1', 2, t0)).toBe(true);
    expect(await reserveReplySlot(redis, key, 'm1', 2, t0 + 1000)).toBe(true); // the same reply, retried
    expect(await reserveReplySlot(redis, key, 'm2', 2, t0 + 2000)).toBe(true);
    expect(await reserveReplySlot(redis, key, 'm3', 2, t0 + 3000)).toBe(false);
    expect(await reserveReplySlot(redis, `${prefix}:rate:other@example.test`, 'm4', 2, t0 + 3000)).toBe(true);
    expect(await reserveReplySlot(redis, key, 'm3', 2, t0 + HOUR_MS + 1)).toBe(true);
  });

  it('checks the sent marker and takes the slots in one call: a marker settles it with nothing reserved', async () => {
    const window = `${prefix}:rate:one-call@example.test`;
    const marker = (id: string) => `${prefix}:sent:${id}`;
    const t0 = Date.parse('2023-09-01T03:00:00Z');
    await redis.set(marker('s1'), '2023-09-01T02:59:00.000Z');
    expect(await markerThenSlots(redis, marker('s1'), [window], 's1', 2, t0)).toEqual({ sentAt: '2023-09-01T02:59:00.000Z' });
    expect(await redis.zcard(window)).toBe(0);
    expect(await markerThenSlots(redis, marker('r1'), [window], 'r1', 2, t0)).toEqual({ allowed: true });
    expect(await markerThenSlots(redis, marker('r1'), [window], 'r1', 2, t0 + 1000)).toEqual({ allowed: true }); // retried
    expect(await markerThenSlots(redis, marker('r2'), [window], 'r2', 2, t0 + 2000)).toEqual({ allowed: true });
    expect(await markerThenSlots(redis, marker('r3'), [window], 'r3', 2, t0 + 3000)).toEqual({ allowed: false });
    // The same window as reserveReplySlot's: the two agree on what is full.
    expect(await reserveReplySlot(redis, window, 'r3', 2, t0 + 3000)).toBe(false);
    expect(await markerThenSlots(redis, marker('r3'), [window], 'r3', 2, t0 + HOUR_MS + 1)).toEqual({ allowed: true });
    expect(await markerThenSlots(redis, marker('r4'), [], 'r4', 2, t0)).toEqual({ allowed: true }); // everyone bounced
  });
});
