// The unit-scope reports for staff who live in Excel: CSV (UTF-8 with BOM) of the department-wide list
// (who cannot log in, or the administrators) and an XLSX with the per-unit summary, that list (orders linked)
// and the units that have not sent. Same data as the JSON; it decides nothing (unit-report.ts does).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type ExcelJS from 'exceljs';
import { loadExcel } from '../xlsx.ts';
import { SYSTEM_TH } from './admin-appointment.ts';
import { formatThaiDateTime } from '../dates.ts';
import { sheetName } from '../person/index.ts';
import { writeCsv } from '../csv.ts';
import type { UnitReport, UnitReportRow } from './report.ts';

const STATUS_TH: Record<UnitReportRow['status'], string> = { complete: 'ส่งครบ', incomplete: 'ส่งไม่ครบ/ต้องแก้ไข', 'not-submitted': 'ยังไม่ส่ง' };
const KIND_TH: Record<string, string> = {
  'province-office': 'สำนักงานพัฒนาชุมชนจังหวัด',
  central: 'ส่วนกลาง',
  institute: 'สถาบัน',
  centre: 'ศูนย์ศึกษาและพัฒนาชุมชน',
};
const when = (iso?: string) => (iso ? formatThaiDateTime(new Date(iso)) : '');
const system = (s?: keyof typeof SYSTEM_TH) => (s ? SYSTEM_TH[s] : 'ไม่ระบุ');

function listRows(report: UnitReport): string[][] {
  if (report.form === 'admin-appointment') {
    return [
      ['รหัสหน่วยงาน', 'หน่วยงาน', 'ระบบ', 'ชื่อ-นามสกุล', 'ตำแหน่ง', 'โทรศัพท์', 'อีเมล', 'คำสั่งแต่งตั้ง'],
      ...(report.administrators ?? []).map((a) => [a.unitId ?? '', a.unit, system(a.system), a.name, a.position, a.phone, a.email, a.orders.join('; ')]),
    ];
  }
  return [
    ['รหัสหน่วยงาน', 'หน่วยงาน', 'ชื่อ-นามสกุล', 'เลขประจำตัวประชาชน', 'อีเมล', 'หมายเหตุ', 'รายงานเมื่อ'],
    ...(report.cannotLogin ?? []).map((p) => [p.unitId ?? '', p.unit, p.name, p.nationalId, p.email, p.note ?? '', when(p.receivedAt)]),
  ];
}

/** The department-wide list (who cannot log in / the administrators), one person per row. */
export function unitReportToCsv(report: UnitReport): string {
  return writeCsv(listRows(report), { formulas: 'escape' });
}

function header(sheet: ExcelJS.Worksheet, widths: number[]): void {
  const row = sheet.getRow(1);
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
  widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = w;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

function summaryRow(r: UnitReportRow, report: UnitReport): Array<string | number> {
  const expected = r.expected === null ? '' : r.expected ? 'ต้องส่ง' : 'ไม่ต้องส่ง';
  const data = report.form === 'login-status'
    ? [r.total ?? '', r.can ?? '', r.cannot ?? '']
    : [(r.administrators ?? []).map((a) => `${system(a.system)}: ${a.name}`).join('; '), (r.orders ?? []).length];
  return [r.unitId ?? '', r.name, r.kind ? KIND_TH[r.kind] : '', expected, STATUS_TH[r.status], r.late ? 'ใช่' : '', ...data, r.missing.join('; '),
    r.lastProblems.join('; '), when(r.lastReceivedAt)];
}

export async function unitReportToXlsx(report: UnitReport, opts: { archiveRoot?: string } = {}): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  workbook.created = new Date(report.generatedAt);
  const used = new Set<string>();
  const login = report.form === 'login-status';

  const summary = workbook.addWorksheet(sheetName('สรุปรายหน่วยงาน', used));
  summary.addRow(['รหัสหน่วยงาน', 'หน่วยงาน', 'ประเภท', 'ตามหนังสือเวียน', 'สถานะ', 'ส่งเกินกำหนด',
    ...(login ? ['ข้าราชการทั้งหมด', 'เข้าใช้งานได้', 'เข้าใช้งานไม่ได้'] : ['ผู้ดูแลระบบ', 'คำสั่งแต่งตั้ง (ไฟล์)']), 'รายการที่ยังขาด', 'ปัญหาในฉบับล่าสุด', 'ได้รับล่าสุด']);
  for (const r of report.units) summary.addRow(summaryRow(r, report));
  if (login && report.totals) summary.addRow(['', 'รวม', '', '', '', '', report.totals.total, report.totals.can, report.totals.cannot]).font = { bold: true };
  header(summary, login ? [12, 40, 22, 14, 18, 12, 14, 14, 14, 30, 40, 24] : [12, 40, 22, 14, 18, 12, 50, 14, 30, 40, 24]);

  const list = workbook.addWorksheet(sheetName(login ? 'ผู้ที่เข้าใช้งานไม่ได้' : 'ผู้ดูแลระบบ', used));
  const rows = listRows(report);
  list.addRow(rows[0]);
  rows.slice(1).forEach((cells, i) => {
    const row = list.addRow(cells);
    const order = report.administrators?.[i]?.orders[0];
    // A link that opens the order from the archive on this machine (or the share it is mounted from).
    if (!login && order && opts.archiveRoot) {
      row.getCell(8).value = { text: order, hyperlink: pathToFileURL(path.join(opts.archiveRoot, order)).href };
    }
  });
  header(list, login ? [12, 40, 30, 18, 32, 30, 24] : [12, 40, 16, 30, 30, 16, 32, 60]);
  if (login) list.getColumn(4).numFmt = '@';

  const missing = workbook.addWorksheet(sheetName('หน่วยงานที่ยังไม่ส่ง', used));
  missing.addRow(['รหัสหน่วยงาน', 'หน่วยงาน', 'ประเภท', 'สถานะ', 'รายการที่ยังขาด', 'อีเมลติดต่อ']);
  for (const m of report.missingUnits) {
    missing.addRow([m.unitId, m.name, KIND_TH[m.kind], STATUS_TH[m.status], m.missing.join('; '), m.emails.join(', ')]);
  }
  if (!report.unitsFile) missing.addRow(['', 'ไม่มีไฟล์บัญชีหน่วยงาน (--units) จึงไม่ทราบว่าหน่วยงานใดยังไม่ส่ง']);
  header(missing, [12, 40, 22, 18, 40, 40]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
