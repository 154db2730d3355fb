// The report for staff who live in Excel: CSV (UTF-8 with BOM) and XLSX with Thai headers and Thai wording.
// Same rows as the JSON report; it decides nothing about statuses (pipelines/person/report.ts does).
import type ExcelJS from 'exceljs';
import { writeCsv } from '../csv.ts';
import { loadExcel } from '../xlsx.ts';
import { formatThaiDateTime } from '../dates.ts';
import type { Report, ReportPerson } from './report.ts';
import type { ChecklistItem } from '../types.ts';

export interface ReportFormatOptions {
  /** For Thai labels of checklist ids; defaults to the circular's checklist (unknown ids are shown as they are). */
  checklist: ChecklistItem[];
}

/** Thai words for person statuses and file-problem codes: shared by these exports and the dashboard. */
export const STATUS_TH: Record<ReportPerson['status'], string> = {
  complete: 'ส่งครบ',
  incomplete: 'ส่งไม่ครบ',
  'not-submitted': 'ยังไม่ส่ง',
};

export const PROBLEM_TH: Record<string, string> = {
  'image-not-pdf': 'เป็นไฟล์ภาพ ไม่ใช่ PDF',
  'fake-pdf': 'ไม่ใช่ไฟล์ PDF จริง',
  'corrupt-pdf': 'ไฟล์ PDF เสียหาย',
  'encrypted-pdf': 'PDF ตั้งรหัสผ่าน',
  'empty-file': 'ไฟล์ว่าง',
  'file-too-large': 'ไฟล์ใหญ่เกินกำหนด',
  'unsupported-type': 'ชนิดไฟล์ไม่รองรับ',
  'zip-bomb': 'ไฟล์บีบอัดผิดปกติ',
  'zip-corrupt': 'ไฟล์บีบอัดเสียหาย',
  'zip-encrypted': 'ไฟล์บีบอัดตั้งรหัสผ่าน',
  'zip-too-deep': 'ไฟล์บีบอัดซ้อนกันหลายชั้นเกินไป',
  tnef: 'ไฟล์ winmail.dat ของ Outlook',
  'late-rejected': 'ส่งหลังกำหนด (ไม่รับ)',
  unclassified: 'ระบุประเภทเอกสารไม่ได้',
  returned: 'เจ้าหน้าที่ส่งคืน',
};

const HEADERS = [
  'เลขประจำตัวประชาชน',
  'ชื่อ-นามสกุล',
  'สังกัด',
  'สถานะ',
  'ส่งเกินกำหนด',
  'เอกสารที่ยังขาด',
  'ไฟล์ที่ใช้ไม่ได้',
  'เอกสารที่ได้รับ',
  'จำนวนไฟล์',
  'ได้รับล่าสุด',
];

/** A report reason in Thai: "returned: blurred" → "เจ้าหน้าที่ส่งคืน: blurred". */
export function reasonTh(reason: string): string {
  const [code, ...rest] = reason.split(': ');
  const label = PROBLEM_TH[code];
  return label ? [label, ...rest].join(': ') : reason;
}

function personCells(p: ReportPerson, labelOf: (id: string) => string): string[] {
  const latest = p.documents.map((d) => d.receivedAt).sort().at(-1);
  const received = [...new Set(p.documents.map((d) => labelOf(d.item)))];
  return [
    p.nationalId,
    p.name,
    p.unit,
    STATUS_TH[p.status],
    p.late ? 'ใช่' : '',
    p.missing.map(labelOf).join('; '),
    p.invalid.map((i) => `${i.file} (${reasonTh(i.reason)})`).join('; '),
    received.join('; '),
    String(p.documents.length),
    latest ? formatThaiDateTime(new Date(latest)) : '',
  ];
}

function labeller(opts: ReportFormatOptions): (id: string) => string {
  const labels = new Map(opts.checklist.map((c) => [c.id, c.label]));
  return (id) => labels.get(id) ?? id;
}

/** The CSV of pipelines/csv.ts: UTF-8 with a BOM, CRLF, formulas shown as text. */
export function reportToCsv(report: Report, opts: ReportFormatOptions): string {
  const labelOf = labeller(opts);
  return writeCsv([HEADERS, ...report.persons.map((p) => personCells(p, labelOf))], { formulas: 'escape' });
}

const graphemes = new Intl.Segmenter('th', { granularity: 'grapheme' });
const RESERVED_SHEET = 'history';

/** Excel's rules: ≤ 31 characters, none of []:*?/\, no leading/trailing apostrophe, unique ignoring case. */
export function sheetName(wanted: string, used: Set<string>): string {
  const clean = wanted.replace(/[[\]:*?/\\\u0000-\u001f]/g, ' ').replace(/\s+/g, ' ').trim()
    .replace(/^'+|'+$/g, '') || 'Sheet';
  const fit = (text: string, max: number) => {
    let out = '';
    for (const { segment } of graphemes.segment(text)) {
      if (out.length + segment.length > max) break;
      out += segment;
    }
    return out.trim();
  };
  for (let n = 1;; n++) {
    const suffix = n > 1 ? ` (${n})` : '';
    const name = fit(clean, 31 - suffix.length) + suffix;
    if (!used.has(name.toLowerCase()) && name.toLowerCase() !== RESERVED_SHEET) {
      used.add(name.toLowerCase());
      return name;
    }
  }
}

function styleHeader(sheet: ExcelJS.Worksheet, row: number): void {
  const header = sheet.getRow(row);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
}

function personSheet(sheet: ExcelJS.Worksheet, persons: ReportPerson[], labelOf: (id: string) => string): void {
  sheet.columns = HEADERS.map((header, i) => ({
    header,
    width: [17, 30, 34, 12, 12, 40, 40, 40, 10, 24][i],
    // IDs as text: a number would show as 1.10E+12 and lose a leading zero.
    style: i === 0 ? { numFmt: '@' } : { alignment: { wrapText: true, vertical: 'top' } },
  }));
  for (const p of persons) {
    const cells: Array<string | number> = personCells(p, labelOf);
    cells[8] = p.documents.length;
    sheet.addRow(cells);
  }
  styleHeader(sheet, 1);
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: HEADERS.length } };
}

export async function reportToXlsx(report: Report, opts: ReportFormatOptions): Promise<Buffer> {
  const labelOf = labeller(opts);
  const workbook = new (await loadExcel()).Workbook();
  workbook.created = new Date(report.generatedAt);
  const used = new Set<string>();

  const summary = workbook.addWorksheet(sheetName('สรุป', used));
  summary.addRow(['โครงการ', report.campaign]);
  summary.addRow(['กำหนดส่ง', formatThaiDateTime(new Date(report.deadline))]);
  summary.addRow(['จัดทำรายงานเมื่อ', formatThaiDateTime(new Date(report.generatedAt))]);
  summary.addRow([]);
  const tableStart = summary.rowCount + 1;
  summary.addRow(['สังกัด', 'ทั้งหมด', 'ส่งครบ', 'ส่งไม่ครบ', 'ยังไม่ส่ง', 'ส่งเกินกำหนด']);
  styleHeader(summary, tableStart);
  const units = [...new Set(report.persons.map((p) => p.unit))];
  const count = (ps: ReportPerson[]) => [
    ps.length,
    ...(['complete', 'incomplete', 'not-submitted'] as const).map((s) => ps.filter((p) => p.status === s).length),
    ps.filter((p) => p.late).length,
  ];
  for (const unit of units) summary.addRow([unit, ...count(report.persons.filter((p) => p.unit === unit))]);
  summary.addRow(['รวม', ...count(report.persons)]).font = { bold: true };
  summary.addRow(['อีเมลที่ระบุตัวผู้ส่งไม่ได้', report.unmatched.length]);
  summary.getColumn(1).width = 40;
  for (let c = 2; c <= 6; c++) summary.getColumn(c).width = 14;

  for (const unit of units) {
    personSheet(workbook.addWorksheet(sheetName(unit, used)), report.persons.filter((p) => p.unit === unit), labelOf);
  }

  if (report.unmatched.length) {
    const sheet = workbook.addWorksheet(sheetName('อีเมลที่ระบุตัวไม่ได้', used));
    sheet.columns = [
      { header: 'ได้รับเมื่อ', width: 26 },
      { header: 'ผู้ส่ง', width: 34 },
      { header: 'Message-ID', width: 40 },
      { header: 'สาเหตุ', width: 30 },
    ];
    for (const u of report.unmatched) {
      sheet.addRow([formatThaiDateTime(new Date(u.receivedAt)), u.from ?? '', u.messageId, reasonTh(u.reason)]);
    }
    styleHeader(sheet, 1);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
