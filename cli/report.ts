// `seis-intake report`: the per-person report over the archive, as JSON (the contract), CSV or XLSX.
import { writeFile } from 'node:fs/promises';
import { campaignById } from '../config/load.ts';
import { renderReport, renderUnitReport, reportFromArchive, unitReportFromArchive } from '../usecases/reports.ts';
import { COMMON_OPTIONS, parseCommandArgs, UsageError, showHelp, stringOptions } from './args.ts';
import { buildContext } from './context.ts';

const HELP = `usage: seis-intake report [--archive DIR] [--roster FILE] [--units FILE] [--config FILE] [--campaign ID] [--format json|csv|xlsx] [--out FILE]
  Without --out the report goes to standard output (xlsx only when it is not a terminal).
  --campaign login-status|admin-appointment: the per-unit report; csv is the department-wide list (who cannot
  log in / the administrators), xlsx adds the per-unit summary and the units that have not sent (needs --units).`;

export async function reportCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { ...COMMON_OPTIONS, ...stringOptions('format', 'out', 'campaign', 'units') });
  if (showHelp(values, HELP)) return 0;
  const format = values.format ?? (values.out?.match(/\.(json|csv|xlsx)$/i)?.[1].toLowerCase() ?? 'json');
  if (!['json', 'csv', 'xlsx'].includes(format)) throw new UsageError(`--format must be json, csv or xlsx (got "${format}")`);
  if (format === 'xlsx' && !values.out && process.stdout.isTTY) throw new UsageError('xlsx is binary: give --out FILE');
  const ctx = await buildContext(values, { logLevel: 'error' });
  const campaign = campaignById(ctx.config, values.campaign);
  const bytes = campaign.scope === 'unit'
    ? await renderUnitReport(await unitReportFromArchive(ctx, campaign.id), format, ctx.store.root)
    : await renderReport(await reportFromArchive(ctx, campaign.id), format, campaign.checklist);
  if (values.out) {
    await writeFile(values.out, bytes);
    console.error(`report written to ${values.out}`);
  } else {
    process.stdout.write(bytes);
  }
  return 0;
}
