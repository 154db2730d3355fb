// What the dashboard's decisions share: the context they run in, what they report, and the one way they
// send mail to a sender (outbox first, then the staff-mail queue when SMTP is configured).
import type { AppConfig } from '../config/schema.ts';
import type { RenderedReply } from '../templates/reply-mail.ts';
import type { Campaign, ManifestMessage, Person, UnmatchedRecord } from '../pipelines/types.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { composeReplyMail } from '../usecases/ingest-message.ts';
import type { Logger } from '../adapters/logger.ts';
import { dispatchStaffMail, type StaffMailDelivery, type StaffMailKind, type StaffMailQueue } from '../usecases/staff-mail.ts';
import type { ArchiveIndex } from './archive-index.ts';
import type { AuditLog } from './audit.ts';
import type { DecisionOutcome } from './decision-plans.ts';

/** What every part of the dashboard works with: the config, the archive and its index, the audit log, a clock. */
export interface DashboardCore {
  config: AppConfig;
  store: ArchiveStore;
  index: ArchiveIndex;
  audit: AuditLog;
  log: Logger;
  clock: () => Date;
}

export interface DecisionContext extends DashboardCore {
  campaign: (id: string) => Campaign | undefined;
  rosterPerson: (campaignId: string, nationalId: string) => Person | undefined;
  /** Set when SMTP is configured: mail is queued for `run` to send; without it, the outbox only. */
  staffMail?: StaffMailQueue;
}

export interface DecisionReport {
  outcome: DecisionOutcome;
  /** Outbox path of the mail written to the sender, when one was. */
  mail?: string;
  /** What became of that mail: queued for sending, not queued (Redis unreachable), or the outbox only. */
  delivery?: StaffMailDelivery;
}

export interface MailOut {
  id: string;
  path: string;
  delivery: StaffMailDelivery;
}

export const domainOf = (from: string) => /@([^>\s]+)/.exec(from)?.[1] ?? 'seis-intake.invalid';

/** Writes the mail to the outbox, queues it when SMTP is configured, and records which happened. */
export async function sendMail(
  ctx: DecisionContext,
  mail: { id: string; kind: StaffMailKind; campaign: string; nationalId: string; unit?: string; by: string; reply: RenderedReply },
): Promise<MailOut | undefined> {
  if (!mail.reply.to) return undefined;
  const eml = await composeReplyMail(mail.reply, ctx.config.reply.from);
  const outboxPath = await ctx.store.writeOutbox(mail.id, eml, ctx.config.outboxDir);
  const record = await dispatchStaffMail({ store: ctx.store, queue: ctx.staffMail, log: ctx.log, now: ctx.clock }, {
    id: mail.id,
    kind: mail.kind,
    campaign: mail.campaign,
    nationalId: mail.nationalId,
    ...(mail.unit ? { unit: mail.unit } : {}),
    to: mail.reply.to,
    outboxPath,
    by: mail.by,
  });
  return { id: mail.id, path: outboxPath, delivery: record.delivery };
}

export const mailDetail = (mail: MailOut | undefined) => (mail ? { mail: mail.path, mailId: mail.id, delivery: mail.delivery } : {});

/** The manifest's entry for an unmatched message staff file: late when it came after the campaign's deadline. */
export function manifestMessageOf(record: UnmatchedRecord, deadline: Date): ManifestMessage {
  return {
    messageId: record.messageId,
    messageKey: record.messageKey,
    receivedAt: record.receivedAt,
    from: record.from,
    subject: record.subject,
    emlPath: record.emlPath,
    late: Date.parse(record.receivedAt) > deadline.getTime(),
  };
}
