// The admin-appointment report: the officers a unit appointed as system administrators of DPIS V6 and SEIS
// (name, position, phone, email, system), from the filled template or the body, plus the appointment order,
// which must be a real PDF. Every problem is named with its row. Which unit sent it is decided in units.ts.
import { bodyRows, cellOf, EMAIL, fieldKey, findFields, findTable, lookup, type Aliases, type Row, type Table } from './form-table.ts';
import { asciiDigits, stripListMarker } from '../identity/index.ts';
import type { AdminAppointmentData, AdminSystem, Administrator, FormProblem } from './types.ts';

type Field = 'unit' | 'unitId' | 'orderNo' | 'orderDate';
const FIELDS: Aliases<Field> = {
  unit: ['หน่วยงาน', 'ชื่อหน่วยงาน', 'ส่วนราชการ', 'สังกัด', 'unit', 'unit name', 'office', 'department'],
  unitId: ['รหัสหน่วยงาน', 'unit id', 'unit_id', 'unit code'],
  orderNo: ['เลขที่คำสั่ง', 'คำสั่งที่', 'คำสั่งเลขที่', 'order no', 'order number'],
  orderDate: ['ลงวันที่', 'วันที่คำสั่ง', 'คำสั่งลงวันที่', 'order date'],
};

type Column = 'seq' | 'system' | 'prefix' | 'firstName' | 'lastName' | 'fullName' | 'position' | 'phone' | 'email';
const COLUMNS: Aliases<Column> = {
  seq: ['ลำดับ', 'ลำดับที่', 'ที่', 'no', '#'],
  system: ['ระบบ', 'ระบบที่ดูแล', 'ผู้ดูแลระบบ', 'system', 'admin of'],
  prefix: ['คำนำหน้า', 'คำนำหน้าชื่อ', 'prefix', 'title'],
  firstName: ['ชื่อ', 'first name', 'firstname'],
  lastName: ['นามสกุล', 'สกุล', 'last name', 'surname'],
  fullName: ['ชื่อ-นามสกุล', 'ชื่อนามสกุล', 'ชื่อ-สกุล', 'ชื่อสกุล', 'name', 'full name'],
  position: ['ตำแหน่ง', 'position'],
  phone: ['โทรศัพท์', 'เบอร์โทรศัพท์', 'เบอร์โทร', 'โทร', 'หมายเลขโทรศัพท์', 'โทรศัพท์มือถือ', 'มือถือ', 'phone', 'tel', 'telephone', 'mobile'],
  email: ['อีเมล', 'อีเมล์', 'e-mail', 'email'],
};

export const SYSTEM_TH: Record<AdminSystem, string> = { dpis: 'DPIS V6', seis: 'SEIS', both: 'DPIS V6 และ SEIS' };

export function parseSystem(text: string): AdminSystem | undefined {
  const t = text.toLowerCase();
  const dpis = /dpis/.test(t);
  const seis = /seis/.test(t);
  if ((dpis && seis) || /ทั้งสอง|ทั้ง 2|both/.test(t)) return 'both';
  return dpis ? 'dpis' : seis ? 'seis' : undefined;
}

/** Thai numbers: 0 + 8–9 digits (landline or mobile) or +66 without the 0; an extension (ต่อ 123) is allowed. */
export function isPhone(text: string): boolean {
  const numbers = asciiDigits(text).split(/[,/]|หรือ/).map((p) => p.split(/ต่อ|ext\.?|#|x/i)[0]).filter((p) => p.trim());
  return numbers.length > 0 && numbers.every((p) => {
    const d = p.replace(/[\s\-().]/g, '');
    return /^0\d{8,9}$/.test(d) || /^\+66\d{8,9}$/.test(d);
  });
}

export interface AdminRead {
  strength: 0 | 1 | 2;
  data: AdminAppointmentData;
  problems: FormProblem[];
}

const isHeader = (c: Map<Column, number>) => (c.has('system') || c.has('position')) && (c.has('fullName') || c.has('firstName'));

/** "ผู้ดูแลระบบ DPIS V6: นายสมชาย ใจดี" opens an officer's group with the system in the label. */
function systemLabel(cell: string): AdminSystem | undefined {
  const key = fieldKey(cell);
  return /^(ดูแลระบบ|admin(istrator)?)?(dpis|seis)/.test(key) || /^(dpis|seis).*(admin|ดูแล)/.test(key) ? parseSystem(key) : undefined;
}

/** `field: value` groups in the body: a field seen again starts the next officer. */
function groupedOfficers(rows: Row[]): Array<{ row: number; values: Partial<Record<Column, string>> }> {
  const groups: Array<{ row: number; values: Partial<Record<Column, string>> }> = [];
  let current: (typeof groups)[number] | undefined;
  for (const { row, cells } of rows) {
    if (cells.length < 2) continue;
    const label = systemLabel(cells[0]);
    const column = label ? 'system' : lookup(COLUMNS, cells[0]);
    if (!column || column === 'seq') continue;
    if (!current || current.values[column] !== undefined) groups.push(current = { row, values: {} });
    if (label) {
      current.values.system = SYSTEM_TH[label];
      if (cells[1]) current.values.fullName = cells[1];
    } else {
      current.values[column] = cells[1];
    }
  }
  return groups.filter((g) => g.values.system !== undefined && Object.keys(g.values).length >= 2);
}

export function readAdminAppointment(rows: Row[], where: 'แถวที่' | 'บรรทัดที่'): AdminRead {
  const fields = findFields(rows, FIELDS);
  const table = findTable(rows, COLUMNS, isHeader);
  const data: AdminAppointmentData = { form: 'admin-appointment', administrators: [] };
  for (const f of Object.keys(FIELDS) as Field[]) {
    const value = fields.get(f)?.value;
    if (value) data[f] = value;
  }
  const problems: FormProblem[] = [];
  const entries = table ? tableOfficers(table) : groupedOfficers(rows);
  for (const entry of entries) data.administrators.push(checkOfficer(entry, where, problems));
  const strength = table || entries.length ? 2 : fields.has('orderNo') ? 1 : 0;
  return { strength, data, problems };
}

function tableOfficers(table: Table<Column>): Array<{ row: number; values: Partial<Record<Column, string>> }> {
  return table.rows.map((row) => {
    const values: Partial<Record<Column, string>> = {};
    for (const c of table.columns.keys()) values[c] = cellOf(table, row, c);
    return { row: row.row, values };
  }).filter((e) => e.values.fullName || e.values.firstName || e.values.lastName || e.values.email || e.values.phone);
}

function checkOfficer(
  entry: { row: number; values: Partial<Record<Column, string>> },
  where: string,
  problems: FormProblem[],
): Administrator {
  const v = entry.values;
  const name = stripListMarker(v.fullName || [`${v.prefix ?? ''}${v.firstName ?? ''}`, v.lastName ?? ''].filter(Boolean).join(' ')).trim();
  const at = `${where} ${entry.row}${name ? ` (${name})` : ''}`;
  const add = (code: FormProblem['code'], message: string) => problems.push({ code, row: entry.row, message: `${at}: ${message}` });
  const system = parseSystem(v.system ?? '');
  if (!v.system) add('missing-system', 'ไม่ระบุระบบที่ดูแล (DPIS V6 หรือ SEIS)');
  else if (!system) add('bad-system', `ระบบ "${v.system}" ไม่ถูกต้อง ระบุได้เฉพาะ DPIS V6 หรือ SEIS`);
  if (!name) add('missing-name', 'ไม่มีชื่อ-นามสกุล');
  if (!v.position) add('missing-position', 'ไม่มีตำแหน่ง');
  if (!v.phone) add('missing-phone', 'ไม่มีหมายเลขโทรศัพท์');
  else if (!isPhone(v.phone)) add('bad-phone', `หมายเลขโทรศัพท์ "${v.phone}" ไม่ถูกต้อง (ต้องขึ้นต้นด้วย 0 และมี 9–10 หลัก)`);
  const email = (v.email ?? '').replace(/^mailto:/i, '').trim();
  if (!email) add('missing-email', 'ไม่มีอีเมล');
  else if (!EMAIL.test(email)) add('bad-email', `อีเมล "${email}" ไม่ถูกต้อง`);
  return { row: entry.row, ...(system ? { system } : {}), name, position: v.position ?? '', phone: v.phone ?? '', email };
}

export function readAdminAppointmentBody(text: string): AdminRead {
  return readAdminAppointment(bodyRows(text), 'บรรทัดที่');
}

/** Which checklist items a valid officer list satisfies. */
export function adminItems(data: AdminAppointmentData): string[] {
  const systems = new Set(data.administrators.map((a) => a.system));
  return [
    ...(systems.has('dpis') || systems.has('both') ? ['dpis-admin'] : []),
    ...(systems.has('seis') || systems.has('both') ? ['seis-admin'] : []),
  ];
}
