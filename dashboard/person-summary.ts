// One person's row as the dashboard shows it, computed once per manifest change and kept in memory.
// Status, late, missing and invalid come from the report itself (buildReport), so the two always agree;
// this adds the per-item cells and review counts the report leaves out.
import { UNKNOWN_UNIT } from '../pipelines/archive-paths.ts';
import { displayName } from '../pipelines/person-name.ts';
import { judgeChecklist, buildReport, type ReportPerson } from '../pipelines/person/index.ts';
import { normaliseThaiName } from '../pipelines/identity/index.ts';
import type { ChecklistItem, ManifestDocument, Person, PersonManifest } from '../pipelines/types.ts';

export type ItemCell =
  | { kind: 'accepted' | 'received'; docs: number; replacedBy?: string }
  | { kind: 'partial'; lacking: 'degree' | 'transcript' }
  | { kind: 'returned'; reason?: string }
  | { kind: 'missing' }
  | { kind: 'none' };

export interface PersonEntry {
  nationalId: string;
  name: string;
  unit: string;
  /** Folder relative to the archive root; undefined for roster persons with nothing received. */
  dir?: string;
  inRoster: boolean;
  email?: string;
  status: ReportPerson['status'];
  late: boolean;
  missing: string[];
  invalid: ReportPerson['invalid'];
  cells: Record<string, ItemCell>;
  review: { awaiting: number; accepted: number; returned: number };
  /** Complete, and staff accepted every document that counts. */
  fullyAccepted: boolean;
  documents: number;
  lastReceivedAt?: string;
  /** Comparison key for name search: prefix removed, lower case, single spaces. */
  nameKey: string;
  /** Page checks over the current documents (the report's persons[].flags). */
  flags: string[];
  /** The current documents that carry page flags, in manifest order. */
  flagged: Array<{ item: string; path: string; flags: string[] }>;
}

export interface CampaignLike {
  id: string;
  deadline: Date;
  checklist: ChecklistItem[];
}

/** The checklist items that get a column: stand-ins (death certificates) fold into the item they replace. */
export function columnItems(checklist: ChecklistItem[]): ChecklistItem[] {
  return checklist.filter((item) => !item.replaces);
}

const counts = (d: ManifestDocument) => d.current && d.review?.state !== 'returned';

function cellsFor(documents: ManifestDocument[], checklist: ChecklistItem[]): Record<string, ItemCell> {
  const judgement = judgeChecklist(documents, checklist);
  const current = documents.filter((d) => d.current);
  const cells: Record<string, ItemCell> = {};
  for (const item of columnItems(checklist)) {
    const live = current.filter((d) => d.item === item.id && counts(d));
    const stand = (item.replacedBy ?? []).find((other) => current.some((d) => d.item === other && counts(d)));
    if (judgement.satisfied.includes(item.id)) {
      const used = live.length ? live : current.filter((d) => d.item === stand && counts(d));
      const accepted = used.length > 0 && used.every((d) => d.review?.state === 'accepted');
      cells[item.id] = { kind: accepted ? 'accepted' : 'received', docs: used.length, ...(live.length ? {} : stand ? { replacedBy: stand } : {}) };
      continue;
    }
    const lacking = judgement.missingParts[item.id];
    const returned = current.find((d) => d.item === item.id && d.review?.state === 'returned');
    if (lacking && live.length) cells[item.id] = { kind: 'partial', lacking };
    else if (returned) cells[item.id] = { kind: 'returned', reason: returned.review?.reason };
    else cells[item.id] = item.required ? { kind: 'missing' } : { kind: 'none' };
  }
  return cells;
}

export function summarisePerson(
  campaign: CampaignLike,
  person: Person,
  entry: { dir: string; manifest: PersonManifest } | undefined,
  opts: { inRoster: boolean; now: Date; deadline?: Date },
): PersonEntry {
  const { deadline } = opts;
  const report = buildReport({
    campaign,
    roster: [person],
    persons: entry ? [entry] : [],
    unmatched: [],
    now: opts.now,
    ...(deadline ? { deadlineOf: () => deadline } : {}),
  });
  const row = report.persons[0];
  const documents = entry?.manifest.documents ?? [];
  const current = documents.filter((d) => d.current);
  const review = { awaiting: 0, accepted: 0, returned: 0 };
  for (const d of current) {
    if (d.review?.state === 'accepted') review.accepted++;
    else if (d.review?.state === 'returned') review.returned++;
    else review.awaiting++;
  }
  const counting = current.filter(counts);
  return {
    nationalId: person.nationalId,
    name: row.name || displayName(person) || person.nationalId,
    unit: row.unit || UNKNOWN_UNIT,
    dir: entry?.dir,
    inRoster: opts.inRoster,
    email: person.email?.toLowerCase(),
    status: row.status,
    late: row.late,
    missing: row.missing,
    invalid: row.invalid,
    cells: cellsFor(documents, campaign.checklist),
    review,
    fullyAccepted: row.status === 'complete' && counting.length > 0 && counting.every((d) => d.review?.state === 'accepted'),
    documents: current.length,
    lastReceivedAt: current.map((d) => d.receivedAt).sort().at(-1),
    nameKey: normaliseThaiName(displayName(person)),
    flags: row.flags,
    flagged: current.filter((d) => d.reading?.flags.length).map((d) => ({ item: d.item, path: d.path, flags: d.reading!.flags })),
  };
}

export interface Tally {
  total: number;
  complete: number;
  incomplete: number;
  notSubmitted: number;
  late: number;
  fullyAccepted: number;
  awaitingReview: number;
  /** Persons with page flags on a current document (content reading). */
  flagged: number;
}

export function emptyTally(): Tally {
  return { total: 0, complete: 0, incomplete: 0, notSubmitted: 0, late: 0, fullyAccepted: 0, awaitingReview: 0, flagged: 0 };
}

export function addToTally(t: Tally, p: PersonEntry): void {
  t.total++;
  if (p.status === 'complete') t.complete++;
  else if (p.status === 'incomplete') t.incomplete++;
  else t.notSubmitted++;
  if (p.late) t.late++;
  if (p.fullyAccepted) t.fullyAccepted++;
  t.awaitingReview += p.review.awaiting;
  if (p.flags.length) t.flagged++;
}
