// The recording half of ingesting a message: what filing decided, the message record, and the caller's outcome.
import type { ReplyDecision } from '../pipelines/mail/index.ts';
import type { MessageRecord, ReplyStatus } from '../pipelines/types.ts';
import type { RenderedReply } from '../templates/reply-mail.ts';
import type { Judged, ReadMessage } from './ingest-read.ts';
import type { IngestOptions, IngestOutcome } from './ingest-types.ts';

/** What filing decided, whoever filed it (nobody for automatic mail, a unit step, the person step). */
export interface Filed {
  outcome: ReplyStatus | 'ignored';
  persons: string[];
  unit?: string;
  campaign?: string;
  late: boolean;
  reply?: IngestOutcome['reply'];
  replySuppressed?: string;
  /** The reply part of the message record. */
  replyRecord?: MessageRecord['reply'];
  deferred?: IngestOutcome['deferred'];
  unread?: string[];
}

export function outcomeOf(m: ReadMessage, duplicate: boolean, filed: Filed): IngestOutcome {
  const { outcome, persons, reply, replySuppressed, late, campaign, unit, deferred, unread } = filed;
  return {
    messageKey: m.messageKey,
    emlPath: m.emlPath,
    isBounce: m.parsed.isBounce,
    ...(m.bounce ? { bounce: m.bounce } : {}),
    bouncedRecipients: m.bounce?.recipients ?? [],
    duplicate,
    outcome,
    persons,
    late,
    ...(reply ? { reply } : {}),
    ...(replySuppressed ? { replySuppressed } : {}),
    ...(campaign ? { campaign } : {}),
    ...(unit ? { unit } : {}),
    ...(deferred ? { deferred } : {}),
    ...(unread?.length ? { unread } : {}),
  };
}

/** A message seen before (another copy, a re-run): its record gains this copy; its reply is due until it went out. */
export async function recordDuplicate(m: ReadMessage, existing: MessageRecord, ctx: IngestOptions): Promise<Filed> {
  await ctx.store.updateMessageRecord(m.messageKey, (r) => r && (r.rawKeys.includes(m.rawKey) ? r : { ...r, rawKeys: [...r.rawKeys, m.rawKey] }));
  m.log.info({ code: 'ingest.duplicate', outcome: existing.outcome }, 'duplicate message: already processed');
  const sent = Boolean(existing.reply?.sentAt || existing.reply?.outboxPath);
  return {
    outcome: existing.outcome,
    persons: existing.persons,
    late: false,
    reply: sent ? undefined : existing.reply?.rendered,
    replySuppressed: existing.reply?.suppressed,
  };
}

/** The reply part of the record: the rendered reply, or why none is sent. */
export function replyRecordOf(status: ReplyStatus, guard: ReplyDecision, reply: RenderedReply | undefined): MessageRecord['reply'] {
  if (!guard.reply) return { messageId: '', status, suppressed: guard.reason };
  return reply ? { messageId: reply.messageId, to: reply.to, status, rendered: reply } : undefined;
}

export function newRecord(m: ReadMessage, j: Judged, filed: Filed): MessageRecord {
  return {
    messageKey: m.messageKey,
    dedupeKey: m.parsed.dedupeKey,
    messageId: m.parsed.messageId,
    rawKeys: [m.rawKey],
    emlPath: m.emlPath,
    campaign: j.campaign.id,
    receivedAt: j.arrival.receivedAt.toISOString(),
    processedAt: j.now.toISOString(),
    outcome: filed.outcome,
    persons: filed.persons,
    ...(filed.unit ? { unit: filed.unit } : {}),
    ...(filed.replyRecord ? { reply: filed.replyRecord } : {}),
  };
}
