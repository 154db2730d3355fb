// The login-status report: a unit's count of civil servants, how many can and cannot log in to SEIS, and who
// cannot (name, national ID, email), from the filled template or the mail body. Every problem is named with
// its row. It leaves out which unit sent it (units.ts) and filing (unit-filing.ts).
import { bodyRows, cellOf, EMAIL, fieldKey, findFields, findTable, parseCount, type Aliases, type Row, type Table } from './form-table.ts';
import { locateNationalIds, normaliseRosterId, stripListMarker } from '../identity/index.ts';
import type { CannotLoginPerson, FormProblem, LoginStatusData } from './types.ts';

export type LoginField = 'unit' | 'unitId' | 'total' | 'can' | 'cannot';
export const LOGIN_FIELDS: Aliases<LoginField> = {
  unit: ['หน่วยงาน', 'ชื่อหน่วยงาน', 'ส่วนราชการ', 'สังกัด', 'สำนักงาน', 'unit', 'unit name', 'office', 'department', 'agency'],
  unitId: ['รหัสหน่วยงาน', 'unit id', 'unit_id', 'unit code'],
  total: ['จำนวนข้าราชการทั้งหมด', 'ข้าราชการทั้งหมด', 'ทั้งหมด', 'รวมทั้งหมด', 'ข้าราชการ', 'total', 'total civil servants', 'civil servants', 'all'],
  can: ['เข้าใช้งานได้', 'สามารถเข้าใช้งานได้', 'เข้าใช้ได้', 'เข้าระบบได้', 'สามารถเข้าใช้ได้', 'can log in', 'can login', 'able to log in', 'logged in'],
  cannot: ['เข้าใช้งานไม่ได้', 'ไม่สามารถเข้าใช้งานได้', 'ไม่สามารถเข้าใช้งาน', 'เข้าใช้ไม่ได้', 'เข้าระบบไม่ได้', 'ไม่สามารถเข้าใช้ได้', 'cannot log in', 'cannot login',
    'can not log in', 'unable to log in'],
};

type ListColumn = 'seq' | 'prefix' | 'firstName' | 'lastName' | 'fullName' | 'nationalId' | 'email' | 'note';
export const LOGIN_COLUMNS: Aliases<ListColumn> = {
  seq: ['ลำดับ', 'ลำดับที่', 'ที่', 'no', '#', 'seq'],
  prefix: ['คำนำหน้า', 'คำนำหน้าชื่อ', 'prefix', 'title'],
  firstName: ['ชื่อ', 'first name', 'firstname', 'given name'],
  lastName: ['นามสกุล', 'สกุล', 'last name', 'lastname', 'surname'],
  fullName: ['ชื่อ-นามสกุล', 'ชื่อนามสกุล', 'ชื่อ-สกุล', 'ชื่อสกุล', 'ชื่อและนามสกุล', 'name', 'full name'],
  nationalId: ['เลขประจำตัวประชาชน', 'เลขบัตรประชาชน', 'เลขบัตรประจำตัวประชาชน', 'เลขประจำตัวประชาชน 13 หลัก', 'national id', 'id card', 'citizen id', 'national_id'],
  email: ['อีเมล', 'อีเมล์', 'e-mail', 'email', 'อีเมลที่ใช้เข้าระบบ'],
  note: ['หมายเหตุ', 'สาเหตุ', 'ปัญหา', 'note', 'reason', 'remark'],
};

export const FIELD_TH: Record<LoginField, string> = {
  unit: 'หน่วยงาน',
  unitId: 'รหัสหน่วยงาน',
  total: 'จำนวนข้าราชการทั้งหมด',
  can: 'เข้าใช้งานได้',
  cannot: 'เข้าใช้งานไม่ได้',
};

export interface LoginRead {
  /** How sure we are that these rows are a login-status report: 0 none, 1 some of it, 2 the template or its fields. */
  strength: 0 | 1 | 2;
  data: LoginStatusData;
  problems: FormProblem[];
}

const isHeader = (c: Map<ListColumn, number>) => c.has('nationalId') && (c.has('fullName') || c.has('firstName') || c.has('email'));

/** Reads and checks one sheet or body. `where` names rows in messages: "แถวที่" (sheet) or "บรรทัดที่" (body). */
export function readLoginStatus(rows: Row[], where: 'แถวที่' | 'บรรทัดที่'): LoginRead {
  const fields = findFields(rows, LOGIN_FIELDS);
  const table = findTable(rows, LOGIN_COLUMNS, isHeader);
  const counts = (['total', 'can', 'cannot'] as const).filter((f) => fields.has(f)).length;
  const strength = counts >= 2 || (counts >= 1 && table) ? 2 : counts || table ? 1 : 0;
  const problems: FormProblem[] = [];
  const data: LoginStatusData = { form: 'login-status', people: [] };
  const unit = fields.get('unit')?.value;
  const unitId = fields.get('unitId')?.value;
  if (unit) data.unit = unit;
  if (unitId) data.unitId = unitId;

  for (const f of ['total', 'can', 'cannot'] as const) {
    const field = fields.get(f);
    if (!field || field.value === '') {
      problems.push({ code: 'missing-field', field: f, message: `ไม่พบ${FIELD_TH[f]} (จำนวนคน)` });
      continue;
    }
    const n = parseCount(field.value);
    if (n === undefined) {
      problems.push({ code: 'not-a-number', field: f, row: field.row, message: `${FIELD_TH[f]} "${field.value}" ไม่ใช่จำนวนเต็ม (${where} ${field.row})` });
    } else {
      data[f] = n;
    }
  }
  const { total, can, cannot } = data;
  if (total !== undefined && can !== undefined && cannot !== undefined && can + cannot !== total) {
    problems.push({
      code: 'counts-mismatch',
      message: `จำนวนไม่ตรงกัน: เข้าใช้งานได้ ${can} + เข้าใช้งานไม่ได้ ${cannot} = ${can + cannot} คน แต่จำนวนข้าราชการทั้งหมดคือ ${total} คน`,
    });
  }

  const headerRow = table?.headerRow ?? Math.max(0, ...[...fields.values()].map((f) => f.row));
  data.people = table ? tablePeople(table, where, problems) : freePeople(rows.filter((r) => r.row > headerRow), where, problems);
  if (cannot !== undefined && cannot > 0 && data.people.length === 0) {
    problems.push({ code: 'missing-list', message: `แจ้งว่าเข้าใช้งานไม่ได้ ${cannot} คน แต่ไม่พบรายชื่อ (ชื่อ-นามสกุล เลขประจำตัวประชาชน อีเมล)` });
  } else if (cannot !== undefined && data.people.length !== cannot) {
    problems.push({
      code: 'list-count-mismatch',
      message: `แจ้งว่าเข้าใช้งานไม่ได้ ${cannot} คน แต่รายชื่อผู้ที่เข้าใช้งานไม่ได้มี ${data.people.length} คน`,
    });
  }
  checkDuplicates(data.people, where, problems);
  return { strength: strength as LoginRead['strength'], data, problems };
}

function tablePeople(table: Table<ListColumn>, where: string, problems: FormProblem[]): CannotLoginPerson[] {
  const people: CannotLoginPerson[] = [];
  for (const row of table.rows) {
    const cell = (c: ListColumn) => cellOf(table, row, c);
    // A trailing note under the table ("หมายเหตุ: …") or a running total is not a person.
    if (!cell('nationalId') && !cell('email') && !(cell('lastName') || cell('fullName'))) continue;
    const name = stripListMarker(cell('fullName') || [`${cell('prefix')}${cell('firstName')}`, cell('lastName')].filter(Boolean).join(' ')).trim();
    people.push(checkPerson({ row: row.row, name, id: cell('nationalId'), email: cell('email'), note: cell('note') }, where, problems));
  }
  return people;
}

/** Numbered lines with an ID in them: "1. นายสมชาย ใจดี 1-2345-67890-12-3 somchai@example.test". */
function freePeople(rows: Row[], where: string, problems: FormProblem[]): CannotLoginPerson[] {
  const people: CannotLoginPerson[] = [];
  for (const row of rows) {
    const text = row.cells.join(' ');
    const digits = /(?<![\d])(\d[\d\s-]{8,20}\d)(?![\d])/.exec(text.replace(/[๐-๙]/g, (d) => String('๐๑๒๓๔๕๖๗๘๙'.indexOf(d))));
    // 12–14 digits: an ID, perhaps mistyped; phone numbers (9–10 digits) in a signature are not people.
    const length = digits ? digits[1].replace(/\D/g, '').length : 0;
    if (!digits || length < 12 || length > 14) continue;
    const id = locateNationalIds(text)[0]?.id ?? digits[1];
    const email = /[^\s@<>(),;:"]+@[^\s@<>(),;:"]+/.exec(text)?.[0] ?? '';
    const name = stripListMarker(text.slice(0, digits.index))
      .replace(/(ชื่อ(-?นามสกุล)?|name|เลขประจำตัวประชาชน|เลขบัตรประชาชน)\s*[:：]?\s*$/i, '').trim();
    people.push(checkPerson({ row: row.row, name, id, email, note: '' }, where, problems));
  }
  return people;
}

function checkPerson(
  p: { row: number; name: string; id: string; email: string; note: string },
  where: string,
  problems: FormProblem[],
): CannotLoginPerson {
  const at = `${where} ${p.row}`;
  if (!p.name) problems.push({ code: 'missing-name', row: p.row, message: `${at}: ไม่มีชื่อ-นามสกุล` });
  let nationalId = p.id.replace(/[\s-]/g, '');
  if (!p.id) {
    problems.push({ code: 'missing-national-id', row: p.row, message: `${at}: ไม่มีเลขประจำตัวประชาชน` });
  } else {
    const checked = normaliseRosterId(p.id);
    if ('error' in checked) problems.push({ code: 'bad-national-id', row: p.row, message: `${at}${p.name ? ` (${p.name})` : ''}: ${checked.error}` });
    else nationalId = checked.id;
  }
  const email = p.email.replace(/^mailto:/i, '').trim();
  if (!email) problems.push({ code: 'missing-email', row: p.row, message: `${at}${p.name ? ` (${p.name})` : ''}: ไม่มีอีเมล` });
  else if (!EMAIL.test(email)) problems.push({ code: 'bad-email', row: p.row, message: `${at}${p.name ? ` (${p.name})` : ''}: อีเมล "${email}" ไม่ถูกต้อง` });
  return { row: p.row, name: p.name, nationalId, email, ...(p.note ? { note: p.note } : {}) };
}

function checkDuplicates(people: CannotLoginPerson[], where: string, problems: FormProblem[]): void {
  const first = new Map<string, number>();
  for (const p of people) {
    if (!/^\d{13}$/.test(p.nationalId)) continue;
    const earlier = first.get(p.nationalId);
    if (earlier === undefined) first.set(p.nationalId, p.row);
    else problems.push({ code: 'duplicate-national-id', row: p.row, message: `${where} ${p.row}: เลขประจำตัวประชาชนซ้ำกับ${where} ${earlier}` });
  }
}

/** The body as a login-status report (quoted earlier mail skipped). */
export function readLoginStatusBody(text: string): LoginRead {
  return readLoginStatus(bodyRows(text), 'บรรทัดที่');
}

/** True when a header cell names one of the report's count fields (for routing hints). */
export function isLoginField(text: string): boolean {
  const key = fieldKey(text);
  return (['total', 'can', 'cannot'] as const).some((f) => LOGIN_FIELDS[f].some((a) => fieldKey(a) === key));
}
