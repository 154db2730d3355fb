// A PDF's objects found through its cross-reference data, read by offset instead of parsing the whole file: the
// xref tables or streams (following /Prev and /XRefStm), the trailer, and one object at a time, parsed by
// pdf-lib's own object parser so every object means what it means to pdf-lib. It leaves out decryption and
// repair: anything the xref data does not explain throws PdfStructureSurprise, and the caller reads the whole file.
import { PDFContext, PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { decodeStream, intIn } from './pdf-streams.ts';
import { PdfStructureSurprise, readClipped, surprise, type RandomAccessSource } from './pdf-source.ts';
import { parseXrefStream, parseXrefTable, type XrefEntry } from './pdf-xref.ts';

export { PdfStructureSurprise, surprise } from './pdf-source.ts';
export type { XrefEntry } from './pdf-xref.ts';

/** Page dicts and tree nodes are a few hundred bytes; a read this size usually holds one whole. */
const OBJECT_READ = 4096;
/** Beyond this an object or an xref section is not the small thing the check expects. */
const OBJECT_CAP = 1 << 20;
const XREF_CAP = 32 << 20;
/** startxref sits in the last bytes; readers look back about this far for it. */
const STARTXREF_WINDOW = 2048;
const MAX_SECTIONS = 256;

export const latin1 = (bytes: Buffer): string => bytes.toString('latin1');

/** Parses one object from `bytes` and insists nothing but whitespace follows it, as pdf-lib's linear parse needs. */
export function parseExactly(bytes: Buffer, context: PDFContext): PDFObject {
  const parser = PDFObjectParser.forBytes(bytes, context);
  const object = parser.parseObject();
  // Where the parse stopped is private to pdf-lib 1.17; without it the object cannot be vouched for: read the file whole.
  const end = (parser as unknown as { bytes?: { offset?: () => number } }).bytes?.offset?.();
  if (typeof end !== 'number' || !/^\s*$/.test(latin1(bytes.subarray(end)))) surprise('bytes after an object');
  return object;
}

/** Parses a growing window at `offset` until `parse` succeeds; a PdfStructureSurprise stops it at once. */
export async function parseGrowing<T>(source: RandomAccessSource, offset: number, cap: number, parse: (chunk: Buffer) => T | Promise<T>): Promise<T> {
  for (let length = OBJECT_READ;; length *= 4) {
    const chunk = await readClipped(source, offset, length);
    try {
      return await parse(chunk);
    } catch (err) {
      if (err instanceof PdfStructureSurprise || offset + chunk.length >= source.size || length >= cap) {
        throw err instanceof PdfStructureSurprise ? err : new PdfStructureSurprise(`unparsable object at ${offset}`);
      }
    }
  }
}

export class PdfStructure {
  readonly context = PDFContext.create();
  /** The newest entry of each object number. */
  readonly entries = new Map<number, XrefEntry>();
  /** Every object an xref section places (shadowed versions too), by absolute offset; and where the xref tables are. */
  readonly definitions = new Map<number, { num: number; gen: number }>();
  readonly tableOffsets: number[] = [];
  /** Objects already parsed (the layout check parses the small ones), by absolute offset. */
  readonly parsedAt = new Map<number, PDFObject>();
  private readonly objects = new Map<string, PDFObject>();
  private readonly objectStreams = new Map<number, { data: Buffer; first: number; offsets: Map<number, number> }>();
  root: PDFObject | undefined;
  encrypt: PDFObject | undefined;

  /** `base` is where %PDF- starts: offsets count from there, as in every reader (junk before the header). */
  private constructor(readonly source: RandomAccessSource, readonly base: number) {}

  static async open(source: RandomAccessSource, base: number): Promise<PdfStructure> {
    const structure = new PdfStructure(source, base);
    const tail = latin1(await readClipped(source, source.size - STARTXREF_WINDOW, STARTXREF_WINDOW));
    const at = tail.lastIndexOf('startxref');
    const match = at >= 0 ? /^startxref\s+(\d+)/.exec(tail.slice(at)) : null;
    if (!match) surprise('no startxref');
    await structure.readSections(Number(match[1]));
    return structure;
  }

  private async readSections(first: number): Promise<void> {
    const pending = [first];
    const seen = new Set<number>();
    while (pending.length > 0) {
      const offset = pending.shift()!;
      if (seen.has(offset) || seen.size >= MAX_SECTIONS) surprise('xref loop');
      seen.add(offset);
      const { trailer, entries } = await this.readSection(this.base + offset);
      this.root ??= trailer.get(PDFName.of('Root'));
      this.encrypt ??= trailer.get(PDFName.of('Encrypt'));
      // Newest first: an entry already known shadows the older ones; a hybrid file's /XRefStm fills its table's gaps.
      const hybrid = trailer.get(PDFName.of('XRefStm'));
      if (hybrid instanceof PDFNumber) {
        const stream = await this.readSection(this.base + hybrid.asNumber());
        for (const [num, entry] of stream.entries) if (entry.kind !== 'free' && entries.get(num)?.kind !== 'offset') entries.set(num, entry);
      }
      for (const [num, entry] of entries) {
        if (!this.entries.has(num)) this.entries.set(num, entry);
        if (entry.kind === 'offset') this.definitions.set(this.base + entry.offset, { num, gen: entry.gen });
      }
      const prev = trailer.get(PDFName.of('Prev'));
      if (prev !== undefined) pending.push(prev instanceof PDFNumber ? prev.asNumber() : surprise('/Prev'));
    }
  }

  private async readSection(offset: number): Promise<{ trailer: PDFDict; entries: Map<number, XrefEntry> }> {
    const start = latin1(await readClipped(this.source, offset, 16));
    if (/^\s*xref/.test(start)) {
      this.tableOffsets.push(offset);
      return parseGrowing(this.source, offset, XREF_CAP, (chunk) => parseXrefTable(chunk, this.context));
    }
    const { num, gen, object } = await this.readObjectAt(offset);
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of('Type')) !== PDFName.of('XRef')) return surprise('no xref at startxref');
    this.definitions.set(offset, { num, gen });
    return { trailer: object.dict, entries: parseXrefStream(object) };
  }

  /** "N G obj" and the object after it; a stream's contents are cut wherever the read ended, `dataAt` says where they start. */
  async readObjectHead(offset: number): Promise<{ num: number; gen: number; object: PDFObject; dataAt: number }> {
    return parseGrowing(this.source, offset, OBJECT_CAP, (chunk) => {
      const text = latin1(chunk);
      const header = /^\s*(\d+)\s+(\d+)\s+obj/.exec(text.slice(0, 64));
      if (!header) surprise(`no object at ${offset}`);
      const body = header[0].length;
      // A stream's dictionary is parsed alone: its data may be megabytes, and pdf-lib's parser wants all of it.
      // The keyword as pdf-lib's parser matches it, end of line included.
      const keyword = /stream( \r\n|\r\n|\r|\n)?/.exec(text.slice(body));
      const endobj = text.indexOf('endobj', body);
      const num = Number(header[1]);
      const gen = Number(header[2]);
      if (keyword && (endobj < 0 || body + keyword.index < endobj)) {
        const dict = parseExactly(chunk.subarray(body, body + keyword.index), this.context);
        if (!(dict instanceof PDFDict)) return surprise(`stream without a dictionary at ${offset}`);
        return { num, gen, object: PDFRawStream.of(dict, new Uint8Array(0)), dataAt: offset + body + keyword.index + keyword[0].length };
      }
      if (endobj < 0) throw new Error('object runs past the window');
      return { num, gen, object: parseExactly(chunk.subarray(body, endobj), this.context), dataAt: 0 };
    });
  }

  /** "N G obj" and the object after it; a stream comes with all its bytes (/Length, direct or indirect). */
  async readObjectAt(offset: number): Promise<{ num: number; gen: number; object: PDFObject }> {
    const parsed = await this.readObjectHead(offset);
    if (!(parsed.object instanceof PDFRawStream)) return parsed;
    const dict = parsed.object.dict;
    const length = await this.resolve(dict.get(PDFName.of('Length')));
    if (!(length instanceof PDFNumber) || parsed.dataAt + length.asNumber() > this.source.size) return surprise('stream /Length');
    const contents = await readClipped(this.source, parsed.dataAt, length.asNumber());
    return { ...parsed, object: PDFRawStream.of(dict, new Uint8Array(contents)) };
  }

  /** The object stream at an absolute offset, decoded: its objects' offsets from `first`, by object number. */
  async objectStreamAt(offset: number): Promise<{ data: Buffer; first: number; offsets: Map<number, number> }> {
    const known = this.objectStreams.get(offset);
    if (known) return known;
    const { object } = await this.readObjectAt(offset);
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of('Type')) !== PDFName.of('ObjStm')) return surprise('/ObjStm');
    const data = decodeStream(object);
    const first = intIn(object.dict, 'First', 0);
    const pairs = latin1(data.subarray(0, first)).trim().split(/\s+/).map(Number);
    const offsets = new Map<number, number>();
    for (let i = 0; i < intIn(object.dict, 'N', 0); i++) {
      if (!Number.isInteger(pairs[2 * i]) || !Number.isInteger(pairs[2 * i + 1])) surprise('object stream header');
      offsets.set(pairs[2 * i], pairs[2 * i + 1]);
    }
    const stream = { data, first, offsets };
    this.objectStreams.set(offset, stream);
    return stream;
  }

  /** The object a reference names, as pdf-lib's context.lookup gives it (one level). */
  async lookup(ref: PDFRef): Promise<PDFObject> {
    const num = ref.objectNumber;
    const known = this.objects.get(ref.tag);
    if (known) return known;
    const entry = this.entries.get(num);
    let object: PDFObject;
    if (entry?.kind === 'offset') {
      if (entry.gen !== ref.generationNumber) surprise(`object ${ref.tag} is not in the xref`);
      const parsed = this.parsedAt.get(this.base + entry.offset);
      // A stream's data is never needed here (page tree nodes are dictionaries): its head is enough.
      const head = parsed ? undefined : await this.readObjectHead(this.base + entry.offset);
      if (head && (head.num !== num || head.gen !== entry.gen)) surprise(`object ${ref.tag} is not at its offset`);
      object = parsed ?? head!.object;
    } else if (entry?.kind === 'compressed' && ref.generationNumber === 0) {
      const holder = this.entries.get(entry.stream);
      if (holder?.kind !== 'offset') surprise(`object stream ${entry.stream}`);
      const stream = await this.objectStreamAt(this.base + holder.offset);
      const at = stream.offsets.get(num);
      if (at === undefined) surprise(`object ${num} not in its object stream`);
      object = PDFObjectParser.forBytes(stream.data.subarray(stream.first + at), this.context).parseObject();
    } else {
      return surprise(`object ${num} is not in the xref`);
    }
    this.objects.set(ref.tag, object);
    return object;
  }

  async resolve(value: PDFObject | undefined): Promise<PDFObject | undefined> {
    return value instanceof PDFRef ? this.lookup(value) : value;
  }
}
