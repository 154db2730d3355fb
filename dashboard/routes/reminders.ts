// The reminders page of a campaign and its staff actions: the schedule, the next send and who it would reach, pause
// and resume, the history of what was sent to whom, excusing a person (or unit) from reminders, and extending a
// deadline for one person or unit. Every action is audited and answers with a redirect (post/redirect/get).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CampaignConfig } from '../../config/schema.ts';
import { parseDeadline } from '../../config/deadline.ts';
import { activeExtensions } from '../../pipelines/extensions.ts';
import { dueStep, nextStep, planReminders, stepTimes, unitControlKey, type PersonState, type ReminderPlan } from '../../pipelines/reminders/index.ts';
import { buildRoster } from '../../pipelines/identity/index.ts';
import type { Person } from '../../pipelines/types.ts';
import { SuppressionList } from '../../adapters/suppression.ts';
import { allExtensions, recordExtension } from '../../usecases/extensions.ts';
import { loadPlanInput } from '../../usecases/reminder-plan.ts';
import { readReminderControl, reminderHistory, setExcused, setPaused, settledPerStep } from '../../usecases/reminder-state.ts';
import { url, withQuery } from '../html.ts';
import type { DashboardState } from '../state.ts';
import { HISTORY_LIMIT, remindersView, REMINDER_FLASH, type RemindersModel } from '../views/reminders.ts';
import { clientIp, NATIONAL_ID, notFound, pageContext, sendPage } from './common.ts';
import { formSchema } from './forms.ts';

type Params = { cid: string };
type Body = Record<string, string | undefined>;

/** What the index knows of each roster person: enough to tell who a reminder would reach (not its words). */
function indexPersons(state: DashboardState, campaignId: string): PersonState[] | undefined {
  const index = state.index.campaign(campaignId);
  if (!index) return undefined;
  const out: PersonState[] = [];
  for (const e of index.persons.values()) {
    const person = state.rosterById.get(e.nationalId);
    if (!e.inRoster || !person) continue;
    out.push({ person, status: e.status, fullyAccepted: e.fullyAccepted, missing: e.missing, invalid: e.invalid });
  }
  return out;
}

async function preview(state: DashboardState, campaign: CampaignConfig, at: Date): Promise<ReminderPlan> {
  const roster = buildRoster([...state.rosterById.values()]);
  const input = await loadPlanInput({
    config: state.config,
    store: state.store,
    roster,
    suppression: new SuppressionList(state.store.root),
    ...(state.units ? { units: state.units } : {}),
  }, campaign.id, { now: at, ...(campaign.scope === 'person' ? { persons: indexPersons(state, campaign.id) ?? [] } : {}) });
  // Who it would reach if it were running: a paused campaign still shows its next round.
  const { paused: _paused, ...control } = input.control;
  return planReminders({ ...input, control });
}

async function model(state: DashboardState, campaign: CampaignConfig, request: FastifyRequest): Promise<RemindersModel> {
  const now = state.clock();
  const times = stepTimes(campaign.deadline, campaign.reminders, state.config.calendar);
  const due = dueStep(times, now, state.config.calendar);
  const next = nextStep(times, now);
  const at = due ? now : next?.at;
  const [control, history, perStep, extensions] = await Promise.all([
    readReminderControl(state.store, campaign.id),
    reminderHistory(state.store, campaign.id, HISTORY_LIMIT),
    settledPerStep(state.store, campaign.id),
    allExtensions(state.config, state.store, campaign.id),
  ]);
  return {
    campaign,
    now,
    times,
    due,
    next,
    control,
    history,
    perStep,
    extensions,
    active: activeExtensions(extensions),
    preview: at && campaign.reminders.enabled ? { at, plan: await preview(state, campaign, at) } : undefined,
    nameOf: (nid) => {
      const p = state.rosterById.get(nid);
      return p ? `${p.prefix ?? ''}${p.firstName} ${p.lastName}`.trim() : nid;
    },
    unitName: (id) => state.units?.byId.get(id)?.name ?? id,
    csrf: request.session?.csrf ?? '',
    flash: REMINDER_FLASH[String((request.query as { done?: string }).done ?? '')],
  };
}

const back = (reply: FastifyReply, campaignId: string, done: string) =>
  reply.code(303).header('location', withQuery(url('c', campaignId, 'reminders'), { done })).send();

/** "2566-09-29" or "29/09/2566": the end of that Bangkok day, as deadlines in the config are read. */
function untilOf(text: string | undefined): Date | undefined {
  const date = text ? parseDeadline(text.trim()) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

export function registerReminderRoutes(app: FastifyInstance, state: DashboardState): void {
  const campaignOf = (id: string) => state.config.campaigns.find((c) => c.id === id);
  const audit = (request: FastifyRequest, action: Parameters<DashboardState['audit']['write']>[0]['action'], campaign: string, target: string,
    detail: Record<string, unknown> = {}) => state.audit.write({ user: request.session!.user, ip: clientIp(request), action, campaign, target, detail });

  app.get<{ Params: Params }>('/c/:cid/reminders', async (request, reply) => {
    const campaign = campaignOf(request.params.cid);
    if (!campaign) return notFound(state, request, reply);
    return sendPage(reply, `การแจ้งเตือน · ${campaign.title}`, pageContext(state, request, campaign.id), remindersView(await model(state, campaign, request)));
  });

  // Access: the path (/c/:cid/reminders…) is for admins and central staff (guards.ts); bodies are forms only.
  app.post<{ Params: Params; Body: Body }>('/c/:cid/reminders/pause', { schema: { body: formSchema({ action: 20 }) } }, async (request, reply) => {
    const campaign = campaignOf(request.params.cid);
    if (!campaign) return notFound(state, request, reply);
    const resume = request.body.action === 'resume';
    await setPaused(state.store, campaign.id, resume ? undefined : { by: request.session!.user, at: state.clock().toISOString() });
    await audit(request, resume ? 'resume-reminders' : 'pause-reminders', campaign.id, campaign.id);
    return back(reply, campaign.id, resume ? 'resumed' : 'paused');
  });

  app.post<{ Params: Params; Body: Body }>('/c/:cid/reminders/excuse', {
    schema: { body: formSchema({ action: 20, nationalId: 40, unitId: 300, reason: 1000 }) },
  }, async (request, reply) => {
    const campaign = campaignOf(request.params.cid);
    if (!campaign) return notFound(state, request, reply);
    const nid = String(request.body.nationalId ?? '').replace(/[\s-]/g, '');
    const unit = String(request.body.unitId ?? '').trim();
    const target = NATIONAL_ID.test(nid) ? nid : unit && state.units?.byId.has(unit) ? unitControlKey(unit) : undefined;
    if (!target) return back(reply, campaign.id, 'not-found');
    if (request.body.action === 'lift') {
      await setExcused(state.store, campaign.id, target, undefined);
      await audit(request, 'unexcuse-reminders', campaign.id, target);
      return back(reply, campaign.id, 'unexcused');
    }
    const reason = String(request.body.reason ?? '').trim().slice(0, 300);
    if (!reason) return back(reply, campaign.id, 'need-reason');
    await setExcused(state.store, campaign.id, target, { by: request.session!.user, at: state.clock().toISOString(), reason });
    await audit(request, 'excuse-reminders', campaign.id, target, { reason });
    return back(reply, campaign.id, 'excused');
  });

  app.post<{ Params: Params; Body: Body }>('/c/:cid/reminders/extend', {
    schema: { body: formSchema({ action: 20, nationalId: 40, unit: 300, until: 40, reason: 1000 }) },
  }, async (request, reply) => {
    const campaign = campaignOf(request.params.cid);
    if (!campaign) return notFound(state, request, reply);
    const nid = String(request.body.nationalId ?? '').replace(/[\s-]/g, '');
    const unit = String(request.body.unit ?? '').trim().slice(0, 200);
    const who: Pick<Person, 'nationalId'> | { unit: string } | undefined = NATIONAL_ID.test(nid) ? { nationalId: nid } : unit ? { unit } : undefined;
    if (!who) return back(reply, campaign.id, 'not-found');
    const at = state.clock().toISOString();
    const by = request.session!.user;
    const target = 'nationalId' in who ? who.nationalId : who.unit;
    if (request.body.action === 'withdraw') {
      await recordExtension(state.store, campaign.id, { ...who, until: campaign.deadline, source: 'dashboard', by, at, revoked: { by, at } });
      await audit(request, 'withdraw-extension', campaign.id, target);
      return back(reply, campaign.id, 'withdrawn');
    }
    const until = untilOf(request.body.until);
    const reason = String(request.body.reason ?? '').trim().slice(0, 300);
    if (!until || until.getTime() <= campaign.deadline.getTime()) return back(reply, campaign.id, 'bad-date');
    if (!reason) return back(reply, campaign.id, 'need-reason');
    await recordExtension(state.store, campaign.id, { ...who, until, reason, source: 'dashboard', by, at });
    await audit(request, 'extend-deadline', campaign.id, target, { until: until.toISOString(), reason });
    return back(reply, campaign.id, 'extended');
  });
}
