import { describe, expect, it } from 'vitest';
import { decideReplyStatus } from '../../../pipelines/person/reply-status.ts';
import { renderReply, replySubject, type ReplyInput } from '../../../templates/reply-mail.ts';
import { judgeChecklist } from '../../../pipelines/person/checklist.ts';
import { parseDeadline } from '../../../pipelines/dates.ts';
import { findNationalIds } from '../../../pipelines/identity/national-id.ts';
import { SEIS_CERTIFICATION_CHECKLIST as checklist } from '../../../config/default-campaigns.ts';
import type { ChecklistJudgement, EducationPart, ManifestDocument } from '../../../pipelines/types.ts';
import { SOMCHAI, SOMSRI, fullName } from '../../helpers/people.ts';

const deadline = parseDeadline('2566-09-22')!;
const campaign = { title: 'การรับรองข้อมูลทะเบียนประวัติข้าราชการ (SEIS)', deadline, checklist, latePolicy: 'accept' as const };
const now = new Date('2023-09-20T03:00:00Z');

function doc(item: string, part?: EducationPart): ManifestDocument {
  return {
    item,
    part,
    path: `${item}.pdf`,
    originalName: `${item}.pdf`,
    sha256: 'x',
    size: 1,
    pages: 1,
    receivedAt: now.toISOString(),
    messageId: 'm',
    messageKey: 'k',
    late: false,
    current: true,
  };
}
const COMPLETE_DOCS = ['id-card', 'house-registration', 'father-id', 'mother-id', 'appointment-education', 'highest-education'].map((i) => doc(i));
const complete = judgeChecklist(COMPLETE_DOCS, checklist);
const partial = judgeChecklist([doc('id-card'), doc('father-death-certificate'), doc('appointment-education', 'degree')], checklist);

function input(over: Partial<ReplyInput> = {}): ReplyInput {
  return {
    original: {
      messageId: 'CAF1x@mail.gmail.com',
      references: ['<root@example.test>'],
      subject: 'ส่งเอกสาร SEIS',
      from: { name: 'สมชาย', address: 'somchai.test@example.test' },
    },
    replyFrom: 'งานทะเบียนประวัติ <seis-intake@dcd.example.go.th>',
    replyMessageId: '<reply-0123abcd@seis-intake>',
    campaign,
    status: 'incomplete',
    late: false,
    persons: [{
      person: SOMCHAI,
      inRoster: true,
      judgement: partial,
      received: [
        { item: 'id-card', originalName: 'บัตรประชาชน.pdf', pages: 1 },
        { item: 'father-death-certificate', originalName: 'มรณบัตรพ่อ.pdf', pages: 2 },
        { item: 'appointment-education', originalName: 'ปริญญาบัตร.pdf', pages: 1 },
      ],
    }],
    problems: [],
    messageProblems: [],
    unidentified: false,
    notes: [],
    now,
    ...over,
  };
}

describe('decideReplyStatus', () => {
  const j = (status: ChecklistJudgement['status']): ChecklistJudgement => ({ ...complete, status });
  it('rejects a message that filed nothing for an identified person', () => {
    expect(decideReplyStatus({ persons: [], invalidOrUnclassifiedCount: 0 })).toBe('rejected');
    expect(decideReplyStatus({ persons: [{ filedCount: 0, judgement: j('complete') }], invalidOrUnclassifiedCount: 3 })).toBe('rejected');
    expect(
      decideReplyStatus({ persons: [{ filedCount: 0, judgement: j('incomplete') }, { filedCount: 0, judgement: j('complete') }],
        invalidOrUnclassifiedCount: 0 }),
    ).toBe('rejected');
  });
  it('accepts only when every person is complete and no file was invalid or unclassified', () => {
    expect(decideReplyStatus({ persons: [{ filedCount: 2, judgement: j('complete') }], invalidOrUnclassifiedCount: 0 })).toBe('accepted');
    expect(decideReplyStatus({ persons: [{ filedCount: 2, judgement: j('complete') }], invalidOrUnclassifiedCount: 1 })).toBe('incomplete');
    expect(
      decideReplyStatus({ persons: [{ filedCount: 2, judgement: j('complete') }, { filedCount: 1, judgement: j('incomplete') }],
        invalidOrUnclassifiedCount: 0 }),
    ).toBe('incomplete');
  });
  it('accepts a resubmission that completes a person even when one of two persons filed nothing new', () => {
    expect(
      decideReplyStatus({ persons: [{ filedCount: 1, judgement: j('complete') }, { filedCount: 0, judgement: j('complete') }], invalidOrUnclassifiedCount: 0 }),
    ).toBe('accepted');
  });
});

describe('renderReply: threading and loop headers', () => {
  it('carries exactly the contract headers', () => {
    const r = renderReply(input());
    expect(r.headers).toEqual({
      'In-Reply-To': '<CAF1x@mail.gmail.com>',
      References: '<root@example.test> <CAF1x@mail.gmail.com>',
      'Auto-Submitted': 'auto-replied',
      'X-Auto-Response-Suppress': 'All',
      'X-SEIS-Intake-Status': 'incomplete',
    });
    expect(r.messageId).toBe('<reply-0123abcd@seis-intake>');
  });

  it('accepts references with or without angle brackets and keeps them in order without duplicates', () => {
    const r = renderReply(input({ original: { ...input().original, references: ['a@x', '<b@x>', 'CAF1x@mail.gmail.com'] } }));
    expect(r.headers.References).toBe('<a@x> <b@x> <CAF1x@mail.gmail.com>');
  });

  it('keeps the thread root and the latest ids when References grows long', () => {
    const refs = Array.from({ length: 40 }, (_, i) => `<r${i}@x>`);
    const r = renderReply(input({ original: { ...input().original, references: refs } }));
    const ids = r.headers.References.split(' ');
    expect(ids).toHaveLength(20);
    expect(ids[0]).toBe('<r0@x>');
    expect(ids.at(-1)).toBe('<CAF1x@mail.gmail.com>');
  });

  it('answers Reply-To when there is one, else From', () => {
    expect(renderReply(input()).to).toBe('somchai.test@example.test');
    const withReplyTo = input({ original: { ...input().original, replyTo: { name: '', address: 'hr@dcd.example.go.th' } } });
    expect(renderReply(withReplyTo).to).toBe('hr@dcd.example.go.th');
  });

  it.each([
    ['ส่งเอกสาร', 'accepted', 'Re: ส่งเอกสาร [ได้รับครบถ้วน]'],
    ['Re: ส่งเอกสาร', 'incomplete', 'Re: ส่งเอกสาร [ยังไม่ครบ]'],
    ['RE: Re: re[2]: ส่งเอกสาร', 'rejected', 'Re: ส่งเอกสาร [ไม่สามารถรับได้]'],
    ['ตอบกลับ: Re: ส่งเอกสาร [ยังไม่ครบ]', 'accepted', 'Re: ส่งเอกสาร [ได้รับครบถ้วน]'],
    ['Fwd: เอกสารนายสมชาย', 'incomplete', 'Re: Fwd: เอกสารนายสมชาย [ยังไม่ครบ]'],
    ['', 'rejected', 'Re: SEIS [ไม่สามารถรับได้]'],
  ] as const)('makes the subject from %j (%s)', (original, status, expected) => {
    expect(replySubject(original, status, 'SEIS')).toBe(expected);
  });

  it('cannot be made to inject headers through the subject or the address', () => {
    const hostile = input({
      original: { ...input().original, subject: 'x\r\nBcc: victim@example.test', from: { name: 'a', address: 'a@example.test\r\nBcc: v@x' } },
    });
    const r = renderReply(hostile);
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.to).not.toMatch(/[\r\n\s]/);
  });
});

describe('renderReply: the Thai body', () => {
  it('greets the person by name and lists what was received with file names and pages', () => {
    const r = renderReply(input());
    for (const body of [r.text, r.html]) {
      expect(body).toContain(`เรียน ${fullName(SOMCHAI)}`);
      expect(body).toContain('สำเนาบัตรประจำตัวประชาชน');
      expect(body).toContain('บัตรประชาชน.pdf (1 หน้า)');
      expect(body).toContain('มรณบัตรพ่อ.pdf (2 หน้า)');
    }
  });

  it('gives the deadline in the Buddhist Era', () => {
    const r = renderReply(input());
    expect(r.text).toContain('22 กันยายน 2566 เวลา 23:59 น.');
    expect(r.html).toContain('22 กันยายน 2566 เวลา 23:59 น.');
  });

  it('lists what is missing: the mother\'s ID may be replaced by a death certificate, the transcript is named', () => {
    const { text } = renderReply(input());
    expect(partial.missing).toEqual(expect.arrayContaining(['house-registration', 'mother-id', 'appointment-education']));
    expect(text).toContain('สำเนาทะเบียนบ้าน');
    expect(text).toMatch(/สำเนาบัตรประจำตัวประชาชน มารดา\n\s+- หรือส่ง สำเนาใบมรณบัตร มารดา แทนได้ \(กรณีถึงแก่กรรม\)/);
    expect(text).toContain('ได้รับแล้วบางส่วน ยังขาดทรานสคริปต์');
    // The father's ID was replaced by the death certificate: not asked for again.
    expect(text).not.toMatch(/•\s*สำเนาบัตรประจำตัวประชาชน บิดา\s*$/m);
  });

  it('notes when one education file was assumed to count for both qualifications, on one line', () => {
    const r = renderReply(input({
      persons: [{
        ...input().persons[0],
        received: [
          { item: 'appointment-education', originalName: 'วุฒิ.pdf', pages: 3, assumed: true },
          { item: 'highest-education', originalName: 'วุฒิ.pdf', pages: 3, assumed: true },
        ],
      }],
    }));
    expect(r.text.match(/วุฒิ\.pdf \(3 หน้า\)/g)).toHaveLength(1);
    expect(r.text).toContain('ใช้เป็นทั้งวุฒิการศึกษาที่ใช้บรรจุและวุฒิการศึกษาสูงสุด');
  });

  it('explains every invalid file in plain Thai with what to do', () => {
    const r = renderReply(input({
      problems: [
        { originalName: 'scan.jpg', code: 'image-not-pdf', detail: 'ไฟล์เป็นรูปภาพ JPG กรุณาสแกนเป็น PDF แล้วส่งใหม่', person: fullName(SOMCHAI) },
        { originalName: 'ทะเบียนบ้าน.pdf', code: 'encrypted-pdf' },
        { originalName: 'winmail.dat', code: 'tnef' },
        { originalName: 'scan001.pdf', code: 'unclassified' },
        { originalName: 'big.pdf', code: 'file-too-large', detail: '52 MB > 40 MB' },
      ],
      messageProblems: [{ code: 'tnef' }],
    }));
    expect(r.text).toContain('scan.jpg: ไฟล์เป็นรูปภาพ JPG กรุณาสแกนเป็น PDF');
    expect(r.text).toContain('ทะเบียนบ้าน.pdf: ไฟล์ PDF มีรหัสผ่าน กรุณาส่งไฟล์ที่ไม่มีรหัสผ่าน');
    expect(r.text).toMatch(/winmail\.dat: .*Outlook.*HTML/);
    expect(r.text.match(/winmail\.dat เกิดจาก|กลายเป็น winmail\.dat/g)).toHaveLength(1);
    expect(r.text).toContain('ไม่สามารถระบุประเภทเอกสารได้ กรุณาตั้งชื่อไฟล์ตามประเภทเอกสาร เช่น บัตรประชาชน.pdf');
    expect(r.text).toContain('big.pdf: ไฟล์มีขนาดใหญ่เกินกำหนด');
    // A person's problem sits in that person's section; the others after it.
    expect(r.text.indexOf('scan.jpg')).toBeLessThan(r.text.indexOf('ไฟล์ที่ใช้ไม่ได้หรือระบุไม่ได้'));
    expect(r.text.indexOf('scan001.pdf')).toBeGreaterThan(r.text.indexOf('ไฟล์ที่ใช้ไม่ได้หรือระบุไม่ได้'));
  });

  it('writes one section per person when a message carries several', () => {
    const r = renderReply(input({
      persons: [
        input().persons[0],
        { person: SOMSRI, inRoster: false, judgement: complete, received: [{ item: 'house-registration', originalName: 'ทร14.pdf', pages: 1 }] },
      ],
    }));
    const first = r.text.indexOf(`เอกสารของ ${fullName(SOMCHAI)}`);
    const second = r.text.indexOf(`เอกสารของ ${fullName(SOMSRI)}`);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(r.text.slice(second)).toContain('ทร14.pdf (1 หน้า)');
    expect(r.text.slice(second)).toContain('ไม่พบชื่อนี้ในบัญชีรายชื่อ');
    expect(r.text.slice(second)).toContain('ครบถ้วนตามรายการแล้ว');
    expect(r.text).not.toContain(SOMSRI.nationalId);
  });

  it('says a complete submission needs nothing more and skips the naming guide', () => {
    const r = renderReply(input({ status: 'accepted', persons: [{ ...input().persons[0], judgement: complete }] }));
    expect(r.text).toContain('ได้รับเอกสารครบถ้วนตามรายการแล้ว');
    expect(r.text).not.toContain('คำแนะนำการตั้งชื่อไฟล์');
    expect(r.headers['X-SEIS-Intake-Status']).toBe('accepted');
  });

  it('adds the naming guide when something is missing', () => {
    const { text } = renderReply(input());
    expect(text).toContain('คำแนะนำการตั้งชื่อไฟล์');
    expect(text).toContain('บัตรประชาชน-มารดา.pdf');
  });

  it('flags a late submission that was filed (policy accept)', () => {
    const { text } = renderReply(input({ late: true, now: new Date('2023-09-25T03:00:00Z') }));
    expect(text).toContain('ได้รับหลังกำหนดส่ง');
    expect(text).toContain('ระบบได้บันทึกเอกสารไว้แล้ว');
    expect(text).toContain('กรุณาส่งเพิ่มเติมโดยเร็ว');
  });

  it('says a late submission was not filed (policy reject)', () => {
    const r = renderReply(input({ late: true, status: 'rejected', campaign: { ...campaign, latePolicy: 'reject' } }));
    expect(r.text).toContain('ไม่สามารถรับเอกสารเข้าระบบได้');
    expect(r.text).not.toContain('ระบบได้บันทึกเอกสารไว้แล้ว');
  });

  it('tells an unidentified sender to put the 13-digit ID and full name in the subject, one folder per person', () => {
    const r = renderReply(input({ status: 'rejected', persons: [], unidentified: true, problems: [{ originalName: 'a.pdf', code: 'unclassified' }] }));
    expect(r.text).toContain('เรียน ผู้ส่งเอกสาร');
    expect(r.text).toContain('เลขประจำตัวประชาชน 13 หลัก');
    expect(r.text).toContain('หัวเรื่องอีเมล');
    expect(r.text).toContain('แยกโฟลเดอร์ละหนึ่งคน');
  });

  it('never prints a full national ID, so a quoted reply cannot identify anyone by mistake', () => {
    const r = renderReply(input({ unidentified: true, persons: [input().persons[0], { ...input().persons[0], person: SOMSRI }] }));
    expect(r.text).toContain('x-xxxx-xxxx');
    expect(findNationalIds(r.text)).toEqual([]);
    expect(findNationalIds(r.html)).toEqual([]);
  });

  it('passes on notes from identification and says when there were no attachments', () => {
    const r = renderReply(input({ notes: ['เลขประจำตัวประชาชนในหัวเรื่องไม่ถูกต้อง ระบบระบุตัวจากชื่อ'], messageProblems: [{ code: 'no-attachments' }] }));
    expect(r.text).toContain('เลขประจำตัวประชาชนในหัวเรื่องไม่ถูกต้อง');
    expect(r.text).toContain('ไม่พบไฟล์แนบในอีเมล');
  });
});

describe('renderReply: hostile file names', () => {
  const names = ['<script>alert(1)</script>.pdf', '"><img src=x onerror=alert(1)>.pdf', 'a&b\u202Efdp.exe'];
  const r = renderReply(input({ problems: names.map((originalName) => ({ originalName, code: 'fake-pdf' as const })) }));

  it('escapes them everywhere in the HTML', () => {
    expect(r.html).not.toMatch(/<script|<img|onerror=alert\(1\)>/);
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.pdf');
    expect(r.html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.pdf');
    expect(r.html).toContain('a&amp;b');
  });

  it('neutralises right-to-left overrides that would disguise an extension', () => {
    expect(r.html).not.toContain('\u202E');
    expect(r.text).not.toContain('\u202E');
  });

  it('keeps the text version literal', () => {
    expect(r.text).toContain('<script>alert(1)</script>.pdf');
  });

  it('is a mobile-friendly HTML document in Thai', () => {
    expect(r.html).toMatch(/^<!DOCTYPE html>/);
    expect(r.html).toContain('<html lang="th">');
    expect(r.html).toContain('name="viewport"');
    expect(r.html).toContain('max-width:600px');
  });
});
