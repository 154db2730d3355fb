// The content half of filing one person's message: gathers the readings of its PDFs (cache first; the inline
// engine when this process reads, else "defer": the caller queues the reading and runs the message again),
// names the person from their own ID card when nothing else did, and turns each file into the documents its
// pages are (combined PDFs cut into page ranges). Decisions are pipelines/content's; filing is ingest-person's.
import { createHash } from 'node:crypto';
import { assignEducation, decideFile, identifyByContent, pageRange, parentsFrom, type ContentReading, type DecidedPart, type DegreeLevel,
  type PageFlag } from '../pipelines/content/index.ts';
import { splitPdf } from '../pipelines/documents/index.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import type { FilingDocument } from '../pipelines/person/index.ts';
import type { ChecklistItem, DocumentReading, Identification, ParsedMessage, Person } from '../pipelines/types.ts';
import { memoryBody } from '../pipelines/body.ts';

/** Reads the pages of one file: the archive's cache by sha256, and the engine where this process runs one. */
export interface ContentReader {
  cached(sha256: string): Promise<ContentReading | undefined>;
  /**
   * Reads now (at most `maxPages` pages) and caches; absent where reading is another process's job (the
   * `content` queue). Undefined when the engine could not read the file at all.
   */
  read?(file: { sha256: string; name: string; content: Buffer }, maxPages: number): Promise<{ reading: ContentReading; pages: number } | undefined>;
}

export type Readings = Array<ContentReading | undefined>;

/** Files whose reading is missing and needed now, to be read by the `content` queue before filing. */
export interface Deferred {
  deferred: Array<{ sha256: string; name: string }>;
}

const RELATIVE = ['father-id', 'mother-id', 'spouse-id', 'child-id', 'father-death-certificate', 'mother-death-certificate'];

/** Whether the name-based decisions leave something only the pages can settle. */
export function contentNeeded(checked: FilingDocument[], identification: Identification): boolean {
  const readable = checked.filter((d) => d.validation.ok);
  return readable.length > 0 && (identification.persons.length === 0 || readable.some((d) => d.classification.items.length === 0));
}

/** `maxPagesPerMessage`: pages the engine may read for one message; files past it stay unread (names decide). */
export async function gatherReadings(
  reader: ContentReader | undefined,
  checked: FilingDocument[],
  mustHave: boolean,
  maxPagesPerMessage: number,
): Promise<Readings | Deferred> {
  if (!reader) return checked.map(() => undefined);
  const readings: Readings = [];
  const missing: Deferred['deferred'] = [];
  let pagesLeft = maxPagesPerMessage;
  for (const doc of checked) {
    if (!doc.validation.ok) {
      readings.push(undefined);
      continue;
    }
    let reading = await reader.cached(doc.sha256);
    if (!reading && reader.read && pagesLeft > 0) {
      const read = await reader.read({ sha256: doc.sha256, name: doc.originalName, content: await doc.body.bytes() }, pagesLeft);
      pagesLeft -= read?.pages ?? 0;
      reading = read?.reading;
    }
    if (!reading && !reader.read) missing.push({ sha256: doc.sha256, name: doc.originalName });
    readings.push(reading);
  }
  return missing.length > 0 && mustHave ? { deferred: missing } : readings;
}

/** Identification from the person's own ID card, when subject, body and names named nobody. */
export function identifyWithContent(
  identification: Identification,
  parsed: ParsedMessage,
  checked: FilingDocument[],
  readings: Readings,
  roster?: Roster,
): Identification {
  if (identification.persons.length > 0 || readings.every((r) => !r)) return identification;
  const relatives = new Set(checked.flatMap((d, i) => (d.classification.items.some((x) => RELATIVE.includes(x)) ? [i] : [])));
  const found = identifyByContent(readings, roster, relatives);
  if (!found) return identification;
  return {
    persons: [{ person: found.person, inRoster: found.inRoster, evidence: ['content'], fileIndexes: parsed.files.map((_, i) => i) }],
    orphanFileIndexes: [],
    notes: [...identification.notes, found.note],
  };
}

export interface ContentFiling {
  documents: FilingDocument[];
  notes: string[];
  flags: PageFlag[];
}

/**
 * One person's files as documents: each decided from name and pages, combined PDFs cut into their documents
 * (the combined original kept too), education levels settled over the message and what is already on file.
 */
export async function documentsWithContent(
  files: Array<{ doc: FilingDocument; reading?: ContentReading }>,
  ctx: { person: Person; checklist: ChecklistItem[]; levelsOnFile: DegreeLevel[]; rejectFlags: PageFlag[] },
): Promise<ContentFiling> {
  const notes: string[] = [];
  const allSegments = files.flatMap((f) => f.reading?.segments ?? []);
  const decideCtx = { person: ctx.person, checklist: ctx.checklist, parents: parentsFrom(allSegments, ctx.person) };
  const decided = files.map((f) => ({
    f,
    decision: f.reading && f.doc.validation.ok
      ? decideFile({ originalName: f.doc.originalName, classification: f.doc.classification, reading: f.reading }, decideCtx, notes)
      : undefined,
  }));
  assignEducation(decided.flatMap((d) => d.decision?.parts ?? []), ctx.levelsOnFile);

  const documents: FilingDocument[] = [];
  for (const { f, decision } of decided) {
    if (!decision) {
      documents.push(f.doc);
      continue;
    }
    if (!decision.split) {
      documents.push(withReading(f.doc, decision.parts[0], ctx.rejectFlags));
      continue;
    }
    const cut = await splitPdf(await f.doc.body.bytes(), decision.parts.map((p) => ({ pages: p.pages })));
    const original = { originalName: f.doc.originalName, sha256: f.doc.sha256 };
    documents.push({ ...f.doc, classification: { items: [] }, combined: { parts: cut.length } });
    cut.forEach((piece, i) => {
      const part = decision.parts[i];
      documents.push(withReading({
        ...f.doc,
        originalName: `${f.doc.originalName} (หน้า ${pageRange(piece.pages)})`,
        body: memoryBody(piece.pdf),
        size: piece.pdf.length,
        sha256: createHash('sha256').update(piece.pdf).digest('hex'),
        validation: { ok: true, pages: piece.pages.length },
        ext: 'pdf',
      }, part, ctx.rejectFlags, { ...original, pages: piece.pages }));
    });
  }
  const flags = [...new Set(documents.flatMap((d) => (d.reading?.flags ?? []) as PageFlag[]))];
  return { documents, notes, flags };
}

const FLAG_PROBLEM: Record<PageFlag, { code: 'blank-page' | 'unreadable-page' | 'low-resolution-scan' | 'uncertified-copy'; detail: string }> = {
  blank: { code: 'blank-page', detail: 'มีหน้าว่าง' },
  unreadable: { code: 'unreadable-page', detail: 'มีหน้าที่อ่านไม่ออก' },
  'low-resolution': { code: 'low-resolution-scan', detail: 'ความละเอียดของภาพสแกนต่ำกว่า 150 dpi' },
  'no-certification': { code: 'uncertified-copy', detail: 'มีหน้าที่ไม่มีคำรับรอง "สำเนาถูกต้อง"' },
};

function withReading(
  doc: FilingDocument,
  part: DecidedPart,
  rejectFlags: PageFlag[],
  splitFrom?: DocumentReading['splitFrom'],
): FilingDocument {
  const reading: DocumentReading = {
    source: part.source,
    ...(part.confidence !== undefined ? { confidence: part.confidence } : {}),
    flags: part.flags,
    evidence: part.evidence,
    ...(part.kind ? { kind: part.kind } : {}),
    ...(part.level ? { level: part.level } : {}),
    ...(splitFrom ? { splitFrom } : {}),
  };
  const rejecting = part.flags.find((f) => rejectFlags.includes(f));
  const validation = rejecting && doc.validation.ok ? { ok: false as const, ...FLAG_PROBLEM[rejecting] } : doc.validation;
  return { ...doc, classification: part.classification, validation, reading };
}

const FLAG_TH: Record<PageFlag, string> = {
  blank: 'เป็นหน้าว่าง',
  unreadable: 'อ่านไม่ออก',
  'low-resolution': 'สแกนด้วยความละเอียดต่ำ',
  'no-certification': 'ไม่มีคำรับรอง "สำเนาถูกต้อง" พร้อมลายมือชื่อ',
};

/** The one polite line of the reply about page checks (they do not reject unless config says so). */
export function flagsNote(flags: PageFlag[]): string | undefined {
  if (flags.length === 0) return undefined;
  return `ระบบตรวจพบว่าเอกสารบางหน้า${flags.map((f) => FLAG_TH[f]).join(' หรือ')} เจ้าหน้าที่จะตรวจสอบอีกครั้ง และจะแจ้งให้ทราบหากต้องส่งใหม่`;
}

export function levelsOnFile(documents: Array<{ current: boolean; reading?: DocumentReading }>): DegreeLevel[] {
  return documents.filter((d) => d.current && d.reading?.level).map((d) => d.reading!.level!);
}
