// What a unit's message holds for a unit-scope campaign: the data (from a spreadsheet attachment, else the
// body), the problems found in it, the appointment order PDFs, and the role of every attached file for filing.
// Spreadsheets are read once (readMessageForms) and shared with routing. Which unit sent it is not decided here.
import type { AppConfig } from '../../config/schema.ts';
import { readAdminAppointment, adminItems, type AdminRead } from './admin-appointment.ts';
import { bodyRows, isSpreadsheet, readSheets, type Row } from './form-table.ts';
import { readLoginStatus, type LoginRead } from './login-status.ts';
import { validateFile } from '../documents/index.ts';
import type { ExtractedFile, ParsedMessage } from '../types.ts';
import type { FormExtraction, FormProblem, UnitFileRole } from './types.ts';

export type FormKind = 'login-status' | 'admin-appointment';

export interface MessageForms {
  /** Spreadsheet attachments by file index: their sheets, or why they could not be read. */
  sheets: Array<{ index: number; name: string; rows?: Row[][]; error?: string }>;
  body: Row[];
}

export async function readMessageForms(parsed: Pick<ParsedMessage, 'text' | 'files'>): Promise<MessageForms> {
  const sheets: MessageForms['sheets'] = [];
  for (const [index, file] of parsed.files.entries()) {
    if (file.problem || !isSpreadsheet(file)) continue;
    const read = await readSheets(file);
    sheets.push({ index, name: file.name, ...('error' in read ? { error: read.error } : { rows: read.sheets }) });
  }
  return { sheets, body: bodyRows(parsed.text) };
}

type Read = LoginRead | AdminRead;

function read(form: FormKind, rows: Row[], where: 'แถวที่' | 'บรรทัดที่'): Read {
  return form === 'login-status' ? readLoginStatus(rows, where) : readAdminAppointment(rows, where);
}

/** The best sheet of the best spreadsheet for this form, if any reads as it. */
function bestSheet(form: FormKind, forms: MessageForms): { index: number; name: string; read: Read } | undefined {
  let best: { index: number; name: string; read: Read } | undefined;
  for (const sheet of forms.sheets) {
    for (const rows of sheet.rows ?? []) {
      const r = read(form, rows, 'แถวที่');
      if (r.strength > 0 && (!best || r.strength > best.read.strength)) best = { index: sheet.index, name: sheet.name, read: r };
    }
  }
  return best;
}

/** How clearly the message carries this form: 2 = the template or its fields, 1 = part of it, 0 = nothing. */
export function formStrength(form: FormKind, forms: MessageForms): 0 | 1 | 2 {
  return Math.max(bestSheet(form, forms)?.read.strength ?? 0, read(form, forms.body, 'บรรทัดที่').strength) as 0 | 1 | 2;
}

export interface UnitFormResult extends FormExtraction {
  /** Role of each attached file (index into parsed.files) and, for orders, the page count. */
  files: Array<{ index: number; role: UnitFileRole; pages?: number; problem?: string; converted?: Buffer }>;
}

export async function extractUnitForm(
  form: FormKind,
  forms: MessageForms,
  parsed: Pick<ParsedMessage, 'files'>,
  opts: { images: AppConfig['images'] },
): Promise<UnitFormResult> {
  const sheet = bestSheet(form, forms);
  const body = read(form, forms.body, 'บรรทัดที่');
  const chosen = sheet ?? (body.strength > 0 ? { index: -1, name: '', read: body } : undefined);
  const problems: FormProblem[] = chosen ? [...chosen.read.problems] : [];
  const files: UnitFormResult['files'] = [];
  const orders: number[] = [];

  for (const [index, file] of parsed.files.entries()) {
    if (index === chosen?.index) files.push({ index, role: 'form' });
    else if (form === 'admin-appointment' && !isSpreadsheet(file)) {
      const checked = await checkOrder(file, opts);
      if (checked.ok) {
        orders.push(index);
        files.push({ index, role: 'order', pages: checked.pages, ...(checked.pdf ? { converted: checked.pdf } : {}) });
      } else {
        files.push({ index, role: 'problem', problem: checked.message });
        problems.push({ code: 'order-not-pdf', file: file.name, message: checked.message });
      }
    } else {
      const unreadable = forms.sheets.find((s) => s.index === index)?.error;
      files.push({ index, role: unreadable ? 'problem' : 'attachment', ...(unreadable ? { problem: unreadable } : {}) });
    }
  }

  if (!chosen && !orders.length) {
    const sheets = forms.sheets.map((s) => s.name);
    problems.unshift(sheets.length
      ? { code: 'not-template', file: sheets[0], message: `ไฟล์ ${sheets.join(', ')} ไม่ตรงตามแบบฟอร์ม ระบบอ่านข้อมูลไม่ได้` }
      : { code: 'no-data', message: 'ไม่พบข้อมูลตามแบบฟอร์มในอีเมลหรือไฟล์แนบ' });
  }
  const data = chosen?.read.data ?? (form === 'login-status' ? { form, people: [] } : { form, administrators: [] });
  const dataProblems = problems.filter((p) => p.code !== 'order-not-pdf');
  const provides: string[] = [];
  if (form === 'login-status' && chosen && !dataProblems.length) provides.push('login-counts', 'cannot-login-list');
  if (data.form === 'admin-appointment') {
    if (orders.length) provides.push('appointment-order');
    if (chosen && !dataProblems.length) provides.push(...adminItems(data));
  }
  const source: FormExtraction['source'] = sheet ? { kind: 'attachment', file: sheet.name } : chosen ? { kind: 'body' } : { kind: 'none' };
  return { source, data, problems, provides, files };
}

async function checkOrder(
  file: ExtractedFile,
  opts: { images: AppConfig['images'] },
): Promise<{ ok: true; pages: number; pdf?: Buffer } | { ok: false; message: string }> {
  if (file.problem) return { ok: false, message: `ไฟล์ ${file.name}: ${file.problem.detail ?? 'เปิดไม่ได้'}` };
  const { validation, pdf } = await validateFile(file, { images: opts.images });
  if (validation.ok) return { ok: true, pages: validation.pages, ...(pdf ? { pdf } : {}) };
  const why = validation.detail && /[\u0e00-\u0e7f]/.test(validation.detail) ? validation.detail : 'ไม่ใช่ไฟล์ PDF ที่เปิดได้';
  return { ok: false, message: `ไฟล์ ${file.name}: ${why} (คำสั่งแต่งตั้งต้องเป็นไฟล์ PDF)` };
}
