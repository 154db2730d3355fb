// The per-sender hourly reply limit, shared by every process through Redis: the last guard against a
// loop with an auto-responder that sets none of the headers the reply guard looks for.
import type { Redis } from 'ioredis';

/**
 * A sliding window: the reply's id takes a slot in the sender's sorted set. Reserving again for the same
 * reply (a retried job) reuses its slot, so retries never eat the allowance.
 */
const RESERVE = `
redis.call('zremrangebyscore', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('zscore', KEYS[1], ARGV[3]) then return 1 end
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('zadd', KEYS[1], ARGV[1], ARGV[3])
redis.call('pexpire', KEYS[1], ARGV[2])
return 1`;

export const HOUR_MS = 3600_000;

export async function reserveReplySlot(
  redis: Redis,
  key: string,
  replyId: string,
  maxPerHour: number,
  nowMs: number,
): Promise<boolean> {
  const ok = await redis.eval(RESERVE, 1, key, String(nowMs), String(HOUR_MS), replyId, String(maxPerHour));
  return Number(ok) === 1;
}
