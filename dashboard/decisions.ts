// Carries out staff decisions against the archive: the manifest change under the person's lock (plans in
// decision-plans.ts), the unmatched record's `resolved`, the in-memory index, the audit log, and mail to the
// sender (revision request, updated acknowledgement): written to the outbox, then, when `serve` has SMTP
// configured, queued for `run`'s staff-mail worker (usecases/staff-mail.ts). It never talks to SMTP itself.
import { readFile } from 'node:fs/promises';
import { judgeChecklist, type FilingDocument, decideReplyStatus } from '../pipelines/person/index.ts';
import { renderReply } from '../templates/reply-mail.ts';
import type { Campaign, EducationPart, ParsedMessage, PersonManifest, UnmatchedRecord } from '../pipelines/types.ts';
import { sniff, validateFile } from '../pipelines/documents/index.ts';
import { validateAndClassify } from '../usecases/ingest-person.ts';
import { acknowledgementMailId, revisionMailId } from '../usecases/staff-mail.ts';
import { domainOf, mailDetail, manifestMessageOf, sendMail, type DecisionContext, type DecisionReport, type MailOut } from './decision-context.ts';
import { planAssignItem, planAssignMessage, planReview, type DecisionOutcome } from './decision-plans.ts';
import { renderRevisionRequest } from './revision-mail.ts';
import { fileFrom, parseStored, readUnmatched, unmatchedFiles } from './stored-message.ts';

/** Person decisions refuse a unit-scope campaign (it would create a person folder in a unit campaign). */
function personCampaign(ctx: DecisionContext, id: string): Campaign | undefined {
  const campaign = ctx.campaign(id);
  return campaign && (campaign as { scope?: string }).scope !== 'unit' ? campaign : undefined;
}

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
  const message = manifestMessageOf(record, campaign.deadline);
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
