// The reports over the archive (per person, per unit) in every format, for the `report` verb, `demo` and the
// dashboard's downloads alike. Reads the archive through the store; what a report says is pipelines/'s.
import { campaignById } from '../config/load.ts';
import type { AppConfig } from '../config/schema.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import { buildReport, type Report, reportToCsv, reportToXlsx } from '../pipelines/person/index.ts';
import type { ChecklistItem, Person } from '../pipelines/types.ts';
import { loadExtensions, personDeadline, unitDeadline } from './extensions.ts';
import { buildUnitReport, type UnitReport, unitReportToCsv, unitReportToXlsx, type UnitsDirectory } from '../pipelines/unit/index.ts';

export interface ReportSources {
  config: AppConfig;
  store: ArchiveStore;
  roster?: Roster;
  units?: UnitsDirectory;
  log?: Logger;
}

export async function reportFromArchive(ctx: ReportSources, campaignId?: string, now = new Date()): Promise<Report> {
  const campaign = campaignById(ctx.config, campaignId);
  const [persons, unmatched, extensions] = await Promise.all([
    ctx.store.listPersons(campaign.id),
    ctx.store.listUnmatched(campaign.id),
    loadExtensions(ctx.config, ctx.store, campaign.id),
  ]);
  const deadlineOf = (p: Person) => personDeadline(campaign, extensions, p, ctx.units);
  return buildReport({ campaign, roster: ctx.roster?.persons, persons, unmatched, now, deadlineOf });
}

export async function unitReportFromArchive(ctx: ReportSources, campaignId: string, now = new Date()): Promise<UnitReport> {
  const campaign = campaignById(ctx.config, campaignId);
  const folder = campaign.folder ?? campaign.id;
  const [entries, unmatched, extensions] = await Promise.all([
    ctx.store.listUnits(folder),
    ctx.store.listUnmatched(folder),
    loadExtensions(ctx.config, ctx.store, campaign.id),
  ]);
  return buildUnitReport({ campaign, units: ctx.units, entries, unmatched, now, deadlineOf: (u) => unitDeadline(campaign, extensions, u) });
}

export async function renderUnitReport(report: UnitReport, format: string, archiveRoot?: string): Promise<Buffer> {
  if (format === 'json') return Buffer.from(`${JSON.stringify(report, null, 2)}\n`);
  if (format === 'csv') return Buffer.from(unitReportToCsv(report));
  return unitReportToXlsx(report, { archiveRoot });
}

export async function renderReport(report: Report, format: string, checklist: ChecklistItem[]): Promise<Buffer> {
  if (format === 'json') return Buffer.from(`${JSON.stringify(report, null, 2)}\n`);
  if (format === 'csv') return Buffer.from(reportToCsv(report, { checklist }));
  return reportToXlsx(report, { checklist });
}
