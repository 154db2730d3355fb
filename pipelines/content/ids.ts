// 13-digit national IDs in OCR text. Cards print them in groups (1 1017 00123 45 6) and OCR moves the spaces
// (11017 00123 45 6, 1 101 7 …), so digit groups are joined when they add up to 13 digits and the check digit
// passes; an ID whose check digit fails is a misread and is never reported. It does not decide whose ID it is
// beyond the words on the same line (บิดา, มารดา): identify does that.
import { isValidNationalId } from '../identity/index.ts';
import { roleBefore } from './roles.ts';
import type { FoundId } from './types.ts';

/** Digit groups separated by one or two of space, dash, dot (OCR doubles spaces). */
const DIGIT_RUN = /\d+(?:[ \-.]{1,2}\d+)*/g;

/** Where the card's grouping 1-4-5-2-1 breaks a 13-digit ID. */
const CARD_BREAKS = new Set([1, 5, 10, 12]);

/**
 * Groups that could be an ID as printed: breaks where the card has them (OCR may drop some) and at most one
 * elsewhere (OCR splits a group: "1 101 7 00123 …"), and not a run of single digits ("3 3 3 3 …" in a grade
 * table). A card request number (4-2-8), a house code (4-6-1) or a date is not.
 */
function idLike(groups: string[]): boolean {
  let at = 0;
  let foreign = 0;
  for (const g of groups.slice(0, -1)) {
    at += g.length;
    if (!CARD_BREAKS.has(at)) foreign++;
  }
  return foreign <= 1 && groups.filter((g) => g.length === 1).length <= 3;
}

/** Replaces each window of digit groups that is ID-like and makes a valid 13-digit ID by the 13 digits. */
export function joinIdGroups(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const parts = run.split(/([ \-.]{1,2})/);
    const groups = parts.filter((_, i) => i % 2 === 0);
    if (groups.length === 1) return run;
    const out: string[] = [];
    for (let i = 0; i < groups.length;) {
      let joined: number | undefined;
      let digits = 0;
      for (let j = i; j < groups.length && digits < 13; j++) {
        digits += groups[j].length;
        const window = groups.slice(i, j + 1);
        if (digits === 13 && window.length > 1 && idLike(window) && isValidNationalId(window.join(''))) joined = j;
      }
      if (joined !== undefined) {
        out.push(groups.slice(i, joined + 1).join(''));
        if (joined + 1 < groups.length) out.push(parts[2 * joined + 1]);
        i = joined + 1;
      } else {
        out.push(groups[i]);
        if (i + 1 < groups.length) out.push(parts[2 * i + 1]);
        i++;
      }
    }
    return out.join('');
  });
}

/** Valid IDs in normalised text (normaliseOcrText), once each, with the role the line gives them. */
export function findIdsInText(normalised: string): FoundId[] {
  const found = new Map<string, FoundId>();
  for (const m of normalised.matchAll(/(?<!\d)\d{13}(?!\d)/g)) {
    if (!isValidNationalId(m[0])) continue;
    const role = roleBefore(normalised, m.index);
    const known = found.get(m[0]);
    if (!known) found.set(m[0], { id: m[0], ...(role ? { role } : {}) });
    else if (!known.role && role) known.role = role;
  }
  return [...found.values()];
}
