// Who a message is for: which people the places of a message name (mentions.ts) count, checked against the roster
// when there is one, and which files belong to whom. It does not classify or validate files.
import { maskNationalId } from './national-id.ts';
import { displayName } from '../person-name.ts';
import type { Roster } from './roster.ts';
import { accompanyingPerson, attachAllNames, collectKnown, emptyPerson, nearestName, readPlaces, uniqBy, type Evidence, type Known, type Mention, type Place,
  type Ref } from './mentions.ts';
import type { Identification, ParsedMessage, Person } from '../types.ts';

const EVIDENCE_ORDER: Evidence[] = ['national-id', 'corrected-id', 'name', 'folder', 'sender'];

interface Ctx {
  roster?: Roster;
  known: Map<string, Known>;
  allValidIds: Set<string>;
  accompanying?: Known;
}

/**
 * What one place says about who: strong refs decide, weak ones (unknown IDs in file names) only fill gaps.
 * `unresolved` gets the notes that only matter when nothing else identifies the owner (typos, homonyms).
 */
function placeRefs(place: Place, ctx: Ctx, notes: string[], unresolved = notes): Ref[] {
  const refs: Ref[] = [];
  const idsPairedWith = (m: Mention): Person[] =>
    place.mentions
      .filter((o) => o.id && !o.relation && nearestName(place, o) === m)
      .flatMap((o) => (ctx.roster?.byId.get(o.id!.id) ? [ctx.roster.byId.get(o.id!.id)!] : []));
  for (const m of place.mentions) {
    if (m.relation) continue;
    if (m.known) {
      const byId = idsPairedWith(m);
      if (byId.length && !m.known.some((k) => byId.includes(k.person))) {
        notes.push(`ชื่อ ${displayName(m.known[0].person)} ไม่ตรงกับเลขประจำตัวประชาชนที่ระบุคู่กัน ระบบถือตามเลขประจำตัวประชาชน`);
      } else if (m.known.length === 1) {
        refs.push({ ...m.known[0], evidence: 'name' });
      } else if (!byId.length) {
        unresolved.push(`ชื่อ ${displayName(m.known[0].person)} ตรงกับผู้มีรายชื่อ ${m.known.length} คน จึงไม่ระบุตัวจากชื่อนี้ กรุณาระบุเลขประจำตัวประชาชน`);
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
        notes.push(`เลขประจำตัวประชาชน ${maskNationalId(id)} ที่ระบุไม่ถูกต้อง (${why}) ระบบระบุตัวจากชื่อ ${displayName(helper.person)} แทน`);
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

interface Owner {
  known: Known;
  evidence: Set<Evidence>;
  files: Set<number>;
  order: number;
}

/** Everyone found so far, by national ID, with what identified them and which files are theirs. */
class Owners {
  private readonly byId = new Map<string, Owner>();

  get size(): number {
    return this.byId.size;
  }

  /** Registers the people of `refs` (strong ones only) and returns their IDs. */
  add(refs: Ref[], extra?: Evidence): string[] {
    return [...new Set(refs.filter((r) => !r.weak).map((ref) => {
      const key = ref.person.nationalId;
      const owner = this.byId.get(key) ?? { known: ref, evidence: new Set<Evidence>(), files: new Set<number>(), order: this.byId.size };
      owner.evidence.add(ref.evidence);
      if (extra) owner.evidence.add(extra);
      this.byId.set(key, owner);
      return key;
    }))];
  }

  give(ids: string[], file: number): void {
    for (const id of ids) this.byId.get(id)!.files.add(file);
  }

  list(): Owner[] {
    return [...this.byId.values()].sort((a, b) => a.order - b.order);
  }
}

/**
 * Each file's owners: named in its own name, else by its folders, else the one person of the message, else an
 * unknown ID in its name. Returns the files nobody owns and the notes that explain them.
 */
function assignFiles(
  msg: ParsedMessage,
  places: ReturnType<typeof readPlaces>,
  messageIds: string[],
  rctx: Ctx,
  owners: Owners,
  notes: string[],
): { pending: number[]; pendingNotes: string[] } {
  const folderRefs = new Map([...places.folders].map(([key, place]) => [key, placeRefs(place, rctx, notes).filter((r) => !r.weak)]));
  const pending: number[] = [];
  const pendingNotes: string[] = [];
  msg.files.forEach((file, i) => {
    const unresolved: string[] = [];
    const refs = placeRefs(places.files[i], rctx, notes, unresolved);
    let ids = owners.add(refs);
    if (!ids.length) ids = owners.add(places.chains[i].map((key) => folderRefs.get(key)!).find((r) => r.length) ?? [], 'folder');
    if (!ids.length && messageIds.length === 1) ids = messageIds;
    const weak = uniqBy(refs.filter((r) => r.weak), (r) => r.person.nationalId);
    if (!ids.length) {
      ids = owners.add(weak.map((r) => ({ ...r, weak: false })));
    } else {
      for (const r of weak.filter((x) => !ids.includes(x.person.nationalId))) {
        notes.push(`เลข ${maskNationalId(r.person.nationalId)} ในชื่อไฟล์ "${file.name}" ไม่อยู่ในทะเบียนรายชื่อ จึงไม่ถือเป็นผู้ส่งอีกราย`);
      }
    }
    owners.give(ids, i);
    if (!ids.length) {
      pending.push(i);
      pendingNotes.push(...unresolved);
    }
  });
  return { pending, pendingNotes };
}

/** Nobody named anywhere: the roster person whose address sent the mail, when exactly one has it. */
function identifyBySender(msg: ParsedMessage, roster: Roster, owners: Owners, notes: string[]): void {
  const address = msg.from?.address;
  if (!address) return;
  const bySender = roster.byEmail.get(address.toLowerCase()) ?? [];
  if (bySender.length === 1) {
    owners.add([{ person: bySender[0], inRoster: true, evidence: 'sender' }]);
    notes.push(`ระบุตัวจากอีเมลผู้ส่ง ${address} เนื่องจากไม่พบเลขประจำตัวประชาชนหรือชื่อในอีเมล`);
  } else if (bySender.length > 1) {
    notes.push(`อีเมลผู้ส่ง ${address} ตรงกับผู้มีรายชื่อ ${bySender.length} คน จึงระบุตัวจากอีเมลไม่ได้`);
  }
}

export function identifyPersons(msg: ParsedMessage, ctx: { roster?: Roster }): Identification {
  const roster = ctx.roster;
  const places = readPlaces(msg);
  const { known, allValidIds } = collectKnown(places.all, roster, [places.subject, places.body]);
  attachAllNames(places.all, roster, known);
  const accompanying = accompanyingPerson(places.subject, places.body);
  const rctx: Ctx = { roster, known, allValidIds, ...(accompanying ? { accompanying } : {}) };

  const notes: string[] = [];
  const owners = new Owners();
  // The subject speaks for the message; the body only when the subject names nobody (signatures, CCs).
  const subjectRefs = placeRefs(places.subject, rctx, notes).filter((r) => !r.weak);
  const messageIds = owners.add(subjectRefs.length ? subjectRefs : placeRefs(places.body, rctx, notes));
  const { pending, pendingNotes } = assignFiles(msg, places, messageIds, rctx, owners, notes);
  if (!owners.size && roster) identifyBySender(msg, roster, owners, notes);

  // Unmarked files go to the only person in the message when nobody was named in the subject or body.
  const orphans = messageIds.length === 0 && owners.size === 1 ? [] : pending;
  if (orphans.length) notes.push(...pendingNotes);
  else for (const i of pending) owners.list()[0].files.add(i);

  let entries = owners.list();
  if (entries.some((e) => e.files.size)) {
    for (const e of entries.filter((x) => !x.files.size)) {
      notes.push(`พบชื่อ/เลขของ ${displayName(e.known.person) || maskNationalId(e.known.person.nationalId)} ในอีเมล แต่ไม่มีไฟล์ของบุคคลนี้`);
    }
    entries = entries.filter((e) => e.files.size);
  }
  if (!entries.length) {
    notes.push(roster ? 'ไม่พบเลขประจำตัวประชาชนหรือชื่อ-นามสกุลที่ตรงกับทะเบียนรายชื่อ' : 'ไม่พบเลขประจำตัวประชาชน 13 หลักที่ถูกต้อง');
  }
  return {
    persons: entries.map((e) => ({
      person: e.known.person,
      inRoster: e.known.inRoster,
      evidence: EVIDENCE_ORDER.filter((x) => e.evidence.has(x)),
      fileIndexes: [...e.files].sort((a, b) => a - b),
    })),
    orphanFileIndexes: entries.length ? orphans : msg.files.map((_, i) => i),
    notes: [...new Set(notes)],
  };
}
