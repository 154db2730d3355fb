// Which checklist item a file is, from its name and folders: Thai/English keywords, misspellings, and how a
// subject (บิดา, คู่สมรส…) combines with a document type (บัตร, มรณบัตร…). It never looks inside the file, and a
// name it cannot place, or that names two different things, stays unclassified rather than guessed: e.g.
// ทะเบียนบ้านบิดา is the father's house registration, neither the officer's nor the father's ID card.
//
// Keyword syntax (checklist `keywords`): "a|b" = any of; "a|b + c" = both groups; "@item-id" = that item's
// single-group keywords. Spaces and _ - . ( ) are ignored when matching, so "ทร.14" also matches "ทร14".
import { asciiDigits, cleanThai } from '../identity/index.ts';
import type { ChecklistItem, Classification, EducationPart, Person } from '../types.ts';
import { strip } from './classify-strip.ts';
import { EDUCATION_TERMS, NEUTRAL, OTHER_DOCUMENTS, PART_TERMS } from './classify-terms.ts';

type Source = { kind: 'item'; id: string } | { kind: 'part'; part: 'degree' | 'transcript' } | { kind: 'education' } | { kind: 'other' } | { kind: 'neutral' };
/** A term and whether it must stand alone: a short Latin term ("id", "son"), not inside "video" or "person". */
interface Term {
  text: string;
  standAlone: boolean;
}
interface Compiled {
  /** Terms by their first two characters (char codes), and one-character terms by theirs, longest first. */
  dict: Map<number, Term[]>;
  single: Map<number, Term[]>;
  sources: Map<string, Source[]>;
  /** Terms that are not only neutral words. */
  meaningful: Set<string>;
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
  const dict = new Map<number, Term[]>();
  const single = new Map<number, Term[]>();
  for (const text of [...sources.keys()].sort((a, b) => b.length - a.length)) {
    const [map, key] = text.length > 1 ? [dict, pairKey(text, 0)] : [single, text.charCodeAt(0)];
    map.set(key, [...(map.get(key) ?? []), { text, standAlone: text.length <= 3 && /^[a-z]+$/.test(text) }]);
  }
  const meaningful = new Set([...sources].filter(([, list]) => list.some((x) => x.kind !== 'neutral')).map(([term]) => term));
  const compiled = { dict, single, sources, meaningful, rules, education };
  cache.set(checklist, compiled);
  return compiled;
}

const pairKey = (s: string, i: number): number => s.charCodeAt(i) * 0x10000 + s.charCodeAt(i + 1);
const isLatin = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c >= 0x61 && c <= 0x7a;
};

function first(terms: Term[] | undefined, fits: (t: Term, i: number) => boolean, i: number): Term | undefined {
  if (terms) { for (const t of terms) if (fits(t, i)) return t; }
  return undefined;
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
  const fits = (t: Term, i: number): boolean =>
    s.startsWith(t.text, i) &&
    (!t.standAlone || ((starts.has(i) || !isLatin(s, i - 1)) && (starts.has(i + t.text.length) || !isLatin(s, i + t.text.length))));
  const tokens: string[] = [];
  for (let i = 0; i < s.length;) {
    const term = first(c.dict.get(pairKey(s, i)), fits, i) ?? first(c.single.get(s.charCodeAt(i)), fits, i);
    if (term) {
      tokens.push(term.text);
      i += term.text.length;
    } else i++;
  }
  return tokens;
}

function decide(tokens: string[], c: Compiled): Outcome {
  const none: Outcome = { items: [], specificity: 0 };
  const meaningful = tokens.filter((t) => c.meaningful.has(t));
  if (!meaningful.length) return none;
  const has = new Set(meaningful);
  const matches = c.rules.flatMap((rule) => {
    // Every keyword group needs one of the rule's terms: a rule none of whose terms is here cannot match.
    if (!meaningful.some((t) => rule.terms.has(t))) return [];
    // The first keyword with the most groups that all have a token here.
    let best: { rule: Compiled['rules'][number]; size: number; used: string[] } | undefined;
    for (const k of rule.keywords) {
      if (best && k.groups.length <= best.size) continue;
      const used: string[] = [];
      for (const g of k.groups) {
        const token = meaningful.find((t) => g.has(t));
        if (token === undefined) break;
        used.push(token);
      }
      if (used.length === k.groups.length) best = { rule, size: k.groups.length, used };
    }
    return best ? [best] : [];
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
