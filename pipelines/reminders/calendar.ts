// The office calendar reminders keep to: which Bangkok days are working days (no weekends, no configured public
// holidays) and which hours of them may carry a send. Leaves out what is sent and to whom (recipients.ts).
import { BANGKOK_OFFSET_MS } from '../../config/deadline.ts';

export interface OfficeCalendar {
  /** 0 = Sunday … 6 = Saturday. */
  weekend: readonly number[];
  /** Common-Era Bangkok dates, "YYYY-MM-DD". */
  holidays: readonly string[];
  /** Bangkok wall-clock times "HH:MM"; "24:00" is the end of the day. */
  hours: { start: string; end: string };
}

const DAY_MS = 86_400_000;

/** A Bangkok calendar day as the UTC midnight of the same date (a plain day number, no time zone left in it). */
export type Day = number;

export function dayOf(instant: Date): Day {
  const local = instant.getTime() + BANGKOK_OFFSET_MS;
  return Math.floor(local / DAY_MS) * DAY_MS;
}

export function dayKey(day: Day): string {
  return new Date(day).toISOString().slice(0, 10);
}

export function addDays(day: Day, n: number): Day {
  return day + n * DAY_MS;
}

export function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

/** The instant of a Bangkok wall-clock time on a day. */
export function atTime(day: Day, clock: string): Date {
  return new Date(day + minutesOf(clock) * 60_000 - BANGKOK_OFFSET_MS);
}

export function isWorkingDay(day: Day, cal: OfficeCalendar): boolean {
  return !cal.weekend.includes(new Date(day).getUTCDay()) && !cal.holidays.includes(dayKey(day));
}

/** The first working day on or after `day` (a year of holidays at most: a calendar without any is refused). */
export function workingDayFrom(day: Day, cal: OfficeCalendar): Day {
  for (let d = day, i = 0; i < 370; i++, d = addDays(d, 1)) if (isWorkingDay(d, cal)) return d;
  throw new Error('the office calendar has no working day in a year: check calendar.weekend and calendar.holidays');
}

/** The n-th working day after `day` (n ≥ 1). */
export function workingDaysAfter(day: Day, n: number, cal: OfficeCalendar): Day {
  let d = day;
  for (let i = 0; i < n; i++) d = workingDayFrom(addDays(d, 1), cal);
  return d;
}

/** True when a send may happen at this instant: a working day, within office hours. */
export function inOfficeHours(instant: Date, cal: OfficeCalendar): boolean {
  const day = dayOf(instant);
  if (!isWorkingDay(day, cal)) return false;
  const minute = (instant.getTime() + BANGKOK_OFFSET_MS - day) / 60_000;
  return minute >= minutesOf(cal.hours.start) && minute < minutesOf(cal.hours.end);
}

/** The first instant at or after `instant` within office hours. */
export function nextOfficeTime(instant: Date, cal: OfficeCalendar): Date {
  if (inOfficeHours(instant, cal)) return instant;
  const day = dayOf(instant);
  const start = atTime(day, cal.hours.start);
  if (isWorkingDay(day, cal) && instant.getTime() < start.getTime()) return start;
  return atTime(workingDayFrom(addDays(day, 1), cal), cal.hours.start);
}
