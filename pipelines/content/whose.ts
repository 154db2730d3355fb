// Whose an ID card or a death certificate is, for the person a message is about: their own card (the ID or the
// name matches), or a relative's (the file name says so, the house registration names the parents, or the
// prefix of the deceased). An ID card whose number is not the person's is never their own `id-card`.
import { normaliseThaiName } from '../identity/index.ts';
import type { ChecklistItemId, Person } from '../types.ts';
import { approxFind, allowedEdits } from './match.ts';
import { skeleton } from './normalise.ts';
import type { DocumentSegment, FoundName } from './types.ts';

export interface Parents {
  father: FoundName[];
  mother: FoundName[];
  fatherIds: string[];
  motherIds: string[];
}

export interface Whose {
  item?: ChecklistItemId;
  /** Thai words for the reply and staff: whose it is, or why it could not be told. */
  why: string;
  confident: boolean;
}

const RELATIVE_ITEMS = ['father-id', 'mother-id', 'spouse-id', 'child-id'];
const RELATIVE_TH: Record<string, string> = { 'father-id': 'บิดา', 'mother-id': 'มารดา', 'spouse-id': 'คู่สมรส', 'child-id': 'บุตร' };

const nameSkeleton = (n: { firstName: string; lastName: string }): string => skeleton(`${normaliseThaiName(n.firstName)}${normaliseThaiName(n.lastName)}`);

/** Edits between two names as OCR may print them, or undefined when they are not the same name. */
export function nameDistance(a: { firstName: string; lastName: string }, b: { firstName: string; lastName: string }): number | undefined {
  const x = nameSkeleton(a);
  const y = nameSkeleton(b);
  if (x.length < 4 || y.length < 4) return undefined;
  if (Math.abs(x.length - y.length) > 2) return undefined;
  return approxFind(x, y, Math.min(2, allowedEdits(y.length)))?.distance;
}

/** Same person's name, with the few edits OCR costs a name of this length (short names exactly). */
export function sameName(a: { firstName: string; lastName: string }, b: { firstName: string; lastName: string }): boolean {
  return nameDistance(a, b) !== undefined;
}

/**
 * Father or mother by name: the closer of the two (บุญมี and บุญมา differ by one vowel, which OCR also loses),
 * a tie decided by the title (นาย, or นาง/นางสาว).
 */
function parentByName(names: FoundName[], parents: Parents): 'father' | 'mother' | undefined {
  let best: { role: 'father' | 'mother'; d: number } | undefined;
  let tie = false;
  for (const n of names) {
    for (const role of ['father', 'mother'] as const) {
      for (const p of parents[role]) {
        const d = nameDistance(p, n);
        if (d === undefined) continue;
        if (!best || d < best.d) [best, tie] = [{ role, d }, false];
        else if (d === best.d && best.role !== role) tie = true;
      }
    }
  }
  if (!best) return undefined;
  if (!tie) return best.role;
  if (names.some(isMale)) return 'father';
  if (names.some(isFemale)) return 'mother';
  return undefined;
}

function holder(segment: DocumentSegment): { ids: string[]; names: FoundName[] } {
  const ids = segment.ids.filter((i) => !i.role || i.role === 'holder').map((i) => i.id);
  const names = segment.names.filter((n) => !n.role || n.role === 'holder');
  return { ids, names };
}

const isMale = (n: FoundName): boolean => /^(นาย|ด\.ช\.|เด็กชาย)/.test(n.prefix ?? '');
const isFemale = (n: FoundName): boolean => /^(นาง|น\.ส\.|ด\.ญ\.|เด็กหญิง)/.test(n.prefix ?? '');

/** `nameHint`: the relative item the file name (or folder) gave, if any. */
export function whoseCard(segment: DocumentSegment, person: Person | undefined, parents: Parents, nameHint?: ChecklistItemId): Whose {
  const { ids, names } = holder(segment);
  if (person && ids.includes(person.nationalId)) return { item: 'id-card', why: 'เลขประจำตัวตรงกับเจ้าของเรื่อง', confident: true };
  const nameMatches = person !== undefined && names.some((n) => sameName(n, person));
  if (nameMatches && ids.length === 0) return { item: 'id-card', why: 'ชื่อตรงกับเจ้าของเรื่อง', confident: true };
  // Another person's card from here on (or one we cannot read the number of).
  if (nameHint && RELATIVE_ITEMS.includes(nameHint)) {
    return { item: nameHint, why: `ชื่อไฟล์ระบุว่าเป็นของ${RELATIVE_TH[nameHint]}`, confident: true };
  }
  if (ids.some((id) => parents.fatherIds.includes(id))) return { item: 'father-id', why: 'เลขประจำตัวตรงกับบิดาในทะเบียนบ้าน', confident: true };
  if (ids.some((id) => parents.motherIds.includes(id))) return { item: 'mother-id', why: 'เลขประจำตัวตรงกับมารดาในทะเบียนบ้าน', confident: true };
  const parent = parentByName(names, parents);
  if (parent === 'father') return { item: 'father-id', why: 'ชื่อตรงกับชื่อบิดาในทะเบียนบ้าน', confident: true };
  if (parent === 'mother') return { item: 'mother-id', why: 'ชื่อตรงกับชื่อมารดาในทะเบียนบ้าน', confident: true };
  if (ids.length > 0 || names.length > 0) {
    return { why: 'เป็นบัตรประจำตัวประชาชนของผู้อื่น ไม่ทราบว่าเป็นของญาติคนใด', confident: false };
  }
  return { why: 'อ่านเลขประจำตัวและชื่อบนบัตรไม่ได้', confident: false };
}

export function whoseDeathCertificate(segment: DocumentSegment, parents: Parents, nameHint?: ChecklistItemId): Whose {
  if (nameHint === 'father-death-certificate' || nameHint === 'mother-death-certificate') {
    return { item: nameHint, why: 'ตามชื่อไฟล์', confident: true };
  }
  const deceased = segment.names.filter((n) => !n.role || n.role === 'deceased');
  const deceasedIds = segment.ids.filter((i) => !i.role || i.role === 'deceased').map((i) => i.id);
  const parent = deceasedIds.some((id) => parents.fatherIds.includes(id)) ?
    'father'
    : deceasedIds.some((id) => parents.motherIds.includes(id))
    ? 'mother'
    : parentByName(deceased, parents);
  if (parent === 'father') return { item: 'father-death-certificate', why: 'ตรงกับบิดาในทะเบียนบ้าน', confident: true };
  if (parent === 'mother') return { item: 'mother-death-certificate', why: 'ตรงกับมารดาในทะเบียนบ้าน', confident: true };
  // A civil servant's own file holds a parent's death certificate: the title of the deceased tells which.
  if (deceased.length > 0 && deceased.every(isMale)) return { item: 'father-death-certificate', why: 'ผู้ตายเป็นชาย', confident: true };
  if (deceased.length > 0 && deceased.every(isFemale)) return { item: 'mother-death-certificate', why: 'ผู้ตายเป็นหญิง', confident: true };
  return { why: 'ไม่ทราบว่าเป็นมรณบัตรของบิดาหรือมารดา', confident: false };
}

/** Parents' names printed on house-registration pages (ท.ร.14 lists each resident's father and mother). */
export function parentsFrom(segments: DocumentSegment[], person: Person | undefined): Parents {
  const out: Parents = { father: [], mother: [], fatherIds: [], motherIds: [] };
  for (const s of segments) {
    if (s.kind !== 'house-registration') continue;
    // With several residents on one page, only a page that names the person tells whose parents these are.
    const aboutPerson = !person || s.names.some((n) => sameName(n, person)) || s.ids.some((i) => i.id === person.nationalId);
    if (!aboutPerson) continue;
    for (const n of s.names) {
      if (n.role === 'father') out.father.push(n);
      if (n.role === 'mother') out.mother.push(n);
    }
    for (const i of s.ids) {
      if (i.role === 'father') out.fatherIds.push(i.id);
      if (i.role === 'mother') out.motherIds.push(i.id);
    }
  }
  return out;
}
