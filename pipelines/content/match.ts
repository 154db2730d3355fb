// Finding a word in OCR text when a letter or two came out wrong: approximate substring search (Sellers'
// edit-distance dynamic programme) over skeletons. Short words must match exactly: one wrong letter in a
// four-letter word is another word.
import { skeleton } from './normalise.ts';

export interface TermHit {
  /** Edits needed (0 = exact). */
  distance: number;
  /** Index in the skeleton just after the match. */
  end: number;
}

/** Edits tolerated for a word of this many skeleton letters. */
export function allowedEdits(length: number): number {
  return length < 5 ? 0 : length < 9 ? 1 : length < 14 ? 2 : 3;
}

/** Best (fewest edits, then leftmost) occurrence of `pattern` in `text` with at most `maxEdits` edits. */
export function approxFind(text: string, pattern: string, maxEdits = allowedEdits(pattern.length)): TermHit | undefined {
  if (!pattern) return undefined;
  const exact = text.indexOf(pattern);
  if (exact >= 0) return { distance: 0, end: exact + pattern.length };
  if (maxEdits === 0 || text.length + maxEdits < pattern.length) return undefined;
  const m = pattern.length;
  let prev = new Uint16Array(m + 1);
  let cur = new Uint16Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  let best: TermHit | undefined;
  for (let i = 1; i <= text.length; i++) {
    cur[0] = 0; // a match may start anywhere in the text
    const ch = text[i - 1];
    for (let j = 1; j <= m; j++) {
      const sub = prev[j - 1] + (pattern[j - 1] === ch ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    if (cur[m] <= maxEdits && (!best || cur[m] < best.distance)) best = { distance: cur[m], end: i };
    [prev, cur] = [cur, prev];
  }
  return best;
}

/** A lexicon word prepared once: its skeleton and tolerance. */
export interface CompiledTerm {
  text: string;
  skel: string;
  maxEdits: number;
}

export function compileTerm(text: string): CompiledTerm {
  const skel = skeleton(text);
  return { text, skel, maxEdits: allowedEdits(skel.length) };
}

export function findTerm(skel: string, term: CompiledTerm): TermHit | undefined {
  return approxFind(skel, term.skel, term.maxEdits);
}

/** How much a hit counts: exact 1, each edit a quarter less. */
export function hitQuality(hit: TermHit): number {
  return Math.max(0.25, 1 - 0.25 * hit.distance);
}
