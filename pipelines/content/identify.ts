// Who a message is about when its subject, body and file names name nobody: the holder of the person's own ID
// card among its scans. A card found in the roster wins; one card alone names its holder; several cards of
// people outside the roster name nobody (a father's and an officer's card look alike). Relatives never count.
import { isValidNationalId, type Roster } from '../identity/index.ts';
import type { Person } from '../types.ts';
import type { ContentReading, FoundName } from './types.ts';

export interface ContentIdentity {
  person: Person;
  inRoster: boolean;
  /** Thai note for the reply. */
  note: string;
}

interface Holder {
  id: string;
  name?: FoundName;
  fileIndex: number;
}

function holders(readings: Array<ContentReading | undefined>, relativeFiles: Set<number>): Holder[] {
  const out: Holder[] = [];
  readings.forEach((reading, fileIndex) => {
    if (!reading || relativeFiles.has(fileIndex)) return;
    for (const s of reading.segments) {
      if (s.kind !== 'id-card') continue;
      const id = s.ids.find((i) => !i.role || i.role === 'holder')?.id;
      if (!id || !isValidNationalId(id) || out.some((h) => h.id === id)) continue;
      out.push({ id, name: s.names.find((n) => !n.role || n.role === 'holder'), fileIndex });
    }
  });
  return out;
}

/** `relativeFiles`: indexes of files whose names say they are a relative's (บิดา, มารดา…). */
export function identifyByContent(
  readings: Array<ContentReading | undefined>,
  roster: Roster | undefined,
  relativeFiles: Set<number>,
): ContentIdentity | undefined {
  const found = holders(readings, relativeFiles);
  const inRoster = found.map((h) => ({ h, person: roster?.byId.get(h.id) })).filter((x) => x.person);
  if (inRoster.length === 1) {
    return { person: inRoster[0].person!, inRoster: true, note: 'ระบุเจ้าของเอกสารจากบัตรประจำตัวประชาชนที่แนบมา' };
  }
  if (inRoster.length > 1 || found.length !== 1) return undefined;
  const only = found[0];
  if (!only.name) return undefined;
  return {
    person: { nationalId: only.id, ...(only.name.prefix ? { prefix: only.name.prefix } : {}), firstName: only.name.firstName, lastName: only.name.lastName },
    inRoster: false,
    note: 'ระบุเจ้าของเอกสารจากบัตรประจำตัวประชาชนที่แนบมา (ไม่พบในบัญชีรายชื่อ)',
  };
}
