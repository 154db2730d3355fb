import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adminItems, isPhone, parseSystem, readAdminAppointment, readAdminAppointmentBody } from '../../../pipelines/unit/admin-appointment.ts';
import { readSheets } from '../../../pipelines/unit/form-table.ts';
import { extractUnitForm, readMessageForms } from '../../../pipelines/unit/form.ts';
import type { ExtractedFile } from '../../../pipelines/types.ts';
import { formCsv } from '../../../templates/forms.ts';
import { makeDocx, makePdf, TINY_JPEG } from '../../helpers/pdf.ts';
import { memoryBody } from '../../../pipelines/body.ts';

const file = (name: string, content: Buffer): ExtractedFile => ({
  name,
  folders: [],
  origin: 'attachment',
  contentType: 'application/octet-stream',
  size: content.length,
  sha256: 'x',
  body: memoryBody(content),
});
const codes = (r: { problems: Array<{ code: string }> }) => r.problems.map((p) => p.code);

const BODY = [
  'หน่วยงาน: สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่',
  'ผู้ดูแลระบบ DPIS V6: นายเอก ทดสอบ',
  'ตำแหน่ง: นักทรัพยากรบุคคลชำนาญการ',
  'โทรศัพท์: 053-123456 ต่อ 12',
  'อีเมล: ek@example.test',
  '',
  'ระบบ: SEIS',
  'ชื่อ-นามสกุล: นางโท ทดสอบ',
  'ตำแหน่ง: นักวิชาการคอมพิวเตอร์',
  'เบอร์โทร: ๐๘๑-๒๓๔-๕๖๗๘',
  'E-mail: tho@example.test',
  '',
  'ขอแสดงความนับถือ',
  'ตำแหน่ง: พัฒนาการจังหวัด',
].join('\n');

describe('admin-appointment from the body', () => {
  it('reads officers as field groups, with the system in the label or its own field', () => {
    const r = readAdminAppointmentBody(BODY);
    expect(r.strength).toBe(2);
    expect(r.problems).toEqual([]);
    expect(r.data.unit).toBe('สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่');
    expect(r.data.administrators.map((a) => [a.system, a.name, a.position, a.email])).toEqual([
      ['dpis', 'นายเอก ทดสอบ', 'นักทรัพยากรบุคคลชำนาญการ', 'ek@example.test'],
      ['seis', 'นางโท ทดสอบ', 'นักวิชาการคอมพิวเตอร์', 'tho@example.test'],
    ]);
    expect(adminItems(r.data)).toEqual(['dpis-admin', 'seis-admin']);
  });

  it('names each missing or wrong field of an officer, with the line', () => {
    const r = readAdminAppointmentBody('ระบบ: HRMS\nชื่อ-นามสกุล: นายเอก ทดสอบ\nโทรศัพท์: 12345\nอีเมล: ek@');
    expect(codes(r)).toEqual(['bad-system', 'missing-position', 'bad-phone', 'bad-email']);
    expect(r.problems[0].message).toBe('บรรทัดที่ 1 (นายเอก ทดสอบ): ระบบ "HRMS" ไม่ถูกต้อง ระบุได้เฉพาะ DPIS V6 หรือ SEIS');
  });

  it('does not read a signature block (position, phone) as an appointment', () => {
    expect(readAdminAppointmentBody('ขอแสดงความนับถือ\nนายเอก ทดสอบ\nตำแหน่ง: พัฒนาการจังหวัด\nโทร: 053-123456').strength).toBe(0);
  });

  it('knows the systems and Thai phone numbers', () => {
    expect(['DPIS V6', 'dpis6', 'SEIS', 'DPIS V6 และ SEIS', 'ทั้งสองระบบ', 'HRMS'].map(parseSystem)).toEqual(['dpis', 'dpis', 'seis', 'both', 'both', undefined]);
    expect(['02-123-4567', '081 234 5678', '+66812345678', '053-123456 ต่อ 12', '0812345678, 053123456'].every(isPhone)).toBe(true);
    expect(['1234', '02-123', '00000000000', ''].some(isPhone)).toBe(false);
  });
});

describe('admin-appointment template and order', () => {
  it('the committed CSV template is what the code publishes and reads as an empty list', async () => {
    const committed = readFileSync(new URL('../../../templates/forms/seis-admin-template.csv', import.meta.url));
    expect(committed.equals(formCsv('admin-appointment'))).toBe(true);
    const read = await readSheets({ name: 'x.csv', body: memoryBody(committed) });
    if ('error' in read) throw new Error(read.error);
    const r = readAdminAppointment(read.sheets[0], 'แถวที่');
    expect(r.strength).toBe(2);
    expect(r.data.administrators).toEqual([]);
  });

  it('takes a real PDF as the order and names a JPEG or a Word file called .pdf', async () => {
    const csv = Buffer.concat([formCsv('admin-appointment'), Buffer.from('1,DPIS V6,นาย,เอก,ทดสอบ,นักทรัพยากรบุคคล,053-123456,ek@example.test\r\n')]);
    const files = [file('แบบฟอร์ม.csv', csv), file('คำสั่ง.pdf', await makePdf(3)), file('scan.pdf', TINY_JPEG), file('คำสั่ง2.pdf', await makeDocx())];
    const out = await extractUnitForm('admin-appointment', await readMessageForms({ text: '', files }), { files }, { images: 'reject' });
    expect(out.provides).toEqual(['appointment-order', 'dpis-admin']);
    expect(out.files.map((f) => [f.index, f.role, f.pages])).toEqual([[0, 'form', undefined], [1, 'order', 3], [2, 'problem', undefined], [3, 'problem',
      undefined]]);
    expect(codes(out)).toEqual(['order-not-pdf', 'order-not-pdf']);
    expect(out.problems[0].message).toMatch(/^ไฟล์ scan\.pdf: .*รูปภาพ JPG/);
  });

  it('keeps the order when the officer list has a problem, and the list provides nothing', async () => {
    const files = [file('คำสั่ง.pdf', await makePdf(1))];
    const out = await extractUnitForm('admin-appointment', await readMessageForms({ text: 'ระบบ: SEIS\nชื่อ: นางโท\nตำแหน่ง: นักวิชาการ', files }), { files }, {
      images: 'reject',
    });
    expect(out.provides).toEqual(['appointment-order']);
    expect(codes(out)).toEqual(['missing-phone', 'missing-email']);
  });
});
