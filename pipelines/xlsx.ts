// Reads XLSX workbooks as rows of cell text (roster, units file, unit reports) and loads exceljs on first
// use: a mailbox worker that never meets a spreadsheet does not carry its ~24 MB. Writing stays with callers.
import type ExcelJS from 'exceljs';

export interface SheetRow {
  row: number;
  cells: string[];
}

export async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

/** Every sheet as rows (empty rows left out), each cell through `clean`. Throws when the bytes are no workbook. */
export async function readXlsxSheets(bytes: Buffer, clean: (text: string) => string = (text) => text): Promise<SheetRow[][]> {
  const Excel = await loadExcel();
  const workbook = new Excel.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook.worksheets.map((sheet) => {
    const rows: SheetRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cells[col - 1] = clean(cellText(cell.value));
      });
      rows.push({ row: row.number, cells: Array.from(cells, (c) => c ?? '') });
    });
    return rows;
  });
}

/** A cell as the text a person sees: whole numbers without exponent, dates as YYYY-MM-DD, formulas by result. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value && 'text' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
  return '';
}
