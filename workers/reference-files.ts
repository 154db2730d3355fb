// Loads the reference files staff keep (the roster of civil servants, the units file) for every verb and
// `run`: bad rows are logged with their row number and left out; an unreadable or empty file is a config error.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/load.ts';
import { parseRoster, type Roster } from '../pipelines/roster.ts';
import { parseUnits, type UnitsDirectory } from '../pipelines/units.ts';
import type { Logger } from './logger.ts';

async function readReference(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new ConfigError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

export async function loadRosterFile(file: string, log: Logger): Promise<Roster> {
  const { roster, errors } = await parseRoster(await readReference(file, 'roster'), file);
  for (const error of errors) log.warn({ row: error.row, field: error.field, code: 'roster.row_rejected' }, error.message);
  if (roster.persons.length === 0) {
    throw new ConfigError(`roster ${file} has no usable rows${errors.length ? ` (${errors.length} rejected; first: row ${errors[0].row}: ${errors[0].message})` : ''}`);
  }
  log.info({ code: 'roster.loaded', persons: roster.persons.length, rejected: errors.length }, 'roster loaded');
  return roster;
}

export async function loadUnitsFile(file: string, log: Logger, campaignIds: string[]): Promise<UnitsDirectory> {
  const { directory, errors } = await parseUnits(await readReference(file, 'units file'), file);
  for (const error of errors) log.warn({ row: error.row, field: error.field, code: 'units.row_rejected' }, error.message);
  if (directory.units.length === 0) {
    throw new ConfigError(`units file ${file} has no usable rows${errors.length ? ` (first problem: row ${errors[0].row}: ${errors[0].message})` : ''}`);
  }
  for (const unit of directory.units) {
    const unknown = (unit.requests ?? []).filter((r) => !campaignIds.includes(r));
    if (unknown.length) log.warn({ unit: unit.id, unknown, code: 'units.unknown_request' }, 'units file names a request that is no campaign');
  }
  return directory;
}
