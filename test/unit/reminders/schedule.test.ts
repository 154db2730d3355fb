// The reminder schedule of the circular: 7, 3, 1 days before at 09:00 Bangkok and the working day after,
// moved off weekends and holidays, sent only in office hours, a missed step kept until the next one.
import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_STEPS } from '../../../config/default-campaigns.ts';
import { parseDeadline } from '../../../config/deadline.ts';
import { dueStep, inOfficeHours, nextSend, stepTimes, type OfficeCalendar } from '../../../pipelines/reminders/index.ts';

const CAL: OfficeCalendar = { weekend: [0, 6], holidays: [], hours: { start: '08:30', end: '16:30' } };
const SCHEDULE = { steps: DEFAULT_REMINDER_STEPS, lateSendDays: 7 };
/** Bangkok wall-clock time → instant. */
const bkk = (text: string) => new Date(`${text}+07:00`);
const DEADLINE = parseDeadline('2566-09-22')!; // Friday 22 September 2023, end of day

describe('reminder schedule', () => {
  it('places the default steps 7, 3 and 1 days before at 09:00 and the overdue notice on the next working day', () => {
    const times = stepTimes(DEADLINE, SCHEDULE, CAL);
    expect(times.map((t) => [t.step, t.at.toISOString()])).toEqual([
      ['d-7', bkk('2023-09-15T09:00').toISOString()],
      ['d-3', bkk('2023-09-19T09:00').toISOString()],
      ['d-1', bkk('2023-09-21T09:00').toISOString()],
      ['overdue', bkk('2023-09-25T09:00').toISOString()], // Friday's deadline: the working day after is Monday
    ]);
    expect(times.map((t) => t.afterDeadline)).toEqual([false, false, false, true]);
    expect(times[2].until.getTime()).toBe(DEADLINE.getTime());
  });

  it('moves a step off a weekend or a holiday to the next working day', () => {
    const monday = parseDeadline('2023-09-25')!;
    const times = stepTimes(monday, SCHEDULE, { ...CAL, holidays: ['2023-09-18'] });
    expect(times.find((t) => t.step === 'd-7')!.at).toEqual(bkk('2023-09-19T09:00')); // Mon 18 is a holiday
    expect(times.find((t) => t.step === 'd-1')!.at).toEqual(bkk('2023-09-25T09:00')); // Sunday → Monday, still before the deadline
    expect(times.find((t) => t.step === 'overdue')!.at).toEqual(bkk('2023-09-26T09:00'));
  });

  it('drops a step that lands together with the next one (the later step wins)', () => {
    const times = stepTimes(parseDeadline('2023-09-26')!, { steps: [{ id: 'a', daysBefore: 3, at: '09:00' }, { id: 'b', daysBefore: 2, at: '09:00' }],
      lateSendDays: 7 }, CAL);
    // 23 (Sat) and 24 (Sun) both move to Monday 25 09:00: "a" has no window left, "b" is sent.
    expect(times.map((t) => [t.step, t.until.getTime() > t.at.getTime()])).toEqual([['a', false], ['b', true]]);
    expect(dueStep(times, bkk('2023-09-25T10:00'), CAL)?.step).toBe('b');
  });

  it('sends only in office hours on working days, and keeps a missed step until the next one', () => {
    const times = stepTimes(DEADLINE, SCHEDULE, CAL);
    expect(dueStep(times, bkk('2023-09-15T08:59'), CAL)).toBeUndefined();
    expect(dueStep(times, bkk('2023-09-15T09:00'), CAL)?.step).toBe('d-7');
    expect(dueStep(times, bkk('2023-09-16T10:00'), CAL)).toBeUndefined(); // Saturday
    expect(dueStep(times, bkk('2023-09-18T15:00'), CAL)?.step).toBe('d-7'); // missed on Friday: still due on Monday
    expect(dueStep(times, bkk('2023-09-18T17:00'), CAL)).toBeUndefined(); // after office hours
    expect(dueStep(times, bkk('2023-09-19T09:00'), CAL)?.step).toBe('d-3');
    expect(dueStep(times, bkk('2023-09-22T10:00'), CAL)?.step).toBe('d-1'); // deadline day, before the deadline
    expect(dueStep(times, bkk('2023-09-25T09:30'), CAL)?.step).toBe('overdue');
    expect(dueStep(times, bkk('2023-10-02T09:30'), CAL)).toBeUndefined(); // overdue notice is 7 days stale
    expect(inOfficeHours(bkk('2023-09-15T16:29'), CAL)).toBe(true);
    expect(inOfficeHours(bkk('2023-09-15T16:30'), CAL)).toBe(false);
  });

  it('says when the next send is, moved into office hours', () => {
    const times = stepTimes(DEADLINE, SCHEDULE, CAL);
    expect(nextSend(times, bkk('2023-09-01T12:00'), CAL)).toMatchObject({ step: { step: 'd-7' }, at: bkk('2023-09-15T09:00') });
    expect(nextSend(times, bkk('2023-09-16T12:00'), CAL)).toMatchObject({ step: { step: 'd-7' }, at: bkk('2023-09-18T08:30') });
    expect(nextSend(times, bkk('2023-10-20T12:00'), CAL)).toBeUndefined();
  });
});
