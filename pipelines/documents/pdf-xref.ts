// The cross-reference data of a PDF: classic xref tables with their trailer, and xref streams (PDF 1.5).
import { PDFArray, PDFContext, PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRawStream } from 'pdf-lib';
import { surprise } from './pdf-source.ts';
import { decodeStream, intIn } from './pdf-streams.ts';

export type XrefEntry =
  | { kind: 'offset'; offset: number; gen: number }
  | { kind: 'compressed'; stream: number; index: number }
  | { kind: 'free' };

/** A classic `xref` table and the trailer after it; throws (to grow the window) when the chunk ends first. */
export function parseXrefTable(chunk: Buffer, context: PDFContext): { trailer: PDFDict; entries: Map<number, XrefEntry> } {
  const text = chunk.toString('latin1');
  const entries = new Map<number, XrefEntry>();
  const token = /\s*(\d+)\s+(\d+)(?:\s+([nf]))?/y;
  token.lastIndex = text.indexOf('xref') + 4;
  let next = 0;
  for (;;) {
    const here = token.lastIndex;
    if (/^\s*trailer/.test(text.slice(here, here + 64))) {
      const trailer = PDFObjectParser.forBytes(chunk.subarray(text.indexOf('trailer', here) + 7), context).parseObject();
      if (!(trailer instanceof PDFDict)) surprise('trailer');
      return { trailer, entries };
    }
    const m = token.exec(text);
    if (!m) throw new Error('xref table runs past the window'); // grow, or at the end of the file: a surprise
    if (!m[3]) next = Number(m[1]);
    else {
      if (!entries.has(next)) entries.set(next, m[3] === 'n' ? { kind: 'offset', offset: Number(m[1]), gen: Number(m[2]) } : { kind: 'free' });
      next++;
    }
  }
}

/** A cross-reference stream's entries (/W field widths, /Index ranges); the first entry of a number wins. */
export function parseXrefStream(stream: PDFRawStream): Map<number, XrefEntry> {
  const data = decodeStream(stream);
  const widths = stream.dict.get(PDFName.of('W'));
  if (!(widths instanceof PDFArray) || widths.size() !== 3) return surprise('/W');
  const [w1, w2, w3] = widths.asArray().map((w) => (w instanceof PDFNumber ? w.asNumber() : surprise('/W')));
  const index = stream.dict.get(PDFName.of('Index'));
  const ranges = index instanceof PDFArray
    ? index.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : surprise('/Index')))
    : [0, intIn(stream.dict, 'Size', 0)];
  const field = (at: number, width: number) => {
    let value = 0;
    for (let i = 0; i < width; i++) value = value * 256 + data[at + i];
    return value;
  };
  const entries = new Map<number, XrefEntry>();
  let at = 0;
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    for (let num = ranges[r]; num < ranges[r] + ranges[r + 1]; num++) {
      if (at + w1 + w2 + w3 > data.length) surprise('short xref stream');
      const type = w1 === 0 ? 1 : field(at, w1);
      const [f2, f3] = [field(at + w1, w2), field(at + w1 + w2, w3)];
      at += w1 + w2 + w3;
      if (entries.has(num)) continue;
      if (type === 1) entries.set(num, { kind: 'offset', offset: f2, gen: f3 });
      else if (type === 2) entries.set(num, { kind: 'compressed', stream: f2, index: f3 });
      else if (type === 0) entries.set(num, { kind: 'free' });
    }
  }
  return entries;
}
