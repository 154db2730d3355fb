// The units file: every unit of the department, its kind and contact addresses, read from the CSV/XLSX staff
// keep. It says which unit must send which request (the circular's note, via each campaign's expectedFrom) and
// finds the unit a message comes from. It does not decide what a unit sent (login-status.ts, admin-appointment.ts).
import { readSheets, findTable, cellOf, EMAIL, type Aliases, type Row } from './form-table.ts';
import { cleanThai, asciiDigits } from '../identity/index.ts';
import { memoryBody } from '../body.ts';
import type { SheetRowError } from '../csv.ts';

export type UnitKind = 'province-office' | 'central' | 'institute' | 'centre';
export interface Unit {
  id: string;
  name: string;
  kind: UnitKind;
  emails: string[];
  /** Other names the unit goes by in mail ("พช.เชียงใหม่"). */
  aliases: string[];
  /** Campaign ids this unit must send, overriding its kind (units-file column requests). */
  requests?: string[];
}
export interface UnitsDirectory {
  units: Unit[];
  byId: Map<string, Unit>;
  byEmail: Map<string, Unit[]>;
}
export type UnitRowError = SheetRowError;

type Column = 'id' | 'name' | 'kind' | 'emails' | 'aliases' | 'requests';
const COLUMNS: Aliases<Column> = {
  id: ['unit_id', 'unit id', 'id', 'code', 'unit code', 'รหัสหน่วยงาน', 'รหัส'],
  name: ['name', 'unit', 'unit name', 'ชื่อหน่วยงาน', 'หน่วยงาน', 'ชื่อ'],
  kind: ['kind', 'type', 'unit kind', 'ประเภท', 'ประเภทหน่วยงาน'],
  emails: ['emails', 'email', 'contact', 'contact emails', 'อีเมล', 'อีเมล์', 'อีเมลติดต่อ', 'อีเมลผู้ประสานงาน'],
  aliases: ['aliases', 'alias', 'other names', 'ชื่ออื่น', 'ชื่อย่อ'],
  requests: ['requests', 'sends', 'ต้องส่ง', 'รายการที่ต้องส่ง'],
};

const KINDS: Record<UnitKind, string[]> = {
  'province-office': ['province-office', 'province', 'provinceoffice', 'จังหวัด', 'สำนักงานพัฒนาชุมชนจังหวัด', 'สพจ', 'พชจ'],
  central: ['central', 'ส่วนกลาง', 'หน่วยงานส่วนกลาง', 'กอง', 'สำนัก'],
  institute: ['institute', 'สถาบัน', 'สถาบันการพัฒนาชุมชน'],
  centre: ['centre', 'center', 'ศูนย์', 'ศูนย์ศึกษาและพัฒนาชุมชน'],
};

function norm(text: string): string {
  return asciiDigits(cleanThai(text)).toLowerCase().replace(/[\s_\-.,:;'"()/\\]+/g, '');
}

export function parseUnitKind(text: string): UnitKind | undefined {
  const key = norm(text);
  return (Object.keys(KINDS) as UnitKind[]).find((k) => KINDS[k].some((v) => norm(v) === key));
}

export function splitEmails(text: string): string[] {
  return text.toLowerCase().split(/[\s,;]+/).map((s) => s.replace(/^mailto:/, '').replace(/^<|>$/g, '')).filter(Boolean);
}

export function buildUnits(units: Unit[]): UnitsDirectory {
  const byId = new Map<string, Unit>();
  const byEmail = new Map<string, Unit[]>();
  for (const unit of units) {
    byId.set(unit.id, unit);
    for (const email of unit.emails) byEmail.set(email, [...(byEmail.get(email) ?? []), unit]);
  }
  return { units, byId, byEmail };
}

export async function parseUnits(bytes: Buffer, fileName: string): Promise<{ directory: UnitsDirectory; errors: UnitRowError[] }> {
  const read = await readSheets({ name: fileName, body: memoryBody(bytes) });
  if ('error' in read) return { directory: buildUnits([]), errors: [{ row: 0, message: `${fileName}: ${read.error}` }] };
  const isHeader = (c: Map<Column, number>) => c.has('name') && c.has('kind');
  const table = read.sheets.map((rows) => findTable(rows, COLUMNS, isHeader)).find(Boolean);
  if (!table) {
    return {
      directory: buildUnits([]),
      errors: [{ row: 0, message: 'ไม่พบแถวหัวตาราง: ต้องมีคอลัมน์ unit_id (รหัสหน่วยงาน), name (ชื่อหน่วยงาน), kind (ประเภท) และ emails (อีเมล)' }],
    };
  }
  const units: Unit[] = [];
  const errors: UnitRowError[] = [];
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    const unit = rowToUnit(row, (c) => cellOf(table, row, c), errors);
    if (!unit) continue;
    const earlier = seen.get(unit.id);
    if (earlier !== undefined) {
      errors.push({ row: row.row, field: 'unit_id', message: `รหัสหน่วยงาน ${unit.id} ซ้ำกับแถวที่ ${earlier} (ใช้แถวที่ ${earlier})` });
      continue;
    }
    seen.set(unit.id, row.row);
    units.push(unit);
  }
  return { directory: buildUnits(units), errors };
}

function rowToUnit(row: Row, cell: (c: Column) => string, errors: UnitRowError[]): Unit | undefined {
  const name = cell('name');
  const kindText = cell('kind');
  const kind = parseUnitKind(kindText);
  const id = asciiDigits(cell('id')).replace(/\s+/g, '') || name;
  const rowErrors: UnitRowError[] = [];
  if (!name) rowErrors.push({ row: row.row, field: 'name', message: 'ไม่มีชื่อหน่วยงาน' });
  if (!kind) {
    rowErrors.push({
      row: row.row,
      field: 'kind',
      message: `ประเภทหน่วยงาน "${kindText}" ไม่ถูกต้อง: ใช้ province-office (จังหวัด), central (ส่วนกลาง), institute (สถาบัน) หรือ centre (ศูนย์)`,
    });
  }
  if (rowErrors.length || !kind) {
    errors.push(...rowErrors);
    return undefined;
  }
  const emails = splitEmails(cell('emails'));
  const good = emails.filter((e) => EMAIL.test(e));
  for (const bad of emails.filter((e) => !good.includes(e))) {
    errors.push({ row: row.row, field: 'emails', message: `อีเมล "${bad}" ไม่ถูกต้อง (นำเข้าแถวนี้โดยไม่ใช้อีเมลนี้)` });
  }
  const aliases = cell('aliases').split(/[;,]/).map((a) => a.trim()).filter(Boolean);
  const requests = cell('requests').split(/[\s;,]+/).map((r) => r.trim().toLowerCase()).filter(Boolean);
  return { id, name, kind, emails: good, aliases, ...(requests.length ? { requests } : {}) };
}

/** Whether the circular asks this unit for this request: its own `requests` list, else its kind. */
export function isExpected(unit: Unit, campaign: { id: string; expectedFrom: readonly string[] }): boolean {
  return unit.requests ? unit.requests.includes(campaign.id) : campaign.expectedFrom.includes(unit.kind);
}

export interface UnitMatch {
  unit: Unit;
  by: 'form' | 'address' | 'subject' | 'body';
  notes: string[];
}

/** Names a unit is written as: its name, id, aliases and, for a province office, "จังหวัด<province>". */
function namesOf(unit: Unit): string[] {
  const names = [unit.name, ...unit.aliases];
  const province = /จังหวัด(.+)$/.exec(unit.name)?.[1];
  if (unit.kind === 'province-office' && province) names.push(`จังหวัด${province}`, `พช.${province}`, `พช.จ.${province}`);
  return names.map(norm).filter((n) => n.length >= 4);
}

/**
 * The one unit named in the text. A name inside a longer matched name does not count (สถาบันการพัฒนาชุมชน in a
 * centre's name); two different units named is no answer.
 */
export function unitNamedIn(dir: UnitsDirectory, text: string): Unit | undefined {
  const hay = norm(text);
  const hits = dir.units.flatMap((unit) => namesOf(unit).filter((n) => hay.includes(n)).map((name) => ({ unit, name })));
  const kept = hits.filter((h) => !hits.some((o) => o.unit !== h.unit && o.name.length > h.name.length && o.name.includes(h.name)));
  const found = new Set(kept.map((h) => h.unit));
  return found.size === 1 ? [...found][0] : undefined;
}

function unitByField(dir: UnitsDirectory, value: string): Unit | undefined {
  const key = norm(value);
  if (!key) return undefined;
  return dir.byId.get(value.trim()) ?? dir.units.find((u) => norm(u.id) === key || namesOf(u).includes(key))
    ?? unitNamedIn(dir, value);
}

/**
 * The unit a roster person's สังกัด names: its units-file id, its name or an alias exactly, else the one unit named
 * inside the text. Persons and units files are kept by different people, so the spelling differs a little.
 */
export function unitForName(dir: UnitsDirectory, text: string | undefined): Unit | undefined {
  return text?.trim() ? unitByField(dir, text) : undefined;
}

/**
 * The sending unit: a unit written in the form (id or name) first, then the sender's address, then a unit
 * named in the subject, then in the body. A form that names another unit than the address is noted.
 */
export function matchUnit(
  dir: UnitsDirectory,
  msg: { from?: string; formUnit?: string; formUnitId?: string; subject: string; text: string },
): UnitMatch | undefined {
  const byAddress = msg.from ? dir.byEmail.get(msg.from.toLowerCase()) : undefined;
  const addressUnit = byAddress?.length === 1 ? byAddress[0] : undefined;
  const formUnit = (msg.formUnitId ? unitByField(dir, msg.formUnitId) : undefined)
    ?? (msg.formUnit ? unitByField(dir, msg.formUnit) : undefined);
  if (formUnit) {
    const notes = addressUnit && addressUnit !== formUnit
      ? [`ข้อมูลระบุหน่วยงาน ${formUnit.name} แต่ส่งจากอีเมลของ ${addressUnit.name} ระบบบันทึกเป็นของ ${formUnit.name}`]
      : [];
    return { unit: formUnit, by: 'form', notes };
  }
  if (addressUnit) return { unit: addressUnit, by: 'address', notes: [] };
  const inSubject = unitNamedIn(dir, msg.subject);
  if (inSubject) return { unit: inSubject, by: 'subject', notes: [] };
  const inBody = unitNamedIn(dir, msg.text.split(/\r?\n/).filter((l) => !/^\s*>/.test(l)).join('\n'));
  return inBody ? { unit: inBody, by: 'body', notes: [] } : undefined;
}
