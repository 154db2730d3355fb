// Reminders end to end for the callers (run's remind worker, `seis-intake remind`, the dashboard): which reminders
// are due now in each campaign, and sending one of them (checked again just before, then delivered once).
import type { AppConfig, CampaignConfig } from '../config/schema.ts';
import { campaignById } from '../config/load.ts';
import { dueStep, parseReminderId, stepTimes, type ReminderItem, type ReminderPlan } from '../pipelines/reminders/index.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import type { UnitsDirectory } from '../pipelines/unit/index.ts';
import type { DeadlineExtension } from '../pipelines/extensions.ts';
import { WorkError } from '../adapters/errors.ts';
import type { RenderedReminder } from '../templates/reminder-mail.ts';
import { loadExtensions } from './extensions.ts';
import { deliverReminder, type DeliveryDeps, type DeliveryOutcome } from './reminder-delivery.ts';
import { planCampaign, renderDueReminder, type ReminderSources } from './reminder-plan.ts';
import { isSettled, readReminderControl, readReminderRecord, type ReminderRecord } from './reminder-state.ts';

export interface RemindDeps extends DeliveryDeps {
  /** The current roster and units file (run re-reads them when staff replace them). */
  roster: () => Promise<Roster | undefined>;
  units: () => Promise<UnitsDirectory | undefined>;
}

export type SendOutcome = DeliveryOutcome | { state: 'not-due'; reason?: string };

async function sources(deps: RemindDeps): Promise<ReminderSources> {
  const [roster, units] = await Promise.all([deps.roster(), deps.units()]);
  return { config: deps.config, store: deps.store, suppression: deps.suppression, ...(roster ? { roster } : {}), ...(units ? { units } : {}) };
}

/**
 * Whether any step can be due now for this campaign, for its own deadline or an extended one: most checks (nights,
 * weekends, the weeks before the first step) end here without reading a single manifest.
 */
export function couldBeDue(config: AppConfig, campaign: CampaignConfig, extensions: DeadlineExtension[], now: Date): boolean {
  if (!campaign.reminders.enabled) return false;
  const deadlines = new Set([campaign.deadline.getTime(), ...extensions.map((e) => e.until.getTime())]);
  return [...deadlines].some((t) => dueStep(stepTimes(new Date(t), campaign.reminders, config.calendar), now, config.calendar));
}

/** The reminders due now in every campaign (or one), each with its plan. Paused campaigns plan nothing. */
export async function dueNow(deps: RemindDeps, opts: { now: Date; campaign?: string; forceStep?: string }): Promise<ReminderPlan[]> {
  const src = await sources(deps);
  const campaigns = opts.campaign ? [campaignById(deps.config, opts.campaign)] : deps.config.campaigns;
  const plans: ReminderPlan[] = [];
  for (const campaign of campaigns) {
    if (!opts.forceStep && !couldBeDue(deps.config, campaign, await loadExtensions(deps.config, deps.store, campaign.id), opts.now)) {
      const control = await readReminderControl(deps.store, campaign.id);
      plans.push({ campaign: campaign.id, at: opts.now, due: [], skipped: [], ...(control.paused ? { off: 'paused' as const } : {}) });
      continue;
    }
    plans.push(await planCampaign(src, campaign.id, { now: opts.now, ...(opts.forceStep ? { forceStep: opts.forceStep } : {}) }));
  }
  return plans;
}

/** Each due reminder as it would be sent: the dry run prints these, and the sends render the same. */
export async function renderPlan(deps: RemindDeps, plan: ReminderPlan, now: Date): Promise<Array<{ item: ReminderItem; mail: RenderedReminder }>> {
  const src = await sources(deps);
  const out: Array<{ item: ReminderItem; mail: RenderedReminder }> = [];
  for (const item of plan.due) out.push({ item, mail: await renderDueReminder(src, item, now) });
  return out;
}

/**
 * Sends one reminder by id if it is still due for its recipient (they may have completed, been excused or the
 * step may have passed since it was queued). `forced`: the step was chosen by an operator (`remind --send --step`).
 */
export async function sendReminder(deps: RemindDeps, id: string, opts: { forced?: boolean; by: ReminderRecord['by'] }): Promise<SendOutcome> {
  const where = parseReminderId(id, deps.config.campaigns.map((c) => c.id));
  if (!where) throw new WorkError(`not a reminder id of a configured campaign: ${id}`, 'payload.invalid', 'permanent');
  const prior = await readReminderRecord(deps.store, where.campaign, where.step, where.key);
  if (isSettled(prior)) return { state: 'already-sent', ...(prior ? { record: prior } : {}) };
  const now = deps.now();
  const src = await sources(deps);
  const plan = await planCampaign(src, where.campaign, { now, recipientKey: where.key, ...(opts.forced ? { forceStep: where.step } : {}) });
  const item = plan.due.find((d) => d.id === id);
  if (!item) return { state: 'not-due', reason: plan.off ?? plan.skipped.find((s) => s.recipientKey === where.key)?.reason };
  const mail = await renderDueReminder(src, item, now);
  const record: ReminderRecord = {
    id,
    campaign: item.campaign,
    step: item.step,
    kind: item.kind,
    recipientKey: item.recipientKey,
    ...(item.person ? { nationalId: item.person.person.nationalId } : {}),
    ...(item.unit ? { unitId: item.unit.id } : {}),
    name: item.name,
    to: mail.to,
    messageId: mail.messageId,
    subject: mail.subject,
    state: 'pending',
    createdAt: prior?.createdAt ?? now.toISOString(),
    by: opts.by,
  };
  // Two senders of one reminder (run and the command, two run processes) meet in deliver-once.ts: the first sends,
  // the other finds it settled.
  return deliverReminder(deps, record, mail);
}
