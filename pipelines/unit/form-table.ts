// Reads the structured data units send: a CSV/XLSX (the published template or something like it) or the mail
// body (`field: value` lines, a table with a header line, numbered lines). Turns them into rows of cells and
// finds named fields and one table by their Thai or English names. What the fields mean is decided elsewhere
// (login-status.ts, admin-appointment.ts).
import { readXlsxSheets } from '../xlsx.ts';
import { decodeText, readCsv } from '../csv.ts';
import { cleanThai, asciiDigits, stripListMarker } from '../identity/index.ts';
import type { FileBody } from '../body.ts';

/**
 * One row of cells. Rows read from a body also say how the line was written (`table`: cells split by |, tabs or
 * runs of spaces; `field`: `key: value`; `text`) and whether a blank line came before it: where a typed table ends.
 */
export interface Row {
  row: number;
  cells: string[];
  kind?: 'table' | 'field' | 'text';
  afterBlank?: boolean;
}
/** Where a value came from, for the reply ("แถวที่ 7", "บรรทัดที่ 3"). */
export type Origin = 'sheet' | 'body';

const isZipBytes = (b: Buffer) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

/** A CSV/TSV by name, or an XLSX by name and bytes (a renamed Word file is not a sheet). */
export function isSpreadsheet(file: { name: string; body: FileBody }): boolean {
  return (isZipBytes(file.body.head) && /\.xlsx$/i.test(file.name)) || /\.(csv|tsv)$/i.test(file.name);
}

/** Every sheet of an XLSX (one for CSV) as rows; an error in Thai when it cannot be read. */
export async function readSheets(file: { name: string; body: FileBody }): Promise<{ sheets: Row[][] } | { error: string }> {
  const content = await file.body.bytes();
  if (isZipBytes(content)) {
    try {
      return { sheets: await readXlsxSheets(content, clean) };
    } catch (err) {
      return { error: `อ่านไฟล์ Excel ไม่ได้ (${(err as Error).message.slice(0, 80)})` };
    }
  }
  try {
    return { sheets: [readCsv(decodeText(content)).map(({ row, cells }) => ({ row, cells: cells.map(clean) }))] };
  } catch (err) {
    return { error: `อ่านไฟล์ CSV ไม่ได้ (${(err as Error).message.slice(0, 80)})` };
  }
}

function clean(text: string): string {
  return cleanThai(String(text ?? '')).replace(/\s+/g, ' ').trim();
}

/**
 * The body as rows. `key: value` (or ：, =) is two cells; a line with |, tabs or runs of spaces is a table row;
 * quoted lines ("> …", an earlier reply) are skipped so our own reply is never read back as data.
 */
export function bodyRows(text: string): Row[] {
  const rows: Row[] = [];
  let blank = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = cleanThai(raw).replace(/\u00a0/g, ' ').trimEnd();
    if (!line.trim()) {
      blank = true;
      return;
    }
    if (/^\s*>/.test(line)) return;
    let cells: string[];
    let kind: Row['kind'] = 'table';
    if (line.includes('|')) cells = line.split('|').map(clean).filter((c, j, all) => c || (j > 0 && j < all.length - 1));
    else if (line.includes('\t')) cells = line.split('\t').map(clean);
    else if (/\S {2,}\S/.test(line.trim())) cells = line.trim().split(/ {2,}/).map(clean);
    else {
      // "1. ชื่อ: …", "๒) อีเมล: …", "- โทร: …": the numbering is not part of the field name.
      const kv = /^([^:：=]{1,60}?)\s*[:：=]\s*(.*)$/.exec(stripListMarker(line));
      const isField = kv && !/^(https?|mailto)$/i.test(kv[1].trim());
      cells = isField ? [clean(kv[1]), clean(kv[2])] : [clean(line)];
      kind = isField ? 'field' : 'text';
    }
    if (cells.some(Boolean)) rows.push({ row: i + 1, cells, kind, afterBlank: blank });
    blank = false;
  });
  return rows;
}

/**
 * The rows of a table typed in a body: they run until a `key: value` line, or until a line after a blank line
 * that is not a table row (the order number and date under an officers' table). Sheets run to the end.
 */
function tableBody(rows: Row[]): Row[] {
  const end = rows.findIndex((r) => r.kind === 'field' || (r.afterBlank && r.kind !== 'table'));
  return end < 0 ? rows : rows.slice(0, end);
}

/** Comparison key of a field or column name: no case, spaces, punctuation, bracketed notes, or filler words. */
export function fieldKey(text: string): string {
  let key = asciiDigits(cleanThai(text)).toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, '')
    .replace(/[\s_\-.,:：;'"*#/\\]+/g, '');
  key = key.replace(/^(numberof|no\.?of|จำนวน)/, '').replace(/^(ข้าราชการ)?(ผู้ที่|ผู้)/, '');
  // "เข้าใช้งานระบบ SEIS ได้" is "เข้าใช้งานได้"; elsewhere SEIS is meaningful (ผู้ดูแลระบบ SEIS).
  if (/เข้าใช้|เข้าระบบ|login/.test(key)) key = key.replace(/(ในระบบ|ระบบ)?seis|ในระบบ/g, '');
  return key.replace(/(คน|ราย|ท่าน)$/, '');
}

export type Aliases<K extends string> = Record<K, string[]>;

const aliasIndexes = new WeakMap<Aliases<string>, Map<string, string>>();

/** The field or column a name stands for: the first (in the table's order) with an alias of the same key. */
export function lookup<K extends string>(aliases: Aliases<K>, text: string): K | undefined {
  const key = fieldKey(text);
  if (!key) return undefined;
  let index = aliasIndexes.get(aliases);
  if (!index) {
    // The aliases' keys, computed once per table: each key stands for the first field that has it.
    index = new Map();
    for (const field of Object.keys(aliases) as K[]) {
      for (const alias of aliases[field]) if (!index.has(fieldKey(alias))) index.set(fieldKey(alias), field);
    }
    aliasIndexes.set(aliases, index);
  }
  return index.get(key) as K | undefined;
}

export interface FieldValue {
  value: string;
  row: number;
}

/** `field | value` rows (the value is the next non-empty cell); the first occurrence of each field wins. */
export function findFields<K extends string>(rows: Row[], aliases: Aliases<K>): Map<K, FieldValue> {
  const out = new Map<K, FieldValue>();
  for (const { row, cells } of rows) {
    const at = cells.findIndex((c) => c !== '');
    if (at < 0) continue;
    const field = lookup(aliases, cells[at]);
    if (field && !out.has(field)) {
      out.set(field, { value: cells.slice(at + 1).find((c) => c !== '') ?? '', row });
      continue;
    }
    // "ข้าราชการทั้งหมด 120 คน": a label and a number in one cell.
    const glued = /^(.*?[^\d\s,])\s*([\d๐-๙][\d๐-๙,]*)\s*(คน|ราย|ท่าน)?\s*$/.exec(cells[at]);
    const gluedField = glued ? lookup(aliases, glued[1]) : undefined;
    if (glued && gluedField && !out.has(gluedField)) out.set(gluedField, { value: glued[2], row });
  }
  return out;
}

export interface Table<C extends string> {
  headerRow: number;
  columns: Map<C, number>;
  rows: Row[];
}

/** The first row that names enough columns is the header; the table runs to the end of a sheet (blank rows skipped) or of the table typed in a body. */
export function findTable<C extends string>(
  rows: Row[],
  aliases: Aliases<C>,
  isHeader: (columns: Map<C, number>) => boolean,
): Table<C> | undefined {
  for (let i = 0; i < rows.length; i++) {
    const columns = new Map<C, number>();
    rows[i].cells.forEach((cell, col) => {
      const name = lookup(aliases, cell);
      if (name && !columns.has(name)) columns.set(name, col);
    });
    if (columns.size >= 2 && isHeader(columns)) {
      const body = (rows[i].kind === 'table' ? tableBody(rows.slice(i + 1)) : rows.slice(i + 1)).filter((r) => r.cells.some((c) => c !== ''));
      return { headerRow: rows[i].row, columns, rows: body };
    }
  }
  return undefined;
}

export function cellOf<C extends string>(table: Table<C>, row: Row, column: C): string {
  const at = table.columns.get(column);
  return at === undefined ? '' : (row.cells[at] ?? '').trim();
}

/** "1,234", "๑๒๐", "120 คน" → 120; undefined when there is no whole number in it. */
export function parseCount(text: string): number | undefined {
  const m = /^\s*([\d,]+)\s*(คน|ราย|ท่าน)?\s*$/.exec(asciiDigits(text));
  if (!m) return undefined;
  const n = Number(m[1].replace(/,/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

export const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z]{2,}$/i;
