// Finding people in the in-memory index: by national ID (dashes, spaces, Thai digits; a prefix of at least
// four digits) or by Thai name with or without a title prefix, optionally only those with page flags; and
// suggesting owners for an unmatched message from the IDs, names and sender address in it. Matching only;
// who gets what is the staff's choice.
import { asciiDigits, findNationalIds, extractNamedPersons, normaliseThaiName } from '../pipelines/identity/index.ts';
import type { ParsedMessage } from '../pipelines/types.ts';
import type { PersonEntry } from './person-summary.ts';

/** Persons with page flags (content reading), by unit then name: the "เฉพาะที่มีข้อสังเกต" list. */
export function flaggedPersons(persons: Iterable<PersonEntry>, limit = 200): PersonEntry[] {
  return [...persons].filter((p) => p.flags.length > 0)
    .sort((a, b) => a.unit.localeCompare(b.unit, 'th') || a.name.localeCompare(b.name, 'th')).slice(0, limit);
}

/** `flagged`: only persons with page flags; with an empty query, every such person. */
export function searchPersons(persons: Iterable<PersonEntry>, query: string, limit = 200, opts: { flagged?: boolean } = {}): PersonEntry[] {
  const q = query.normalize('NFC').trim();
  if (opts.flagged) persons = [...persons].filter((p) => p.flags.length > 0);
  if (!q) return opts.flagged ? flaggedPersons(persons, limit) : [];
  const digits = asciiDigits(q).replace(/[\s\-.]/g, '');
  const out: PersonEntry[] = [];
  if (/^\d+$/.test(digits)) {
    if (digits.length < 4) return [];
    for (const p of persons) {
      if (p.nationalId.includes(digits)) out.push(p);
      if (out.length >= limit) break;
    }
    return out;
  }
  const key = normaliseThaiName(q);
  if (!key) return [];
  const compact = key.replace(/ /g, '');
  for (const p of persons) {
    if (p.nameKey.includes(key) || p.nameKey.replace(/ /g, '').includes(compact)) out.push(p);
    if (out.length >= limit) break;
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, 'th'));
}

/** Persons the message itself points at: valid IDs, "prefix first last" names, the sender's address. */
export function suggestOwners(
  persons: Map<string, PersonEntry>,
  message: Pick<ParsedMessage, 'subject' | 'text' | 'files' | 'from'> | undefined,
  from: string | undefined,
  limit = 10,
): PersonEntry[] {
  const found = new Map<string, PersonEntry>();
  const text = message ? [message.subject, message.text, ...message.files.map((f) => [...f.folders, f.name].join(' '))].join('\n') : '';
  for (const { id } of findNationalIds(text)) {
    const p = persons.get(id);
    if (p) found.set(p.nationalId, p);
  }
  const names = new Set(extractNamedPersons(text).map((n) => normaliseThaiName(`${n.firstName} ${n.lastName}`)));
  const sender = (from ?? message?.from?.address ?? '').toLowerCase();
  if (names.size || sender) {
    for (const p of persons.values()) {
      if (found.size >= limit) break;
      if (names.has(p.nameKey) || (sender && p.email === sender)) found.set(p.nationalId, p);
    }
  }
  return [...found.values()].slice(0, limit);
}
