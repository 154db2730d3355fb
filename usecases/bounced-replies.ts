// Recognises a bounce of one of OUR replies and names the address that failed, so replies to it stop.
// A report that quotes no reply of ours (someone else's bounce, a forged one) suppresses nobody.
import { normaliseAddress, type BounceAnalysis } from '../pipelines/mail/index.ts';
import type { MessageRecord } from '../pipelines/types.ts';

export interface BouncedReply {
  address: string;
  replyMessageIds: string[];
}

/**
 * `analysis` is the bounce's, made once when it was ingested (usecases/ingest-message.ts).
 * `lookup` finds the record of the message a reply answered (reply ids are <reply-KEY@domain>).
 * An address is suppressed only when it is the recipient of one of our quoted replies; when the report
 * names no recipient at all, the quoted reply's recipient is the one that failed.
 */
export async function bouncedReplyRecipients(
  analysis: BounceAnalysis,
  lookup: (messageKey: string) => Promise<MessageRecord | undefined>,
  staffMailTo: (id: string) => Promise<string | undefined> = async () => undefined,
  reminderTo: (id: string) => Promise<string[] | undefined> = async () => undefined,
): Promise<BouncedReply[]> {
  const byAddress = new Map<string, string[]>();
  const failed = new Set(analysis.recipients.map(normaliseAddress));
  const add = (to: string | undefined, id: string) => {
    if (!to) return;
    const address = normaliseAddress(to);
    if (failed.size > 0 && !failed.has(address)) return;
    byAddress.set(address, [...(byAddress.get(address) ?? []), id]);
  };
  for (const replyId of analysis.ourReplyIds) {
    const key = /^<reply-([0-9a-f]+)@/i.exec(replyId)?.[1]?.toLowerCase();
    if (!key) continue;
    const record = await lookup(key);
    if (bare(record?.reply?.messageId).toLowerCase() !== bare(replyId).toLowerCase()) continue;
    add(record?.reply?.to ?? record?.reply?.rendered?.to, replyId);
  }
  // Staff mail (revision requests, acknowledgements) is ours too: its record says whom it went to.
  for (const staffId of analysis.ourStaffMailIds) add(await staffMailTo(bare(staffId).replace(/@.*$/, '')), staffId);
  // Reminders too: a unit digest goes to several contacts, and only the ones the report names failed.
  for (const reminderId of analysis.ourReminderIds) {
    for (const to of (await reminderTo(bare(reminderId).replace(/@.*$/, ''))) ?? []) add(to, reminderId);
  }
  return [...byAddress].map(([address, replyMessageIds]) => ({ address, replyMessageIds }));
}

function bare(id: string | undefined): string {
  return (id ?? '').replace(/^<|>$/g, '');
}
