// One look at the mailbox by the watcher: which UIDs are new (remembered per UIDVALIDITY in Redis, checked against
// the ingest queue), then each one's original stored and its job queued. The connection's life, IDLE and the
// retry schedule are mailbox-watcher.ts's; how bytes are fetched is message-fetch.ts's.
import type { ImapFlow } from 'imapflow';
import type { Redis } from 'ioredis';
import type { Logger } from '../adapters/logger.ts';
import { ingestJobId, type MailboxRef } from '../adapters/queues.ts';
import { downloadMessages, fetchMeta } from './message-fetch.ts';
import { handOver, type HandOverDeps } from './message-handover.ts';

export type ScanKind = 'new' | 'full';

export interface ScanContext extends HandOverDeps {
  redis: Redis;
  log: Logger;
  mailbox: string;
  stateKey: string;
  stopping(): boolean;
}

/** Only raises lastUid, and only for the UIDVALIDITY it was computed under. */
const ADVANCE = `
local v = redis.call('hget', KEYS[1], 'uidValidity')
if v ~= ARGV[1] then return 0 end
local last = tonumber(redis.call('hget', KEYS[1], 'lastUid') or '0')
if tonumber(ARGV[2]) > last then redis.call('hset', KEYS[1], 'lastUid', ARGV[2]) end
return 1`;

export async function scanMailbox(client: ImapFlow, kind: ScanKind, ctx: ScanContext): Promise<void> {
  // The safety net must not trust IDLE to have told us everything: sync the session's view first.
  if (kind === 'full') await client.noop();
  const mailbox = client.mailbox;
  if (!mailbox) throw Object.assign(new Error('mailbox is not selected'), { code: 'NoConnection' });
  const uidValidity = String(mailbox.uidValidity);
  const { redis, log } = ctx;
  const state = await redis.hgetall(ctx.stateKey);
  let lastUid = Number(state.lastUid ?? 0);
  if (state.uidValidity !== uidValidity) {
    if (state.uidValidity) {
      log.warn({ code: 'watcher.uidvalidity_changed', was: state.uidValidity, now: uidValidity }, 'UIDVALIDITY changed: re-scanning the whole mailbox');
    }
    await redis.hset(ctx.stateKey, { uidValidity, lastUid: '0' });
    lastUid = 0;
    kind = 'full';
  }
  const found = kind === 'full'
    ? await client.search({ all: true }, { uid: true })
    : await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
  // "N:*" also matches the highest UID when N is beyond it: keep only what is really new.
  const uids = (found || []).filter((uid) => kind === 'full' || uid > lastUid).sort((a, b) => a - b);
  if (uids.length === 0) return;

  const refs: MailboxRef[] = uids.map((uid) => ({ mailbox: ctx.mailbox, uidValidity, uid }));
  const todo: MailboxRef[] = [];
  for (let i = 0; i < refs.length; i += 200) {
    const chunk = refs.slice(i, i + 200);
    const states = await Promise.all(chunk.map((ref) => ctx.queues.ingest.getJobState(ingestJobId(ref))));
    chunk.forEach((ref, j) => states[j] === 'unknown' && todo.push(ref));
  }
  if (todo.length) {
    log.info({ code: 'watcher.scan', kind, inMailbox: uids.length, toQueue: todo.length }, 'queueing new messages');
    const meta = await fetchMeta(client, todo.map((ref) => ref.uid));
    await downloadMessages(client, todo, meta, {
      received: (ref, bytes, internalDate) => handOver(ctx, ref, bytes, internalDate),
      vanished: (ref) => log.info({ code: 'watcher.vanished', uid: ref.uid }, 'message left the mailbox before it was read'),
      stopping: ctx.stopping,
    });
    // Stopped halfway: what is left is found again by the next session's full scan, as lastUid did not move.
    if (ctx.stopping()) return;
  }
  await redis.eval(ADVANCE, 1, ctx.stateKey, uidValidity, String(uids[uids.length - 1]));
}
