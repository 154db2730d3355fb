// Unit reports typed in the mail body as officers write them: a table pasted from Excel or typed with |, then the
// order's number and date under it; lists numbered in Thai numerals.
import { describe, expect, it } from 'vitest';
import { readAdminAppointmentBody } from '../../../pipelines/unit/admin-appointment.ts';
import { bodyRows } from '../../../pipelines/unit/form-table.ts';
import { readLoginStatusBody } from '../../../pipelines/unit/login-status.ts';
import { stripListMarker } from '../../../pipelines/identity/index.ts';
import { SOMCHAI, SOMSRI } from '../../helpers/people.ts';

const codes = (r: { problems: Array<{ code: string }> }) => r.problems.map((p) => p.code);
const officers = (r: ReturnType<typeof readAdminAppointmentBody>) => r.data.administrators.map((a) => [a.system, a.name, a.phone, a.email]);
const EXPECTED = [
  ['dpis', 'นายเอก ทดสอบ', '053-123456', 'ek@example.test'],
  ['seis', 'นางโท ทดสอบ', '081-234-5678', 'tho@example.test'],
];

describe('a table typed in the body ends where field: value lines begin', () => {
  it('| table, a blank line, then the order number and date: officers from the table only, the order from the lines', () => {
    const r = readAdminAppointmentBody([
      'เรียน กองบริหารงานบุคคล',
      '',
      'ระบบ | ชื่อ-นามสกุล | ตำแหน่ง | โทรศัพท์ | อีเมล',
      'DPIS V6 | นายเอก ทดสอบ | นักทรัพยากรบุคคลชำนาญการ | 053-123456 | ek@example.test',
      'SEIS | นางโท ทดสอบ | นักวิชาการคอมพิวเตอร์ | 081-234-5678 | tho@example.test',
      '',
      'เลขที่คำสั่ง: 123/2566',
      'ลงวันที่: 1 กันยายน 2566',
      '',
      'ขอแสดงความนับถือ',
    ].join('\n'));
    expect(codes(r)).toEqual([]);
    expect(officers(r)).toEqual(EXPECTED);
    expect(r.data).toMatchObject({ orderNo: '123/2566', orderDate: '1 กันยายน 2566' });
  });

  it('the same pasted from Excel (tabs), with the fields straight under the table and no blank line', () => {
    const r = readAdminAppointmentBody([
      'ระบบ\tชื่อ-นามสกุล\tตำแหน่ง\tโทรศัพท์\tอีเมล',
      'DPIS V6\tนายเอก ทดสอบ\tนักทรัพยากรบุคคลชำนาญการ\t053-123456\tek@example.test',
      'SEIS\tนางโท ทดสอบ\tนักวิชาการคอมพิวเตอร์\t081-234-5678\ttho@example.test',
      'คำสั่งที่ = 123/2566',
      'วันที่คำสั่ง: ๑ ก.ย. ๒๕๖๖',
    ].join('\r\n'));
    expect(codes(r)).toEqual([]);
    expect(officers(r)).toEqual(EXPECTED);
    expect(r.data.orderNo).toBe('123/2566');
  });

  it('a blank line inside the table does not end it; a signature after a blank line does', () => {
    const r = readLoginStatusBody([
      'ข้าราชการทั้งหมด: 3',
      'เข้าใช้งานได้: 1',
      'เข้าใช้งานไม่ได้: 2',
      '',
      'ชื่อ-นามสกุล | เลขประจำตัวประชาชน | อีเมล',
      `นายสมชาย ใจดีทดสอบ | ${SOMCHAI.nationalId} | somchai@example.test`,
      '',
      `นางสาวสมศรี รักงานสมมุติ | ${SOMSRI.nationalId} | somsri@example.test`,
      '',
      'ผู้รายงาน: นายเอก ทดสอบ',
      'โทร: 053-123456',
    ].join('\n'));
    expect(codes(r)).toEqual([]);
    expect(r.data.people.map((p) => p.nationalId)).toEqual([SOMCHAI.nationalId, SOMSRI.nationalId]);
  });

  it('tells how each body line was written and whether a blank line came before it', () => {
    expect(bodyRows('a | b\n\nเลขที่คำสั่ง: 1\nสวัสดี').map((r) => [r.kind, r.afterBlank])).toEqual([
      ['table', false],
      ['field', true],
      ['text', false],
    ]);
  });
});

describe('lists numbered in Thai numerals lose their numbering like "1." does', () => {
  it('strips 1. 2) (3) ๑. ๒) ๓) - • but not a time or a house number', () => {
    expect(['1. นายเอก', '2)นายเอก', '(3) นายเอก', '๑. นายเอก', '๒) นายเอก', '๑๒.นายเอก', '- นายเอก', '• นายเอก'].map(stripListMarker))
      .toEqual(Array(8).fill('นายเอก'));
    expect(['10.30 น. ประชุม', '99/1 หมู่ 2', 'นายเอก 1.'].map(stripListMarker)).toEqual(['10.30 น. ประชุม', '99/1 หมู่ 2', 'นายเอก 1.']);
  });

  it('reads people numbered ๑. and ๒) in a login-status body', () => {
    const r = readLoginStatusBody([
      'ข้าราชการทั้งหมด: ๓',
      'เข้าใช้งานได้: ๑',
      'เข้าใช้งานไม่ได้: ๒',
      'รายชื่อผู้ที่เข้าใช้งานไม่ได้',
      `๑. นายสมชาย ใจดีทดสอบ ${SOMCHAI.nationalId} somchai@example.test`,
      `๒) นางสาวสมศรี รักงานสมมุติ ${SOMSRI.nationalId} somsri@example.test`,
    ].join('\n'));
    expect(codes(r)).toEqual([]);
    expect(r.data.people.map((p) => p.name)).toEqual(['นายสมชาย ใจดีทดสอบ', 'นางสาวสมศรี รักงานสมมุติ']);
  });

  it('reads numbered field lines and numbered names in table cells', () => {
    const grouped = readAdminAppointmentBody([
      '๑. ผู้ดูแลระบบ DPIS V6: นายเอก ทดสอบ',
      '๒. ตำแหน่ง: นักทรัพยากรบุคคลชำนาญการ',
      '๓. โทรศัพท์: 053-123456',
      '๔. อีเมล: ek@example.test',
    ].join('\n'));
    expect(codes(grouped)).toEqual([]);
    expect(officers(grouped)).toEqual([EXPECTED[0]]);
    const table = readLoginStatusBody([
      'ข้าราชการทั้งหมด: 2',
      'เข้าใช้งานได้: 1',
      'เข้าใช้งานไม่ได้: 1',
      'ชื่อ-นามสกุล | เลขประจำตัวประชาชน | อีเมล',
      `๑. นายสมชาย ใจดีทดสอบ | ${SOMCHAI.nationalId} | somchai@example.test`,
    ].join('\n'));
    expect(table.data.people.map((p) => p.name)).toEqual(['นายสมชาย ใจดีทดสอบ']);
  });
});
