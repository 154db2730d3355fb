// `seis-intake report`: the per-person report over the archive, as JSON (the contract), CSV or XLSX.
import { writeFile } from 'node:fs/promises';
import { campaignById } from '../config/load.ts';
import { buildReport, type Report } from '../pipelines/report.ts';
import { reportToCsv, reportToXlsx } from '../pipelines/report-formats.ts';
import { buildUnitReport, type UnitReport } from '../pipelines/unit-report.ts';
import { unitReportToCsv, unitReportToXlsx } from '../pipelines/unit-report-formats.ts';
import { COMMON_OPTIONS, parseCommandArgs, UsageError } from './args.ts';
import { buildContext, type CliContext } from './context.ts';

const HELP = `usage: seis-intake report [--archive DIR] [--roster FILE] [--units FILE] [--config FILE] [--campaign ID] [--format json|csv|xlsx] [--out FILE]
  Without --out the report goes to standard output (xlsx only when it is not a terminal).
  --campaign login-status|admin-appointment: the per-unit report; csv is the department-wide list (who cannot
  log in / the administrators), xlsx adds the per-unit summary and the units that have not sent (needs --units).`;

export async function reportFromArchive(ctx: CliContext, campaignId?: string, now = new Date()): Promise<Report> {
  const campaign = campaignById(ctx.config, campaignId);
  const [persons, unmatched] = await Promise.all([ctx.store.listPersons(campaign.id), ctx.store.listUnmatched(campaign.id)]);
  return buildReport({ campaign, roster: ctx.roster?.persons, persons, unmatched, now });
}

export async function unitReportFromArchive(ctx: CliContext, campaignId: string, now = new Date()): Promise<UnitReport> {
  const campaign = campaignById(ctx.config, campaignId);
  const folder = campaign.folder ?? campaign.id;
  const [entries, unmatched] = await Promise.all([ctx.store.listUnits(folder), ctx.store.listUnmatched(folder)]);
  return buildUnitReport({ campaign, units: ctx.units, entries, unmatched, now });
}

export async function renderUnitReport(report: UnitReport, format: string, archiveRoot?: string): Promise<Buffer> {
  if (format === 'json') return Buffer.from(`${JSON.stringify(report, null, 2)}\n`);
  if (format === 'csv') return Buffer.from(unitReportToCsv(report));
  return unitReportToXlsx(report, { archiveRoot });
}

export async function renderReport(report: Report, format: string): Promise<Buffer> {
  if (format === 'json') return Buffer.from(`${JSON.stringify(report, null, 2)}\n`);
  if (format === 'csv') return Buffer.from(reportToCsv(report));
  return reportToXlsx(report);
}

export async function reportCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    ...COMMON_OPTIONS, format: { type: 'string' }, out: { type: 'string' }, campaign: { type: 'string' }, units: { type: 'string' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const format = values.format ?? (values.out?.match(/\.(json|csv|xlsx)$/i)?.[1].toLowerCase() ?? 'json');
  if (!['json', 'csv', 'xlsx'].includes(format)) throw new UsageError(`--format must be json, csv or xlsx (got "${format}")`);
  if (format === 'xlsx' && !values.out && process.stdout.isTTY) throw new UsageError('xlsx is binary: give --out FILE');
  const ctx = await buildContext(values, { logLevel: 'error' });
  const campaign = campaignById(ctx.config, values.campaign);
  const bytes = campaign.scope === 'unit'
    ? await renderUnitReport(await unitReportFromArchive(ctx, campaign.id), format, ctx.store.root)
    : await renderReport(await reportFromArchive(ctx, values.campaign), format);
  if (values.out) {
    await writeFile(values.out, bytes);
    console.error(`report written to ${values.out}`);
  } else {
    process.stdout.write(bytes);
  }
  return 0;
}
