// The whole core pipeline for one message already stored in the archive: parse → route → identify → classify →
// validate → judge → file → reply. Shared by the CLI and the BullMQ ingest worker; it sends nothing itself.
// Routing picks the campaign first: per-person campaigns go to ingest-person.ts, unit-scope ones and unclear
// messages to ingest-unit.ts; duplicates, automatic mail and the message record are handled here.
import type { AppConfig } from '../config/schema.ts';
import { campaignById } from '../config/load.ts';
import { parseMessage, replyGuard, analyseBounce, type BounceAnalysis } from '../pipelines/mail/index.ts';
import { judgeArrival } from '../pipelines/arrival.ts';
import type { RenderedReply } from '../templates/reply-mail.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import { recipientAddresses, routeMessage } from '../pipelines/route.ts';
import { formStrength, readMessageForms, type UnitsDirectory } from '../pipelines/unit/index.ts';
import type { ReplyAttachmentRef } from '../templates/unit-reply-mail.ts';
import { formFile } from '../templates/forms.ts';
import { ingestUnitMessage, ingestUnrouted, type UnitStepResult } from './ingest-unit.ts';
import { ingestPersonMessage } from './ingest-person.ts';
import type { ContentReader } from './content-step.ts';
import type {
  Arrival, MessageRecord, ParsedMessage, ReplyStatus,
} from '../pipelines/types.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

export interface IngestContext {
  config: AppConfig;
  store: ArchiveStore;
  roster?: Roster;
  /** The units file: which unit sent a login-status or admin-appointment report, and who must send one. */
  units?: UnitsDirectory;
  now: () => Date;
  log: Logger;
  /** Reads scans: inline (CLI) or from the cache the `content` queue fills (run). Absent: names only. */
  content?: ContentReader;
  /** Set on the run after the `content` queue read this message's files: decide, never defer again. */
  contentDone?: boolean;
}

export interface IngestOutcome {
  messageKey: string;
  emlPath: string;
  duplicate: boolean;
  outcome: ReplyStatus | 'ignored';
  persons: string[];
  reply?: RenderedReply & { attachments?: ReplyAttachmentRef[] };
  replySuppressed?: string;
  isBounce: boolean;
  /** A bounce's analysis (its failed recipients, the ids of our mail it quotes), made once, here. */
  bounce?: BounceAnalysis;
  bouncedRecipients: string[];
  late: boolean;
  /** The campaign the message was routed to; absent for ignored mail and unclear messages. */
  campaign?: string;
  /** Unit-scope campaigns: the unit folder key it was filed for. */
  unit?: string;
  /** Nothing was filed yet: these files must be read first (the caller queues them, then runs the message again). */
  deferred?: Array<{ sha256: string; name: string }>;
  /** Filed by names with these files' pages unread: the caller has them read and the filing checked. */
  unread?: string[];
}

type IngestOptions = IngestContext & { internalDate?: Date; fileMtime?: Date };

/** Stores the original first (nothing is ever lost), then runs the pipeline on it. */
export async function ingestRaw(raw: Buffer, ctx: IngestOptions): Promise<IngestOutcome> {
  const { emlPath } = await ctx.store.storeOriginal(raw, ctx.internalDate ?? ctx.fileMtime ?? ctx.now());
  return ingestParsed(raw, emlPath, ctx);
}

export async function ingestStored(emlPath: string, ctx: IngestOptions): Promise<IngestOutcome> {
  return ingestParsed(await ctx.store.readOriginal(emlPath), emlPath, ctx);
}

export function messageKeyOf(dedupeKey: string): string {
  return dedupeKey.slice(0, 32);
}

/** A reply's Message-ID derived from the original, so a retried send is recognisably the same mail. */
export function replyMessageId(messageKey: string, fromAddress: string): string {
  const domain = /@([^>\s]+)/.exec(fromAddress)?.[1] ?? 'seis-intake.invalid';
  return `<reply-${messageKey}@${domain}>`;
}

async function ingestParsed(raw: Buffer, emlPath: string, ctx: IngestOptions): Promise<IngestOutcome> {
  const parsed = await parseMessage(raw, { limits: ctx.config.limits });
  const messageKey = messageKeyOf(parsed.dedupeKey);
  const rawKey = /([0-9a-f]{64})\.eml$/.exec(emlPath)?.[1] ?? emlPath;
  const log = ctx.log.child({ messageKey });
  const bounce = parsed.isBounce ? analyseBounce(raw) : undefined;
  const base = { messageKey, emlPath, isBounce: parsed.isBounce, ...(bounce ? { bounce } : {}), bouncedRecipients: bounce?.recipients ?? [] };

  const existing = await ctx.store.getMessageRecord(messageKey);
  if (existing) {
    await ctx.store.updateMessageRecord(messageKey, (r) => r && (r.rawKeys.includes(rawKey) ? r : { ...r, rawKeys: [...r.rawKeys, rawKey] }));
    log.info({ outcome: existing.outcome }, 'duplicate message: already processed');
    const sent = Boolean(existing.reply?.sentAt || existing.reply?.outboxPath);
    return {
      ...base, duplicate: true, outcome: existing.outcome, persons: existing.persons, late: false,
      reply: sent ? undefined : existing.reply?.rendered, replySuppressed: existing.reply?.suppressed,
    };
  }

  const forms = await readMessageForms(parsed);
  const route = routeMessage({
    parsed, recipients: recipientAddresses(raw), forms, campaigns: ctx.config.campaigns, defaultCampaign: ctx.config.defaultCampaign,
  });
  const campaign = campaignById(ctx.config, route.kind === 'campaign' ? route.campaignId : undefined);
  log.debug({ route: route.kind === 'campaign' ? `${route.campaignId} (${route.by})` : 'unclear', evidence: route.evidence }, 'message routed');
  const now = ctx.now();
  const arrival = judgeArrival(
    { internalDate: ctx.internalDate, receivedHeaderAt: parsed.receivedHeaderAt, date: parsed.date, fileMtime: ctx.fileMtime, now },
    campaign,
  );
  const guard = replyGuard(parsed, { ownAddresses: ownAddresses(ctx.config), requireAuth: ctx.config.reply.requireAuth });

  const bodyData = campaign.scope === 'unit' && campaign.form !== undefined && formStrength(campaign.form, forms) > 0;
  if (parsed.isBounce || (!guard.reply && parsed.files.length === 0 && !bodyData)) {
    const record = newRecord(parsed, messageKey, rawKey, emlPath, campaign.id, arrival, now, 'ignored', []);
    record.reply = { messageId: '', status: 'rejected', suppressed: guard.reply ? 'bounce' : guard.reason };
    await ctx.store.putMessageRecord(record);
    log.info({ reason: record.reply.suppressed }, 'message ignored (automatic mail)');
    return { ...base, duplicate: false, outcome: 'ignored', persons: [], replySuppressed: record.reply.suppressed, late: arrival.late };
  }

  if (route.kind === 'unclear' || campaign.scope === 'unit') {
    const step = {
      config: ctx.config, store: ctx.store, units: ctx.units, parsed, forms, arrival, messageKey, emlPath, now, log,
      replyAllowed: guard.reply, replyMessageId: replyMessageId(messageKey, ctx.config.reply.from),
      record: (outcome: ReplyStatus, unit?: string) => ({
        ...newRecord(parsed, messageKey, rawKey, emlPath, campaign.id, arrival, now, outcome, []),
        ...(unit ? { unit } : {}),
      }),
    };
    const result: UnitStepResult = route.kind === 'unclear' ? await ingestUnrouted(step, route.candidates) : await ingestUnitMessage(step, campaign);
    if (!guard.reply) result.record.reply = { messageId: '', status: result.status, suppressed: guard.reason };
    await ctx.store.putMessageRecord(result.record);
    return {
      ...base, duplicate: false, outcome: result.status, persons: [], reply: result.reply, late: arrival.late,
      replySuppressed: guard.reply ? undefined : guard.reason,
      ...(route.kind === 'campaign' ? { campaign: campaign.id } : {}), ...(result.unit ? { unit: result.unit } : {}),
    };
  }

  const person = await ingestPersonMessage({
    config: ctx.config, store: ctx.store, roster: ctx.roster, parsed, arrival, messageKey, emlPath, now,
    replyAllowed: guard.reply, replyMessageId: replyMessageId(messageKey, ctx.config.reply.from),
    record: (outcome, persons) => newRecord(parsed, messageKey, rawKey, emlPath, campaign.id, arrival, now, outcome, persons),
    content: ctx.content, contentDone: ctx.contentDone,
  }, campaign);
  if ('deferred' in person) {
    log.info({ code: 'content.deferred', files: person.deferred.length }, 'message waits for its scans to be read');
    return { ...base, duplicate: false, outcome: 'incomplete', persons: [], late: arrival.late, campaign: campaign.id, deferred: person.deferred };
  }
  if (!guard.reply) person.record.reply = { messageId: '', status: person.status, suppressed: guard.reason };
  await ctx.store.putMessageRecord(person.record);
  log.info({ outcome: person.status, persons: person.record.persons.length, files: parsed.files.length, late: arrival.late }, 'message filed');
  return {
    ...base, duplicate: false, outcome: person.status, persons: person.record.persons, reply: person.reply,
    replySuppressed: guard.reply ? undefined : guard.reason, late: arrival.late, campaign: campaign.id,
    ...(person.unread.length ? { unread: person.unread } : {}),
  };
}

function ownAddresses(config: AppConfig): string[] {
  const from = /<([^>]+)>/.exec(config.reply.from)?.[1] ?? config.reply.from;
  return [from, ...config.reply.ownAddresses, ...(config.imap.user?.includes('@') ? [config.imap.user] : [])];
}

function newRecord(
  parsed: ParsedMessage, messageKey: string, rawKey: string, emlPath: string, campaign: string, arrival: Arrival,
  now: Date, outcome: MessageRecord['outcome'], persons: string[],
): MessageRecord {
  return {
    messageKey, dedupeKey: parsed.dedupeKey, messageId: parsed.messageId, rawKeys: [rawKey], emlPath, campaign,
    receivedAt: arrival.receivedAt.toISOString(), processedAt: now.toISOString(), outcome, persons,
  };
}

/** The reply as .eml bytes: the same bytes go to the outbox or over SMTP. Template attachments are made here. */
export async function composeReplyMail(reply: RenderedReply & { attachments?: ReplyAttachmentRef[] }, from: string): Promise<Buffer> {
  const attachments = await Promise.all((reply.attachments ?? []).map((a) => formFile(a.form, a.format)));
  const mail = new MailComposer({
    from, to: reply.to, subject: reply.subject, text: reply.text, html: reply.html,
    messageId: reply.messageId, headers: reply.headers, date: new Date(), ...(attachments.length ? { attachments } : {}),
  });
  return mail.compile().build();
}
