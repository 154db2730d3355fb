// What a reminder needs to know of a person or a unit, read off its manifest the same way the report reads it
// (status, missing, invalid), plus what the words need (parts still lacking, what arrived). Leaves out loading.
import { buildReport, judgeChecklist } from '../person/index.ts';
import type { ChecklistItem, ManifestDocument, Person, PersonManifest } from '../types.ts';
import type { Unit, UnitReportRow } from '../unit/index.ts';
import type { PersonState, UnitState } from './types.ts';

const counts = (d: ManifestDocument) => d.current && d.review?.state !== 'returned';

export function personStateOf(
  campaign: { id: string; deadline: Date; checklist: ChecklistItem[] },
  person: Person,
  entry: { dir: string; manifest: PersonManifest } | undefined,
  now: Date,
): PersonState {
  const row = buildReport({ campaign, roster: [person], persons: entry ? [entry] : [], unmatched: [], now }).persons[0];
  const documents = entry?.manifest.documents ?? [];
  const counting = documents.filter(counts);
  const judgement = judgeChecklist(documents, campaign.checklist);
  const problems = entry?.manifest.problems ?? [];
  const detailOf = (file: string, reason: string) => problems.find((p) => p.originalName === file && p.code === reason)?.detail;
  return {
    person,
    status: row.status,
    fullyAccepted: row.status === 'complete' && counting.length > 0 && counting.every((d) => d.review?.state === 'accepted'),
    missing: row.missing,
    missingParts: judgement.missingParts,
    invalid: row.invalid.map((x) => {
      const detail = detailOf(x.file, x.reason);
      return detail ? { ...x, detail } : x;
    }),
    received: counting.map((d) => ({ item: d.item, originalName: d.originalName, pages: d.pages })),
  };
}

/** A units-file unit of a unit-scope campaign, from its report row (report.units, inUnitsFile). */
export function unitStateOf(unit: Unit, row: UnitReportRow | undefined): UnitState {
  return {
    unit,
    expected: row?.expected ?? false,
    status: row?.status ?? 'not-submitted',
    missing: row?.missing ?? [],
    problems: row && row.status !== 'complete' ? row.lastProblems : [],
  };
}
