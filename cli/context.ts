// Builds what every verb needs from its flags: the validated config, a logger, the archive store and
// the roster (loaded and checked once; row errors are reported, never fatal unless nothing loads).
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../config/load.ts';
import type { AppConfig } from '../config/schema.ts';
import { parseRoster, type Roster } from '../pipelines/roster.ts';
import { parseUnits, type UnitsDirectory } from '../pipelines/units.ts';
import { ArchiveStore } from '../workers/archive-store.ts';
import { createLogger, type Logger } from '../workers/logger.ts';
import { UsageError } from './args.ts';

export interface CliContext {
  config: AppConfig;
  log: Logger;
  store: ArchiveStore;
  roster?: Roster;
  /** The units file (--units / UNITS_FILE): which unit must send which request. */
  units?: UnitsDirectory;
}

export interface CommonFlags {
  config?: string;
  archive?: string;
  roster?: string;
  outbox?: string;
  units?: string;
}

export function configFromFlags(flags: CommonFlags, extra: Record<string, unknown> = {}): AppConfig {
  return loadConfig({
    configFile: flags.config,
    overrides: { archiveDir: flags.archive, rosterFile: flags.roster, outboxDir: flags.outbox, unitsFile: flags.units, ...extra },
  });
}

export async function loadRosterFile(file: string, log: Logger): Promise<Roster> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read roster ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const { roster, errors } = await parseRoster(bytes, file);
  for (const error of errors) {
    log.warn({ row: error.row, field: error.field, code: 'roster.row_rejected' }, error.message);
  }
  if (roster.persons.length === 0) {
    throw new UsageError(`roster ${file} has no usable rows${errors.length ? ` (${errors.length} rejected; first: row ${errors[0].row}: ${errors[0].message})` : ''}`);
  }
  return roster;
}

export async function loadUnitsFile(file: string, log: Logger, campaignIds: string[]): Promise<UnitsDirectory> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read units file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const { directory, errors } = await parseUnits(bytes, file);
  for (const error of errors) log.warn({ row: error.row, field: error.field, code: 'units.row_rejected' }, error.message);
  if (directory.units.length === 0) {
    throw new UsageError(`units file ${file} has no usable rows${errors.length ? ` (first problem: row ${errors[0].row}: ${errors[0].message})` : ''}`);
  }
  for (const unit of directory.units) {
    const unknown = (unit.requests ?? []).filter((r) => !campaignIds.includes(r));
    if (unknown.length) log.warn({ unit: unit.id, unknown, code: 'units.unknown_request' }, 'units file names a request that is no campaign');
  }
  return directory;
}

export async function buildContext(flags: CommonFlags, opts: { logLevel?: string } = {}): Promise<CliContext> {
  const config = configFromFlags(flags);
  const log = createLogger({ level: opts.logLevel ?? config.logLevel, pretty: config.logPretty });
  const store = new ArchiveStore(config.archiveDir, { logger: log, outboxDir: config.outboxDir });
  const roster = config.rosterFile ? await loadRosterFile(config.rosterFile, log) : undefined;
  const units = config.unitsFile ? await loadUnitsFile(config.unitsFile, log, config.campaigns.map((c) => c.id)) : undefined;
  return { config, log, store, roster, ...(units ? { units } : {}) };
}
