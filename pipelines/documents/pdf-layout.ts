// Whether pdf-lib, parsing the whole file in order as the check did before, would find the very objects the
// cross-reference data points to: the xref offsets cut the file into spans, and each span must hold exactly one
// object that pdf-lib's parser reads to its end, with nothing hidden after it; the newest xref entry of each object
// must be its last definition in the file (the one pdf-lib keeps). Small spans are read whole; a large stream (a
// scan's image) only at its dictionary and at its end. It leaves out the page tree: pdf-inspect.ts walks that.
import { PDFName, PDFNumber, PDFObjectParser, PDFRawStream, type PDFObject } from 'pdf-lib';
import { readClipped } from './pdf-source.ts';
import { latin1, parseExactly, surprise, type PdfStructure } from './pdf-structure.ts';

/** Objects up to this size are read and parsed whole; larger ones are streams whose data the check skips. */
const SMALL_SPAN = 64 * 1024;
/** What may follow "endobj" before the next object: what pdf-lib skips, and the startxref of an xref-stream update. */
const BETWEEN = /^(?:\s|%[^\r\n]*|startxref\s+\d+)*$/;
/** An object stream is metadata (page dicts, fonts): larger than this it is not a scan's. */
const OBJECT_STREAM_CAP = 8 << 20;

/** The object numbers an object stream defines, each parsed as pdf-lib would (a failure is a surprise). */
async function objectStreamContents(structure: PdfStructure, offset: number): Promise<number[]> {
  const stream = await structure.objectStreamAt(offset);
  for (const at of stream.offsets.values()) PDFObjectParser.forBytes(stream.data.subarray(stream.first + at), structure.context).parseObject();
  return [...stream.offsets.keys()];
}

/** The object in [start, end) and, for an object stream, the numbers it holds. */
async function checkSpan(structure: PdfStructure, start: number, end: number, expected: { num: number; gen: number }): Promise<PDFObject> {
  if (end - start <= SMALL_SPAN) {
    const span = await readClipped(structure.source, start, end - start);
    const text = latin1(span);
    const header = /^\s*(\d+)\s+(\d+)\s+obj/.exec(text);
    const endobj = text.indexOf('endobj');
    if (!header || Number(header[1]) !== expected.num || Number(header[2]) !== expected.gen) return surprise(`no object at ${start}`);
    if (endobj < 0 || text.indexOf('endobj', endobj + 6) >= 0 || !BETWEEN.test(text.slice(endobj + 6))) return surprise(`span at ${start}`);
    const object = parseExactly(span.subarray(header[0].length, endobj), structure.context);
    if (object instanceof PDFRawStream && !text.includes('endstream')) surprise(`stream at ${start}`);
    structure.parsedAt.set(start, object);
    return object;
  }
  const head = await structure.readObjectHead(start);
  if (head.num !== expected.num || head.gen !== expected.gen || !(head.object instanceof PDFRawStream)) return surprise(`large object at ${start}`);
  // pdf-lib trusts a direct /Length that lands on "endstream"; an indirect one it replaces by a search for "endstream",
  // which finds the same place unless the binary data happens to contain that word.
  const length = await structure.resolve(head.object.dict.get(PDFName.of('Length')));
  if (!(length instanceof PDFNumber)) return surprise('stream /Length');
  const dataEnd = head.dataAt + length.asNumber();
  if (dataEnd > end || end - dataEnd > SMALL_SPAN) return surprise(`stream at ${start} does not end where the next object starts`);
  const tail = latin1(await readClipped(structure.source, dataEnd, end - dataEnd));
  const close = /^\s*endstream\s*endobj/.exec(tail);
  if (!close || !BETWEEN.test(tail.slice(close[0].length))) surprise(`stream end at ${dataEnd}`);
  return head.object;
}

/** Throws PdfStructureSurprise unless the xref data describes the file as pdf-lib's whole-file parse would see it. */
export async function checkLayout(structure: PdfStructure): Promise<void> {
  const { source, definitions, entries, base } = structure;
  const bounds = [...new Set([...definitions.keys(), ...structure.tableOffsets, source.size])].sort((a, b) => a - b);
  /** Where pdf-lib last defines each object ("N G"): a plain object at its offset, one in an object stream just after it. */
  const last = new Map<string, number>();
  const define = (key: string, at: number) => last.set(key, Math.max(at, last.get(key) ?? -1));
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [start, end] = [bounds[i], bounds[i + 1]];
    const expected = definitions.get(start);
    if (!expected) {
      // An xref table, its trailer and startxref: no object may hide there.
      const region = latin1(await readClipped(source, start, end - start));
      if (/\d+\s+\d+\s+obj\b/.test(region)) surprise(`object after the xref table at ${start}`);
      continue;
    }
    const object = await checkSpan(structure, start, end, expected);
    define(`${expected.num} ${expected.gen}`, start);
    if (object instanceof PDFRawStream && object.dict.get(PDFName.of('Type')) === PDFName.of('ObjStm')) {
      if (end - start > OBJECT_STREAM_CAP) surprise('huge object stream');
      for (const num of await objectStreamContents(structure, start)) define(`${num} 0`, start + 0.5);
    }
  }
  for (const [num, entry] of entries) {
    if (entry.kind === 'free') continue;
    const streamEntry = entry.kind === 'compressed' ? entries.get(entry.stream) : undefined;
    const at = entry.kind === 'offset' ? base + entry.offset : streamEntry?.kind === 'offset' ? base + streamEntry.offset + 0.5 : -1;
    const key = `${num} ${entry.kind === 'offset' ? entry.gen : 0}`;
    if (last.get(key) !== at) surprise(`object ${key} is defined again after its xref entry`);
  }
}
