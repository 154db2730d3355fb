import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../pipelines/csv.ts';
import { buildRoster, normaliseRosterId, parseRoster } from '../../../pipelines/identity/roster.ts';
import { withCheckDigit } from '../../../pipelines/identity/national-id.ts';
import { PRASERT, ROSTER, SOMCHAI, SOMSRI, WANDEE } from '../../helpers/people.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/roster/${name}`, import.meta.url));

async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('parseRoster: CSV encodings and headers', () => {
  it.each([
    ['roster-utf8.csv', 'UTF-8 without BOM, English header'],
    ['roster-thai-bom.csv', 'UTF-8 with BOM, Thai header in another order with an extra column, CRLF'],
    ['roster-win874.csv', 'windows-874 bytes as Thai Excel saves them'],
  ])('reads the four fictional officers from %s (%s)', async (name) => {
    const { roster, errors } = await parseRoster(fixture(name), name);
    expect(errors).toEqual([]);
    expect(roster.persons.map((p) => p.nationalId)).toEqual(ROSTER.map((p) => p.nationalId));
    for (const person of ROSTER) {
      expect(roster.byId.get(person.nationalId)).toEqual({
        nationalId: person.nationalId,
        prefix: person.prefix,
        firstName: person.firstName,
        lastName: person.lastName,
        unit: person.unit,
        email: person.email,
      });
    }
  });

  it('keeps the windows-874 fixture honest: its bytes are not valid UTF-8', () => {
    const bytes = fixture('roster-win874.csv');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(decodeText(bytes)).toContain('เลขประจำตัวประชาชน');
  });

  it('indexes e-mail addresses in lower case, several per cell', () => {
    const roster = buildRoster([{ ...SOMCHAI, email: 'Somchai.Test@Example.test; home.test@example.test' }, SOMSRI]);
    expect(roster.byEmail.get('somchai.test@example.test')).toEqual([expect.objectContaining({ nationalId: SOMCHAI.nationalId })]);
    expect(roster.byEmail.get('home.test@example.test')?.[0].nationalId).toBe(SOMCHAI.nationalId);
  });

  it('lists two people sharing one unit mailbox under that address', () => {
    const roster = buildRoster([{ ...SOMCHAI, email: 'unit.test@example.test' }, { ...SOMSRI, email: 'unit.test@example.test' }]);
    expect(roster.byEmail.get('unit.test@example.test')).toHaveLength(2);
  });

  it('accepts a combined ชื่อ-นามสกุล column and splits off the prefix', async () => {
    const csv = `ชื่อ - นามสกุล,เลขประจำตัวประชาชน\nนายสมชาย ใจดีทดสอบ,${SOMCHAI.nationalId}\nว่าที่ร้อยตรี ประเสริฐ ทองคำตัวอย่าง,${PRASERT.nationalId}\n`;
    const { roster, errors } = await parseRoster(Buffer.from(csv), 'r.csv');
    expect(errors).toEqual([]);
    expect(roster.byId.get(SOMCHAI.nationalId)).toMatchObject({ prefix: 'นาย', firstName: 'สมชาย', lastName: 'ใจดีทดสอบ' });
    expect(roster.byId.get(PRASERT.nationalId)).toMatchObject({ prefix: 'ว่าที่ร้อยตรี', firstName: 'ประเสริฐ', lastName: 'ทองคำตัวอย่าง' });
  });

  it('reads semicolon-separated CSV and a prefix typed into the first-name column', async () => {
    const csv = `national_id;first_name;last_name\n${WANDEE.nationalId};นางวันดี;มีสุขจำลอง\n`;
    const { roster, errors } = await parseRoster(Buffer.from(csv), 'r.csv');
    expect(errors).toEqual([]);
    expect(roster.persons[0]).toMatchObject({ prefix: 'นาง', firstName: 'วันดี', lastName: 'มีสุขจำลอง' });
  });

  it('finds the header below a title row and reports rows by their spreadsheet number', async () => {
    const csv = `รายชื่อข้าราชการ ปี 2566,,\nnational_id,first_name,last_name\n${SOMCHAI.nationalId},สมชาย,\n`;
    const { errors } = await parseRoster(Buffer.from(csv), 'r.csv');
    expect(errors).toEqual([{ row: 3, field: 'last_name', message: 'ไม่มีนามสกุล' }]);
  });

  it('explains a file without a recognisable header instead of importing nothing silently', async () => {
    const { roster, errors } = await parseRoster(Buffer.from('a,b,c\n1,2,3\n'), 'r.csv');
    expect(roster.persons).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('national_id');
  });
});

describe('parseRoster: bad rows', () => {
  it('reports each bad row with its number and keeps it out', async () => {
    const { roster, errors } = await parseRoster(fixture('roster-bad-rows.csv'), 'roster-bad-rows.csv');
    expect(roster.persons.map((p) => p.lastName)).toEqual(['ใจดีทดสอบ', 'ครบหลัก']);
    const byRow = (row: number) => errors.filter((e) => e.row === row);
    expect(byRow(3)).toEqual([expect.objectContaining({ field: 'national_id', message: expect.stringContaining('ควรเป็น 6') })]);
    expect(byRow(4)).toEqual([{ row: 4, field: 'first_name', message: 'ไม่มีชื่อ' }]);
    expect(byRow(5)).toEqual([]);
    expect(byRow(6)).toEqual([expect.objectContaining({ field: 'national_id', message: expect.stringContaining('ซ้ำกับแถวที่ 2') })]);
    expect(byRow(7)).toEqual([expect.objectContaining({ field: 'national_id', message: expect.stringContaining('1.2003E+12') })]);
    // Row 8 spans two lines of the file (a quoted unit with a line break) but is one spreadsheet row.
    expect(byRow(8)).toEqual([expect.objectContaining({ field: 'email', message: expect.stringContaining('somjai.test@example') })]);
    expect(byRow(9)).toEqual([expect.objectContaining({ field: 'national_id', message: expect.stringContaining('13 หลัก') })]);
    expect(byRow(10)).toEqual([{ row: 10, field: 'last_name', message: 'ไม่มีนามสกุล' }]);
    expect(roster.byId.get(withCheckDigit('120030066677'))).toMatchObject({
      unit: 'สำนักงานพัฒนาชุมชนจังหวัดลำพูน กลุ่มงานบริหาร',
    });
    expect(roster.byId.get(withCheckDigit('120030066677'))?.email).toBeUndefined();
  });

  it.each([
    ['1101700123456', SOMCHAI.nationalId],
    ['1-1017-00123-45-6', SOMCHAI.nationalId],
    [' 1 1017 00123 45 6 ', SOMCHAI.nationalId],
    ['๑๑๐๑๗๐๐๑๒๓๔๕๖', SOMCHAI.nationalId],
    ['\'1101700123456', SOMCHAI.nationalId],
    ['1101700123456.0', SOMCHAI.nationalId],
    ['1.101700123456E+12', SOMCHAI.nationalId],
  ])('normalises the ID cell %j', (raw, id) => {
    expect(normaliseRosterId(raw)).toEqual({ id });
  });

  it.each([
    ['', 'ไม่มีเลข'],
    ['1.1017E+12', 'Excel'],
    ['1101700123457', 'ควรเป็น 6'],
    ['11017001234', '13 หลัก'],
    ['1101700l23456', 'ไม่ใช่ตัวเลข'],
  ])('refuses the ID cell %j', (raw, reason) => {
    const result = normaliseRosterId(raw);
    expect('error' in result && result.error).toContain(reason);
  });

  it('refuses an old binary .xls with a clear reason', async () => {
    const bytes = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]);
    const { errors } = await parseRoster(bytes, 'roster.xls');
    expect(errors).toEqual([{ row: 0, message: expect.stringContaining('.xlsx') }]);
  });
});

describe('parseRoster: XLSX', () => {
  it('reads number-cell IDs, hyperlink e-mails and rich text, on the sheet that has the header', async () => {
    const bytes = await xlsx((wb) => {
      wb.addWorksheet('คำอธิบาย').addRow(['กรอกรายชื่อในแผ่นงานถัดไป']);
      const sheet = wb.addWorksheet('รายชื่อ');
      sheet.addRow(['รายชื่อข้าราชการที่ต้องรับรองข้อมูล']);
      sheet.addRow(['ลำดับ', 'เลขประจำตัวประชาชน', 'คำนำหน้า', 'ชื่อ', 'นามสกุล', 'สังกัด', 'อีเมล']);
      sheet.addRow([1, Number(SOMCHAI.nationalId), 'นาย', 'สมชาย', 'ใจดีทดสอบ', SOMCHAI.unit, { text: SOMCHAI.email, hyperlink: `mailto:${SOMCHAI.email}` }]);
      sheet.addRow([2, SOMSRI.nationalId, 'นางสาว', { richText: [{ text: 'สม' }, { text: 'ศรี', font: { bold: true } }] }, 'รักงานสมมุติ', SOMSRI.unit,
        SOMSRI.email]);
      sheet.addRow([3, Number(withCheckDigit('390010055566')) + 1, 'นาย', 'ผิด', 'หลักสุดท้าย', '', '']);
    });
    const { roster, errors } = await parseRoster(bytes, 'roster.xlsx');
    expect(roster.persons).toEqual([
      { nationalId: SOMCHAI.nationalId, prefix: 'นาย', firstName: 'สมชาย', lastName: 'ใจดีทดสอบ', unit: SOMCHAI.unit, email: SOMCHAI.email },
      { nationalId: SOMSRI.nationalId, prefix: 'นางสาว', firstName: 'สมศรี', lastName: 'รักงานสมมุติ', unit: SOMSRI.unit, email: SOMSRI.email },
    ]);
    expect(errors).toEqual([expect.objectContaining({ row: 5, field: 'national_id' })]);
  });

  it('reports an unreadable XLSX as a file error', async () => {
    const bytes = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 1)]);
    const { roster, errors } = await parseRoster(bytes, 'broken.xlsx');
    expect(roster.persons).toEqual([]);
    expect(errors).toEqual([{ row: 0, message: expect.stringContaining('XLSX') }]);
  });

  it('decodes UTF-16 text as Excel saves "Unicode Text"', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('ชื่อ\tนามสกุล', 'utf16le')]);
    expect(decodeText(bytes)).toBe('ชื่อ\tนามสกุล');
  });
});
