// The campaign report: one row per person (roster or not) with status, missing items, invalid files and the
// current documents. It reads manifests only; CSV/XLSX rendering lives in report-formats.ts.
import { UNKNOWN_UNIT } from '../archive-paths.ts';
import { displayName } from '../person-name.ts';
import { judgeChecklist } from './checklist.ts';
import type { ChecklistItem, ManifestDocument, ManifestProblemFile, PersonManifest, Person, UnmatchedRecord } from '../types.ts';

export interface Report {
  campaign: string;
  deadline: string;
  generatedAt: string;
  persons: ReportPerson[];
  unmatched: Array<{ messageId: string; from?: string; receivedAt: string; reason: string }>;
}
export interface ReportPerson {
  nationalId: string;
  name: string;
  unit: string;
  status: 'complete' | 'incomplete' | 'not-submitted';
  late: boolean;
  /** Set when an extension gives this person a later deadline than the campaign's (ISO). */
  extendedDeadline?: string;
  missing: string[];
  /** Invalid and unclassified files (reason = the problem code), and documents staff returned ('returned'). */
  invalid: Array<{ file: string; reason: string }>;
  /**
   * Current documents; path relative to the archive root. `source`: who decided the item (file name, the pages,
   * or both agreeing); `confidence`: the pages' (null when only the name decided); `flags`: page checks.
   */
  documents: Array<{
    item: string;
    path: string;
    sha256: string;
    pages: number;
    receivedAt: string;
    messageId: string;
    source: 'name' | 'content' | 'both';
    confidence: number | null;
    flags: string[];
  }>;
  /** Page checks over the current documents (blank, unreadable, low-resolution, no-certification), for staff. */
  flags: string[];
}

export interface ReportInput {
  campaign: { id: string; deadline: Date; checklist: ChecklistItem[] };
  roster?: Person[];
  /** `dir` relative to the archive root, as ArchiveStore.listPersons returns it. */
  persons: Array<{ dir: string; manifest: PersonManifest }>;
  unmatched: UnmatchedRecord[];
  now: Date;
  /** The deadline that applies to a person (deadline extensions); the campaign's when not given. */
  deadlineOf?: (person: Person) => Date;
}

const joinPath = (dir: string, rel: string) => (dir ? `${dir.replace(/\/+$/, '')}/${rel}` : rel);

function personRow(
  person: Person,
  entry: { dir: string; manifest: PersonManifest } | undefined,
  input: ReportInput,
): ReportPerson {
  const { checklist } = input.campaign;
  const deadline = input.deadlineOf?.(person) ?? input.campaign.deadline;
  const manifest = entry?.manifest;
  const documents = manifest?.documents ?? [];
  const problems = manifest?.problems ?? [];
  const judgement = judgeChecklist(documents, checklist);
  const current = documents.filter((d) => d.current);
  // Something arrived (even if none of it counts): not "not submitted", which means nothing was received.
  const status = documents.length === 0 && problems.length === 0 ?
    'not-submitted'
    : judgement.status === 'complete'
    ? 'complete'
    : 'incomplete';
  const returned = current.filter((d) => d.review?.state === 'returned')
    .map((d) => ({ file: d.originalName, reason: d.review?.reason ? `returned: ${d.review.reason}` : 'returned' }));
  return {
    nationalId: person.nationalId,
    name: displayName(person),
    unit: person.unit?.trim() || UNKNOWN_UNIT,
    status,
    // Against the deadline that applies now, so an extended deadline is reflected.
    late: current.some((d) => Date.parse(d.receivedAt) > deadline.getTime()),
    ...(deadline.getTime() !== input.campaign.deadline.getTime() ? { extendedDeadline: deadline.toISOString() } : {}),
    missing: judgement.missing,
    invalid: [...problems.filter((p) => !resolvedLater(p, current)).map((p) => ({ file: p.originalName, reason: p.code })), ...returned],
    documents: current.map((d) => ({
      item: d.item,
      path: joinPath(entry?.dir ?? '', d.path),
      sha256: d.sha256,
      pages: d.pages,
      receivedAt: d.receivedAt,
      messageId: d.messageId,
      source: d.reading?.source ?? 'name',
      confidence: d.reading?.confidence ?? null,
      flags: d.reading?.flags ?? [],
    })),
    flags: [...new Set(current.flatMap((d) => d.reading?.flags ?? []))],
  };
}

export function buildReport(input: ReportInput): Report {
  const byId = new Map<string, { dir: string; manifest: PersonManifest }>();
  for (const entry of input.persons) {
    if (entry.manifest.campaign && entry.manifest.campaign !== input.campaign.id) continue;
    byId.set(entry.manifest.person.nationalId, entry);
  }
  const rosterIds = new Set<string>();
  const persons: ReportPerson[] = [];
  for (const person of input.roster ?? []) {
    if (rosterIds.has(person.nationalId)) continue;
    rosterIds.add(person.nationalId);
    persons.push(personRow(person, byId.get(person.nationalId), input));
  }
  for (const [id, entry] of byId) if (!rosterIds.has(id)) persons.push(personRow(entry.manifest.person, entry, input));
  persons.sort((a, b) => a.unit.localeCompare(b.unit, 'th') || a.nationalId.localeCompare(b.nationalId));

  const unmatched = input.unmatched
    .filter((u) => !u.resolved)
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.messageKey.localeCompare(b.messageKey))
    .map((u) => ({ messageId: u.messageId, ...(u.from ? { from: u.from } : {}), receivedAt: u.receivedAt, reason: u.reason }));

  return {
    campaign: input.campaign.id,
    deadline: input.campaign.deadline.toISOString(),
    generatedAt: input.now.toISOString(),
    persons,
    unmatched,
  };
}

/** A bad file is settled once every item it was meant to be has a counted document that arrived with or after it. */
function resolvedLater(problem: ManifestProblemFile, current: ManifestDocument[]): boolean {
  if (!problem.items?.length) return false;
  return problem.items.every((item) =>
    current.some((d) => d.item === item && d.review?.state !== 'returned' && Date.parse(d.receivedAt) >= Date.parse(problem.receivedAt))
  );
}
