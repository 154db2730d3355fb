// The part of a file name that is not about the document: national IDs, prefixed names and the owner's own name
// (a surname may contain a keyword). Routing and filing both classify every file, so what depends on the name
// alone, and the owner's name directory, are worked out once and kept (bounded) for the next call.
import type { Person } from '../types.ts';
import { buildNameDirectory, cleanThai, findNames, locateNamedPersons, locateNationalIds, type NameDirectory } from '../identity/index.ts';

const unnamed = new Map<string, string>();

/** A name without national IDs and prefixed names (the same for every owner). */
function withoutNamedPersons(name: string): string {
  let text = unnamed.get(name);
  if (text === undefined) {
    text = cleanThai(name);
    for (const o of locateNationalIds(text).reverse()) text = text.slice(0, o.index) + ' ' + text.slice(o.end);
    for (const s of locateNamedPersons(text).reverse()) text = text.slice(0, s.index) + ' ' + text.slice(s.end);
    if (unnamed.size >= 4096) unnamed.clear();
    unnamed.set(name, text);
  }
  return text;
}

const ownerDirectories = new Map<string, NameDirectory<true>>();

/** The owner's name as a directory, built once for all the files of a message (not once per file and folder). */
function ownerDirectory(firstName: string, lastName: string): NameDirectory<true> {
  const key = `${firstName}\n${lastName}`;
  let dir = ownerDirectories.get(key);
  if (!dir) {
    if (ownerDirectories.size >= 256) ownerDirectories.clear();
    dir = buildNameDirectory([{ firstName, lastName, value: true as const }]);
    ownerDirectories.set(key, dir);
  }
  return dir;
}

/** The file's own name without its extension, the owner's ID and name (a surname may contain a keyword). */
export function strip(name: string, person?: Pick<Person, 'firstName' | 'lastName'>): string {
  let text = withoutNamedPersons(name);
  if (person?.firstName && person.lastName) {
    const dir = ownerDirectory(person.firstName, person.lastName);
    for (const h of findNames(text, dir).reverse()) text = text.slice(0, h.index) + ' ' + text.slice(h.end);
    for (const word of [person.firstName, person.lastName].map(cleanThai)) if (word.length > 1) text = text.split(word).join(' ');
  }
  return text;
}
