import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readSheets, bodyRows, fieldKey, lookup } from '../../../pipelines/unit/form-table.ts';
import { readLoginStatus, readLoginStatusBody } from '../../../pipelines/unit/login-status.ts';
import { extractUnitForm, readMessageForms } from '../../../pipelines/unit/form.ts';
import { formCsv, formXlsx } from '../../../templates/forms.ts';
import type { ExtractedFile } from '../../../pipelines/types.ts';
import { SOMCHAI, SOMSRI, mistyped } from '../../helpers/people.ts';
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

describe('login-status from the body', () => {
  it('reads field: value lines and numbered people, with Thai digits and "คน"', () => {
    const r = readLoginStatusBody([
      'หน่วยงาน: สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่',
      'จำนวนข้าราชการทั้งหมด: ๑๒๐ คน',
      'เข้าใช้งานได้ : 118',
      'ไม่สามารถเข้าใช้งานได้: 2',
      'รายชื่อ',
      `1. นายสมชาย ใจดีทดสอบ ${SOMCHAI.nationalId} somchai@example.test`,
      `2) นางสาวสมศรี รักงานสมมุติ เลขประจำตัวประชาชน ${SOMSRI.nationalId.replace(/^(\d)(\d{4})(\d{5})(\d{2})(\d)$/, '$1-$2-$3-$4-$5')} somsri@example.test`,
      'ขอแสดงความนับถือ',
      'โทร 081-234-5678',
    ].join('\n'));
    expect(r.strength).toBe(2);
    expect(r.problems).toEqual([]);
    expect(r.data).toMatchObject({ unit: 'สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่', total: 120, can: 118, cannot: 2 });
    expect(r.data.people.map((p) => [p.name, p.nationalId, p.email])).toEqual([
      ['นายสมชาย ใจดีทดสอบ', SOMCHAI.nationalId, 'somchai@example.test'],
      ['นางสาวสมศรี รักงานสมมุติ', SOMSRI.nationalId, 'somsri@example.test'],
    ]);
  });

  it('reads "label number" lines and a | table, and says "SEIS" in a label changes nothing', () => {
    const r = readLoginStatusBody([
      'ข้าราชการทั้งหมด 3 คน',
      'ผู้ที่เข้าใช้งานระบบ SEIS ได้ 2 คน',
      'ผู้ที่เข้าใช้งานไม่ได้ 1 คน',
      'ชื่อ-นามสกุล | เลขประจำตัวประชาชน | อีเมล',
      `นายสมชาย ใจดีทดสอบ | ${SOMCHAI.nationalId} | somchai@example.test`,
    ].join('\n'));
    expect(r.problems).toEqual([]);
    expect([r.data.total, r.data.can, r.data.cannot, r.data.people.length]).toEqual([3, 2, 1, 1]);
  });

  it('names counts that do not add up, a list that does not match, a bad check digit, a bad email and a duplicate', () => {
    const r = readLoginStatusBody([
      'จำนวนข้าราชการทั้งหมด: 10',
      'เข้าใช้งานได้: 7',
      'เข้าใช้งานไม่ได้: 2',
      `1. นายสมชาย ใจดีทดสอบ ${mistyped(SOMCHAI.nationalId)} somchai@example`,
      `2. นายสมชาย ใจดีทดสอบ ${SOMSRI.nationalId} a@example.test`,
      `3. นางสาวสมศรี ${SOMSRI.nationalId} b@example.test`,
    ].join('\n'));
    expect(codes(r).sort()).toEqual(['bad-email', 'bad-national-id', 'counts-mismatch', 'duplicate-national-id', 'list-count-mismatch']);
    const text = r.problems.map((p) => p.message).join('\n');
    expect(text).toContain('เข้าใช้งานได้ 7 + เข้าใช้งานไม่ได้ 2 = 9 คน แต่จำนวนข้าราชการทั้งหมดคือ 10 คน');
    expect(text).toContain(`บรรทัดที่ 4 (นายสมชาย ใจดีทดสอบ): เลขประจำตัวประชาชน ${mistyped(SOMCHAI.nationalId)} ไม่ถูกต้อง`);
    expect(text).toContain('แจ้งว่าเข้าใช้งานไม่ได้ 2 คน แต่รายชื่อผู้ที่เข้าใช้งานไม่ได้มี 3 คน');
    expect(text).toContain('บรรทัดที่ 6: เลขประจำตัวประชาชนซ้ำกับบรรทัดที่ 5');
  });

  it('names missing and non-numeric counts, and a cannot count with no list', () => {
    const r = readLoginStatusBody('จำนวนข้าราชการทั้งหมด: ประมาณร้อย\nเข้าใช้งานไม่ได้: 4');
    expect(codes(r)).toEqual(['not-a-number', 'missing-field', 'missing-list']);
    expect(r.problems[1].message).toContain('เข้าใช้งานได้');
  });

  it('ignores quoted earlier mail, so our own reply is never read back as data', () => {
    expect(readLoginStatusBody('> จำนวนข้าราชการทั้งหมด: 80\n> เข้าใช้งานได้: 80\nขอบคุณครับ').strength).toBe(0);
  });

  it('does not take a person\'s certification body (name and ID lines) for a report', () => {
    expect(readLoginStatusBody(`ชื่อ: นายสมชาย ใจดีทดสอบ\nเลขประจำตัวประชาชน: ${SOMCHAI.nationalId}\nโทร 081-234-5678`).strength).toBe(0);
  });
});

describe('login-status templates', () => {
  it('the committed templates are what the code publishes and read back as an empty report', async () => {
    const committed = readFileSync(new URL('../../../templates/forms/seis-login-status-template.csv', import.meta.url));
    expect(committed.equals(formCsv('login-status'))).toBe(true);
    for (const [name, content] of [['t.csv', committed], ['t.xlsx',
      readFileSync(new URL('../../../templates/forms/seis-login-status-template.xlsx', import.meta.url))]] as const) {
      const read = await readSheets({ name, body: memoryBody(content) });
      if ('error' in read) throw new Error(read.error);
      const r = readLoginStatus(read.sheets[0], 'แถวที่');
      expect(r.strength).toBe(2);
      expect(codes(r)).toEqual(['missing-field', 'missing-field', 'missing-field']);
    }
  });

  it('reads a filled XLSX template with IDs typed as numbers and a formula total', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await formXlsx('login-status') as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('แบบฟอร์ม')!;
    sheet.getCell('B4').value = { formula: 'B5+B6', result: 51 };
    sheet.getCell('B5').value = 50;
    sheet.getCell('B6').value = 1;
    sheet.addRow([1, 'นาย', 'สมชาย', 'ใจดีทดสอบ', Number(SOMCHAI.nationalId), 'somchai@example.test']);
    const forms = await readMessageForms({ text: '', files: [file('filled.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))] });
    const out = await extractUnitForm('login-status', forms, { files: [file('filled.xlsx', Buffer.alloc(0))] }, { images: 'reject' });
    expect(out.problems).toEqual([]);
    expect(out.source).toEqual({ kind: 'attachment', file: 'filled.xlsx' });
    expect(out.provides).toEqual(['login-counts', 'cannot-login-list']);
    expect(out.data).toMatchObject({ total: 51, can: 50, cannot: 1, people: [{ name: 'นายสมชาย ใจดีทดสอบ', nationalId: SOMCHAI.nationalId }] });
  });

  it('says a spreadsheet that is not the template cannot be read, naming it', async () => {
    const other = Buffer.from('a,b,c\n1,2,3\n');
    const forms = await readMessageForms({ text: 'ส่งมาครับ', files: [file('other.csv', other)] });
    const out = await extractUnitForm('login-status', forms, { files: [file('other.csv', other)] }, { images: 'reject' });
    expect(codes(out)).toEqual(['not-template']);
    expect(out.problems[0].message).toContain('other.csv');
    expect(out.provides).toEqual([]);
  });

  it('reports zero who cannot log in without a list', () => {
    const r = readLoginStatus(bodyRows('ทั้งหมด: 12\nเข้าใช้งานได้: 12\nเข้าใช้งานไม่ได้: 0'), 'บรรทัดที่');
    expect(r.problems).toEqual([]);
    expect(r.data.people).toEqual([]);
  });

  it('compares field names without filler words, brackets or "SEIS"', () => {
    expect(fieldKey('จำนวนผู้ที่เข้าใช้งานระบบ SEIS ไม่ได้ (คน)')).toBe(fieldKey('เข้าใช้งานไม่ได้'));
    expect(fieldKey('ผู้ดูแลระบบ SEIS')).not.toBe(fieldKey('ผู้ดูแลระบบ'));
  });

  it('names a cell by the first field, in the table\'s order, that has an alias with its key', () => {
    const aliases = { first: ['ชื่อ'], again: ['ชื่อ (ภาษาไทย)'], total: ['ทั้งหมด', 'Total'] };
    expect(lookup(aliases, ' ชื่อ ')).toBe('first');
    expect(lookup(aliases, 'TOTAL:')).toBe('total');
    expect(lookup(aliases, '(หมายเหตุ)')).toBeUndefined();
    expect(lookup(aliases, 'อื่น ๆ')).toBeUndefined();
  });
});
