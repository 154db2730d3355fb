// Comma-separated files both ways. Reading what staff and units send (roster, units file, forms): any encoding
// Thai Excel saves, `,` `;` or tab, quoted cells over several lines. Writing what Excel opens (reports, the blank
// forms): UTF-8 with a BOM, CRLF, quotes only where needed. What the columns mean is the callers' business.
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** A row of a staff spreadsheet that was not taken as it stands: row = spreadsheet row number (header = 1); row 0 = the whole file. */
export interface SheetRowError {
  row: number;
  field?: string;
  message: string;
}

/** BOMs first; then valid UTF-8 is UTF-8 and anything else is windows-874, as Thai Excel saves CSV. */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), 'utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), 'utf16be');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'windows-874');
  }
}

/**
 * Rows of a CSV text, numbered as the spreadsheet numbers them (one record is one row, even when a quoted cell
 * spans lines). The delimiter is whichever of `,` `;` tab splits the first non-empty line most. Throws on text
 * no CSV reader could make sense of.
 */
export function readCsv(text: string): Array<{ row: number; cells: string[] }> {
  const firstLine = text.split(/\r?\n/).find((line) => line.trim()) ?? '';
  const delimiter = [',', ';', '\t'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  const records: string[][] = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  return records.map((cells, i) => ({ row: i + 1, cells }));
}

/** Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is shown as text instead: a leading apostrophe. */
const FORMULA = /^[=+\-@\t\r]/;

/**
 * RFC 4180 with CRLF, cells quoted when they hold a comma, a quote or a line break, UTF-8 with a BOM so Excel reads
 * Thai. `formulas: 'escape'` for data that came from mail (reports); the blank forms we write ourselves keep theirs.
 */
export function writeCsv(rows: string[][], opts: { formulas: 'escape' | 'keep' }): string {
  return stringify(rows, {
    bom: true,
    record_delimiter: '\r\n',
    quoted_match: /[\r\n]/,
    ...(opts.formulas === 'escape' ? { cast: { string: (value: string) => (FORMULA.test(value) ? `'${value}` : value) } } : {}),
  });
}
