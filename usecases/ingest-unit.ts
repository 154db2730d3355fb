// The unit-scope counterpart of the per-person filing in ingest-message.ts: reads a unit's report (login-status,
// admin-appointment), finds the unit, files it into <archive>/<folder>/<unit>/, and drafts the Thai reply; and the
// guidance reply for a message whose campaign is unclear. It sends nothing and is called only from ingest-message.ts.
import type { AppConfig, CampaignConfig } from '../config/schema.ts';
import { extractUnitForm, type MessageForms, judgeUnit, planUnitFiling, type UnitFilingPlan, unitFilingFiles, decideUnitStatus, isExpected, matchUnit,
  type UnitsDirectory, type FormProblem, type UnitRef } from '../pipelines/unit/index.ts';
import { plusAddress, renderGuidance, renderUnitReply, type UnitRenderedReply } from '../templates/unit-reply-mail.ts';
import type { Arrival, ParsedMessage, ReplyStatus } from '../pipelines/types.ts';
import { manifestMessage } from '../pipelines/arrival.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import { loadExtensions, unitDeadline } from './extensions.ts';

export interface UnitStepInput {
  config: AppConfig;
  store: ArchiveStore;
  units?: UnitsDirectory;
  parsed: ParsedMessage;
  forms: MessageForms;
  arrival: Arrival;
  messageKey: string;
  emlPath: string;
  now: Date;
  log: Logger;
  /** Whether the reply guard lets us answer. */
  replyAllowed: boolean;
  replyMessageId: string;
}

/**
 * What filing did: the reply status, the unit folder it filed into, the reply (when the guard lets us answer), and
 * whether it came after the deadline that applies to the unit (an extension moves it; unclear messages: never).
 */
export interface UnitStepResult {
  status: ReplyStatus;
  unit?: string;
  reply?: UnitRenderedReply;
  late?: boolean;
}

function envelope(input: UnitStepInput) {
  const p = input.parsed;
  return {
    original: { messageId: p.messageId, references: p.references, subject: p.subject, from: p.from, replyTo: p.replyTo },
    replyFrom: input.config.reply.from,
    replyMessageId: input.replyMessageId,
    now: input.now,
  };
}

/** The unit from the units file, else the unit written in the form, else the sender's address. */
function resolveUnit(input: UnitStepInput, form: { unit?: string; unitId?: string }): { ref?: UnitRef; notes: string[] } {
  const p = input.parsed;
  if (input.units) {
    const match = matchUnit(input.units, { from: p.from?.address, formUnit: form.unit, formUnitId: form.unitId, subject: p.subject, text: p.text });
    if (!match) return { notes: [] };
    const { id, name, kind } = match.unit;
    return { ref: { id, name, kind, inUnitsFile: true }, notes: match.notes };
  }
  const name = form.unit?.trim() || p.from?.address;
  return { ref: name ? { name, inUnitsFile: false } : undefined, notes: [] };
}

export async function ingestUnitMessage(input: UnitStepInput, campaign: CampaignConfig): Promise<UnitStepResult> {
  const form = campaign.form!;
  const folder = campaign.folder ?? campaign.id;
  const { parsed, arrival, messageKey } = input;
  const extraction = await extractUnitForm(form, input.forms, parsed, { images: input.config.images });
  const { ref, notes } = resolveUnit(input, extraction.data);
  // The unit's own deadline: the campaign's, or an extension for this unit.
  const deadline = ref ? unitDeadline(campaign, await loadExtensions(input.config, input.store, campaign.id), ref) : campaign.deadline;
  const late = arrival.receivedAt.getTime() > deadline.getTime();
  if (late && campaign.latePolicy === 'reject' && extraction.provides.length) {
    extraction.provides = [];
    extraction.problems.push({ code: 'no-data', message: 'ได้รับหลังกำหนดส่ง จึงไม่สามารถรับข้อมูลเข้าระบบได้ หากมีเหตุจำเป็น กรุณาติดต่อเจ้าหน้าที่ผู้รับผิดชอบ' });
  }
  const message = manifestMessage(parsed, arrival, { messageKey, emlPath: input.emlPath, late });
  const files = unitFilingFiles(parsed, extraction);

  let plan: UnitFilingPlan | undefined;
  const problems: FormProblem[] = [...extraction.problems];
  const unitKey = ref ? (ref.id ?? ref.name) : undefined;
  if (ref && unitKey) {
    plan = await input.store.updateUnit(folder, unitKey, (current) =>
      planUnitFiling(current, {
        campaignId: campaign.id,
        unit: ref,
        message,
        formName: form,
        extraction,
        files,
        now: input.now,
      }));
  } else {
    problems.push({ code: 'unit-unknown', message: 'ไม่ทราบว่าเป็นข้อมูลของหน่วยงานใด (ไม่พบชื่อหน่วยงานในข้อมูล และไม่พบอีเมลผู้ส่งในบัญชีหน่วยงาน)' });
    await input.store.fileUnmatched(folder, {
      messageKey,
      messageId: parsed.messageId,
      from: parsed.from?.address,
      subject: parsed.subject,
      receivedAt: message.receivedAt,
      reason: 'unit-unknown',
      emlPath: input.emlPath,
      files: [],
    }, parsed.files.map((f) => ({ name: f.name, body: f.body })));
  }

  const judgement = judgeUnit(plan?.manifest, campaign.checklist, deadline);
  const provides = plan ? plan.submission.provides : [];
  const status = decideUnitStatus({ unitKnown: Boolean(plan), provides, problems, unitComplete: judgement.status === 'complete' });
  const unitFolder = plan ? plan.unitDir?.split('/').pop() : undefined;
  const unit = input.units && ref?.id ? input.units.byId.get(ref.id) : undefined;
  const earlier = plan?.manifest.submissions.filter((s) => s.messageKey !== messageKey) ?? [];
  const dataProblems = problems.filter((p) => p.code !== 'order-not-pdf');
  const keptFrom = dataProblems.length ? earlier.filter((s) => s.current.some((i) => i !== 'appointment-order')).at(-1) : undefined;
  let reply: UnitRenderedReply | undefined;
  if (input.replyAllowed) {
    reply = renderUnitReply(envelope(input), {
      campaign: { title: campaign.title, deadline, checklist: campaign.checklist, latePolicy: campaign.latePolicy, form },
      status,
      late,
      unit: plan ? plan.manifest.unit : undefined,
      ...(unit ? { expected: isExpected(unit, campaign) } : {}),
      extraction: { ...extraction, problems },
      judgement,
      replacedEarlier: provides.some((i) => earlier.some((s) => s.provides.includes(i))),
      ...(keptFrom ? { earlierKeptAt: keptFrom.receivedAt } : {}),
      notes,
      templateAttached: dataProblems.length > 0 || extraction.source.kind === 'none'
        || (Boolean(plan) && judgement.missing.some((i) => i !== 'appointment-order')),
    }, (plan?.submission.files ?? []).map((f) => ({ name: f.originalName, role: f.role, pages: f.pages })));
  }
  input.log.info({ code: 'ingest.unit_filed', campaign: campaign.id, unit: unitFolder, outcome: status, problems: problems.length, files: parsed.files.length },
    'unit report filed');
  return { status, ...(unitFolder ? { unit: unitFolder } : {}), reply, late };
}

/** A message no campaign clearly claims: kept with the default campaign's unmatched mail and answered with guidance. */
export async function ingestUnrouted(input: UnitStepInput, candidates: string[]): Promise<UnitStepResult> {
  const { parsed, config } = input;
  const fallback = config.campaigns.find((c) => c.id === config.defaultCampaign) ?? config.campaigns[0];
  await input.store.fileUnmatched(fallback.id, {
    messageKey: input.messageKey,
    messageId: parsed.messageId,
    from: parsed.from?.address,
    subject: parsed.subject,
    receivedAt: input.arrival.receivedAt.toISOString(),
    reason: `unrouted: ${candidates.join(', ') || 'no campaign'}`,
    emlPath: input.emlPath,
    files: [],
  }, parsed.files.map((f) => ({ name: f.name, body: f.body })));
  let reply: UnitRenderedReply | undefined;
  if (input.replyAllowed) {
    reply = renderGuidance(envelope(input), {
      candidates: config.campaigns.filter((c) => candidates.includes(c.id)).map((c) => ({ title: c.title })),
      campaigns: config.campaigns.map((c) => ({
        title: c.title,
        deadline: c.deadline,
        keywords: c.routing.subjectKeywords,
        ...(plusAddress(config.reply.from, c.routing.plusTags[0]) ? { address: plusAddress(config.reply.from, c.routing.plusTags[0]) } : {}),
      })),
    });
  }
  input.log.info({ code: 'ingest.unrouted', candidates, outcome: 'rejected' }, 'message campaign unclear: guidance sent');
  return { status: 'rejected', reply };
}
