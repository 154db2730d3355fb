// "Prefix + first + last" spans found by hand, exactly as the regular expression
//   ((?:(?:ว่าที่[ \t]*)?(?:P1|P2|…)[ \t]*){1,3})([Thai]+)[ \t\u00A0_\-]+([Thai]+)   (global)
// would find them, for the ~150 Thai prefixes P longest first. As a regex it costs milliseconds to compile, and
// V8 drops the compiled code of a regex unused for a few garbage collections: on a busy ingest (megabytes of
// attachments per message) it was compiled again for nearly every message, the costliest step of identification.
// test/unit/identity/prefixed-names.test.ts compares it with the regex.

/** The optional lead before a rank: "ว่าที่ ร.ต." (acting sub-lieutenant). */
export const ACTING = 'ว่าที่';

export interface PrefixedMatch {
  index: number;
  /** The prefixes with the blanks after them (the regex's first group). */
  prefixes: string;
  first: string;
  last: string;
  end: number;
}

const isThai = (c: number): boolean => (c >= 0x0e01 && c <= 0x0e3a) || (c >= 0x0e40 && c <= 0x0e4e);
const isGap = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x5f || c === 0x2d;
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

function skip(s: string, i: number, test: (c: number) => boolean): number {
  while (i < s.length && test(s.charCodeAt(i))) i++;
  return i;
}

/** A finder for these prefixes, given in the regex's order of preference (longest first). */
export function prefixedNameFinder(prefixes: string[]): (text: string) => PrefixedMatch[] {
  const byFirst = new Map<string, string[]>();
  for (const p of prefixes) byFirst.set(p[0], [...(byFirst.get(p[0]) ?? []), p]);
  const startingAt = (s: string, i: number, out: number[]): void => {
    for (const p of byFirst.get(s[i]) ?? []) if (s.startsWith(p, i)) out.push(i + p.length);
  };
  // Where one (ว่าที่ )?prefix can end, in the order the regex tries them: with the lead first (greedy "?").
  // Blanks are always all taken: no prefix and no Thai letter starts with one, so taking fewer never matches.
  const unitEnds = (s: string, i: number): number[] => {
    const out: number[] = [];
    if (s.startsWith(ACTING, i)) startingAt(s, skip(s, i + ACTING.length, isBlank), out);
    startingAt(s, i, out);
    return out;
  };
  const tail = (s: string, at: number): { first: number; gap: number; end: number } | undefined => {
    const first = skip(s, at, isThai);
    const gap = skip(s, first, isGap);
    const end = skip(s, gap, isThai);
    return first > at && gap > first && end > gap ? { first, gap, end } : undefined;
  };
  // One to three prefixes, more preferred (greedy {1,3}), then the names; the first way that works wins.
  const matchAt = (s: string, i: number, count: number): (ReturnType<typeof tail> & { group: number }) | undefined => {
    for (const unitEnd of unitEnds(s, i)) {
      const group = skip(s, unitEnd, isBlank);
      const more = count < 3 ? matchAt(s, group, count + 1) : undefined;
      if (more) return more;
      const names = tail(s, group);
      if (names) return { ...names, group };
    }
    return undefined;
  };
  return (text) => {
    const found: PrefixedMatch[] = [];
    for (let i = 0; i < text.length;) {
      const m = matchAt(text, i, 1);
      if (!m) {
        i++;
        continue;
      }
      found.push({ index: i, prefixes: text.slice(i, m.group), first: text.slice(m.group, m.first), last: text.slice(m.gap, m.end), end: m.end });
      i = m.end;
    }
    return found;
  };
}
