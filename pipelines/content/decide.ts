// What each file of one person's message is, from its name and its pages together: content wins when it is
// confident and the name disagrees (and the reply says so), a combined PDF becomes page ranges, a relative's card
// is never the person's own, and education levels pick the appointment and the highest qualification.
// It leaves out reading pages (read.ts), cutting PDFs (documents/split.ts) and filing (person/file-plan.ts).
import type { ChecklistItem, ChecklistItemId, Classification, Person } from '../types.ts';
import type { ContentReading, DegreeLevel, DocumentSegment, PageFlag, PageKind } from './types.ts';
import { whoseCard, whoseDeathCertificate, type Parents } from './whose.ts';

export type DecisionSource = 'name' | 'content' | 'both';

export interface FileToDecide {
  originalName: string;
  /** From the file name (documents/classify.ts); empty items = the name says nothing. */
  classification: Classification;
  /** Missing when the file is not a readable PDF or content reading is off. */
  reading?: ContentReading;
}

export interface DecidedPart {
  /** 1-based pages of the file this part is; every page when the file is not split. */
  pages: number[];
  classification: Classification;
  source: DecisionSource;
  /** The content's confidence in the page kind (absent when only the name decided). */
  confidence?: number;
  evidence: string[];
  flags: PageFlag[];
  kind?: PageKind;
  level?: DegreeLevel;
}

export interface FileDecision {
  parts: DecidedPart[];
  split: boolean;
}

export interface DecideContext {
  person?: Person;
  checklist: ChecklistItem[];
  parents: Parents;
}

const EDUCATION = ['appointment-education', 'highest-education'];
const KIND_TH: Record<string, string> = {
  'id-card': 'บัตรประจำตัวประชาชน',
  'house-registration': 'ทะเบียนบ้าน',
  'death-certificate': 'มรณบัตร',
  degree: 'ปริญญาบัตร',
  transcript: 'ใบแสดงผลการศึกษา',
  'professional-license': 'ใบอนุญาตประกอบวิชาชีพ',
  'login-status-form': 'แบบรายงานผลการเข้าใช้งานระบบ SEIS',
  'appointment-order': 'คำสั่งแต่งตั้งผู้ดูแลระบบ',
};

const allPages = (r: ContentReading | undefined): number[] => r?.pages.map((p) => p.page) ?? [];
const flagsOf = (r: ContentReading | undefined,
  pages: number[]): PageFlag[] => [...new Set((r?.pages ?? []).filter((p) => pages.includes(p.page)).flatMap((p) => p.flags))];

function byName(file: FileToDecide, pages: number[]): DecidedPart {
  return { pages, classification: file.classification, source: 'name', evidence: [], flags: flagsOf(file.reading, pages) };
}

/** The item(s) a segment is for this person, or none when whose or which cannot be told. */
function contentItems(segment: DocumentSegment, ctx: DecideContext, nameItems: ChecklistItemId[]): { cls: Classification; why?: string } {
  const hint = nameItems.find((i) => i !== 'id-card');
  switch (segment.kind) {
    case 'id-card': {
      const whose = whoseCard(segment, ctx.person, ctx.parents, hint);
      return whose.item && whose.confident ? { cls: { items: [whose.item] }, why: whose.why } : { cls: { items: [] }, why: whose.why };
    }
    case 'death-certificate': {
      const whose = whoseDeathCertificate(segment, ctx.parents, hint);
      return whose.item && whose.confident ? { cls: { items: [whose.item] }, why: whose.why } : { cls: { items: [] }, why: whose.why };
    }
    case 'house-registration':
      return { cls: { items: ['house-registration'] } };
    case 'professional-license':
      return { cls: { items: ['professional-license'] } };
    case 'degree':
    case 'transcript': {
      const named = nameItems.filter((i) => EDUCATION.includes(i));
      // Which qualification is settled later from the levels; the part comes from the page.
      return { cls: { items: named.length ? named : [...EDUCATION], part: segment.kind, assumed: named.length === 0 } };
    }
    default:
      return { cls: { items: [] } };
  }
}

const label = (ctx: DecideContext, item: ChecklistItemId): string => ctx.checklist.find((c) => c.id === item)?.label ?? item;

function agrees(name: Classification, content: Classification): boolean {
  if (name.items.length === 0 || content.items.length === 0) return false;
  if (content.items.every((i) => EDUCATION.includes(i)) && name.items.some((i) => EDUCATION.includes(i))) {
    return !name.part || name.part === 'both' || name.part === content.part;
  }
  return content.items.every((i) => name.items.includes(i));
}

function decideSegment(file: FileToDecide, segment: DocumentSegment, ctx: DecideContext, whole: boolean, notes: string[]): DecidedPart {
  const name = whole ? file.classification : { items: [] };
  const base = {
    pages: segment.pages,
    confidence: segment.confidence,
    evidence: segmentEvidence(file.reading, segment),
    flags: segment.flags,
    kind: segment.kind,
    ...(segment.level ? { level: segment.level } : {}),
  };
  if (segment.kind === 'unknown') return { ...base, classification: name, source: 'name' };
  const { cls, why } = contentItems(segment, ctx, file.classification.items);
  if (cls.items.length === 0) {
    // Content knows what it is but not whose: never file it under the person's own item on the name's word.
    const refusesName = segment.kind === 'id-card' && name.items.includes('id-card');
    if (refusesName || name.items.length === 0) {
      notes.push(
        `ไฟล์ ${file.originalName}${whole ? '' : ` หน้า ${pageRange(segment.pages)}`} เป็น${KIND_TH[segment.kind] ?? segment.kind}${
          why ? ` (${why})` : ''
        } เจ้าหน้าที่จะตรวจสอบ`,
      );
      return { ...base, classification: { items: [] }, source: 'content' };
    }
    return { ...base, classification: name, source: 'name' };
  }
  if (agrees(name, cls)) {
    const merged = cls.part && (!name.part || name.part === 'both') && EDUCATION.some((i) => name.items.includes(i))
      ? { ...name, part: cls.part } :
      name;
    return { ...base, classification: merged, source: 'both' };
  }
  if (name.items.length > 0) {
    notes.push(
      `ไฟล์ ${file.originalName} เป็น${cls.items.map((i) => label(ctx, i)).join(' / ')}${cls.part && cls.part !== 'both' ? ` (${KIND_TH[cls.part]})` : ''} ไม่ใช่${
        name.items.map((i) => label(ctx, i)).join(' / ')
      } ตามชื่อไฟล์ ระบบจัดเก็บตามเนื้อหาเอกสาร`,
    );
  }
  return { ...base, classification: cls, source: 'content' };
}

function segmentEvidence(reading: ContentReading | undefined, segment: DocumentSegment): string[] {
  const words = (reading?.pages ?? []).filter((p) => segment.pages.includes(p.page)).flatMap((p) => p.evidence);
  return [...new Set(words)].slice(0, 12);
}

export function pageRange(pages: number[]): string {
  const first = pages[0];
  const last = pages[pages.length - 1];
  return first === last ? String(first) : `${first}–${last}`;
}

/** `notes` gathers Thai sentences for the reply ("ไฟล์ ทะเบียนบ้าน.pdf เป็นใบแสดงผลการศึกษา"). */
export function decideFile(file: FileToDecide, ctx: DecideContext, notes: string[]): FileDecision {
  const reading = file.reading;
  if (!reading || reading.segments.length === 0) return { parts: [byName(file, allPages(reading))], split: false };
  const known = reading.segments.filter((s) => s.kind !== 'unknown');
  if (known.length <= 1 && reading.segments.length <= 2) {
    // One document (perhaps with an unreadable page): decide the whole file from its one known segment.
    const main = known[0] ?? reading.segments[0];
    const part = decideSegment(file, { ...main, pages: allPages(reading), flags: flagsOf(reading, allPages(reading)) }, ctx, true, notes);
    return { parts: [part], split: false };
  }
  const parts = reading.segments.map((s) => decideSegment(file, s, ctx, false, notes));
  notes.push(`ไฟล์ ${file.originalName} รวมเอกสาร ${parts.length} รายการ ระบบแยกเป็นรายเอกสารตามหน้าแล้ว`);
  return { parts, split: true };
}

const LEVEL_RANK: Record<DegreeLevel, number> = { bachelor: 1, master: 2, doctor: 3 };

/**
 * Education over the whole message (and the levels already on file): with two levels the lower is the
 * appointment qualification and the higher the highest; one level alone counts for both. A file name that
 * says บรรจุ or สูงสุด is kept when it agrees with the order.
 */
export function assignEducation(parts: DecidedPart[], levelsOnFile: DegreeLevel[]): void {
  const education = parts.filter((p) => (p.kind === 'degree' || p.kind === 'transcript') && p.classification.items.some((i) => EDUCATION.includes(i)));
  const levels = [...new Set([...education.map((p) => p.level), ...levelsOnFile].filter((l): l is DegreeLevel => l !== undefined))]
    .sort((a, b) => LEVEL_RANK[a] - LEVEL_RANK[b]);
  if (levels.length < 2) return;
  const lowest = levels[0];
  const highest = levels[levels.length - 1];
  for (const p of education) {
    if (!p.level) continue;
    const item = p.level === lowest ? 'appointment-education' : p.level === highest ? 'highest-education' : undefined;
    if (!item) continue;
    p.classification = { ...p.classification, items: [item], assumed: false };
  }
}
