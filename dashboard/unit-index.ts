// One unit-scope campaign's slice of the in-memory index (login-status, admin-appointment): each unit folder's
// manifest, the reports no unit could be found for, and the staff report built from them (rebuilt only when
// the version moves). It decides nothing: status, late and missing are pipelines/unit/report.ts's, exactly as
// `seis-intake report --campaign …` says. Keeping it fresh is archive-index.ts's job (it calls signals/scan).
import path from 'node:path';
import { MANIFEST } from '../pipelines/archive-paths.ts';
import type { ChecklistItem, UnmatchedRecord } from '../pipelines/types.ts';
import { buildUnitReport, type UnitReport, type UnitReportRow, type UnitManifest, type UnitsDirectory } from '../pipelines/unit/index.ts';
import { dirNames, scanUnmatchedDir, stampAt, sweepFiles, type Known } from './campaign-index.ts';

export interface UnitCampaignLike {
  id: string;
  title: string;
  deadline: Date;
  checklist: ChecklistItem[];
  scope: 'unit';
  folder?: string;
  form?: 'login-status' | 'admin-appointment';
  expectedFrom: readonly string[];
}

export function isUnitCampaign(c: object): c is UnitCampaignLike {
  return (c as { scope?: unknown }).scope === 'unit';
}

/** The headline counts of a unit-scope campaign; `expected` and `missing` are null without a units file. */
export interface UnitCounts {
  expected: number | null;
  sent: number;
  complete: number;
  /** The unit's latest report has a problem (it must send again). */
  problems: number;
  late: number;
  missing: number | null;
  /** Units that sent although the circular does not ask them (a central unit's admin-appointment). */
  notAsked: number;
  unmatched: number;
}

export function unitCounts(report: UnitReport): UnitCounts {
  const rows = report.units;
  return {
    expected: report.unitsFile ? rows.filter((u) => u.expected).length : null,
    sent: rows.filter((u) => u.submissions > 0).length,
    complete: rows.filter((u) => u.status === 'complete').length,
    problems: rows.filter((u) => u.lastProblems.length > 0).length,
    late: rows.filter((u) => u.late).length,
    missing: report.unitsFile ? report.missingUnits.length : null,
    notAsked: rows.filter((u) => u.expected === false && u.submissions > 0).length,
    unmatched: report.unmatched.length,
  };
}

export class UnitCampaignIndex {
  /** unit folder name (the URL key) → its manifest */
  readonly units = new Map<string, Known<UnitManifest>>();
  readonly unmatched = new Map<string, Known<UnmatchedRecord>>();
  readonly folder: string;
  version = 0;
  private cache?: { version: number; report: UnitReport };

  constructor(readonly campaign: UnitCampaignLike, private readonly root: string, private readonly directory?: UnitsDirectory) {
    this.folder = campaign.folder ?? campaign.id;
  }

  get hasUnitsFile(): boolean {
    return Boolean(this.directory);
  }

  private get base(): string {
    return path.join(this.root, this.folder);
  }

  /** What a new report changes: the campaign folder, its unit folders, _unmatched. */
  signals(): string[] {
    return [stampAt(this.base), stampAt(path.join(this.base, '_unmatched')), ...dirNames(this.base).map((u) => stampAt(path.join(this.base, u)))];
  }

  /** One stat per unit manifest; only the changed ones are read again. */
  async scan(): Promise<{ changes: number; manifests: number }> {
    const keys = dirNames(this.base);
    let changes = await sweepFiles<UnitManifest>(keys, (key) => path.join(this.base, key, MANIFEST), this.units, (key, stamp, manifest) => {
      if (manifest?.scope !== 'unit') return false;
      this.units.set(key, { stamp, value: manifest });
      return true;
    }, (key) => this.units.delete(key));
    changes += await this.scanUnmatched();
    if (changes) this.version++;
    return { changes, manifests: keys.length };
  }

  scanUnmatched(): Promise<number> {
    return scanUnmatchedDir(path.join(this.base, '_unmatched'), this.unmatched);
  }

  /** Re-reads one unit now when its manifest changed (a unit page shows the folder as it is). */
  async refreshUnit(key: string, manifest: UnitManifest | undefined): Promise<void> {
    if (!this.units.has(key) || manifest?.scope !== 'unit') return;
    const stamp = stampAt(path.join(this.base, key, MANIFEST));
    if (this.units.get(key)?.stamp === stamp) return;
    this.units.set(key, { stamp: '', value: manifest }); // no stamp: the next sweep reads it once more
    this.version++;
  }

  /** Unit folder relative to the archive root, for a key the index knows; undefined for anything else. */
  dirOf(key: string): string | undefined {
    return this.units.has(key) ? `${this.folder}/${key}` : undefined;
  }

  /** The URL key of a report row (its folder name), when the unit has a folder. */
  keyOf(row: UnitReportRow): string | undefined {
    const key = row.dir?.startsWith(`${this.folder}/`) ? row.dir.slice(this.folder.length + 1) : undefined;
    return key && this.units.has(key) ? key : undefined;
  }

  report(now: Date): UnitReport {
    if (this.cache?.version === this.version) return this.cache.report;
    const report = buildUnitReport({
      campaign: this.campaign,
      units: this.directory,
      now,
      entries: [...this.units].map(([key, known]) => ({ dir: `${this.folder}/${key}`, manifest: known.value })),
      unmatched: [...this.unmatched.values()].map((k) => k.value),
    });
    this.cache = { version: this.version, report };
    return report;
  }

  row(key: string, now: Date): UnitReportRow | undefined {
    const dir = this.dirOf(key);
    return dir ? this.report(now).units.find((r) => r.dir === dir) : undefined;
  }

  openUnmatched(): UnmatchedRecord[] {
    return [...this.unmatched.values()].map((k) => k.value).filter((r) => !r.resolved)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.messageKey.localeCompare(b.messageKey));
  }
}
