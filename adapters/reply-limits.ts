// The per-sender hourly reply limit, shared by every process through Redis: the last guard against a
// loop with an auto-responder that sets none of the headers the reply guard looks for. The reply worker checks its
// sent marker in the same call (markerThenSlots).
import type { Redis } from 'ioredis';

/**
 * A sliding window: the reply's id takes a slot in the sender's sorted set. Reserving again for the same
 * reply (a retried job) reuses its slot, so retries never eat the allowance. take_slots(first) takes one in each
 * window from KEYS[first] on, stopping at the first full one (false).
 */
const TAKE_SLOTS = `
local function take_slots(first)
  for i = first, #KEYS do
    redis.call('zremrangebyscore', KEYS[i], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
    if not redis.call('zscore', KEYS[i], ARGV[3]) then
      if redis.call('zcard', KEYS[i]) >= tonumber(ARGV[4]) then return false end
      redis.call('zadd', KEYS[i], ARGV[1], ARGV[3])
      redis.call('pexpire', KEYS[i], ARGV[2])
    end
  end
  return true
end`;

const RESERVE = `${TAKE_SLOTS}
if take_slots(1) then return 1 end
return 0`;

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

/**
 * The reply worker's two Redis checks in one round trip, in their order: the mail's sent marker (when present the
 * mail went out; nothing is reserved), then a slot in each recipient's window as reserveReplySlot takes it, stopping
 * at the first full one. Keys: the marker, then one window per recipient.
 */
const MARKER_THEN_SLOTS = `${TAKE_SLOTS}
local sent = redis.call('get', KEYS[1])
if sent then return {'sent', sent} end
if take_slots(2) then return {'ok', ''} end
return {'full', ''}`;

export type MarkerOrSlots = { sentAt: string } | { allowed: boolean };

export async function markerThenSlots(
  redis: Redis,
  markerKey: string,
  windowKeys: string[],
  replyId: string,
  maxPerHour: number,
  nowMs: number,
): Promise<MarkerOrSlots> {
  const [state, sentAt] = (await redis.eval(
    MARKER_THEN_SLOTS,
    1 + windowKeys.length,
    markerKey,
    ...windowKeys,
    String(nowMs),
    String(HOUR_MS),
    replyId,
    String(maxPerHour),
  )) as [string, string];
  return state === 'sent' ? { sentAt } : { allowed: state === 'ok' };
}
