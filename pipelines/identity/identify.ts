// Who a message is for: national IDs and Thai names in the subject, body, file names and ZIP folders, checked
// against the roster when there is one, and which files belong to whom. It does not classify or validate files.
import { maskNationalId, locateNationalIds } from './national-id.ts';
import type { Roster } from './roster.ts';
import {
  RELATION_PATTERN, buildNameDirectory, cleanThai, findNames, locateNamedPersons, normaliseThaiName, type NameDirectory,
} from './thai-names.ts';
import type { IdentifiedPerson, Identification, ParsedMessage, Person } from '../types.ts';

type Evidence = IdentifiedPerson['evidence'][number];
const EVIDENCE_ORDER: Evidence[] = ['national-id', 'corrected-id', 'name', 'folder', 'sender'];
/** Name and ID further apart than this (characters; a line break counts as 50) are not paired. */
const PAIR_DISTANCE = 150;
/** Only separators and a short label may sit between a kinship word and the relative's name or ID. */
const ATTACHED = /^[\s_\-.:()[\]]*(?:ชื่อ|คือ|เลข(?:ที่)?(?:บัตร)?(?:ประจำตัว)?(?:ประชาชน)?|id|no\.?)?[\s_\-.:()[\]]*$/i;
/** The message body is scanned up to here: names and IDs sit at the top, quoted history below. */
const BODY_LIMIT = 8_000;

interface Known { person: Person; inRoster: boolean }
interface Ref extends Known { evidence: Evidence; weak?: boolean }
interface Mention { index: number; end: number; id?: { id: string; valid: boolean }; known?: Known[]; named?: Person; relation?: boolean }
interface Place { kind: 'subject' | 'body' | 'file' | 'folder'; text: string; mentions: Mention[] }

function fullName(p: Pick<Person, 'prefix' | 'firstName' | 'lastName'>): string {
  return `${p.prefix ?? ''}${p.firstName} ${p.lastName}`.trim();
}

function distance(text: string, a: Mention, b: Mention): number {
  const [from, to] = a.end <= b.index ? [a.end, b.index] : [b.end, a.index];
  const gap = text.slice(from, Math.max(from, to));
  return gap.length + 50 * (gap.match(/\n/g)?.length ?? 0);
}

function nearestName(place: Place, m: Mention): Mention | undefined {
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
      index: s.index, end: s.end, named: { nationalId: '', ...(s.prefix ? { prefix: s.prefix } : {}), firstName: s.firstName, lastName: s.lastName },
    })),
  ].sort((a, b) => a.index - b.index);
  const place: Place = { kind, text, mentions };
  markRelations(place);
  return place;
}

/**
 * A name or ID right after a kinship word is a relative's ("บัตรบิดา 3…", "มารดา นางสมใจ …"); so is an ID
 * paired with a relative's name. A list of kinship words ("บิดา มารดา นายสมชาย") is a list of documents.
 */
function markRelations(place: Place): void {
  const kin = new RegExp(RELATION_PATTERN.source, 'gi');
  for (const m of place.mentions) {
    const before = place.text.slice(Math.max(0, m.index - 40), m.index);
    const hits = [...before.matchAll(kin)];
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

interface Ctx { roster?: Roster; known: Map<string, Known>; allValidIds: Set<string>; accompanying?: Known }

/** What one place says about who: strong refs decide, weak ones (unknown IDs in file names) only fill gaps. */
/** `unresolved` gets the notes that only matter when nothing else identifies the owner (typos, homonyms). */
function resolve(place: Place, ctx: Ctx, notes: string[], unresolved = notes): Ref[] {
  const refs: Ref[] = [];
  const idsPairedWith = (m: Mention): Person[] => place.mentions
    .filter((o) => o.id && !o.relation && nearestName(place, o) === m)
    .flatMap((o) => (ctx.roster?.byId.get(o.id!.id) ? [ctx.roster.byId.get(o.id!.id)!] : []));
  for (const m of place.mentions) {
    if (m.relation) continue;
    if (m.known) {
      const byId = idsPairedWith(m);
      if (byId.length && !m.known.some((k) => byId.includes(k.person))) {
        notes.push(`ชื่อ ${fullName(m.known[0].person)} ไม่ตรงกับเลขประจำตัวประชาชนที่ระบุคู่กัน ระบบถือตามเลขประจำตัวประชาชน`);
      } else if (m.known.length === 1) {
        refs.push({ ...m.known[0], evidence: 'name' });
      } else if (!byId.length) {
        unresolved.push(`ชื่อ ${fullName(m.known[0].person)} ตรงกับผู้มีรายชื่อ ${m.known.length} คน จึงไม่ระบุตัวจากชื่อนี้ กรุณาระบุเลขประจำตัวประชาชน`);
      }
      continue;
    }
    if (!m.id) continue;
    const { id, valid } = m.id;
    const name = nearestName(place, m);
    const byName = name?.known?.length === 1 && name.known[0].inRoster ? name.known[0] : undefined;
    const inRoster = ctx.roster?.byId.get(id);
    if (inRoster) {
      refs.push({ person: inRoster, inRoster: true, evidence: 'national-id' });
    } else if (!ctx.roster) {
      if (valid) refs.push({ ...(ctx.known.get(id) ?? { person: emptyPerson(id), inRoster: false }), evidence: 'national-id' });
      else unresolved.push(`เลขประจำตัวประชาชน ${maskNationalId(id)} ไม่ถูกต้อง (เลขตรวจสอบผิด) จึงใช้ระบุตัวบุคคลไม่ได้`);
    } else {
      const helper = byName ?? (place.kind === 'file' ? undefined : ctx.accompanying);
      if (helper && !(valid && ctx.allValidIds.has(helper.person.nationalId))) {
        const why = valid ? 'ไม่พบเลขนี้ในทะเบียนรายชื่อ' : 'เลขตรวจสอบไม่ถูกต้อง';
        notes.push(`เลขประจำตัวประชาชน ${maskNationalId(id)} ที่ระบุไม่ถูกต้อง (${why}) ระบบระบุตัวจากชื่อ ${fullName(helper.person)} แทน`);
        refs.push({ ...helper, evidence: 'corrected-id' });
      } else if (valid && !helper) {
        const known = ctx.known.get(id) ?? { person: emptyPerson(id), inRoster: false };
        refs.push({ ...known, evidence: 'national-id', ...(place.kind === 'file' ? { weak: true } : {}) });
      } else if (!valid) {
        unresolved.push(`เลขประจำตัวประชาชน ${maskNationalId(id)} ไม่ถูกต้อง (เลขตรวจสอบผิด) และระบุตัวบุคคลจากชื่อไม่ได้`);
      }
    }
  }
  return refs;
}

const indexes = new WeakMap<Roster, { dir: NameDirectory<Known>; names: Set<string> }>();
const NO_ROSTER = { dir: buildNameDirectory<Known>([]), names: new Set<string>() };

/** The roster's name index, built once per roster (thousands of names) and reused for every message. */
function rosterIndex(roster: Roster | undefined): { dir: NameDirectory<Known>; names: Set<string> } {
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
function collectKnown(places: Place[], roster: Roster | undefined, message: Place[]): { known: Map<string, Known>; allValidIds: Set<string> } {
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

function emptyPerson(nationalId: string): Person {
  return { nationalId, firstName: '', lastName: '' };
}

export function identifyPersons(msg: ParsedMessage, ctx: { roster?: Roster }): Identification {
  const roster = ctx.roster;
  const subject = scan('subject', msg.subject ?? '');
  const body = scan('body', (msg.text ?? '').slice(0, BODY_LIMIT));
  const files = msg.files.map((f) => scan('file', f.name));
  // Folder chains, innermost first, then the ZIP attachment's own name (a ZIP named after its owner).
  const folderPlaces = new Map<string, Place>();
  const chains = msg.files.map((f) => {
    const names = [...(f.container ? [f.container] : []), ...f.folders];
    const keys = names.map((_, depth) => names.slice(0, depth + 1).join('/')).reverse();
    for (const key of keys) if (!folderPlaces.has(key)) folderPlaces.set(key, scan('folder', key.split('/').pop() ?? ''));
    return keys;
  });
  const places = [subject, body, ...files, ...folderPlaces.values()];

  const { known, allValidIds } = collectKnown(places, roster, [subject, body]);
  const { dir: rosterDir, names: rosterNames } = rosterIndex(roster);
  // A roster name written beside an unknown ID is the roster person with a mistyped ID, not a namesake.
  const knownDir = buildNameDirectory<Known>([...known.values()]
    .filter((k) => !rosterNames.has(normaliseThaiName(`${k.person.firstName} ${k.person.lastName}`)))
    .map((k) => ({ firstName: k.person.firstName, lastName: k.person.lastName, value: k })));
  for (const place of places) attachNames(place, rosterDir, knownDir);

  const notes: string[] = [];
  const named = (place: Place): Known[] =>
    place.mentions.filter((m) => !m.relation && m.known?.length === 1 && m.known[0].inRoster).map((m) => m.known![0]);
  const messageNamed = uniqBy([...named(subject), ...named(body)], (k) => k.person.nationalId);
  const rctx: Ctx = { roster, known, allValidIds, ...(messageNamed.length === 1 ? { accompanying: messageNamed[0] } : {}) };

  const registry = new Map<string, { known: Known; evidence: Set<Evidence>; files: Set<number>; order: number }>();
  const register = (ref: Ref, extra?: Evidence): string => {
    const key = ref.person.nationalId;
    const entry = registry.get(key) ?? { known: ref, evidence: new Set<Evidence>(), files: new Set<number>(), order: registry.size };
    entry.evidence.add(ref.evidence);
    if (extra) entry.evidence.add(extra);
    registry.set(key, entry);
    return key;
  };
  const strong = (refs: Ref[]): Ref[] => refs.filter((r) => !r.weak);
  const keysOf = (refs: Ref[], extra?: Evidence): string[] => [...new Set(refs.map((r) => register(r, extra)))];

  // The subject speaks for the message; the body only when the subject names nobody (signatures, CCs).
  const subjectRefs = strong(resolve(subject, rctx, notes));
  const messageRefs = subjectRefs.length ? subjectRefs : strong(resolve(body, rctx, notes));
  const messageKeys = keysOf(messageRefs);
  const folderRefs = new Map([...folderPlaces].map(([key, place]) => [key, strong(resolve(place, rctx, notes))]));

  const pending: number[] = [];
  const pendingNotes: string[] = [];
  msg.files.forEach((file, i) => {
    const unresolved: string[] = [];
    const refs = resolve(files[i], rctx, notes, unresolved);
    let owners = keysOf(strong(refs));
    if (!owners.length) {
      const folder = chains[i].map((key) => folderRefs.get(key)!).find((r) => r.length);
      owners = keysOf(folder ?? [], 'folder');
    }
    if (!owners.length && messageKeys.length === 1) owners = messageKeys;
    const weak = uniqBy(refs.filter((r) => r.weak), (r) => r.person.nationalId);
    if (!owners.length) {
      owners = keysOf(weak);
    } else {
      for (const r of weak.filter((x) => !owners.includes(x.person.nationalId))) {
        notes.push(`เลข ${maskNationalId(r.person.nationalId)} ในชื่อไฟล์ "${file.name}" ไม่อยู่ในทะเบียนรายชื่อ จึงไม่ถือเป็นผู้ส่งอีกราย`);
      }
    }
    for (const key of owners) registry.get(key)!.files.add(i);
    if (!owners.length) {
      pending.push(i);
      pendingNotes.push(...unresolved);
    }
  });

  if (!registry.size && roster && msg.from?.address) {
    const bySender = roster.byEmail.get(msg.from.address.toLowerCase()) ?? [];
    if (bySender.length === 1) {
      register({ person: bySender[0], inRoster: true, evidence: 'sender' });
      notes.push(`ระบุตัวจากอีเมลผู้ส่ง ${msg.from.address} เนื่องจากไม่พบเลขประจำตัวประชาชนหรือชื่อในอีเมล`);
    } else if (bySender.length > 1) {
      notes.push(`อีเมลผู้ส่ง ${msg.from.address} ตรงกับผู้มีรายชื่อ ${bySender.length} คน จึงระบุตัวจากอีเมลไม่ได้`);
    }
  }
  // Unmarked files go to the only person in the message when nobody was named in the subject or body.
  const orphans = messageKeys.length === 0 && registry.size === 1 ? [] : pending;
  if (!orphans.length) for (const i of pending) [...registry.values()][0].files.add(i);
  else notes.push(...pendingNotes);

  let entries = [...registry.values()].sort((a, b) => a.order - b.order);
  if (entries.some((e) => e.files.size)) {
    for (const e of entries.filter((x) => !x.files.size)) {
      notes.push(`พบชื่อ/เลขของ ${fullName(e.known.person) || maskNationalId(e.known.person.nationalId)} ในอีเมล แต่ไม่มีไฟล์ของบุคคลนี้`);
    }
    entries = entries.filter((e) => e.files.size);
  }
  if (!entries.length) {
    notes.push(roster ? 'ไม่พบเลขประจำตัวประชาชนหรือชื่อ-นามสกุลที่ตรงกับทะเบียนรายชื่อ' : 'ไม่พบเลขประจำตัวประชาชน 13 หลักที่ถูกต้อง');
  }
  return {
    persons: entries.map((e) => ({
      person: e.known.person, inRoster: e.known.inRoster,
      evidence: EVIDENCE_ORDER.filter((x) => e.evidence.has(x)),
      fileIndexes: [...e.files].sort((a, b) => a - b),
    })),
    orphanFileIndexes: entries.length ? orphans : msg.files.map((_, i) => i),
    notes: [...new Set(notes)],
  };
}

function uniqBy<T>(list: T[], key: (item: T) => string): T[] {
  return [...new Map(list.map((item) => [key(item), item])).values()];
}
