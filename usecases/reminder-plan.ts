// Gathers what the reminder decision needs from the archive (manifests, records, staff settings, extensions,
// bounced addresses), asks pipelines/reminders who is due, and renders each due reminder exactly as it would be
// sent: the dry run, the dashboard preview, the scheduled check and the send itself all come through here.
import type { AppConfig, CampaignConfig } from '../config/schema.ts';
import { campaignById } from '../config/load.ts';
import { personStateOf, planReminders, recipientKey, unitStateOf, type PersonState, type PlanCampaign, type PlanInput, type ReminderItem, type ReminderPlan,
  type ThreadRef } from '../pipelines/reminders/index.ts';
import { buildUnitReport, unitForName, type UnitsDirectory } from '../pipelines/unit/index.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import type { Person } from '../pipelines/types.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { SuppressionList } from '../adapters/suppression.ts';
import { renderReminder, type RenderedReminder } from '../templates/reminder-mail.ts';
import { loadExtensions } from './extensions.ts';
import { ownAddresses } from './ingest-message.ts';
import { readReminderControl, settledKeys } from './reminder-state.ts';

export interface ReminderSources {
  config: AppConfig;
  store: ArchiveStore;
  roster?: Roster;
  units?: UnitsDirectory;
  suppression: SuppressionList;
}

export interface PlanOptions {
  now: Date;
  /** Send this step now (`remind --step`), whatever its scheduled time. */
  forceStep?: string;
  /** Only this recipient (the send of one reminder re-checks just them). */
  recipientKey?: string;
  /** Person states already at hand (the dashboard's index), instead of reading every manifest. */
  persons?: PersonState[];
}

export function planCampaignOf(campaign: CampaignConfig): PlanCampaign {
  const { id, title, deadline, scope, latePolicy, checklist, reminders } = campaign;
  return { id, title, deadline, scope, latePolicy, checklist, reminders };
}

/** Roster persons of the plan: one person, one unit's people, or everyone. */
function personsFor(src: ReminderSources, key: string | undefined): Person[] {
  const roster = src.roster?.persons ?? [];
  if (!key) return roster;
  if (key.startsWith('p')) return roster.filter((p) => recipientKey('person', p.nationalId) === key).slice(0, 1);
  const unit = src.units?.units.find((u) => recipientKey('unit', u.id) === key);
  return unit && src.units ? roster.filter((p) => unitForName(src.units!, p.unit) === unit) : [];
}

async function personStates(src: ReminderSources, campaign: CampaignConfig, opts: PlanOptions): Promise<PersonState[]> {
  const persons = personsFor(src, opts.recipientKey);
  const seen = new Set<string>();
  const unique = persons.filter((p) => !seen.has(p.nationalId) && seen.add(p.nationalId));
  if (opts.recipientKey) {
    return Promise.all(unique.map(async (p) => personStateOf(campaign, p, await src.store.readPerson(campaign.id, p.nationalId), opts.now)));
  }
  const folders = new Map((await src.store.listPersons(campaign.id)).map((e) => [e.manifest.person.nationalId, e]));
  return unique.map((p) => personStateOf(campaign, p, folders.get(p.nationalId), opts.now));
}

async function unitStates(src: ReminderSources, campaign: CampaignConfig, opts: PlanOptions) {
  if (!src.units) return [];
  const units = opts.recipientKey ? src.units.units.filter((u) => recipientKey('unit', u.id) === opts.recipientKey) : src.units.units;
  const folder = campaign.folder ?? campaign.id;
  const entries = opts.recipientKey
    ? (await Promise.all(units.map((u) => src.store.readUnit(folder, u.id)))).filter((e): e is NonNullable<typeof e> => Boolean(e))
    : await src.store.listUnits(folder);
  const report = buildUnitReport({ campaign, units: { ...src.units, units }, entries, unmatched: [], now: opts.now });
  return units.map((u) => unitStateOf(u, report.units.find((r) => r.inUnitsFile && r.unitId === u.id)));
}

export async function loadPlanInput(src: ReminderSources, campaignId: string, opts: PlanOptions): Promise<PlanInput> {
  const campaign = campaignById(src.config, campaignId);
  const [extensions, control, settled, suppressed] = await Promise.all([
    loadExtensions(src.config, src.store, campaign.id),
    readReminderControl(src.store, campaign.id),
    settledKeys(src.store, campaign.id),
    src.suppression.addresses(),
  ]);
  return {
    campaign: planCampaignOf(campaign),
    calendar: src.config.calendar,
    now: opts.now,
    ...(campaign.scope === 'person'
      ? { persons: opts.persons ?? await personStates(src, campaign, opts) }
      : { unitStates: await unitStates(src, campaign, opts) }),
    ...(src.units ? { units: src.units.units } : {}),
    extensions,
    control,
    settled,
    suppressed,
    ownAddresses: ownAddresses(src.config),
    ...(opts.forceStep ? { forceStep: opts.forceStep } : {}),
  };
}

export async function planCampaign(src: ReminderSources, campaignId: string, opts: PlanOptions): Promise<ReminderPlan> {
  return planReminders(await loadPlanInput(src, campaignId, opts));
}

/** Our latest sent reply to this person's or unit's mail: the reminder joins that thread. */
async function threadOf(src: ReminderSources, campaign: CampaignConfig, item: ReminderItem): Promise<ThreadRef | undefined> {
  let keys: string[] = [];
  if (item.person) keys = ((await src.store.readPerson(campaign.id, item.person.person.nationalId))?.manifest.messages ?? []).map((m) => m.messageKey);
  else if (item.unitState)
    keys = ((await src.store.readUnit(campaign.folder ?? campaign.id, item.unitState.unit.id))?.manifest.submissions ?? []).map((s) => s.messageKey);
  for (const key of keys.reverse().slice(0, 10)) {
    const record = await src.store.getMessageRecord(key);
    if ((record?.reply?.sentAt || record?.reply?.outboxPath) && record.reply.messageId)
      return { replyMessageId: record.reply.messageId, originalMessageId: record.messageId };
  }
  return undefined;
}

/** The mail of one due reminder, as it will be sent (threaded to the recipient's last reply). */
export async function renderDueReminder(src: ReminderSources, item: ReminderItem, now: Date): Promise<RenderedReminder> {
  const campaign = campaignById(src.config, item.campaign);
  const thread = await threadOf(src, campaign, item);
  const threaded: ReminderItem = item.person ?
    { ...item, person: { ...item.person, ...(thread ? { lastReply: thread } : {}) } }
    : item.unitState
    ? { ...item, unitState: { ...item.unitState, ...(thread ? { lastReply: thread } : {}) } }
    : item;
  return renderReminder(threaded, { ...campaign, ...(campaign.form ? { form: campaign.form } : {}) }, { replyFrom: src.config.reply.from, now });
}
