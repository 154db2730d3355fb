// The lists an account sees, cut to its units: a campaign's overview counts and unit list, search results,
// unmatched mail, and both kinds of report (what the exports and the unit-campaign pages are built from).
// Pure filters over values the index or the archive already produced; guards.ts checks single resources.
import type { Report } from '../pipelines/person/index.ts';
import type { UnmatchedRecord } from '../pipelines/types.ts';
import type { UnitReport } from '../pipelines/unit/index.ts';
import type { CampaignIndex, UnitSummary } from './campaign-index.ts';
import { addToTally, emptyTally, type PersonEntry, type Tally } from './person-summary.ts';
import type { Scope } from './scope.ts';

export function scopedPersons(persons: Iterable<PersonEntry>, scope: Scope): PersonEntry[] {
  return [...persons].filter((p) => scope.unitName(p.unit));
}

export function scopedUnmatched<T extends Pick<UnmatchedRecord, 'from'>>(records: T[], scope: Scope): T[] {
  return scope.all ? records : records.filter((r) => scope.sender(r.from));
}

/** The overview of a person-scope campaign: the whole index for everything-scope accounts, else recounted. */
export function scopedOverview(index: CampaignIndex, scope: Scope): { tally: Tally; units: UnitSummary[]; openUnmatched: number } {
  if (scope.all) return { tally: index.tally(), units: index.units(), openUnmatched: index.openUnmatched().length };
  const units = index.units().filter((u) => scope.unitName(u.unit));
  const tally = emptyTally();
  for (const u of units) for (const p of index.unit(u.unit) ?? []) addToTally(tally, p);
  return { tally, units, openUnmatched: scopedUnmatched(index.openUnmatched(), scope).length };
}

export function scopedPersonReport(report: Report, scope: Scope): Report {
  if (scope.all) return report;
  return { ...report, persons: report.persons.filter((p) => scope.unitName(p.unit)), unmatched: scopedUnmatched(report.unmatched, scope) };
}

export function scopedUnitReport(report: UnitReport, scope: Scope): UnitReport {
  if (scope.all) return report;
  const units = report.units.filter((u) => scope.unitRef({ id: u.unitId, name: u.name }));
  const out: UnitReport = {
    ...report,
    units,
    missingUnits: report.missingUnits.filter((u) => scope.unitRef({ id: u.unitId, name: u.name })),
    unmatched: scopedUnmatched(report.unmatched, scope),
  };
  if (report.cannotLogin) out.cannotLogin = report.cannotLogin.filter((r) => scope.unitRef({ id: r.unitId, name: r.unit }));
  if (report.administrators) out.administrators = report.administrators.filter((r) => scope.unitRef({ id: r.unitId, name: r.unit }));
  if (report.totals) {
    const sent = units.filter((u) => u.total !== undefined);
    out.totals = {
      total: sent.reduce((n, u) => n + (u.total ?? 0), 0),
      can: sent.reduce((n, u) => n + (u.can ?? 0), 0),
      cannot: sent.reduce((n, u) => n + (u.cannot ?? 0), 0),
      units: sent.length,
    };
  }
  return out;
}
