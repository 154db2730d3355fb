// Names of one reminder: the recipient key (a hash, so job ids, file names and logs carry no national ID), the
// reminder id (campaign, step, recipient) and its Message-ID, which is stable so a retried send is the same mail
// and an answer or a bounce can be traced back to the record.
import { createHash } from 'node:crypto';
import type { RecipientKind } from './types.ts';

const short = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 20);

export function recipientKey(kind: RecipientKind, id: string): string {
  return `${kind === 'person' ? 'p' : 'u'}${short(`${kind}:${id}`)}`;
}

/** The key of an excuse or a settled record for a unit: "unit:<units-file id>". */
export function unitControlKey(unitId: string): string {
  return `unit:${unitId}`;
}

/** remind-<campaign>-<step>-<recipient key>: valid as a BullMQ job id, a file name and a Message-ID local part. */
export function reminderId(campaign: string, step: string, key: string): string {
  return `remind-${campaign}-${step}-${key}`;
}

const REMINDER_ID = /^remind-([a-z0-9][a-z0-9-]*)-([pu][0-9a-f]{20})$/;

/** Splits a reminder id; the step is whatever sits between campaign and key, given the campaign ids we know. */
export function parseReminderId(id: string, campaigns: string[]): { campaign: string; step: string; key: string } | undefined {
  const m = REMINDER_ID.exec(id);
  if (!m) return undefined;
  const [, middle, key] = m;
  for (const campaign of [...campaigns].sort((a, b) => b.length - a.length)) {
    if (middle.startsWith(`${campaign}-`) && middle.length > campaign.length + 1) return { campaign, step: middle.slice(campaign.length + 1), key };
  }
  return undefined;
}

export function reminderMessageId(id: string, fromAddress: string): string {
  const domain = /@([^>\s]+)/.exec(fromAddress)?.[1] ?? 'seis-intake.invalid';
  return `<${id}@${domain}>`;
}

/** Reminder ids of ours this message answers (In-Reply-To/References), newest first. */
export function answeredReminderIds(references: string[]): string[] {
  const ids: string[] = [];
  for (const ref of [...references].reverse()) {
    const id = /^<?(remind-[a-z0-9-]+-[pu][0-9a-f]{20})@/i.exec(ref.trim())?.[1]?.toLowerCase();
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}
