// Staff decisions on unit-scope campaigns (login-status, admin-appointment): accept or return one report of a
// unit (a return asks the unit, in Thai, to send it again, and the report stops counting), and file a report no
// unit could be found for into the unit staff choose. Person decisions (decisions.ts) refuse these campaigns;
// these refuse person campaigns. Each writes the manifest under the unit's lock, the audit, and the index.
import { createHash } from 'node:crypto';
import type { CampaignConfig } from '../config/schema.ts';
import { unmatchedDirPath } from '../pipelines/archive-paths.ts';
import { parseMessage } from '../pipelines/mail/index.ts';
import type { UnmatchedRecord } from '../pipelines/types.ts';
import { extractUnitForm, planUnitFiling, readMessageForms, unitFilingFiles, type UnitFilingPlan, type UnitManifest, type UnitRef,
  type UnitsDirectory } from '../pipelines/unit/index.ts';
import { readJson } from '../adapters/atomic-fs.ts';
import { revisionMailId } from '../usecases/staff-mail.ts';
import { domainOf, mailDetail, manifestMessageOf, sendMail, type DecisionContext, type DecisionReport, type MailOut } from './decision-context.ts';
import { renderUnitRevisionRequest } from './unit-revision-mail.ts';

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10);

/** A unit-scope campaign of the config, or nothing. */
export function unitCampaign(ctx: DecisionContext, id: string): CampaignConfig | undefined {
  const c = ctx.config.campaigns.find((x) => x.id === id);
  return c?.scope === 'unit' && c.form ? c : undefined;
}

const unchanged = (manifest: UnitManifest, submission: UnitFilingPlan['submission']): UnitFilingPlan => ({
  manifest,
  writes: [],
  moves: [],
  changed: false,
  submission,
});

export async function reviewUnitReport(
  ctx: DecisionContext,
  args: { campaignId: string; unitKey: string; messageKey: string; decision: 'accept' | 'return'; reason?: string; user: string; ip?: string;
    unitEmails?: string[] },
): Promise<DecisionReport> {
  const campaign = unitCampaign(ctx, args.campaignId);
  const folder = campaign ? campaign.folder ?? campaign.id : '';
  const found = campaign && (await ctx.store.readUnit(folder, args.unitKey));
  if (!campaign || !found || !found.manifest.submissions.some((s) => s.messageKey === args.messageKey)) return { outcome: 'not-found' };
  const now = ctx.clock();
  const state = args.decision === 'accept' ? 'accepted' : 'returned';
  let outcome = 'not-found' as DecisionReport['outcome'];
  const plan = await ctx.store.updateUnit(folder, args.unitKey, (current) => {
    const target = current?.submissions.find((s) => s.messageKey === args.messageKey);
    if (!current || !target) return unchanged(current ?? found.manifest, found.manifest.submissions[0]);
    if (target.review?.state === state && (state === 'accepted' || target.review.reason === args.reason)) {
      outcome = 'unchanged';
      return unchanged(current, target);
    }
    const manifest = structuredClone(current);
    const submission = manifest.submissions.find((s) => s.messageKey === args.messageKey)!;
    const at = now.toISOString();
    submission.review = { state, by: args.user, at, ...(state === 'returned' && args.reason ? { reason: args.reason } : {}) };
    manifest.decisions = [...(manifest.decisions ?? []), {
      at,
      by: args.user,
      action: state === 'accepted' ? 'accept-report' : 'return-report',
      detail: { messageKey: args.messageKey, ...(args.reason && state === 'returned' ? { reason: args.reason } : {}) },
    }];
    manifest.updatedAt = at;
    outcome = 'done';
    return { manifest, writes: [], moves: [], changed: true, submission };
  });
  if (outcome !== 'done') return { outcome };
  await ctx.index.unitCampaign(campaign.id)?.refreshUnit(args.unitKey, plan.manifest);
  let mail: MailOut | undefined;
  if (state === 'returned') {
    const to = plan.submission.from ?? args.unitEmails?.[0] ?? '';
    const id = revisionMailId(`u${shortHash(args.unitKey)}`, args.messageKey, '', now);
    mail = await sendMail(ctx, {
      id,
      kind: 'revision-request',
      campaign: campaign.id,
      nationalId: '',
      unit: args.unitKey,
      by: args.user,
      reply: renderUnitRevisionRequest({
        unit: plan.manifest.unit,
        submission: plan.submission,
        form: campaign.form!,
        reason: args.reason ?? '',
        to,
        campaign,
        messageId: `<${id}@${domainOf(ctx.config.reply.from)}>`,
        now,
      }),
    });
  }
  await ctx.audit.write({
    user: args.user,
    ip: args.ip,
    action: state === 'accepted' ? 'accept-report' : 'return-report',
    campaign: campaign.id,
    target: args.unitKey,
    detail: { messageKey: args.messageKey, ...(args.reason && state === 'returned' ? { reason: args.reason } : {}), ...mailDetail(mail) },
  });
  return { outcome, mail: mail?.path, delivery: mail?.delivery };
}

/** The unit a report is assigned to: the units file's, else (no units file) the name staff typed. */
export function unitRefFor(directory: UnitsDirectory | undefined, chosen: string): UnitRef | undefined {
  const name = chosen.trim();
  if (!name) return undefined;
  if (directory) {
    const unit = directory.byId.get(name);
    return unit ? { id: unit.id, name: unit.name, kind: unit.kind, inUnitsFile: true } : undefined;
  }
  return { name, inUnitsFile: false };
}

/** Files an unmatched report of a unit-scope campaign into the chosen unit, as the pipeline would have. */
export async function assignUnitReport(
  ctx: DecisionContext & { units?: UnitsDirectory },
  args: { campaignId: string; messageKey: string; unit: string; user: string; ip?: string },
): Promise<DecisionReport & { unitKey?: string }> {
  const campaign = unitCampaign(ctx, args.campaignId);
  const ref = unitRefFor(ctx.units, args.unit);
  if (!campaign || !ref) return { outcome: 'not-found' };
  const folder = campaign.folder ?? campaign.id;
  const record = await readJson<UnmatchedRecord>(ctx.store.resolveInside(`${unmatchedDirPath(folder, args.messageKey)}/record.json`)).catch(() => undefined);
  if (!record?.emlPath) return { outcome: 'not-found' };
  if (record.resolved) return { outcome: 'unchanged' };
  const parsed = await parseMessage(await ctx.store.readOriginal(record.emlPath), { limits: ctx.config.limits });
  const extraction = await extractUnitForm(campaign.form!, await readMessageForms(parsed), parsed, { images: ctx.config.images });
  const files = unitFilingFiles(parsed, extraction);
  const message = manifestMessageOf(record, campaign.deadline);
  const now = ctx.clock();
  const unitKey = ref.id ?? ref.name;
  const plan = await ctx.store.updateUnit(folder, unitKey, (current) =>
    planUnitFiling(current, {
      campaignId: campaign.id,
      unit: ref,
      message,
      formName: campaign.form!,
      extraction,
      files,
      now,
    }));
  const key = plan.unitDir?.split('/').pop() ?? unitKey;
  await ctx.store.updateUnmatched(folder, args.messageKey, (r) => ({ ...r, resolved: { nationalId: '', unit: key, by: args.user, at: now.toISOString() } }));
  await ctx.store.updateMessageRecord(args.messageKey, (r) => (r && r.unit !== key ? { ...r, unit: key } : undefined));
  await ctx.index.check(true);
  await ctx.audit.write({
    user: args.user,
    ip: args.ip,
    action: 'assign-unit',
    campaign: campaign.id,
    target: key,
    detail: { messageKey: args.messageKey, provides: plan.submission.provides, problems: plan.submission.problems.length },
  });
  return { outcome: 'done', unitKey: key };
}
