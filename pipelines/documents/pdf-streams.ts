// The few stream encodings a PDF's structure uses: FlateDecode, with the PNG predictors of xref streams. Image and
// content filters are left out: the structure check never decodes a page's contents.
import { inflateSync, constants as zlib } from 'node:zlib';
import { PDFArray, PDFDict, PDFName, PDFNumber, type PDFRawStream } from 'pdf-lib';
import { surprise } from './pdf-source.ts';

function filterNames(dict: PDFDict): string[] {
  const filter = dict.get(PDFName.of('Filter'));
  if (filter === undefined) return [];
  if (filter instanceof PDFName) return [filter.decodeText()];
  if (filter instanceof PDFArray) return filter.asArray().map((f) => (f instanceof PDFName ? f.decodeText() : surprise('filter')));
  return surprise('filter');
}

export function intIn(dict: PDFDict | undefined, key: string, fallback: number): number {
  const value = dict?.get(PDFName.of(key));
  if (value === undefined) return fallback;
  return value instanceof PDFNumber ? value.asNumber() : surprise(`/${key}`);
}

/** PNG predictors (10–15), as xref streams use them: one filter byte before each row. */
function unpredict(data: Buffer, parms: PDFDict | undefined): Buffer {
  const predictor = intIn(parms, 'Predictor', 1);
  if (predictor === 1) return data;
  if (predictor < 10) surprise('TIFF predictor');
  const bpp = Math.max(1, Math.ceil((intIn(parms, 'Colors', 1) * intIn(parms, 'BitsPerComponent', 8)) / 8));
  const row = Math.ceil((intIn(parms, 'Columns', 1) * intIn(parms, 'Colors', 1) * intIn(parms, 'BitsPerComponent', 8)) / 8);
  const rows = Math.floor(data.length / (row + 1));
  const out = Buffer.alloc(rows * row);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (row + 1)];
    for (let i = 0; i < row; i++) {
      const raw = data[r * (row + 1) + 1 + i];
      const left = i >= bpp ? out[r * row + i - bpp] : 0;
      const up = r > 0 ? out[(r - 1) * row + i] : 0;
      const upLeft = r > 0 && i >= bpp ? out[(r - 1) * row + i - bpp] : 0;
      let add = 0;
      if (type === 1) add = left;
      else if (type === 2) add = up;
      else if (type === 3) add = (left + up) >> 1;
      else if (type === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        add = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      } else if (type !== 0) surprise('PNG filter type');
      out[r * row + i] = (raw + add) & 0xff;
    }
  }
  return out;
}

/** The stream's bytes with FlateDecode (and its predictor) undone; other filters are not expected here. */
export function decodeStream(stream: PDFRawStream): Buffer {
  const filters = filterNames(stream.dict);
  const data = Buffer.from(stream.contents);
  if (filters.length === 0) return data;
  if (filters.length !== 1 || filters[0] !== 'FlateDecode') return surprise(`filters ${filters.join(',')}`);
  const parms = stream.dict.get(PDFName.of('DecodeParms'));
  if (parms !== undefined && !(parms instanceof PDFDict)) surprise('DecodeParms');
  // Sync flush: a stream whose deflate data lacks its final block still yields what it holds, as in pdf.js.
  return unpredict(inflateSync(data, { finishFlush: zlib.Z_SYNC_FLUSH }), parms);
}
