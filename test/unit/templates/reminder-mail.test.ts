// The reminder mails' words and headers: by name, what arrived, what is missing or invalid and why, the deadline in
// Buddhist Era with the days left, a stable Message-ID, the thread, and the loop-guard headers.
import { describe, expect, it } from 'vitest';
import { LOGIN_STATUS_CHECKLIST, SEIS_CERTIFICATION_CHECKLIST } from '../../../config/default-campaigns.ts';
import { parseDeadline } from '../../../config/deadline.ts';
import { recipientKey, reminderId, type ReminderItem } from '../../../pipelines/reminders/index.ts';
import { renderReminder } from '../../../templates/reminder-mail.ts';
import { SOMCHAI, WANDEE } from '../../helpers/people.ts';

const DEADLINE = parseDeadline('2566-09-22')!;
const CAMPAIGN = { title: 'การรับรองข้อมูลทะเบียนประวัติข้าราชการ (SEIS)', deadline: DEADLINE, checklist: SEIS_CERTIFICATION_CHECKLIST,
  latePolicy: 'accept' as const };
const FROM = 'งานรับรอง SEIS <seis@dcd.example.test>';
const NOW = new Date('2023-09-19T02:00:00Z');

function personItem(over: Partial<ReminderItem> = {}): ReminderItem {
  const key = recipientKey('person', SOMCHAI.nationalId);
  return {
    id: reminderId('seis-certification', 'd-3', key),
    campaign: 'seis-certification',
    step: 'd-3',
    afterDeadline: false,
    kind: 'person',
    recipientKey: key,
    name: 'นายสมชาย ใจดีทดสอบ',
    to: ['Somchai.Test@example.test'],
    deadline: DEADLINE,
    extended: false,
    daysLeft: 3,
    person: {
      person: SOMCHAI,
      status: 'incomplete',
      fullyAccepted: false,
      missing: ['highest-education', 'father-id'],
      missingParts: { 'highest-education': 'transcript' },
      invalid: [{ file: 'ทะเบียนบ้าน.jpg', reason: 'image-not-pdf' }, { file: 'บัตร.pdf', reason: 'returned: ไม่ชัด' }],
      received: [{ item: 'id-card', originalName: 'บัตร.pdf', pages: 1 }],
      lastReply: { replyMessageId: '<reply-0123456789abcdef0123456789abcdef@dcd.example.test>', originalMessageId: 'first@example.test' },
    },
    ...over,
  };
}

describe('a person\'s reminder', () => {
  it('names the person, what arrived, what is missing and why files do not count, and how to send', () => {
    const mail = renderReminder(personItem(), CAMPAIGN, { replyFrom: FROM, now: NOW });
    expect(mail.to).toEqual(['Somchai.Test@example.test']);
    expect(mail.subject).toBe('แจ้งเตือน: เอกสารการรับรองข้อมูลทะเบียนประวัติข้าราชการ (SEIS) ยังไม่ครบ — นายสมชาย ใจดีทดสอบ (กำหนดส่ง 22 กันยายน 2566)');
    for (const words of [
      'เรียน นายสมชาย ใจดีทดสอบ',
      'ภายในวันที่ 22 กันยายน 2566 เวลา 23:59 น. (เหลือเวลาอีก 3 วัน)',
      'สำเนาบัตรประจำตัวประชาชน: บัตร.pdf (1 หน้า)',
      'วุฒิการศึกษาสูงสุด (ปริญญาบัตรและทรานสคริปต์): ได้รับแล้วบางส่วน ยังขาดทรานสคริปต์',
      'หรือส่ง สำเนาใบมรณบัตร บิดา แทนได้',
      'ทะเบียนบ้าน.jpg: ไฟล์เป็นรูปภาพ',
      'เจ้าหน้าที่ตรวจแล้วส่งคืน: ไม่ชัด',
      'ตอบกลับอีเมลฉบับนี้ (Reply)',
      'x-xxxx-xxxx',
    ]) expect(mail.text).toContain(words);
    expect(mail.text).not.toContain(SOMCHAI.nationalId);
    expect(mail.html).toContain('<strong>สำเนาบัตรประจำตัวประชาชน</strong>');
  });

  it('has a stable Message-ID, joins the thread of the last reply and says it is automatic', () => {
    const a = renderReminder(personItem(), CAMPAIGN, { replyFrom: FROM, now: NOW });
    const b = renderReminder(personItem(), CAMPAIGN, { replyFrom: FROM, now: new Date(NOW.getTime() + 3_600_000) });
    expect(a.messageId).toBe(`<${personItem().id}@dcd.example.test>`);
    expect(b.messageId).toBe(a.messageId);
    expect(a.headers).toEqual({
      'In-Reply-To': '<reply-0123456789abcdef0123456789abcdef@dcd.example.test>',
      References: '<first@example.test> <reply-0123456789abcdef0123456789abcdef@dcd.example.test>',
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-SEIS-Intake-Reminder': 'd-3',
    });
  });

  it('says the deadline has passed in the overdue notice, by the late policy', () => {
    const overdue = personItem({ step: 'overdue', afterDeadline: true, daysLeft: -3 });
    const later = new Date('2023-09-25T02:00:00Z');
    expect(renderReminder(overdue, CAMPAIGN, { replyFrom: FROM, now: later }).text).toContain('เลยกำหนดมาแล้ว 3 วัน) กรุณาส่งโดยเร็วที่สุด ระบบยังรับเอกสาร');
    expect(renderReminder(overdue, { ...CAMPAIGN, latePolicy: 'reject' }, { replyFrom: FROM, now: later }).text).toContain('ระบบไม่รับเอกสารที่ส่งหลังกำหนด');
    expect(renderReminder(overdue, CAMPAIGN, { replyFrom: FROM, now: later }).subject).toMatch(/^แจ้งเตือนเลยกำหนด: .*เลยกำหนดส่ง 22 กันยายน 2566/);
  });

  it('names an extended deadline and the original one', () => {
    const extended = personItem({ deadline: parseDeadline('2566-09-29')!, extended: true, daysLeft: 10 });
    expect(renderReminder(extended, CAMPAIGN, { replyFrom: FROM, now: NOW }).text).toContain(
      '29 กันยายน 2566 เวลา 23:59 น. (เหลือเวลาอีก 10 วัน) ซึ่งได้รับการขยายจากกำหนดเดิม 22 กันยายน 2566',
    );
  });
});

describe('unit digests', () => {
  const unit = { id: '40', name: 'สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น', kind: 'province-office' as const, emails: ['kk@example.test', 'hr@example.test'], aliases: [] };

  it('lists the unit\'s people who are not complete, with what each lacks', () => {
    const people = [
      { ...personItem().person!, person: { ...WANDEE, email: undefined }, status: 'not-submitted' as const, missing: ['id-card'], invalid: [],
        deadline: DEADLINE },
    ];
    const mail = renderReminder(personItem({ kind: 'unit', name: unit.name, unit, to: unit.emails, people, person: undefined }), CAMPAIGN, { replyFrom: FROM,
      now: NOW });
    expect(mail.to).toEqual(['kk@example.test', 'hr@example.test']);
    expect(mail.subject).toContain('ผู้ที่ยังส่งเอกสารไม่ครบ 1 คน — สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น');
    expect(mail.text).toContain('นางวันดี มีสุขจำลอง');
    expect(mail.text).toContain('ยังขาด: สำเนาบัตรประจำตัวประชาชน');
    expect(mail.text).toContain('ไม่มีอีเมลในบัญชีรายชื่อ');
    expect(mail.headers['In-Reply-To']).toBeUndefined();
  });

  it('tells a unit its own report is missing or wrong, and attaches the form', () => {
    const unitState = { unit, expected: true, status: 'incomplete' as const, missing: ['cannot-login-list'], problems: ['แจ้งว่าเข้าใช้งานไม่ได้ 2 คน แต่ไม่พบรายชื่อ'] };
    const mail = renderReminder(personItem({ kind: 'unit', name: unit.name, unit, unitState, person: undefined }), { ...CAMPAIGN,
      title: 'รายงานสถานะการเข้าใช้งานระบบ SEIS', checklist: LOGIN_STATUS_CHECKLIST, form: 'login-status' }, { replyFrom: FROM, now: NOW });
    expect(mail.text).toContain('รายชื่อผู้ที่ไม่สามารถเข้าใช้งานได้');
    expect(mail.text).toContain('แจ้งว่าเข้าใช้งานไม่ได้ 2 คน แต่ไม่พบรายชื่อ');
    expect(mail.attachments).toEqual([{ form: 'login-status', format: 'xlsx' }, { form: 'login-status', format: 'csv' }]);
  });
});
