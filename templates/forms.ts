// The published templates units fill in (CSV and XLSX, Thai headers), made from one definition so the files in
// templates/forms/, the copies attached to replies and what the readers accept never drift apart.
// Writes nothing: `npm run forms` (scripts/generate-forms.ts) regenerates the committed copies.
import { writeCsv } from '../pipelines/csv.ts';
import { loadExcel } from '../pipelines/xlsx.ts';

export type FormKind = 'login-status' | 'admin-appointment';
export type FormFormat = 'xlsx' | 'csv';

interface FormDefinition {
  fileBase: string;
  title: string;
  fields: string[];
  listTitle: string;
  columns: string[];
  /** Width of each list column in the XLSX; the national ID column is text so Excel keeps all 13 digits. */
  widths: number[];
  textColumns: number[];
  help: string[];
}

export const FORMS: Record<FormKind, FormDefinition> = {
  'login-status': {
    fileBase: 'seis-login-status-template',
    title: 'แบบรายงานสถานะการเข้าใช้งานระบบ SEIS (กรอกข้อมูลแล้วแนบไฟล์นี้ตอบกลับ)',
    fields: ['หน่วยงาน', 'รหัสหน่วยงาน', 'จำนวนข้าราชการทั้งหมด (คน)', 'เข้าใช้งานได้ (คน)', 'เข้าใช้งานไม่ได้ (คน)'],
    listTitle: 'รายชื่อผู้ที่ไม่สามารถเข้าใช้งานได้ (หนึ่งคนต่อหนึ่งแถว)',
    columns: ['ลำดับ', 'คำนำหน้า', 'ชื่อ', 'นามสกุล', 'เลขประจำตัวประชาชน', 'อีเมล', 'หมายเหตุ'],
    widths: [8, 12, 20, 24, 20, 32, 30],
    textColumns: [5],
    help: [
      'กรอกจำนวนเป็นตัวเลข: เข้าใช้งานได้ + เข้าใช้งานไม่ได้ ต้องเท่ากับจำนวนข้าราชการทั้งหมด',
      'รายชื่อผู้ที่ไม่สามารถเข้าใช้งานได้ต้องมีจำนวนแถวเท่ากับจำนวนที่เข้าใช้งานไม่ได้ พร้อมเลขประจำตัวประชาชน 13 หลักและอีเมล',
      'หากไม่แนบไฟล์ สามารถพิมพ์ในเนื้อหาอีเมลได้ เช่น "จำนวนข้าราชการทั้งหมด: 120" แล้วตามด้วยรายชื่อ บรรทัดละหนึ่งคน',
    ],
  },
  'admin-appointment': {
    fileBase: 'seis-admin-template',
    title: 'แบบแจ้งรายชื่อผู้ดูแลระบบ DPIS V6 และ SEIS (กรอกแล้วแนบพร้อมไฟล์คำสั่งแต่งตั้ง PDF)',
    fields: ['หน่วยงาน', 'รหัสหน่วยงาน', 'เลขที่คำสั่ง', 'ลงวันที่'],
    listTitle: 'ผู้ดูแลระบบ (ระบบละอย่างน้อยหนึ่งคน)',
    columns: ['ลำดับ', 'ระบบ (DPIS V6 หรือ SEIS)', 'คำนำหน้า', 'ชื่อ', 'นามสกุล', 'ตำแหน่ง', 'โทรศัพท์', 'อีเมล'],
    widths: [8, 24, 12, 20, 24, 32, 18, 32],
    textColumns: [7],
    help: [
      'ระบุระบบที่ดูแลในแต่ละแถว: DPIS V6 หรือ SEIS (ผู้ดูแลทั้งสองระบบ ระบุ "DPIS V6 และ SEIS")',
      'แนบคำสั่งแต่งตั้งผู้ดูแลระบบเป็นไฟล์ PDF มาในอีเมลฉบับเดียวกัน',
      'หากไม่แนบไฟล์นี้ สามารถพิมพ์ในเนื้อหาอีเมลได้ เช่น "ผู้ดูแลระบบ DPIS V6: นายสมชาย ใจดี" แล้วตามด้วย ตำแหน่ง: … โทรศัพท์: … อีเมล: …',
    ],
  },
};

/** Rows of the blank form: title, fields, a blank row, the list title and the list header. */
export function formRows(kind: FormKind): string[][] {
  const f = FORMS[kind];
  return [[f.title], ...f.fields.map((field) => [field, '']), [], [f.listTitle], f.columns];
}

/** UTF-8 with a BOM and CRLF, as Excel opens Thai CSV correctly; every row as wide as the list. */
export function formCsv(kind: FormKind): Buffer {
  const width = FORMS[kind].columns.length;
  const rows = formRows(kind).map((row) => Array.from({ length: width }, (_, i) => row[i] ?? ''));
  return Buffer.from(writeCsv(rows, { formulas: 'keep' }), 'utf8');
}

export async function formXlsx(kind: FormKind): Promise<Buffer> {
  const f = FORMS[kind];
  const workbook = new (await loadExcel()).Workbook();
  workbook.created = workbook.modified = new Date('2023-09-01T00:00:00Z');
  const sheet = workbook.addWorksheet('แบบฟอร์ม');
  sheet.columns = f.widths.map((width, i) => ({ width, ...(f.textColumns.includes(i + 1) ? { style: { numFmt: '@' } } : {}) }));
  for (const row of formRows(kind)) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true, size: 14 };
  sheet.getRow(sheet.rowCount).font = { bold: true };
  sheet.getRow(sheet.rowCount - 1).font = { bold: true };
  const help = workbook.addWorksheet('คำอธิบาย');
  help.getColumn(1).width = 110;
  for (const line of f.help) help.addRow([line]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface FormAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export async function formFile(kind: FormKind, format: FormFormat): Promise<FormAttachment> {
  const filename = `${FORMS[kind].fileBase}.${format}`;
  return format === 'csv'
    ? { filename, contentType: 'text/csv; charset=utf-8', content: formCsv(kind) }
    : { filename, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: await formXlsx(kind) };
}

/** The example lines a reply shows for typing the data into the body instead. */
export const BODY_EXAMPLE: Record<FormKind, string[]> = {
  'login-status': [
    'หน่วยงาน: สำนักงานพัฒนาชุมชนจังหวัด…',
    'จำนวนข้าราชการทั้งหมด: 120',
    'เข้าใช้งานได้: 118',
    'เข้าใช้งานไม่ได้: 2',
    'รายชื่อผู้ที่ไม่สามารถเข้าใช้งานได้:',
    '1. นาย… … เลข 13 หลัก อีเมล',
    '2. นาง… … เลข 13 หลัก อีเมล',
  ],
  'admin-appointment': [
    'หน่วยงาน: สำนักงานพัฒนาชุมชนจังหวัด…',
    'ผู้ดูแลระบบ DPIS V6: นาย… …',
    'ตำแหน่ง: …',
    'โทรศัพท์: 0xx-xxx-xxxx',
    'อีเมล: …',
    'ผู้ดูแลระบบ SEIS: นาง… …',
    'ตำแหน่ง: …',
    'โทรศัพท์: 0xx-xxx-xxxx',
    'อีเมล: …',
    '(แนบคำสั่งแต่งตั้งเป็นไฟล์ PDF)',
  ],
};
