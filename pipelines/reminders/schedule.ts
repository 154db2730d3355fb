// When each reminder step of a campaign falls for one deadline (the campaign's, or an extended one), and which
// step is due at an instant. A step missed while the service was down stays due until the next step's time or
// the deadline (after the deadline: for `lateSendDays`). Leaves out who is mailed (recipients.ts).
import { addDays, atTime, dayOf, inOfficeHours, nextOfficeTime, workingDayFrom, workingDaysAfter, type OfficeCalendar } from './calendar.ts';

export interface ReminderStepConfig {
  id: string;
  daysBefore?: number;
  workingDaysAfter?: number;
  /** Bangkok wall-clock "HH:MM". */
  at: string;
}

export interface ScheduleConfig {
  steps: readonly ReminderStepConfig[];
  /** How many days after its time a step after the deadline may still go out. */
  lateSendDays: number;
}

export interface StepTime {
  step: string;
  /** When it goes out: its day moved to a working day, its time into office hours. */
  at: Date;
  /** It may go out until just before this instant; `until <= at` means it never goes out. */
  until: Date;
  afterDeadline: boolean;
}

const DAY_MS = 86_400_000;

/** The steps of one deadline in time order, each with the window in which it may be sent. */
export function stepTimes(deadline: Date, schedule: ScheduleConfig, cal: OfficeCalendar): StepTime[] {
  const deadlineDay = dayOf(deadline);
  const placed = schedule.steps.map((s, order) => {
    const day = s.daysBefore !== undefined
      ? workingDayFrom(addDays(deadlineDay, -s.daysBefore), cal)
      : workingDaysAfter(deadlineDay, s.workingDaysAfter ?? 1, cal);
    return { step: s.id, order, at: nextOfficeTime(atTime(day, s.at), cal) };
  }).sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);

  return placed.map((p, i) => {
    const afterDeadline = p.at.getTime() > deadline.getTime();
    const next = placed[i + 1]?.at.getTime() ?? Number.POSITIVE_INFINITY;
    const end = afterDeadline ? p.at.getTime() + schedule.lateSendDays * DAY_MS : deadline.getTime();
    return { step: p.step, at: p.at, until: new Date(Math.min(next, end)), afterDeadline };
  });
}

/** The step whose window holds `now`, if `now` is office time (windows never overlap, so at most one). */
export function dueStep(times: readonly StepTime[], now: Date, cal: OfficeCalendar): StepTime | undefined {
  if (!inOfficeHours(now, cal)) return undefined;
  const t = now.getTime();
  return times.find((s) => s.at.getTime() <= t && t < s.until.getTime());
}

/** The next send from `now` on: the due step now, else the next step that will ever go out. */
export function nextSend(times: readonly StepTime[], now: Date, cal: OfficeCalendar): { step: StepTime; at: Date } | undefined {
  const t = now.getTime();
  for (const s of times) {
    if (s.until.getTime() <= s.at.getTime() || s.until.getTime() <= t) continue;
    const at = nextOfficeTime(new Date(Math.max(t, s.at.getTime())), cal);
    if (at.getTime() < s.until.getTime()) return { step: s, at };
  }
  return undefined;
}

/** The first step after `now` that will go out (not the one due now). */
export function nextStep(times: readonly StepTime[], now: Date): StepTime | undefined {
  return times.find((s) => s.at.getTime() > now.getTime() && s.until.getTime() > s.at.getTime());
}

/** True when a step id is one of the schedule's. */
export function isStep(schedule: ScheduleConfig, id: string): boolean {
  return schedule.steps.some((s) => s.id === id);
}
