// Which checklist item a file is, from its name and folders: Thai/English keywords, misspellings, and how a
// subject (บิดา, คู่สมรส…) combines with a document type (บัตร, มรณบัตร…). It never looks inside the file, and a
// name it cannot place, or that names two different things, stays unclassified rather than guessed: e.g.
// ทะเบียนบ้านบิดา is the father's house registration, neither the officer's nor the father's ID card.
//
// Keyword syntax (checklist `keywords`): "a|b" = any of; "a|b + c" = both groups; "@item-id" = that item's
// single-group keywords. Spaces and _ - . ( ) are ignored when matching, so "ทร.14" also matches "ทร14".
import { asciiDigits, locateNationalIds, buildNameDirectory, cleanThai, findNames, locateNamedPersons } from '../identity/index.ts';
import type { ChecklistItem, Classification, EducationPart, Person } from '../types.ts';

/** Degree-certificate and transcript words (the parts of an education item), with common misspellings. */
const PART_TERMS: Record<'degree' | 'transcript', string[]> = {
  degree: ['ปริญญาบัตร', 'ใบปริญญาบัตร', 'ใบปริญญา', 'ปริญญา', 'ปริญาบัตร', 'ปริญญบัตร', 'ปริญยาบัตร', 'ปริญบัตร', 'วุฒิบัตร', 'ประกาศนียบัตร', 'ประกาศนียบัติ', 'ประกาศณียบัตร',
    'ใบประกาศนียบัตร', 'ใบประกาศ', 'degree', 'diploma', 'certificate', 'cert'],
  transcript: ['ทรานสคริปต์', 'ทรานสคริปท์', 'ทรานสคริป', 'ทรานสคริบ', 'ทรานสคิป', 'ทรานคริปต์', 'ทรานคริป', 'ทรานสคลิป', 'ทรานสคริปส์', 'ทรานสคริปซ์', 'ใบแสดงผลการเรียน',
    'ใบแสดงผลการศึกษา', 'ใบรายงานผลการศึกษา', 'ใบรายงานผลการเรียน', 'ระเบียนแสดงผลการเรียน', 'ใบระเบียนผลการเรียน', 'ใบรับรองผลการเรียน', 'ใบรับรองผลการศึกษา',
    'ผลการเรียน', 'ผลการศึกษา', 'transcript', 'transcripts', 'tran script', 'transcrip'],
};
/** Education in general, and degree levels (ปริญญาโท is a level, not the certificate): no part named. */
const EDUCATION_TERMS = ['วุฒิการศึกษา', 'วุฒิ', 'คุณวุฒิ', 'การศึกษา', 'education', 'qualification', 'ปริญญาตรี', 'ปริญญาโท', 'ปริญญาเอก', 'ป.ตรี', 'ป.โท', 'ป.เอก', 'ปวส',
  'ปวช', 'bachelor', 'master', 'phd'];
/** Documents that are not on any checklist: they take their words away from the items (บัตร in บัตรข้าราชการ). */
const OTHER_DOCUMENTS = ['บัตรข้าราชการ', 'บัตรประจำตัวข้าราชการ', 'บัตรประจำตัวเจ้าหน้าที่ของรัฐ', 'บัตรประจำตัวเจ้าหน้าที่', 'บัตรเจ้าหน้าที่ของรัฐ', 'บัตรเจ้าหน้าที่', 'บัตรขรก',
  'บัตรข้าราชการบำนาญ', 'บัตรทอง', 'บัตรนักศึกษา', 'บัตรสวัสดิการ', 'บัตรเครดิต', 'บัตรatm', 'บัตรผู้พิการ', 'ทะเบียนสมรส', 'ใบทะเบียนสมรส', 'ใบสำคัญการสมรส', 'ทะเบียนหย่า',
  'ใบหย่า', 'ใบเปลี่ยนชื่อ', 'ใบเปลี่ยนนามสกุล', 'ใบเปลี่ยนชื่อสกุล', 'เปลี่ยนชื่อ', 'เปลี่ยนนามสกุล', 'สูติบัตร', 'ใบเกิด', 'birth certificate', 'marriage certificate', 'ใบขับขี่',
  'ใบอนุญาตขับขี่', 'ใบอนุญาตขับรถ', 'driving licence', 'driving license', 'driver license', 'หนังสือเดินทาง', 'passport', 'คำสั่ง', 'ทะเบียนประวัติ', 'ก.พ.7', 'กพ7',
  'สมุดบัญชี', 'bookbank', 'หนังสือนำส่ง', 'บันทึกข้อความ', 'แบบฟอร์ม', 'ใบลา', 'พ่อตา', 'แม่ยาย', 'พ่อสามี', 'แม่สามี', 'บิดาคู่สมรส', 'มารดาคู่สมรส', 'บิดาสามี', 'มารดาสามี',
  'บิดาภรรยา', 'มารดาภรรยา'];
/** Words that only look like keywords (แม่ in แม่ฮ่องสอน, ลูก in ลูกจ้าง) and filler: consumed, then ignored. */
const NEUTRAL = ['สำเนา', 'รับรองสำเนา', 'สำเนาถูกต้อง', 'copy', 'scan', 'สแกน', 'แม่ฮ่องสอน', 'แม่สาย', 'แม่ริม', 'แม่แตง', 'แม่แจ่ม', 'แม่จัน', 'แม่สอด', 'แม่ทะ', 'แม่เมาะ',
  'แม่ลาว', 'แม่วาง', 'แม่ออน', 'แม่อาย', 'แม่ระมาด', 'แม่พริก', 'แม่ค้า', 'แม่บ้าน', 'พ่อค้า', 'พ่อบ้าน', 'ลูกจ้าง', 'ลูกค้า', 'ลูกเสือ', 'ลูกหนี้', 'ลูกศิษย์', 'บุตรหลาน', 'บุตรี'];

type Source = { kind: 'item'; id: string } | { kind: 'part'; part: 'degree' | 'transcript' } | { kind: 'education' } | { kind: 'other' } | { kind: 'neutral' };
interface Compiled {
  dict: Map<string, string[]>;
  sources: Map<string, Source[]>;
  /** Per plain item: its keywords as groups of terms. */
  rules: Array<{ id: string; keywords: Array<{ text: string; groups: Set<string>[] }>; terms: Set<string> }>;
  education: ChecklistItem[];
}
interface Outcome extends Classification {
  specificity: number;
  conflict?: boolean;
}

/** Lower case, NFC, Thai fixes, ASCII digits, no separators. */
function compact(text: string): string {
  return asciiDigits(cleanThai(text)).toLowerCase().replace(/[\s_\-.,()[\]{}'"+&/\\#~–]+/g, '');
}

const cache = new WeakMap<ChecklistItem[], Compiled>();

function compile(checklist: ChecklistItem[]): Compiled {
  const hit = cache.get(checklist);
  if (hit) return hit;
  const sources = new Map<string, Source[]>();
  const add = (raw: string, source: Source): string => {
    const term = compact(raw);
    if (term) sources.set(term, [...(sources.get(term) ?? []), source]);
    return term;
  };
  const plain = (item: ChecklistItem): string[] => item.keywords.filter((k) => !k.includes('+') && !k.includes('@')).flatMap((k) => k.split('|'));
  const education = checklist.filter((item) => item.parts?.length);
  const rules: Compiled['rules'] = [];
  for (const item of checklist) {
    if (item.parts?.length) {
      for (const term of plain(item)) add(term, { kind: 'item', id: item.id });
      continue;
    }
    const keywords = item.keywords.map((text) => ({
      text,
      groups: text.split('+').map((group) =>
        new Set(group.split('|').flatMap((alt) => {
          const ref = /^\s*@([a-z0-9-]+)\s*$/.exec(alt);
          const target = ref ? checklist.find((c) => c.id === ref[1]) : undefined;
          return (ref ? (target ? plain(target) : []) : [alt]).map((t) => add(t, { kind: 'item', id: item.id }));
        }).filter(Boolean))
      ),
    })).filter((k) => k.groups.every((g) => g.size));
    rules.push({ id: item.id, keywords, terms: new Set(keywords.flatMap((k) => k.groups.flatMap((g) => [...g]))) });
  }
  for (const part of ['degree', 'transcript'] as const) for (const t of PART_TERMS[part]) add(t, { kind: 'part', part });
  for (const t of EDUCATION_TERMS) add(t, { kind: 'education' });
  for (const t of OTHER_DOCUMENTS) add(t, { kind: 'other' });
  for (const t of NEUTRAL) add(t, { kind: 'neutral' });
  const dict = new Map<string, string[]>();
  for (const term of sources.keys()) dict.set(term[0], [...(dict.get(term[0]) ?? []), term]);
  for (const list of dict.values()) list.sort((a, b) => b.length - a.length);
  const compiled = { dict, sources, rules, education };
  cache.set(checklist, compiled);
  return compiled;
}

/** Leftmost-longest terms; short Latin terms ("id", "son") must stand alone, not inside "video" or "person". */
function tokenize(text: string, c: Compiled): string[] {
  const words = asciiDigits(cleanThai(text)).toLowerCase().split(/[\s_\-.,()[\]{}'"+&/\\#~–]+/).filter(Boolean);
  const s = words.join('');
  const starts = new Set<number>();
  let at = 0;
  for (const w of words) {
    starts.add(at);
    at += w.length;
    starts.add(at);
  }
  const latin = (ch: string | undefined): boolean => !!ch && /[a-z]/.test(ch);
  const tokens: string[] = [];
  for (let i = 0; i < s.length;) {
    const term = (c.dict.get(s[i]) ?? []).find((t) =>
      s.startsWith(t, i) && (t.length > 3 || !/^[a-z]+$/.test(t) ||
        ((starts.has(i) || !latin(s[i - 1])) && (starts.has(i + t.length) || !latin(s[i + t.length]))))
    );
    if (term) {
      tokens.push(term);
      i += term.length;
    } else i++;
  }
  return tokens;
}

/** The file's own name without its extension, the owner's ID and name (a surname may contain a keyword). */
function strip(name: string, person?: Pick<Person, 'firstName' | 'lastName'>): string {
  let text = cleanThai(name);
  for (const o of locateNationalIds(text).reverse()) text = text.slice(0, o.index) + ' ' + text.slice(o.end);
  for (const s of locateNamedPersons(text).reverse()) text = text.slice(0, s.index) + ' ' + text.slice(s.end);
  if (person?.firstName && person.lastName) {
    const dir = buildNameDirectory([{ firstName: person.firstName, lastName: person.lastName, value: true }]);
    for (const h of findNames(text, dir).reverse()) text = text.slice(0, h.index) + ' ' + text.slice(h.end);
    for (const word of [person.firstName, person.lastName].map(cleanThai)) if (word.length > 1) text = text.split(word).join(' ');
  }
  return text;
}

function decide(tokens: string[], c: Compiled): Outcome {
  const none: Outcome = { items: [], specificity: 0 };
  const meaningful = tokens.filter((t) => !(c.sources.get(t) ?? []).every((s) => s.kind === 'neutral'));
  if (!meaningful.length) return none;
  const has = new Set(meaningful);
  const matches = c.rules.flatMap((rule) => {
    const best = rule.keywords
      .map((k) => ({ k, used: k.groups.map((g) => meaningful.find((t) => g.has(t))) }))
      .filter((m) => m.used.every(Boolean))
      .sort((a, b) => b.k.groups.length - a.k.groups.length)[0];
    return best ? [{ rule, size: best.k.groups.length, used: best.used as string[] }] : [];
  });
  if (matches.length) {
    const top = Math.max(...matches.map((m) => m.size));
    const winners = matches.filter((m) => m.size === top);
    const explained = new Set(winners.flatMap((w) => [...w.rule.terms]));
    if ([...has].some((t) => !explained.has(t))) return { ...none, conflict: true };
    // Several subjects of one document type ("บัตรประชาชนบิดามารดา"): one file fills each. Else it is a clash.
    const shared = winners.length > 1 && top > 1 && winners[0].used.some((t) => winners.every((w) => w.used.includes(t)));
    if (winners.length > 1 && !shared) return { ...none, conflict: true };
    return {
      items: winners.map((w) => w.rule.id),
      matched: [...new Set(winners.flatMap((w) => w.used))].join('+'),
      specificity: top,
    };
  }
  return education(meaningful, c) ?? { ...none, conflict: true };
}

function education(tokens: string[], c: Compiled): Outcome | undefined {
  if (!c.education.length) return undefined;
  const parts = new Set<'degree' | 'transcript'>();
  const levels: string[] = [];
  const used: string[] = [];
  for (const t of tokens) {
    const sources = c.sources.get(t) ?? [];
    const edu = sources.filter((s) =>
      s.kind === 'part' || s.kind === 'education' ||
      (s.kind === 'item' && c.education.some((e) => e.id === s.id))
    );
    if (!edu.length) return undefined; // another document's word: not guessed
    used.push(t);
    for (const s of edu) {
      if (s.kind === 'part') parts.add(s.part);
      if (s.kind === 'item' && !levels.includes(s.id)) levels.push(s.id);
    }
  }
  const part: EducationPart | undefined = parts.size === 2 ? 'both' : [...parts][0];
  const items = levels.length ? c.education.filter((e) => levels.includes(e.id)).map((e) => e.id) : c.education.map((e) => e.id);
  return {
    items,
    ...(part ? { part } : {}),
    matched: [...new Set(used)].join('+'),
    ...(levels.length && part ? {} : { assumed: true }),
    specificity: (levels.length ? 1 : 0) + (part ? 1 : 0),
  };
}

/**
 * `ctx.person` (optional) lets the caller remove the owner's name when it is written without a prefix.
 * An education file that names neither บรรจุ nor สูงสุด counts for both items (assumed: true), and one that
 * names no part (วุฒิการศึกษา.pdf) is filed without a part, which counts as both, also assumed.
 */
export function classifyFile(
  file: { name: string; folders: string[] },
  ctx: { checklist: ChecklistItem[]; person?: Pick<Person, 'firstName' | 'lastName'> },
): Classification {
  const c = compile(ctx.checklist);
  const base = strip(file.name.replace(/\.[a-z][a-z0-9]{0,4}$/i, ''), ctx.person);
  const own = tokenize(base, c);
  let result = decide(own, c);
  // Folders (innermost first) may add a subject or level: บิดา/บัตรประชาชน.pdf, วุฒิบรรจุ/ปริญญาบัตร.pdf.
  let tokens = own;
  for (const folder of [...file.folders].reverse()) {
    tokens = [...tokens, ...tokenize(strip(folder, ctx.person), c)];
    const withFolder = decide(tokens, c);
    if (withFolder.items.length && (!result.items.length || withFolder.specificity > result.specificity)) result = withFolder;
  }
  const { items, part, matched, assumed } = result;
  return { items, ...(part ? { part } : {}), ...(matched ? { matched } : {}), ...(assumed ? { assumed } : {}) };
}
