// Thai personal names in free text: title prefixes (civil, academic, medical, military, police), comparison
// keys, and "prefix + first + last" spans. It does not match against a roster (identify does) nor guess names
// written without a prefix or label: Thai has no spaces between words, so any two words could be a name.
import { matchesOf } from './matches.ts';
import { ACTING, prefixedNameFinder } from './prefixed-names.ts';

/** Title prefixes as officers write them, abbreviated and spelled out. Matching tries the longest first. */
// dprint-ignore: a table, grouped by kind of title, several to a line
export const THAI_PREFIXES: string[] = [
  // civil and children
  'นาย', 'นาง', 'นางสาว', 'น.ส.', 'น.ส', 'นส.', 'เด็กชาย', 'เด็กหญิง', 'ด.ช.', 'ด.ญ.',
  // academic and medical
  'ดร.', 'ศ.', 'รศ.', 'ผศ.', 'ศาสตราจารย์', 'รองศาสตราจารย์', 'ผู้ช่วยศาสตราจารย์',
  'นพ.', 'พญ.', 'ทพ.', 'ทพญ.', 'ภก.', 'ภญ.', 'สพ.ญ.', 'นายแพทย์', 'แพทย์หญิง', 'ทันตแพทย์', 'ทันตแพทย์หญิง',
  'เภสัชกร', 'เภสัชกรหญิง',
  // acting sub-lieutenant (common among civil servants), with and without the space
  'ว่าที่', 'ว่าที่ร้อยตรี', 'ว่าที่ร้อยตรีหญิง', 'ว่าที่ร้อยโท', 'ว่าที่ร้อยเอก', 'ว่าที่ร.ต.', 'ว่าที่ร.ต.หญิง',
  'ว่าที่ ร.ต.', 'ว่าที่ ร.ต.หญิง', 'ว่าที่ ร.ท.', 'ว่าที่ ร.อ.',
  // army
  'พลทหาร', 'สิบตรี', 'สิบโท', 'สิบเอก', 'จ่าสิบตรี', 'จ่าสิบโท', 'จ่าสิบเอก', 'ร้อยตรี', 'ร้อยโท', 'ร้อยเอก',
  'พันตรี', 'พันโท', 'พันเอก', 'พลตรี', 'พลโท', 'พลเอก', 'ส.ต.', 'ส.ท.', 'ส.อ.', 'จ.ส.ต.', 'จ.ส.ท.', 'จ.ส.อ.',
  'ร.ต.', 'ร.ท.', 'ร.อ.', 'พ.ต.', 'พ.ท.', 'พ.อ.', 'พล.ต.', 'พล.ท.', 'พล.อ.',
  'ส.อ.หญิง', 'จ.ส.อ.หญิง', 'ร.ต.หญิง', 'ร.ท.หญิง', 'ร.อ.หญิง', 'สิบเอกหญิง', 'จ่าสิบเอกหญิง', 'ร้อยตรีหญิง', 'ร้อยโทหญิง', 'ร้อยเอกหญิง',
  // navy and air force
  'จ่าตรี', 'จ่าโท', 'จ่าเอก', 'จ.ต.', 'จ.ท.', 'จ.อ.', 'พันจ่าตรี', 'พันจ่าโท', 'พันจ่าเอก', 'พ.จ.ต.', 'พ.จ.ท.', 'พ.จ.อ.',
  'เรือตรี', 'เรือโท', 'เรือเอก', 'นาวาตรี', 'นาวาโท', 'นาวาเอก', 'น.ต.', 'น.ท.', 'น.อ.',
  'จ่าอากาศตรี', 'จ่าอากาศโท', 'จ่าอากาศเอก', 'พันจ่าอากาศตรี', 'พันจ่าอากาศโท', 'พันจ่าอากาศเอก', 'พ.อ.ต.', 'พ.อ.ท.', 'พ.อ.อ.',
  'เรืออากาศตรี', 'เรืออากาศโท', 'เรืออากาศเอก', 'ร.อ.ต.', 'ร.อ.ท.', 'ร.อ.อ.', 'นาวาอากาศตรี', 'นาวาอากาศโท', 'นาวาอากาศเอก',
  // police
  'พลตำรวจ', 'สิบตำรวจตรี', 'สิบตำรวจโท', 'สิบตำรวจเอก', 'จ่าสิบตำรวจ', 'ดาบตำรวจ', 'ส.ต.ต.', 'ส.ต.ท.', 'ส.ต.อ.', 'ด.ต.',
  'ร้อยตำรวจตรี', 'ร้อยตำรวจโท', 'ร้อยตำรวจเอก', 'ร.ต.ต.', 'ร.ต.ท.', 'ร.ต.อ.',
  'พันตำรวจตรี', 'พันตำรวจโท', 'พันตำรวจเอก', 'พ.ต.ต.', 'พ.ต.ท.', 'พ.ต.อ.',
  // royal descent
  'หม่อมราชวงศ์', 'หม่อมหลวง', 'ม.ร.ว.', 'ม.ล.',
  // English
  'mr.', 'mrs.', 'ms.', 'miss', 'dr.', 'mr', 'mrs', 'ms',
];

const BY_LENGTH = [...new Set(THAI_PREFIXES)].sort((a, b) => b.length - a.length);
/** Thai letters, vowels and tone marks: the characters a name is made of (no digits, no ฯ-less punctuation). */
const THAI_WORD = '[\\u0E01-\\u0E3A\\u0E40-\\u0E4E]+';
// "ว่าที่" alone is also an everyday word ("ทราบว่าที่…"): in text it only counts before a rank.
/** The Thai prefixes a name in text may follow, longest first (prefixed-names.ts). */
export const TEXT_PREFIXES = BY_LENGTH.filter((p) => /[\u0E00-\u0E7F]/.test(p) && p !== ACTING);
const findPrefixed = prefixedNameFinder(TEXT_PREFIXES);
/** Between first and last name: spaces, or the _ and - of file names; never a line break. */
const NAME_GAP = '[ \\t\\u00A0_\\-]+';

/** Words that follow นาย/นาง without being a name (นายทะเบียน = registrar, นายก = mayor…). */
// dprint-ignore: a table, several to a line
const NOT_A_FIRST_NAME = [
  'ทะเบียน', 'อำเภอ', 'กรัฐมนตรี', 'กเทศมนตรี', 'กองค์การ', 'กสมาคม', 'กอบต', 'กอบจ', 'จ้าง', 'หน้า',
  'ทหาร', 'ตำรวจ', 'สิบ', 'ร้อย', 'พัน', 'ด่าน', 'ช่าง', 'ประกัน', 'พยาบาล', 'งาม', 'ฟ้า', 'แบบ', 'เวร', 'ห้าง', 'ทุน',
];

/** A last name runs until a document word glued to it ("ใจดีบัตรประชาชน"). Only cut after two letters. */
const DOCUMENT_WORDS =
  /สำเนา|บัตร|ทะเบียน|ปริญญา|ทรานส|มรณ|ใบ(?:อนุญาต|ประกอบ|แสดง|รายงาน|เปลี่ยน|สำคัญ)|วุฒิ|เลข(?:ที่|บัตร|ประจำ)|บิดา|มารดา|คู่สมรส|ตำแหน่ง|สังกัด|ขอส่ง|ส่งเอกสาร|เอกสาร|ประกาศนียบัตร/;

const NEEDS_FIX = /[\u200B-\u200D\uFEFF\u00A0]|\u0E4D\u0E32|\u0E40\u0E40/;

/** NFC plus the fixes Thai typing needs: ํา → ำ, เเ → แ, no zero-width characters, NBSP → space. */
export function cleanThai(text: string): string {
  const nfc = text.normalize('NFC');
  // Most text needs none of the fixes: one scan instead of four replaces.
  if (!NEEDS_FIX.test(nfc)) return nfc;
  return nfc
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/\u0E4D\u0E32/g, '\u0E33')
    .replace(/\u0E40\u0E40/g, '\u0E41')
    .replace(/\u00A0/g, ' ');
}

/**
 * A list item's numbering or bullet at the start of a line or cell: "1.", "2)", "(3)", Thai-numeral "๑." and
 * "๒)", "-", "*", "•". Names are read after it. A bare number without "." or ")" is not numbering (a house number).
 */
const LIST_MARKER = /^\s*(?:\(?[0-9๐-๙]{1,3}[.)](?![0-9๐-๙])|\([0-9๐-๙]{1,3}\)|[-*•])\s*/;

export function stripListMarker(text: string): string {
  return text.replace(LIST_MARKER, '');
}

/** Strips one or more leading prefixes ("ผศ.ดร.", "ว่าที่ ร.ต.หญิง") as long as a name remains. */
export function stripPrefix(name: string): { prefix?: string; rest: string } {
  const whole = cleanThai(name).trim();
  let rest = whole;
  for (let round = 0; round < 4; round++) {
    const lower = rest.toLowerCase();
    const hit = BY_LENGTH.find((p) => {
      if (!lower.startsWith(p)) return false;
      const after = rest.slice(p.length);
      if (/^[a-z]/i.test(p) && /^[a-z]/i.test(after)) return false; // "Mrs" is not "Mr" + "s…"
      return after.trim().length > 0;
    });
    if (!hit) break;
    rest = rest.slice(hit.length).replace(/^[\s.]+/, '');
    // "ร.ต. หญิง" — the female form of a rank written apart from it
    if (/^หญิง\s*\S/.test(rest)) rest = rest.slice('หญิง'.length).trimStart();
  }
  if (rest === whole) return { rest };
  return { prefix: whole.slice(0, whole.length - rest.length).trim().replace(/\s+/g, ' '), rest };
}

/** Comparison key: NFC, lower case, prefixes and punctuation removed, single spaces. */
export function normaliseThaiName(s: string): string {
  const { rest } = stripPrefix(s);
  return rest
    .toLowerCase()
    .replace(/[.,'"()[\]{}\-_/\\:;!?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface NameSpan {
  prefix?: string;
  firstName: string;
  lastName: string;
  index: number;
  end: number;
}

function cutLastName(last: string): string {
  const m = DOCUMENT_WORDS.exec(last.slice(2));
  return m ? last.slice(0, 2 + m.index) : last;
}

const LABELLED = new RegExp(
  `ชื่อ[ \\t]*[-–/]?[ \\t]*(?:นาม)?สกุล[ \\t]*[:：]?[ \\t]*(${THAI_WORD})${NAME_GAP}(${THAI_WORD})` +
    `|ชื่อ[ \\t]*[:：]?[ \\t]*(${THAI_WORD})[ \\t]+(?:นาม)?สกุล[ \\t]*[:：]?[ \\t]*(${THAI_WORD})`,
  'g',
);

/**
 * Names written with a prefix ("นายสมชาย ใจดี", "ว่าที่ ร.ต.ประเสริฐ_ทองคำ") or after a label
 * ("ชื่อ-สกุล สมชาย ใจดี", "ชื่อ สมชาย นามสกุล ใจดี"), with their position in the cleaned text.
 * Offsets refer to cleanThai(text).
 */
export function locateNamedPersons(text: string): NameSpan[] {
  const clean = cleanThai(text);
  const spans: NameSpan[] = [];
  for (const m of findPrefixed(clean)) {
    const first = m.first;
    if (first.length < 2 || NOT_A_FIRST_NAME.some((w) => first.startsWith(w))) continue;
    const last = cutLastName(m.last);
    if (last.length < 2) continue;
    const prefix = m.prefixes.trim().replace(/\s+/g, ' ');
    const end = m.end - (m.last.length - last.length);
    spans.push({ prefix, firstName: first, lastName: last, index: m.index, end });
  }
  // Both forms start with ชื่อ: without it the regex need not run.
  for (const m of clean.includes('ชื่อ') ? matchesOf(LABELLED, clean) : []) {
    if (spans.some((s) => s.index >= m.index && s.index < m.index + m[0].length)) continue; // prefixed form wins
    const rawFirst = m[1] ?? m[3];
    const rawLast = m[2] ?? m[4];
    const { prefix, rest } = stripPrefix(rawFirst);
    const last = cutLastName(rawLast);
    if (rest.length < 2 || last.length < 2) continue;
    const end = m.index + m[0].length - (rawLast.length - last.length);
    spans.push({ ...(prefix ? { prefix } : {}), firstName: rest, lastName: last, index: m.index, end });
  }
  return spans.sort((a, b) => a.index - b.index);
}

export function extractNamedPersons(text: string): Array<{ prefix?: string; firstName: string; lastName: string }> {
  return locateNamedPersons(text).map(({ prefix, firstName, lastName }) => ({
    ...(prefix ? { prefix } : {}),
    firstName,
    lastName,
  }));
}

/**
 * Kinship words: a name or ID right after one of these is a relative's (บัตรบิดา 3xxxxxxxxxxxx.pdf), not the
 * sender's. Place names and common words that start the same way are excluded (แม่ฮ่องสอน, ลูกจ้าง, พ่อค้า).
 */
export const RELATION_PATTERN =
  /บิดา|มารดา|พ่อ(?!ค้า|บ้าน|ครัว)|แม่(?!ฮ่องสอน|สาย|ริม|แตง|แจ่ม|จัน|สอด|ทะ|เมาะ|ลาว|วาง|ออน|อาย|ระมาด|พริก|ค้า|บ้าน|ครัว|น้ำ|ข่าย|แบบ|พิมพ์|กุญแจ)|คู่สมรส|สามี|ภรรยา|ภริยา|บุตร|ลูก(?!จ้าง|ค้า|หนี้|เสือ|ศิษย์)|father|mother|spouse|husband|wife|child|daughter|\bson\b/i;

/** Names to look for in text: first two letters → first name → last names (a roster can hold thousands). */
export interface NameDirectory<T> {
  byStart: Map<string, Map<string, Array<{ last: string; value: T }>>>;
}

export function buildNameDirectory<T>(entries: Array<{ firstName: string; lastName: string; value: T }>): NameDirectory<T> {
  const byStart = new Map<string, Map<string, Array<{ last: string; value: T }>>>();
  for (const { firstName, lastName, value } of entries) {
    const first = normaliseThaiName(firstName);
    const last = normaliseThaiName(lastName);
    if (first.length < 2 || last.length < 2) continue;
    const bucket = byStart.get(first.slice(0, 2)) ?? new Map<string, Array<{ last: string; value: T }>>();
    bucket.set(first, [...(bucket.get(first) ?? []), { last, value }]);
    byStart.set(first.slice(0, 2), bucket);
  }
  return { byStart };
}

export interface NameHit<T> {
  index: number;
  end: number;
  values: T[];
}

/**
 * Where "first last" (any of space, _, -, . or nothing between) occurs in cleanThai(text), case-insensitive.
 * Homonyms share one hit; a hit inside a longer one (สมชาย ใจดี inside สมชาย ใจดีมาก) is dropped.
 */
export function findNames<T>(text: string, ...dirs: Array<NameDirectory<T>>): NameHit<T>[] {
  const clean = cleanThai(text).toLowerCase();
  const hits = new Map<string, NameHit<T>>();
  for (let i = 0; i + 1 < clean.length; i++) {
    const key = clean.slice(i, i + 2);
    for (const dir of dirs) {
      for (const [first, lasts] of dir.byStart.get(key) ?? []) {
        if (!clean.startsWith(first, i)) continue;
        let j = i + first.length;
        while (j < clean.length && /[\s_\-.]/.test(clean[j])) j++;
        for (const { last, value } of lasts) {
          if (!clean.startsWith(last, j)) continue;
          const end = j + last.length;
          const hit = hits.get(`${i}:${end}`) ?? { index: i, end, values: [] };
          if (!hit.values.includes(value)) hit.values.push(value);
          hits.set(`${i}:${end}`, hit);
        }
      }
    }
  }
  const all = [...hits.values()];
  return all
    .filter((h) => !all.some((o) => o !== h && o.index <= h.index && o.end >= h.end && o.end - o.index > h.end - h.index))
    .sort((a, b) => a.index - b.index);
}
