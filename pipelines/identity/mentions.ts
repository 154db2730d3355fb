// Where a message names people: national IDs and Thai names found in each place (subject, body, file names, ZIP
// folders), which names are relatives', which are in the roster, and who is known by a valid ID. It decides nothing
// about owners: identify.ts does.
import { matchesOf } from './matches.ts';
import { locateNationalIds } from './national-id.ts';
import type { Roster } from './roster.ts';
import { RELATION_PATTERN, buildNameDirectory, cleanThai, findNames, locateNamedPersons, normaliseThaiName, type NameDirectory } from './thai-names.ts';
import type { IdentifiedPerson, ParsedMessage, Person } from '../types.ts';

export type Evidence = IdentifiedPerson['evidence'][number];
/** Name and ID further apart than this (characters; a line break counts as 50) are not paired. */
const PAIR_DISTANCE = 150;
/** Only separators and a short label may sit between a kinship word and the relative's name or ID. */
const ATTACHED = /^[\s_\-.:()[\]]*(?:ชื่อ|คือ|เลข(?:ที่)?(?:บัตร)?(?:ประจำตัว)?(?:ประชาชน)?|id|no\.?)?[\s_\-.:()[\]]*$/i;
/** The message body is scanned up to here: names and IDs sit at the top, quoted history below. */
const BODY_LIMIT = 8_000;

export interface Known {
  person: Person;
  inRoster: boolean;
}
export interface Ref extends Known {
  evidence: Evidence;
  weak?: boolean;
}
export interface Mention {
  index: number;
  end: number;
  id?: { id: string; valid: boolean };
  known?: Known[];
  named?: Person;
  relation?: boolean;
}
export interface Place {
  kind: 'subject' | 'body' | 'file' | 'folder';
  text: string;
  mentions: Mention[];
}

function distance(text: string, a: Mention, b: Mention): number {
  const [from, to] = a.end <= b.index ? [a.end, b.index] : [b.end, a.index];
  const gap = text.slice(from, Math.max(from, to));
  return gap.length + 50 * (gap.match(/\n/g)?.length ?? 0);
}

export function nearestName(place: Place, m: Mention): Mention | undefined {
  let best: Mention | undefined;
  for (const n of place.mentions) {
    if (n.id || !(n.known?.length || n.named)) continue;
    if (distance(place.text, m, n) <= PAIR_DISTANCE && (!best || distance(place.text, m, n) < distance(place.text, m, best))) best = n;
  }
  return best;
}

/** IDs and prefixed/labelled names of one place; roster and known names are added by attachNames(). */
function scan(kind: Place['kind'], raw: string): Place {
  const text = cleanThai(raw);
  const mentions: Mention[] = [
    ...locateNationalIds(text).map((o) => ({ index: o.index, end: o.end, id: { id: o.id, valid: o.valid } })),
    ...locateNamedPersons(text).map((s) => ({
      index: s.index,
      end: s.end,
      named: { nationalId: '', ...(s.prefix ? { prefix: s.prefix } : {}), firstName: s.firstName, lastName: s.lastName },
    })),
  ].sort((a, b) => a.index - b.index);
  const place: Place = { kind, text, mentions };
  markRelations(place);
  return place;
}

const KIN = new RegExp(RELATION_PATTERN.source, 'gi');

/**
 * A name or ID right after a kinship word is a relative's ("บัตรบิดา 3…", "มารดา นางสมใจ …"); so is an ID
 * paired with a relative's name. A list of kinship words ("บิดา มารดา นายสมชาย") is a list of documents.
 */
function markRelations(place: Place): void {
  for (const m of place.mentions) {
    const before = place.text.slice(Math.max(0, m.index - 40), m.index);
    const hits = matchesOf(KIN, before);
    const last = hits.pop();
    const attached = !!last && ATTACHED.test(before.slice(last.index + last[0].length));
    const listed = !!last && hits.some((h) => /^[\s_\-.,/]*(?:และ|กับ|&|and)?[\s_\-.,/]*$/i.test(before.slice(h.index + h[0].length, last.index)));
    m.relation = attached && !listed;
  }
  for (const m of place.mentions) if (m.id && !m.relation) m.relation = nearestName(place, m)?.relation ?? false;
}

function attachNames(place: Place, ...dirs: Array<NameDirectory<Known>>): void {
  for (const hit of findNames(place.text, ...dirs)) {
    const same = place.mentions.find((m) => !m.id && m.index < hit.end && hit.index < m.end);
    if (same) same.known = hit.values;
    else place.mentions.push({ index: hit.index, end: hit.end, known: hit.values });
  }
  place.mentions.sort((a, b) => a.index - b.index);
  markRelations(place);
}

const indexes = new WeakMap<Roster, { dir: NameDirectory<Known>; names: Set<string> }>();
const NO_ROSTER = { dir: buildNameDirectory<Known>([]), names: new Set<string>() };

/** The roster's name index, built once per roster (thousands of names) and reused for every message. */
export function rosterIndex(roster: Roster | undefined): { dir: NameDirectory<Known>; names: Set<string> } {
  if (!roster) return NO_ROSTER;
  let index = indexes.get(roster);
  if (!index) {
    index = {
      dir: buildNameDirectory(roster.persons.map((p) => ({ firstName: p.firstName, lastName: p.lastName, value: { person: p, inRoster: true } }))),
      names: new Set(roster.persons.map((p) => normaliseThaiName(`${p.firstName} ${p.lastName}`))),
    };
    indexes.set(roster, index);
  }
  return index;
}

/**
 * People outside the roster are known by a valid ID; their name is the text name next to it or, for an ID in
 * the subject or body, the one name written in the subject and body.
 */
export function collectKnown(places: Place[], roster: Roster | undefined, message: Place[]): { known: Map<string, Known>; allValidIds: Set<string> } {
  const known = new Map<string, Known>();
  const allValidIds = new Set<string>();
  const messageNames = uniqBy(message.flatMap((p) => p.mentions.filter((m) => m.named && !m.relation).map((m) => m.named!)),
    (p) => normaliseThaiName(`${p.firstName} ${p.lastName}`));
  for (const place of places) {
    for (const m of place.mentions) {
      if (!m.id?.valid) continue;
      allValidIds.add(m.id.id);
      if (m.relation || roster?.byId.has(m.id.id)) continue;
      const named = nearestName(place, m)?.named ?? (message.includes(place) && messageNames.length === 1 ? messageNames[0] : undefined);
      const entry = known.get(m.id.id);
      if (!entry || (!entry.person.firstName && named)) {
        known.set(m.id.id, { person: named ? { ...named, nationalId: m.id.id } : emptyPerson(m.id.id), inRoster: false });
      }
    }
  }
  return { known, allValidIds };
}

export function emptyPerson(nationalId: string): Person {
  return { nationalId, firstName: '', lastName: '' };
}

/** Every place a message names people: subject, body, file names, and folder chains (innermost first, then the ZIP's own name). */
export function readPlaces(msg: ParsedMessage) {
  const subject = scan('subject', msg.subject ?? '');
  const body = scan('body', (msg.text ?? '').slice(0, BODY_LIMIT));
  const files = msg.files.map((f) => scan('file', f.name));
  const folders = new Map<string, Place>();
  const chains = msg.files.map((f) => {
    const names = [...(f.container ? [f.container] : []), ...f.folders];
    const keys = names.map((_, depth) => names.slice(0, depth + 1).join('/')).reverse();
    for (const key of keys) if (!folders.has(key)) folders.set(key, scan('folder', key.split('/').pop() ?? ''));
    return keys;
  });
  return { subject, body, files, folders, chains, all: [subject, body, ...files, ...folders.values()] };
}

/** Roster names, and the names of people known by a valid ID, found in every place. */
export function attachAllNames(places: Place[], roster: Roster | undefined, known: Map<string, Known>): void {
  const { dir: rosterDir, names: rosterNames } = rosterIndex(roster);
  // A roster name written beside an unknown ID is the roster person with a mistyped ID, not a namesake.
  const knownDir = buildNameDirectory<Known>([...known.values()]
    .filter((k) => !rosterNames.has(normaliseThaiName(`${k.person.firstName} ${k.person.lastName}`)))
    .map((k) => ({ firstName: k.person.firstName, lastName: k.person.lastName, value: k })));
  for (const place of places) attachNames(place, rosterDir, knownDir);
}

/** The one roster person the subject and body name, if exactly one: the owner of IDs that are mistyped there. */
export function accompanyingPerson(subject: Place, body: Place): Known | undefined {
  const named = (place: Place): Known[] => place.mentions.filter((m) => !m.relation && m.known?.length === 1 && m.known[0].inRoster).map((m) => m.known![0]);
  const found = uniqBy([...named(subject), ...named(body)], (k) => k.person.nationalId);
  return found.length === 1 ? found[0] : undefined;
}

export function uniqBy<T>(list: T[], key: (item: T) => string): T[] {
  return [...new Map(list.map((item) => [key(item), item])).values()];
}
