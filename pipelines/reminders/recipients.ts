// Who is due which reminder at an instant: each person who is not complete (with an email), each unit's contacts
// (one digest per step), minus the complete, staff-accepted, excused, suppressed and already reminded. Each
// recipient follows the schedule of their own (possibly extended) deadline. Leaves out the words (templates/)
// and sending (the deliver-once path in usecases/).
import { daysUntil } from '../dates.ts';
import { deadlineFor } from '../extensions.ts';
import { addressGuard, normaliseAddress } from '../mail/index.ts';
import { unitForName, buildUnits, type Unit } from '../unit/index.ts';
import { recipientKey, reminderId, unitControlKey } from './keys.ts';
import { dueStep, stepTimes, type StepTime } from './schedule.ts';
import type { PersonState, PlanInput, RecipientKind, ReminderItem, ReminderPlan, SkipReason, UnitState } from './types.ts';

const fullName = (p: PersonState['person']) => `${p.prefix ?? ''}${p.firstName} ${p.lastName}`.trim() || p.nationalId;

/** The step due for one recipient now: the forced one (if their own schedule reached it or they keep the campaign's deadline), else the schedule's. */
function stepFor(input: PlanInput, deadline: Date): StepTime | undefined {
  const times = stepTimes(deadline, input.campaign.reminders, input.calendar);
  if (!input.forceStep) return dueStep(times, input.now, input.calendar);
  const forced = times.find((t) => t.step === input.forceStep);
  if (!forced) return undefined;
  const extended = deadline.getTime() !== input.campaign.deadline.getTime();
  return !extended || forced.at.getTime() <= input.now.getTime() ? forced : undefined;
}

/** Addresses the reminder may go to, or why none. */
function addresses(input: PlanInput, raw: string[]): { to: string[] } | { reason: SkipReason } {
  const wanted = [...new Set(raw.map((a) => a.trim()).filter(Boolean))];
  if (!wanted.length) return { reason: 'no-email' };
  const guarded = wanted.map((a) => ({ a, why: addressGuard(a, input.ownAddresses) }));
  const allowed = guarded.filter((g) => !g.why).map((g) => g.a);
  if (!allowed.length) {
    const why = guarded[0].why;
    return { reason: why === 'own-address' ? 'own-address' : why === 'no-reply-sender' ? 'no-reply-sender' : 'no-email' };
  }
  const to = allowed.filter((a) => !input.suppressed.has(normaliseAddress(a)));
  return to.length ? { to } : { reason: 'suppressed' };
}

interface Candidate {
  kind: RecipientKind;
  key: string;
  name: string;
  deadline: Date;
  emails: string[];
  extra: Pick<ReminderItem, 'person' | 'unit' | 'people' | 'unitState'>;
}

/** The last checks every recipient passes: a step due, not settled yet, somewhere to send it. */
function decide(input: PlanInput, c: Candidate, plan: ReminderPlan): void {
  const skip = (reason: SkipReason, step?: string): void => {
    plan.skipped.push({ kind: c.kind, recipientKey: c.key, name: c.name, reason, ...(step ? { step } : {}) });
  };
  const step = stepFor(input, c.deadline);
  if (!step) return skip('not-due');
  if (input.settled.has(`${step.step}/${c.key}`)) return skip('already-sent', step.step);
  const where = addresses(input, c.emails);
  if ('reason' in where) return skip(where.reason, step.step);
  plan.due.push({
    id: reminderId(input.campaign.id, step.step, c.key),
    campaign: input.campaign.id,
    step: step.step,
    afterDeadline: step.afterDeadline,
    kind: c.kind,
    recipientKey: c.key,
    name: c.name,
    to: where.to,
    deadline: c.deadline,
    extended: c.deadline.getTime() !== input.campaign.deadline.getTime(),
    daysLeft: daysUntil(c.deadline, input.now),
    ...c.extra,
  });
}

function personDeadline(input: PlanInput, p: PersonState, unit: Unit | undefined): Date {
  return deadlineFor(input.campaign.deadline, input.extensions, { nationalId: p.person.nationalId, units: [p.person.unit, unit?.id, unit?.name] });
}

/** Persons who still owe something and are not excused, with why the others are left out. */
function openPersons(input: PlanInput, plan: ReminderPlan): PersonState[] {
  const open: PersonState[] = [];
  for (const p of input.persons ?? []) {
    const key = recipientKey('person', p.person.nationalId);
    const reason: SkipReason | undefined = p.fullyAccepted ? 'staff-accepted' : p.status === 'complete' ?
      'complete'
      : input.control.excused[p.person.nationalId]
      ? 'excused'
      : undefined;
    if (reason) plan.skipped.push({ kind: 'person', recipientKey: key, name: fullName(p.person), reason });
    else open.push(p);
  }
  return open;
}

function planPersonCampaign(input: PlanInput, plan: ReminderPlan): void {
  const { reminders } = input.campaign;
  const directory = input.units ? buildUnits(input.units) : undefined;
  const unitOf = (p: PersonState) => (directory ? unitForName(directory, p.person.unit) : undefined);
  const open = openPersons(input, plan);
  if (reminders.persons) {
    for (const p of open) {
      decide(input, {
        kind: 'person',
        key: recipientKey('person', p.person.nationalId),
        name: fullName(p.person),
        deadline: personDeadline(input, p, unitOf(p)),
        emails: p.person.email ? [p.person.email] : [],
        extra: { person: p },
      }, plan);
    }
  }
  if (!reminders.unitDigests || !directory) return;
  const byUnit = new Map<Unit, Array<PersonState & { deadline: Date }>>();
  for (const p of open) {
    const unit = unitOf(p);
    if (unit) byUnit.set(unit, [...(byUnit.get(unit) ?? []), { ...p, deadline: personDeadline(input, p, unit) }]);
  }
  for (const unit of directory.units) {
    const people = byUnit.get(unit);
    const key = recipientKey('unit', unit.id);
    if (!people?.length) continue;
    if (input.control.excused[unitControlKey(unit.id)]) {
      plan.skipped.push({ kind: 'unit', recipientKey: key, name: unit.name, reason: 'excused' });
      continue;
    }
    people.sort((a, b) => fullName(a.person).localeCompare(fullName(b.person), 'th') || a.person.nationalId.localeCompare(b.person.nationalId));
    decide(input, {
      kind: 'unit',
      key,
      name: unit.name,
      emails: unit.emails,
      extra: { unit, people },
      deadline: deadlineFor(input.campaign.deadline, input.extensions, { units: [unit.id, unit.name] }),
    }, plan);
  }
}

function planUnitCampaign(input: PlanInput, plan: ReminderPlan): void {
  if (!input.campaign.reminders.unitDigests) return;
  for (const s of input.unitStates ?? []) {
    const key = recipientKey('unit', s.unit.id);
    const skip = (reason: SkipReason) => plan.skipped.push({ kind: 'unit', recipientKey: key, name: s.unit.name, reason });
    if (!s.expected) skip('not-expected');
    else if (s.status === 'complete') skip('complete');
    else if (input.control.excused[unitControlKey(s.unit.id)]) skip('excused');
    else {
      decide(input, {
        kind: 'unit',
        key,
        name: s.unit.name,
        emails: s.unit.emails,
        extra: { unit: s.unit, unitState: s as UnitState },
        deadline: deadlineFor(input.campaign.deadline, input.extensions, { units: [s.unit.id, s.unit.name] }),
      }, plan);
    }
  }
}

/** Everyone's reminder decision for one campaign at `input.now` (or for `forceStep`). */
export function planReminders(input: PlanInput): ReminderPlan {
  const plan: ReminderPlan = { campaign: input.campaign.id, at: input.now, due: [], skipped: [] };
  if (!input.campaign.reminders.enabled) return { ...plan, off: 'disabled' };
  if (input.control.paused) return { ...plan, off: 'paused' };
  if (input.campaign.scope === 'person') planPersonCampaign(input, plan);
  else planUnitCampaign(input, plan);
  return plan;
}

/** The decision for one reminder id, taken again just before sending (the person may have completed since). */
export function reminderStillDue(input: PlanInput, id: string): ReminderItem | undefined {
  return planReminders(input).due.find((item) => item.id === id);
}
