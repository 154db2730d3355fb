// The reply to one message as an OutgoingMail for deliver-once.ts: its record is the MessageRecord's `reply`, its
// bytes are composed from the rendered reply kept there, its outbox file is _outbox/<messageKey>.eml. Used by the
// reply worker and by `seis-intake ingest`; what the reply says was decided when the message was ingested.
import type { MessageRecord } from '../pipelines/types.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import type { Deliver, DeliveryRecord, DeliveryResult } from './deliver-once.ts';
import { composeReplyMail } from './ingest-message.ts';

type ReplyState = NonNullable<MessageRecord['reply']>;

/** True when nothing more will be sent for this message: sent, written to the outbox, suppressed, or none due. */
export function replySettled(record: MessageRecord | undefined): boolean {
  const reply = record?.reply;
  return !reply?.rendered || Boolean(reply.sentAt || reply.outboxPath || reply.suppressed);
}

function replyRecord(store: ArchiveStore, messageKey: string): DeliveryRecord {
  const setReply = (patch: Partial<ReplyState>) =>
    store.updateMessageRecord(messageKey, (r) => (r?.reply ? { ...r, reply: { ...r.reply, ...patch } } : undefined));
  return {
    settled: async () => replySettled(await store.getMessageRecord(messageKey)),
    sent: async (sentAt) => void (await setReply({ sentAt })),
    suppressed: async (suppressed) => void (await setReply({ suppressed })),
    leftInOutbox: async (eml) => {
      const outboxPath = await store.writeOutbox(messageKey, await eml());
      await setReply({ outboxPath });
      return outboxPath;
    },
    keptUnsent: (eml) => store.writeOutbox(messageKey, eml),
    clearUnsent: () => store.removeOutbox(messageKey),
  };
}

/** With the message's arrival time (the record's receivedAt), for the reply latency metric without reading it again. */
export type ReplyDelivery = (DeliveryResult | { status: 'nothing-to-send' }) & { receivedAt?: string };

/** Delivers the reply recorded for `messageKey`, once; nothing when no reply was rendered for it. */
export async function deliverReply(deliver: Deliver, store: ArchiveStore, from: string, messageKey: string, log: Logger): Promise<ReplyDelivery> {
  const record = await store.getMessageRecord(messageKey);
  const rendered = record?.reply?.rendered;
  if (!record || !rendered) return { status: 'nothing-to-send' };
  const result = await deliver({
    kind: 'reply',
    id: messageKey,
    to: rendered.to,
    eml: () => composeReplyMail(rendered, from),
    record: replyRecord(store, messageKey),
  }, log);
  return { ...result, receivedAt: record.receivedAt };
}
