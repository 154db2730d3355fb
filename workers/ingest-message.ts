// The whole core pipeline for one message already stored in the archive: parse → route → identify → classify →
// validate → judge → file → reply. Shared by the CLI and the BullMQ ingest worker; it sends nothing itself.
// Routing picks the campaign first: per-person campaigns continue here, unit-scope ones and unclear messages
// go to ingest-unit.ts.
import type { AppConfig } from '../config/schema.ts';
import { campaignById } from '../config/load.ts';
import { parseMessage } from '../pipelines/parse.ts';
import { identifyPersons } from '../pipelines/identify.ts';
import { classifyFile } from '../pipelines/classify.ts';
import { validateFile } from '../pipelines/validate.ts';
import { judgeArrival } from '../pipelines/judge.ts';
import { judgeChecklist } from '../pipelines/checklist.ts';
import { planFiling, type FilingDocument } from '../pipelines/file-plan.ts';
import { replyGuard } from '../pipelines/reply-guard.ts';
import { decideReplyStatus, renderReply, type RenderedReply, type ReplyInput } from '../pipelines/reply.ts';
import type { Roster } from '../pipelines/roster.ts';
import { recipientAddresses, routeMessage } from '../pipelines/route.ts';
import { formStrength, readMessageForms } from '../pipelines/unit-form.ts';
import type { ReplyAttachmentRef } from '../pipelines/unit-reply.ts';
import type { UnitsDirectory } from '../pipelines/units.ts';
import { formFile } from '../templates/forms.ts';
import { ingestUnitMessage, ingestUnrouted, type UnitStepResult } from './ingest-unit.ts';
import type {
  Arrival, ExtractedFile, IdentifiedPerson, ManifestMessage, MessageRecord, ParsedMessage, PersonManifest, ReplyStatus,
} from '../pipelines/types.ts';
import type { ArchiveStore } from './archive-store.ts';
import type { Logger } from './logger.ts';
import { analyseBounce } from '../pipelines/bounce.ts';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

export interface IngestContext {
  config: AppConfig;
  store: ArchiveStore;
  roster?: Roster;
  /** The units file: which unit sent a login-status or admin-appointment report, and who must send one. */
  units?: UnitsDirectory;
  now: () => Date;
  log: Logger;
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
  bouncedRecipients: string[];
  late: boolean;
  /** The campaign the message was routed to; absent for ignored mail and unclear messages. */
  campaign?: string;
  /** Unit-scope campaigns: the unit folder key it was filed for. */
  unit?: string;
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
  const base = { messageKey, emlPath, isBounce: parsed.isBounce, bouncedRecipients: parsed.isBounce ? analyseBounce(raw).recipients : [] };

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

  const identification = identifyPersons(parsed, { roster: ctx.roster });
  const owners = new Map<number, IdentifiedPerson['person']>();
  for (const p of identification.persons) for (const i of p.fileIndexes) owners.set(i, p.person);
  // Sequential on purpose: pdf-lib loads are CPU-bound and a message may carry a 25 MB scan.
  const checked: FilingDocument[] = [];
  for (const [i, file] of parsed.files.entries()) checked.push(await checkFile(file, ctx, campaign.checklist, owners.get(i)));
  const lateRejected = arrival.late && campaign.latePolicy === 'reject';
  const message: ManifestMessage = {
    messageId: parsed.messageId, messageKey, receivedAt: arrival.receivedAt.toISOString(),
    from: parsed.from?.address, subject: parsed.subject, emlPath, late: arrival.late,
  };

  const personResults: Array<{ identified: IdentifiedPerson; manifest: PersonManifest }> = [];
  for (const identified of identification.persons) {
    const documents: FilingDocument[] = identified.fileIndexes.map((i) => {
      const doc = checked[i];
      return lateRejected && doc.validation.ok
        ? { ...doc, validation: { ok: false as const, code: 'late-rejected' as const, detail: 'ส่งหลังกำหนด' } }
        : doc;
    });
    const plan = await ctx.store.updatePerson(campaign.id, identified.person, (current) =>
      planFiling(current, {
        campaignId: campaign.id, person: identified.person, inRoster: identified.inRoster, message, late: arrival.late,
        documents, now, checklist: campaign.checklist,
      }),
    );
    personResults.push({ identified, manifest: plan.manifest });
  }

  const orphanIndexes = identification.persons.length ? identification.orphanFileIndexes : parsed.files.map((_, i) => i);
  if (orphanIndexes.length || identification.persons.length === 0) {
    const reason = unmatchedReason(parsed, identification.persons.length > 0);
    await ctx.store.fileUnmatched(
      campaign.id,
      {
        messageKey, messageId: parsed.messageId, from: parsed.from?.address, subject: parsed.subject,
        receivedAt: arrival.receivedAt.toISOString(), reason, emlPath, files: [],
      },
      orphanIndexes.map((i) => ({ name: parsed.files[i].name, content: parsed.files[i].content })),
    );
  }

  const replyPersons = personResults.map(({ identified, manifest }) => {
    const received = manifest.documents.filter((d) => d.messageKey === messageKey);
    return {
      person: manifest.person,
      inRoster: identified.inRoster,
      judgement: judgeChecklist(manifest.documents, campaign.checklist),
      received: received.map((d) => ({ item: d.item, originalName: d.originalName, pages: d.pages, assumed: d.assumed })),
      problems: manifest.problems.filter((p) => p.messageKey === messageKey),
    };
  });
  const problems = [
    ...replyPersons.flatMap((p) =>
      p.problems.map((x) => ({ originalName: x.originalName, code: x.code, detail: x.detail, person: fullName(p.person) }))),
    ...orphanIndexes.map((i) => ({
      originalName: parsed.files[i].name,
      code: checked[i].validation.ok ? ('unclassified' as const) : checked[i].validation.code,
      detail: checked[i].validation.ok ? 'ไม่สามารถระบุได้ว่าเป็นเอกสารของผู้ใด' : checked[i].validation.detail,
    })),
  ];
  const status = decideReplyStatus({
    persons: replyPersons.map((p) => ({ filedCount: p.received.length, judgement: p.judgement })),
    invalidOrUnclassifiedCount: problems.length,
  });

  const record = newRecord(parsed, messageKey, rawKey, emlPath, campaign.id, arrival, now, status,
    personResults.map((p) => p.manifest.person.nationalId));
  let reply: RenderedReply | undefined;
  if (guard.reply) {
    const input: ReplyInput = {
      original: { messageId: parsed.messageId, references: parsed.references, subject: parsed.subject, from: parsed.from, replyTo: parsed.replyTo },
      replyFrom: ctx.config.reply.from,
      replyMessageId: replyMessageId(messageKey, ctx.config.reply.from),
      campaign,
      status,
      late: arrival.late,
      persons: replyPersons,
      problems,
      messageProblems: parsed.problems,
      unidentified: identification.persons.length === 0,
      notes: identification.notes,
      now,
    };
    reply = renderReply(input);
    record.reply = { messageId: reply.messageId, to: reply.to, status, rendered: reply };
  } else {
    record.reply = { messageId: '', status, suppressed: guard.reason };
  }
  await ctx.store.putMessageRecord(record);
  log.info({ outcome: status, persons: record.persons.length, files: parsed.files.length, late: arrival.late }, 'message filed');
  return {
    ...base, duplicate: false, outcome: status, persons: record.persons, reply,
    replySuppressed: guard.reply ? undefined : guard.reason, late: arrival.late, campaign: campaign.id,
  };
}

async function checkFile(
  file: ExtractedFile, ctx: IngestContext, checklist: AppConfig['campaigns'][number]['checklist'], person?: IdentifiedPerson['person'],
): Promise<FilingDocument> {
  const { validation, pdf } = await validateFile(file, { images: ctx.config.images });
  const classification = classifyFile(file, { checklist, person });
  const content = pdf ?? file.content;
  return {
    originalName: file.name, sha256: file.sha256, size: pdf ? pdf.length : file.size, content,
    ext: pdf ? 'pdf' : extensionOf(file.name), classification, validation,
  };
}

function ownAddresses(config: AppConfig): string[] {
  const from = /<([^>]+)>/.exec(config.reply.from)?.[1] ?? config.reply.from;
  return [from, ...config.reply.ownAddresses, ...(config.imap.user?.includes('@') ? [config.imap.user] : [])];
}

function unmatchedReason(parsed: ParsedMessage, someoneIdentified: boolean): string {
  if (someoneIdentified) return 'orphan-files';
  const codes = parsed.problems.map((p) => p.code);
  for (const code of ['corrupt-mime', 'tnef', 'message-too-large', 'no-attachments'] as const) if (codes.includes(code)) return code;
  return 'unidentified';
}

function fullName(p: { prefix?: string; firstName: string; lastName: string; nationalId: string }): string {
  const name = `${p.prefix ?? ''}${p.firstName} ${p.lastName}`.trim();
  return name || p.nationalId;
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

function extensionOf(name: string): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1];
  return ext ? ext.toLowerCase() : 'bin';
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
