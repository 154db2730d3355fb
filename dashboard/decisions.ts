// Carries out staff decisions against the archive: the manifest change under the person's lock (plans in
// decision-plans.ts), the unmatched record's `resolved`, the in-memory index, the audit log, and mail to the
// sender (revision request, updated acknowledgement): written to the outbox, then, when `serve` has SMTP
// configured, queued for `run`'s staff-mail worker (usecases/staff-mail.ts). It never talks to SMTP itself.
import { readFile } from 'node:fs/promises';
import type { AppConfig } from '../config/schema.ts';
import { unmatchedDirPath } from '../pipelines/archive-paths.ts';
import { sha256 } from '../pipelines/hash.ts';
import { judgeChecklist, type FilingDocument, decideReplyStatus } from '../pipelines/person/index.ts';
import { parseMessage } from '../pipelines/mail/index.ts';
import { renderReply, type RenderedReply } from '../templates/reply-mail.ts';
import type { Campaign, EducationPart, ExtractedFile, ManifestMessage, ParsedMessage, Person, PersonManifest, UnmatchedRecord } from '../pipelines/types.ts';
import { sniff, validateFile } from '../pipelines/documents/index.ts';
import { validateAndClassify } from '../usecases/ingest-person.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { composeReplyMail } from '../usecases/ingest-message.ts';
import type { Logger } from '../adapters/logger.ts';
import { acknowledgementMailId, dispatchStaffMail, revisionMailId, type StaffMailDelivery, type StaffMailKind,
  type StaffMailQueue } from '../usecases/staff-mail.ts';
import type { ArchiveIndex } from './archive-index.ts';
import type { AuditLog } from './audit.ts';
import { planAssignItem, planAssignMessage, planReview, type DecisionOutcome } from './decision-plans.ts';
import { renderRevisionRequest } from './revision-mail.ts';
import { memoryBody } from '../pipelines/body.ts';

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

const domainOf = (from: string) => /@([^>\s]+)/.exec(from)?.[1] ?? 'seis-intake.invalid';

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

/** Person decisions refuse a unit-scope campaign (it would create a person folder in a unit campaign). */
function personCampaign(ctx: DecisionContext, id: string): Campaign | undefined {
  const campaign = ctx.campaign(id);
  return campaign && (campaign as { scope?: string }).scope !== 'unit' ? campaign : undefined;
}

export const mailDetail = (mail: MailOut | undefined) => (mail ? { mail: mail.path, mailId: mail.id, delivery: mail.delivery } : {});

export async function reviewDocument(
  ctx: DecisionContext,
  args: { campaignId: string; nationalId: string; path: string; decision: 'accept' | 'return'; reason?: string; user: string; ip?: string },
): Promise<DecisionReport> {
  const campaign = personCampaign(ctx, args.campaignId);
  const found = campaign && (await ctx.store.readPerson(args.campaignId, args.nationalId));
  if (!campaign || !found) return { outcome: 'not-found' };
  const now = ctx.clock();
  let outcome = 'not-found' as DecisionOutcome;
  const plan = await ctx.store.updatePerson(args.campaignId, found.manifest.person, (current) => {
    const result = planReview(current, { path: args.path, decision: args.decision, reason: args.reason, by: args.user, now });
    outcome = result.outcome;
    return result.plan;
  });
  if (outcome !== 'done') return { outcome };
  await ctx.index.refreshPerson(args.campaignId, args.nationalId);
  const doc = plan.manifest.documents.find((d) => d.path === args.path && d.current)!;
  let mail: MailOut | undefined;
  if (args.decision === 'return') {
    const message = plan.manifest.messages.find((m) => m.messageKey === doc.messageKey);
    const to = message?.from ?? plan.manifest.person.email ?? '';
    const id = revisionMailId(args.nationalId, doc.path, doc.sha256, now);
    mail = await sendMail(ctx, {
      id,
      kind: 'revision-request',
      campaign: args.campaignId,
      nationalId: args.nationalId,
      by: args.user,
      reply: renderRevisionRequest({
        person: plan.manifest.person,
        document: doc,
        itemLabel: campaign.checklist.find((c) => c.id === doc.item)?.label ?? doc.item,
        reason: args.reason ?? '',
        message,
        to,
        campaign,
        replyFrom: ctx.config.reply.from,
        messageId: `<${id}@${domainOf(ctx.config.reply.from)}>`,
        now,
      }),
    });
  }
  await ctx.audit.write({
    user: args.user,
    ip: args.ip,
    action: args.decision === 'accept' ? 'accept-document' : 'return-document',
    campaign: args.campaignId,
    target: args.nationalId,
    detail: { path: doc.path, item: doc.item, sha256: doc.sha256, ...(args.reason ? { reason: args.reason } : {}), ...mailDetail(mail) },
  });
  return { outcome, mail: mail?.path, delivery: mail?.delivery };
}

export async function assignItem(
  ctx: DecisionContext,
  args: { campaignId: string; nationalId: string; path: string; item: string; part?: EducationPart; user: string; ip?: string },
): Promise<DecisionReport> {
  const campaign = personCampaign(ctx, args.campaignId);
  const found = campaign && (await ctx.store.readPerson(args.campaignId, args.nationalId));
  const problem = found?.manifest.problems.find((p) => p.path === args.path && p.code === 'unclassified');
  if (!campaign || !found || !problem) return { outcome: 'not-found' };
  // Pages are not kept for files that did not count: validate the stored bytes again.
  const bytes = await readFile(ctx.store.resolveInside(`${found.dir}/${problem.path}`));
  const { validation } = await validateFile(fileFrom(problem.originalName, bytes), { images: ctx.config.images });
  const pages = validation.ok ? validation.pages : 0;
  const ext = sniff(bytes).kind === 'pdf' ? 'pdf' : (/\.([a-z0-9]{1,8})$/i.exec(problem.originalName)?.[1] ?? 'bin');
  const now = ctx.clock();
  let outcome = 'not-found' as DecisionOutcome;
  await ctx.store.updatePerson(args.campaignId, found.manifest.person, (current) => {
    const result = planAssignItem(current, {
      campaignId: args.campaignId,
      problemPath: args.path,
      item: args.item,
      part: args.part,
      pages,
      ext,
      checklist: campaign.checklist,
      by: args.user,
      now,
    });
    outcome = result.outcome;
    return result.plan;
  });
  if (outcome === 'done') {
    await ctx.index.refreshPerson(args.campaignId, args.nationalId);
    await ctx.audit.write({
      user: args.user,
      ip: args.ip,
      action: 'assign-item',
      campaign: args.campaignId,
      target: args.nationalId,
      detail: { path: args.path, item: args.item, ...(args.part ? { part: args.part } : {}), sha256: problem.sha256 },
    });
  }
  return { outcome };
}

function fileFrom(name: string, content: Buffer): ExtractedFile {
  return {
    name,
    folders: [],
    origin: 'attachment',
    contentType: 'application/octet-stream',
    size: content.length,
    sha256: sha256(content),
    body: memoryBody(content),
  };
}

async function readUnmatched(ctx: DecisionContext, campaignId: string, messageKey: string): Promise<UnmatchedRecord | undefined> {
  try {
    const text = await readFile(ctx.store.resolveInside(`${unmatchedDirPath(campaignId, messageKey)}/record.json`), 'utf8');
    return JSON.parse(text) as UnmatchedRecord;
  } catch {
    return undefined;
  }
}

/** The message's files as the pipeline saw them (re-parsed), else as stored in the unmatched folder. */
async function unmatchedFiles(ctx: DecisionContext, record: UnmatchedRecord, parsed: ParsedMessage | undefined): Promise<ExtractedFile[]> {
  const out: ExtractedFile[] = [];
  for (const f of record.files) {
    const same = parsed?.files.find((p) => p.sha256 === f.sha256);
    out.push(same ?? fileFrom(f.name, await readFile(ctx.store.resolveInside(f.path))));
  }
  return out;
}

export async function parseStored(ctx: DecisionContext, emlPath: string): Promise<ParsedMessage | undefined> {
  if (!emlPath) return undefined;
  try {
    return await parseMessage(await ctx.store.readOriginal(emlPath), { limits: ctx.config.limits });
  } catch (err) {
    ctx.log.warn({ err, emlPath, code: 'dashboard.parse_failed' }, 'Stored message could not be parsed');
    return undefined;
  }
}

export async function assignMessage(
  ctx: DecisionContext,
  args: { campaignId: string; messageKey: string; nationalId: string; notify: boolean; user: string; ip?: string },
): Promise<DecisionReport> {
  const campaign = personCampaign(ctx, args.campaignId);
  const record = campaign && (await readUnmatched(ctx, args.campaignId, args.messageKey));
  if (!campaign || !record) return { outcome: 'not-found' };
  if (record.resolved) return { outcome: 'unchanged' };
  const existing = await ctx.store.readPerson(args.campaignId, args.nationalId);
  const rosterPerson = ctx.rosterPerson(args.campaignId, args.nationalId);
  const person = rosterPerson ?? existing?.manifest.person;
  if (!person) return { outcome: 'not-found' };

  const parsed = await parseStored(ctx, record.emlPath);
  const files = await unmatchedFiles(ctx, record, parsed);
  // The pipeline's own check, one file at a time (pdf-lib loads are CPU-bound).
  const documents: FilingDocument[] = [];
  for (const file of files) documents.push(await validateAndClassify(file, ctx.config, campaign.checklist, person));
  const message: ManifestMessage = {
    messageId: record.messageId,
    messageKey: record.messageKey,
    receivedAt: record.receivedAt,
    from: record.from,
    subject: record.subject,
    emlPath: record.emlPath,
    late: Date.parse(record.receivedAt) > campaign.deadline.getTime(),
  };
  const now = ctx.clock();
  const plan = await ctx.store.updatePerson(args.campaignId, person, (current) =>
    planAssignMessage(current, {
      campaignId: args.campaignId,
      person,
      inRoster: Boolean(rosterPerson) || Boolean(current?.inRoster),
      message,
      documents,
      checklist: campaign.checklist,
      by: args.user,
      now,
    }).plan);
  await ctx.store.updateUnmatched(args.campaignId, args.messageKey,
    (r) => ({ ...r, resolved: { nationalId: args.nationalId, by: args.user, at: now.toISOString() } }));
  await ctx.store.updateMessageRecord(args.messageKey,
    (r) => (r && !r.persons.includes(args.nationalId) ? { ...r, persons: [...r.persons, args.nationalId] } : undefined));
  await ctx.index.refreshPerson(args.campaignId, args.nationalId);
  await ctx.index.refreshUnmatched(args.campaignId);

  const mail = args.notify ? await acknowledge(ctx, campaign, plan.manifest, record, parsed, Boolean(rosterPerson), now, args.user) : undefined;
  await ctx.audit.write({
    user: args.user,
    ip: args.ip,
    action: 'assign-message',
    campaign: args.campaignId,
    target: args.nationalId,
    detail: { messageKey: args.messageKey, files: documents.length, ...mailDetail(mail) },
  });
  return { outcome: 'done', mail: mail?.path, delivery: mail?.delivery };
}

/** The pipeline's own acknowledgement, rendered again for the person staff chose. */
async function acknowledge(
  ctx: DecisionContext,
  campaign: Campaign,
  manifest: PersonManifest,
  record: UnmatchedRecord,
  parsed: ParsedMessage | undefined,
  inRoster: boolean,
  now: Date,
  by: string,
): Promise<MailOut | undefined> {
  const judgement = judgeChecklist(manifest.documents, campaign.checklist);
  const received = manifest.documents.filter((d) => d.messageKey === record.messageKey && d.current)
    .map((d) => ({ item: d.item, originalName: d.originalName, pages: d.pages, assumed: d.assumed }));
  const problems = manifest.problems.filter((p) => p.messageKey === record.messageKey)
    .map((p) => ({ originalName: p.originalName, code: p.code, detail: p.detail }));
  const status = decideReplyStatus({ persons: [{ filedCount: received.length, judgement }], invalidOrUnclassifiedCount: problems.length });
  const key = acknowledgementMailId(record.messageKey, now);
  const from = parsed?.from ?? (record.from ? { name: '', address: record.from } : undefined);
  const reply = renderReply({
    original: { messageId: record.messageId, references: parsed?.references ?? [], subject: record.subject, from, replyTo: parsed?.replyTo },
    replyFrom: ctx.config.reply.from,
    replyMessageId: `<${key}@${domainOf(ctx.config.reply.from)}>`,
    campaign,
    status,
    late: Date.parse(record.receivedAt) > campaign.deadline.getTime(),
    persons: [{ person: manifest.person, inRoster, judgement, received }],
    problems,
    messageProblems: [],
    unidentified: false,
    notes: [],
    now,
  });
  return sendMail(ctx, { id: key, kind: 'acknowledgement', campaign: campaign.id, nationalId: manifest.person.nationalId, by, reply });
}
