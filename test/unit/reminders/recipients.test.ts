// Who gets which reminder: persons who still owe something (by name, with an email), unit digests, and nobody who is
// complete, staff-accepted, excused, suppressed or already reminded; extensions move a person's own schedule.
import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_STEPS, SEIS_CERTIFICATION_CHECKLIST, LOGIN_STATUS_CHECKLIST } from '../../../config/default-campaigns.ts';
import { parseDeadline } from '../../../config/deadline.ts';
import type { DeadlineExtension } from '../../../pipelines/extensions.ts';
import { planReminders, recipientKey, parseReminderId, answeredReminderIds, type PersonState, type PlanInput,
  type UnitState } from '../../../pipelines/reminders/index.ts';
import type { Unit } from '../../../pipelines/unit/index.ts';
import { PRASERT, SOMCHAI, SOMSRI, WANDEE } from '../../helpers/people.ts';

const bkk = (text: string) => new Date(`${text}+07:00`);
const DEADLINE = parseDeadline('2566-09-22')!;
const CM: Unit = { id: '50', name: 'สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่', kind: 'province-office', emails: ['cm.office@example.test'], aliases: [] };
const KK: Unit = { id: '40', name: 'สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น', kind: 'province-office', emails: ['kk.office@example.test'], aliases: [] };

function state(person: PersonState['person'], over: Partial<PersonState> = {}): PersonState {
  return { person, status: 'not-submitted', fullyAccepted: false, missing: ['id-card'], invalid: [], ...over };
}

function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    campaign: {
      id: 'seis-certification',
      title: 'การรับรองข้อมูล',
      deadline: DEADLINE,
      scope: 'person',
      latePolicy: 'accept',
      checklist: SEIS_CERTIFICATION_CHECKLIST,
      reminders: { enabled: true, persons: true, unitDigests: true, steps: DEFAULT_REMINDER_STEPS, lateSendDays: 7 },
    },
    calendar: { weekend: [0, 6], holidays: [], hours: { start: '08:30', end: '16:30' } },
    now: bkk('2023-09-19T09:00'),
    persons: [
      state(SOMCHAI),
      state(SOMSRI, { status: 'complete', missing: [] }),
      state(WANDEE, { status: 'incomplete', missing: ['house-registration'], invalid: [{ file: 'scan.jpg', reason: 'image-not-pdf' }] }),
      state({ ...PRASERT, email: undefined }),
    ],
    units: [CM, KK],
    extensions: [],
    control: { excused: {} },
    settled: new Set(),
    suppressed: new Set(),
    ownAddresses: ['seis-intake@example.test'],
    ...over,
  };
}

const summary = (plan: ReturnType<typeof planReminders>) => plan.due.map((d) => `${d.kind}:${d.name}:${d.step}:${d.to.join(',')}`);

describe('planReminders', () => {
  it('reminds each person who owes something and has an email, and sends each unit one digest of its people', () => {
    const plan = planReminders(input());
    expect(summary(plan)).toEqual([
      'person:นายสมชาย ใจดีทดสอบ:d-3:somchai.test@example.test',
      'person:นางวันดี มีสุขจำลอง:d-3:wandee.test@example.test',
      `unit:${CM.name}:d-3:cm.office@example.test`,
      `unit:${KK.name}:d-3:kk.office@example.test`,
    ]);
    const cm = plan.due.find((d) => d.unit?.id === '50')!;
    expect(cm.people!.map((p) => p.person.nationalId)).toEqual([SOMCHAI.nationalId]); // Somsri is complete
    expect(cm.daysLeft).toBe(3);
    expect(plan.skipped.map((s) => `${s.name}:${s.reason}`)).toEqual(expect.arrayContaining([
      'นางสาวสมศรี รักงานสมมุติ:complete',
      'ว่าที่ร้อยตรีประเสริฐ ทองคำตัวอย่าง:no-email',
    ]));
  });

  it('leaves out the staff-accepted, the excused, bounced addresses and what was already sent', () => {
    const plan = planReminders(input({
      persons: [state(SOMCHAI), state(WANDEE), state(SOMSRI, { status: 'complete', fullyAccepted: true, missing: [] })],
      control: { excused: { [WANDEE.nationalId]: { by: 'staff', at: '2023-09-18T00:00:00Z', reason: 'ลาคลอด' } } },
      suppressed: new Set(['somchai.test@example.test']),
      settled: new Set([`d-3/${recipientKey('unit', '50')}`]),
    }));
    expect(plan.due.map((d) => d.name)).toEqual([]);
    expect(plan.skipped.map((s) => s.reason).sort()).toEqual(['already-sent', 'excused', 'staff-accepted', 'suppressed']);
  });

  it('follows an extended deadline: the person and their unit move to their own schedule', () => {
    const extensions: DeadlineExtension[] = [
      { nationalId: SOMCHAI.nationalId, until: parseDeadline('2566-09-29')!, source: 'dashboard', at: '2023-09-18T00:00:00Z' },
      { unit: KK.name, until: parseDeadline('2566-10-06')!, source: 'config' },
    ];
    const plan = planReminders(input({ extensions }));
    // 19 Sep: Somchai's d-7 (29 Sep − 7 = 22 Sep) has not come; Wandee's unit (Khon Kaen) has until 6 Oct.
    expect(summary(plan)).toEqual([`unit:${CM.name}:d-3:cm.office@example.test`]);
    const later = planReminders(input({ extensions, now: bkk('2023-09-22T10:00') }));
    expect(later.due.find((d) => d.kind === 'person')).toMatchObject({ name: 'นายสมชาย ใจดีทดสอบ', step: 'd-7', extended: true, daysLeft: 7 });
    expect(later.due.find((d) => d.unit?.id === '50')!.people![0].deadline).toEqual(parseDeadline('2566-09-29'));
  });

  it('sends nothing while paused or off the calendar, and a forced step now', () => {
    expect(planReminders(input({ control: { excused: {}, paused: { by: 'x', at: 'y' } } })).off).toBe('paused');
    expect(planReminders(input({ now: bkk('2023-09-16T10:00') })).due).toEqual([]);
    const forced = planReminders(input({ now: bkk('2023-09-16T10:00'), forceStep: 'd-1' }));
    expect(forced.due.map((d) => d.step)).toEqual(['d-1', 'd-1', 'd-1', 'd-1']);
  });

  it('reminds units of a unit-scope campaign of their own missing or invalid report', () => {
    const units: UnitState[] = [
      { unit: CM, expected: true, status: 'not-submitted', missing: ['login-counts', 'cannot-login-list'], problems: [] },
      { unit: KK, expected: true, status: 'complete', missing: [], problems: [] },
      { unit: { ...KK, id: 'C9', name: 'กองทดสอบ', kind: 'centre' }, expected: false, status: 'not-submitted', missing: [], problems: [] },
    ];
    const base = input();
    const plan = planReminders({
      ...base,
      persons: undefined,
      unitStates: units,
      campaign: { ...base.campaign, id: 'login-status', scope: 'unit', checklist: LOGIN_STATUS_CHECKLIST },
    });
    expect(summary(plan)).toEqual([`unit:${CM.name}:d-3:cm.office@example.test`]);
    expect(plan.skipped.map((s) => s.reason).sort()).toEqual(['complete', 'not-expected']);
  });

  it('names reminders so that ids, answers and bounces lead back to them', () => {
    const id = planReminders(input()).due[0].id;
    expect(parseReminderId(id, ['seis-certification', 'login-status'])).toEqual({ campaign: 'seis-certification', step: 'd-3',
      key: recipientKey('person', SOMCHAI.nationalId) });
    expect(id).not.toContain(SOMCHAI.nationalId);
    expect(answeredReminderIds(['<a@x>', `<${id}@seis.example.test>`])).toEqual([id]);
  });
});
