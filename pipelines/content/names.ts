// Thai names in OCR text: "prefix + first + last" spans (thai-names.ts) once the form's labels between the
// parts are cut ("ชื่อ นายสมชาย ชื่อสกุล ใจดี"), each with the role its line gives; and a tolerant test of
// whether a known person's name is on a page, since OCR drops small marks (ใจดี → ใจด) and a letter or two.
import { locateNamedPersons, normaliseThaiName } from '../identity/index.ts';
import { NAME_LABELS } from './lexicon.ts';
import { approxFind, allowedEdits } from './match.ts';
import { skeleton } from './normalise.ts';
import { roleBefore, tolerantSource } from './roles.ts';
import type { FoundName } from './types.ts';

/** A label and the spaces or line break around it: "นายบุญมี⏎ชื่อสกุล ใจดี" is one name split by the form's layout. */
const LABELS = new RegExp(`[ \\t]*\\n?[ \\t]*(?:${NAME_LABELS.map(tolerantSource).join('|')})[ \\t]*`, 'g');

/** Names with a title prefix in normalised text, once each (by first + last name), in reading order. */
export function findNamesInText(normalised: string): FoundName[] {
  // Same-length blanks keep offsets, so roles are read from the original line.
  const unlabelled = normalised.replace(LABELS, (m) => ' '.repeat(m.length));
  const out = new Map<string, FoundName>();
  for (const span of locateNamedPersons(unlabelled)) {
    const key = `${span.firstName} ${span.lastName}`;
    const role = roleBefore(normalised, span.index);
    const known = out.get(key);
    if (known) {
      if (!known.role && role) known.role = role;
      continue;
    }
    out.set(key, { ...(span.prefix ? { prefix: span.prefix } : {}), firstName: span.firstName, lastName: span.lastName, ...(role ? { role } : {}) });
  }
  return [...out.values()];
}

export interface NameMatch {
  distance: number;
}

/**
 * Whether a known person's first and last name appear together in the page (skeletons, prefix ignored), with
 * the edits needed; names shorter than five letters in skeleton must match exactly.
 */
export function findKnownName(pageSkeleton: string, person: { firstName: string; lastName: string }): NameMatch | undefined {
  const name = skeleton(`${normaliseThaiName(person.firstName)}${normaliseThaiName(person.lastName)}`);
  if (name.length < 4) return undefined;
  const hit = approxFind(pageSkeleton, name, Math.min(2, allowedEdits(name.length)));
  return hit ? { distance: hit.distance } : undefined;
}
