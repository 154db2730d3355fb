// The roster: the civil servants asked to certify, read from the CSV or XLSX staff keep in Excel.
// It reports bad rows (with the spreadsheet row number) and keeps them out; it does not fetch or watch files.
import { readXlsxSheets } from '../xlsx.ts';
import { decodeText, readCsv, type SheetRowError } from '../csv.ts';
import { asciiDigits, checkDigit, isValidNationalId } from './national-id.ts';
import { cleanThai, stripPrefix } from './thai-names.ts';
import type { Person } from '../types.ts';

export interface Roster {
  persons: Person[];
  byId: Map<string, Person>;
  byEmail: Map<string, Person[]>;
}
/** Errors on `email` keep the row. */
export type RosterRowError = SheetRowError;

type Field = 'nationalId' | 'prefix' | 'firstName' | 'lastName' | 'fullName' | 'unit' | 'email';

/** Header spellings seen in staff spreadsheets, compared after headerKey(). */
const HEADERS: Record<Field, string[]> = {
  nationalId: ['nationalid', 'id', 'cid', 'citizenid', 'idcard', 'idno', 'pid', 'เลขประจำตัวประชาชน', 'เลขบัตรประชาชน', 'เลขบัตรประจำตัวประชาชน', 'เลขประชาชน',
    'เลขที่บัตรประชาชน', 'เลขบัตร', 'รหัสประจำตัวประชาชน', 'เลข13หลัก', 'บัตรประชาชน'],
  prefix: ['prefix', 'title', 'คำนำหน้า', 'คำนำหน้าชื่อ', 'คำนำหน้านาม', 'ยศคำนำหน้า'],
  firstName: ['firstname', 'first', 'givenname', 'fname', 'ชื่อ', 'ชื่อจริง', 'ชื่อต้น'],
  lastName: ['lastname', 'surname', 'last', 'familyname', 'lname', 'นามสกุล', 'สกุล'],
  fullName: ['fullname', 'name', 'ชื่อนามสกุล', 'ชื่อสกุล', 'ชื่อและนามสกุล', 'ชื่อตัวชื่อสกุล'],
  unit: ['unit', 'department', 'dept', 'org', 'organization', 'organisation', 'agency', 'office', 'สังกัด', 'หน่วยงาน', 'ส่วนราชการ', 'สำนักงาน', 'หน่วยงานสังกัด'],
  email: ['email', 'mail', 'emailaddress', 'อีเมล', 'อีเมล์', 'อีเมลล์', 'ไปรษณีย์อิเล็กทรอนิกส์'],
};
const FIELD_NAME: Record<Field, string> = {
  nationalId: 'national_id',
  prefix: 'prefix',
  firstName: 'first_name',
  lastName: 'last_name',
  fullName: 'full_name',
  unit: 'unit',
  email: 'email',
};
/** A title row or two may sit above the header ("รายชื่อข้าราชการ …"). */
const HEADER_SEARCH_ROWS = 10;

export function buildRoster(persons: Person[]): Roster {
  const byId = new Map<string, Person>();
  const byEmail = new Map<string, Person[]>();
  for (const person of persons) {
    byId.set(person.nationalId, person);
    for (const address of splitEmails(person.email ?? '')) byEmail.set(address, [...(byEmail.get(address) ?? []), person]);
  }
  return { persons, byId, byEmail };
}

export async function parseRoster(bytes: Buffer, fileName: string): Promise<{ roster: Roster; errors: RosterRowError[] }> {
  let rows: Array<{ row: number; cells: string[] }>;
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    return fileError(`${fileName}: ไฟล์ Excel รุ่นเก่า (.xls) อ่านไม่ได้ กรุณาบันทึกเป็น .xlsx หรือ .csv`);
  }
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    try {
      rows = await xlsxRows(bytes);
    } catch (err) {
      return fileError(`${fileName}: อ่านไฟล์ XLSX ไม่ได้ (${(err as Error).message})`);
    }
  } else {
    rows = readCsv(decodeText(bytes));
  }
  return rowsToRoster(rows);
}

function fileError(message: string): { roster: Roster; errors: RosterRowError[] } {
  return { roster: buildRoster([]), errors: [{ row: 0, message }] };
}

async function xlsxRows(bytes: Buffer): Promise<Array<{ row: number; cells: string[] }>> {
  const sheets = await readXlsxSheets(bytes);
  // The first sheet that has a recognisable header; else the first sheet (its error names the header).
  return sheets.find((rows) => findHeader(rows)) ?? sheets[0] ?? [];
}

function headerKey(text: string): string {
  return cleanThai(text).toLowerCase().replace(/[\s_\-.()/:*]+/g, '');
}

function mapHeader(cells: string[]): Map<Field, number> | undefined {
  const map = new Map<Field, number>();
  cells.forEach((cell, col) => {
    const key = headerKey(cell);
    const field = (Object.keys(HEADERS) as Field[]).find((f) => HEADERS[f].includes(key));
    if (field && !map.has(field)) map.set(field, col);
  });
  // "name" next to a surname column is the given name.
  if (map.has('fullName') && map.has('lastName') && !map.has('firstName')) {
    map.set('firstName', map.get('fullName')!);
    map.delete('fullName');
  }
  return map.has('nationalId') && (map.has('firstName') || map.has('fullName')) ? map : undefined;
}

function findHeader(rows: Array<{ row: number; cells: string[] }>): { at: number; map: Map<Field, number> } | undefined {
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const map = mapHeader(rows[i].cells);
    if (map) return { at: i, map };
  }
  return undefined;
}

/** Digits of an ID cell, or why it is not one. Excel's 1.1017E+12 has lost digits and cannot be trusted. */
export function normaliseRosterId(raw: string): { id: string } | { error: string } {
  const text = asciiDigits(cleanThai(raw)).trim().replace(/^'/, '').replace(/,/g, '');
  if (!text) return { error: 'ไม่มีเลขประจำตัวประชาชน' };
  const sci = /^(\d)(?:\.(\d+))?e\+?(\d+)$/i.exec(text);
  let digits: string;
  if (sci) {
    const mantissa = sci[1] + (sci[2] ?? '');
    if (Number(sci[3]) !== 12) return { error: `เลขประจำตัวประชาชนต้องมี 13 หลัก (พบ ${text})` };
    if (mantissa.length < 13) {
      return { error: `Excel แสดงเลขเป็น ${text} ทำให้ตัวเลขหายไป: จัดรูปแบบคอลัมน์เป็นข้อความ (Text) แล้วพิมพ์เลขใหม่` };
    }
    digits = /^0*$/.test(mantissa.slice(13)) ? mantissa.slice(0, 13) : mantissa;
  } else {
    digits = text.replace(/\.0+$/, '').replace(/[\s\-.]/g, '');
  }
  if (!/^\d+$/.test(digits)) return { error: `เลขประจำตัวประชาชนมีอักขระที่ไม่ใช่ตัวเลข: "${raw.trim()}"` };
  if (digits.length !== 13) return { error: `เลขประจำตัวประชาชนต้องมี 13 หลัก (พบ ${digits.length} หลัก)` };
  if (!isValidNationalId(digits)) {
    return { error: `เลขประจำตัวประชาชน ${digits} ไม่ถูกต้อง: หลักที่ 13 (เลขตรวจสอบ) ควรเป็น ${checkDigit(digits)}` };
  }
  return { id: digits };
}

function splitEmails(text: string): string[] {
  return text.toLowerCase().split(/[\s,;]+/).map((s) => s.replace(/^mailto:/, '')).filter(Boolean);
}

function rowsToRoster(rows: Array<{ row: number; cells: string[] }>): { roster: Roster; errors: RosterRowError[] } {
  const header = findHeader(rows);
  if (!header) {
    return fileError('ไม่พบแถวหัวตาราง: ต้องมีคอลัมน์ national_id (เลขประจำตัวประชาชน) และ first_name/last_name (ชื่อ/นามสกุล)');
  }
  const errors: RosterRowError[] = [];
  const persons: Person[] = [];
  const firstRowOf = new Map<string, number>();
  const cell = (cells: string[], field: Field): string => {
    const col = header.map.get(field);
    return col === undefined ? '' : cleanThai(cells[col] ?? '').replace(/\s+/g, ' ').trim();
  };

  for (const { row, cells } of rows.slice(header.at + 1)) {
    if (cells.every((c) => !String(c ?? '').trim())) continue;
    const rowErrors: RosterRowError[] = [];
    const id = normaliseRosterId(cell(cells, 'nationalId'));
    if ('error' in id) rowErrors.push({ row, field: FIELD_NAME.nationalId, message: id.error });

    let prefix = cell(cells, 'prefix');
    let first = cell(cells, 'firstName');
    let last = cell(cells, 'lastName');
    const full = cell(cells, 'fullName');
    if (!first && full) first = full;
    if (first && !last && first.includes(' ')) {
      const stripped = stripPrefix(first);
      const words = stripped.rest.split(' ');
      if (stripped.prefix && !prefix) prefix = stripped.prefix;
      first = words[0];
      last = words.slice(1).join(' ');
    }
    const stripped = stripPrefix(first);
    if (stripped.prefix && (!prefix || stripped.prefix === prefix)) {
      prefix = stripped.prefix; // "นายสมชาย" typed into the first-name column
      first = stripped.rest;
    }
    if (!first) rowErrors.push({ row, field: FIELD_NAME.firstName, message: 'ไม่มีชื่อ' });
    if (!last) rowErrors.push({ row, field: FIELD_NAME.lastName, message: 'ไม่มีนามสกุล' });

    if (!('error' in id)) {
      const earlier = firstRowOf.get(id.id);
      if (earlier !== undefined) {
        rowErrors.push({ row, field: FIELD_NAME.nationalId, message: `เลขประจำตัวประชาชน ${id.id} ซ้ำกับแถวที่ ${earlier} (ใช้แถวที่ ${earlier})` });
      } else if (!rowErrors.length) {
        firstRowOf.set(id.id, row);
      }
    }
    if (rowErrors.length || 'error' in id) {
      errors.push(...rowErrors);
      continue;
    }

    const emails = splitEmails(cell(cells, 'email'));
    const good = emails.filter((e) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
    for (const bad of emails.filter((e) => !good.includes(e))) {
      errors.push({ row, field: FIELD_NAME.email, message: `อีเมล "${bad}" ไม่ถูกต้อง (นำเข้าแถวนี้โดยไม่ใช้อีเมลนี้)` });
    }
    const unit = cell(cells, 'unit');
    persons.push({
      nationalId: id.id,
      ...(prefix ? { prefix } : {}),
      firstName: first,
      lastName: last,
      ...(unit ? { unit } : {}),
      ...(good.length ? { email: good.join(', ') } : {}),
    });
  }
  return { roster: buildRoster(persons), errors };
}
