// The whole core pipeline for one message already stored in the archive: parse → route → identify → classify →
// validate → judge → file → reply. Shared by the CLI and the BullMQ ingest worker; it sends nothing itself.
// Routing picks the campaign first: per-person campaigns go to ingest-person.ts, unit-scope ones and unclear
// messages to ingest-unit.ts; duplicates, automatic mail and the message record are handled here.
import type { AppConfig } from '../config/schema.ts';
import { campaignById } from '../config/load.ts';
import { parseMessageStream, replyGuard, analyseBounce, type BounceAnalysis, type ReplyDecision } from '../pipelines/mail/index.ts';
import { judgeArrival } from '../pipelines/arrival.ts';
import type { RenderedReply } from '../templates/reply-mail.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import { recipientAddresses, routeMessage } from '../pipelines/route.ts';
import { formStrength, readMessageForms, type UnitsDirectory } from '../pipelines/unit/index.ts';
import type { ReplyAttachmentRef } from '../templates/unit-reply-mail.ts';
import { formFile } from '../templates/forms.ts';
import { ingestUnitMessage, ingestUnrouted } from './ingest-unit.ts';
import { ingestPersonMessage } from './ingest-person.ts';
import type { ContentReader } from './content-step.ts';
import type { MessageRecord, ParsedMessage, ReplyStatus } from '../pipelines/types.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { BodySink, FileBody } from '../pipelines/body.ts';
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
  return ingestStored(emlPath, ctx);
}

/**
 * Runs the pipeline on a stored original, read as a stream: attachment bodies go to a spool directory of this
 * run (filing links them into the folders), removed when the run ends, whatever its outcome.
 */
export async function ingestStored(emlPath: string, ctx: IngestOptions): Promise<IngestOutcome> {
  const original = await ctx.store.openOriginal(emlPath);
  return ctx.store.spool.with((spool) => ingest(original, emlPath, ctx, spool));
}

export function messageKeyOf(dedupeKey: string): string {
  return dedupeKey.slice(0, 32);
}

/** A reply's Message-ID derived from the original, so a retried send is recognisably the same mail. */
export function replyMessageId(messageKey: string, fromAddress: string): string {
  const domain = /@([^>\s]+)/.exec(fromAddress)?.[1] ?? 'seis-intake.invalid';
  return `<reply-${messageKey}@${domain}>`;
}

/** One message read: its parse, keys and bounce analysis; what every outcome and record of it carries. */
interface ReadMessage {
  /** The first bytes of the original: bounce reports and recipient headers are read from there. */
  head: Buffer;
  parsed: ParsedMessage;
  messageKey: string;
  rawKey: string;
  emlPath: string;
  bounce?: BounceAnalysis;
  log: Logger;
}

/** What filing decided, whoever filed it (nobody for automatic mail, a unit step, the person step). */
interface Filed {
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

/** analyseBounce and recipientAddresses read no further than this into the original. */
const HEAD_SCAN_BYTES = 512 * 1024;

async function readMessage(original: FileBody, emlPath: string, ctx: IngestOptions, sink: BodySink): Promise<ReadMessage> {
  const parsed = await parseMessageStream(original, { limits: ctx.config.limits, sink });
  const messageKey = messageKeyOf(parsed.dedupeKey);
  const rawKey = /([0-9a-f]{64})\.eml$/.exec(emlPath)?.[1] ?? emlPath;
  const head = await original.read(0, HEAD_SCAN_BYTES);
  const bounce = parsed.isBounce ? analyseBounce(head) : undefined;
  return { head, parsed, messageKey, rawKey, emlPath, ...(bounce ? { bounce } : {}), log: ctx.log.child({ messageKey }) };
}

function outcomeOf(m: ReadMessage, duplicate: boolean, filed: Filed): IngestOutcome {
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
async function recordDuplicate(m: ReadMessage, existing: MessageRecord, ctx: IngestOptions): Promise<Filed> {
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
function replyRecordOf(status: ReplyStatus, guard: ReplyDecision, reply: RenderedReply | undefined): MessageRecord['reply'] {
  if (!guard.reply) return { messageId: '', status, suppressed: guard.reason };
  return reply ? { messageId: reply.messageId, to: reply.to, status, rendered: reply } : undefined;
}

/** Where the message goes and how it stands: campaign, arrival (late or not), and whether we may answer. */
async function judge(m: ReadMessage, ctx: IngestOptions) {
  const forms = await readMessageForms(m.parsed);
  const route = routeMessage({
    parsed: m.parsed,
    recipients: recipientAddresses(m.head),
    forms,
    campaigns: ctx.config.campaigns,
    defaultCampaign: ctx.config.defaultCampaign,
  });
  const campaign = campaignById(ctx.config, route.kind === 'campaign' ? route.campaignId : undefined);
  m.log.debug({ code: 'ingest.routed', route: route.kind === 'campaign' ? `${route.campaignId} (${route.by})` : 'unclear', evidence: route.evidence },
    'message routed');
  const now = ctx.now();
  const arrival = judgeArrival(
    { internalDate: ctx.internalDate, receivedHeaderAt: m.parsed.receivedHeaderAt, date: m.parsed.date, fileMtime: ctx.fileMtime, now },
    campaign,
  );
  const guard = replyGuard(m.parsed, { ownAddresses: ownAddresses(ctx.config), requireAuth: ctx.config.reply.requireAuth });
  const bodyData = campaign.scope === 'unit' && campaign.form !== undefined && formStrength(campaign.form, forms) > 0;
  // Bounces, and automatic mail that carries nothing to file, are kept and left unanswered.
  const automatic = m.parsed.isBounce || (!guard.reply && m.parsed.files.length === 0 && !bodyData);
  return { forms, route, campaign, now, arrival, guard, automatic };
}
type Judged = Awaited<ReturnType<typeof judge>>;

/** Files the message by its kind: automatic mail (nothing filed), a unit report or unclear mail, or persons' documents. */
async function file(m: ReadMessage, j: Judged, ctx: IngestOptions): Promise<Filed> {
  const { campaign, arrival, guard, route } = j;
  const late = arrival.late;
  const replySuppressed = guard.reply ? undefined : guard.reason;
  if (j.automatic) {
    const suppressed = guard.reply ? 'bounce' : guard.reason;
    m.log.info({ code: 'ingest.ignored', reason: suppressed }, 'message ignored (automatic mail)');
    return { outcome: 'ignored', persons: [], late, replySuppressed: suppressed, replyRecord: { messageId: '', status: 'rejected', suppressed } };
  }
  const step = {
    config: ctx.config,
    store: ctx.store,
    parsed: m.parsed,
    arrival,
    messageKey: m.messageKey,
    emlPath: m.emlPath,
    now: j.now,
    log: m.log,
    replyAllowed: guard.reply,
    replyMessageId: replyMessageId(m.messageKey, ctx.config.reply.from),
  };
  if (route.kind === 'unclear' || campaign.scope === 'unit') {
    const unitStep = { ...step, units: ctx.units, forms: j.forms };
    const result = route.kind === 'unclear' ? await ingestUnrouted(unitStep, route.candidates) : await ingestUnitMessage(unitStep, campaign);
    return {
      outcome: result.status,
      persons: [],
      late: result.late ?? late,
      reply: result.reply,
      replySuppressed,
      replyRecord: replyRecordOf(result.status, guard, result.reply),
      unit: result.unit,
      ...(route.kind === 'campaign' ? { campaign: campaign.id } : {}),
    };
  }
  const result = await ingestPersonMessage({ ...step, roster: ctx.roster, units: ctx.units, content: ctx.content, contentDone: ctx.contentDone }, campaign);
  if ('deferred' in result) {
    m.log.info({ code: 'content.deferred', files: result.deferred.length }, 'message waits for its scans to be read');
    return { outcome: 'incomplete', persons: [], late, campaign: campaign.id, deferred: result.deferred };
  }
  // Late against the deadline that applies to the persons in it (an extension moves it).
  m.log.info({ code: 'ingest.filed', outcome: result.status, persons: result.persons.length, files: m.parsed.files.length, late: result.late },
    'message filed');
  return {
    outcome: result.status,
    persons: result.persons,
    late: result.late,
    reply: result.reply,
    replySuppressed,
    campaign: campaign.id,
    replyRecord: replyRecordOf(result.status, guard, result.reply),
    unread: result.unread,
  };
}

async function ingest(original: FileBody, emlPath: string, ctx: IngestOptions, sink: BodySink): Promise<IngestOutcome> {
  const m = await readMessage(original, emlPath, ctx, sink);
  const existing = await ctx.store.getMessageRecord(m.messageKey);
  if (existing) return outcomeOf(m, true, await recordDuplicate(m, existing, ctx));
  const judged = await judge(m, ctx);
  const filed = await file(m, judged, ctx);
  // A message waiting for its scans to be read is filed, and recorded, when it runs again.
  if (!filed.deferred) await ctx.store.putMessageRecord(newRecord(m, judged, filed));
  return outcomeOf(m, false, filed);
}

/** Addresses that are ours: never answered, never reminded. */
export function ownAddresses(config: AppConfig): string[] {
  const from = /<([^>]+)>/.exec(config.reply.from)?.[1] ?? config.reply.from;
  return [from, ...config.reply.ownAddresses, ...(config.imap.user?.includes('@') ? [config.imap.user] : [])];
}

function newRecord(m: ReadMessage, j: Judged, filed: Filed): MessageRecord {
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

/** The reply as .eml bytes: the same bytes go to the outbox or over SMTP. Template attachments are made here. */
export async function composeReplyMail(reply: RenderedReply & { attachments?: ReplyAttachmentRef[] }, from: string): Promise<Buffer> {
  const attachments = await Promise.all((reply.attachments ?? []).map((a) => formFile(a.form, a.format)));
  const mail = new MailComposer({
    from,
    to: reply.to,
    subject: reply.subject,
    text: reply.text,
    html: reply.html,
    messageId: reply.messageId,
    headers: reply.headers,
    date: new Date(),
    ...(attachments.length ? { attachments } : {}),
  });
  return mail.compile().build();
}
