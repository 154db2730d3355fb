// Loads the reference files staff keep (the roster of civil servants, the units file) for every verb and
// `run`: bad rows are logged with their row number and left out; an unreadable or empty file is a config error.
import { readFile, stat } from 'node:fs/promises';
import { ConfigError } from '../config/load.ts';
import { parseRoster, type Roster } from '../pipelines/identity/index.ts';
import { parseUnits, type UnitsDirectory } from '../pipelines/unit/index.ts';
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
    throw new ConfigError(
      `roster ${file} has no usable rows${errors.length ? ` (${errors.length} rejected; first: row ${errors[0].row}: ${errors[0].message})` : ''}`,
    );
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

/**
 * A reference file a long-running process re-reads when staff replace it (checked at most every
 * `checkEveryMs`, by size and modification time). A replacement that does not load keeps the previous one.
 */
export class ReferenceFile<T> {
  private value?: T;
  private stamp?: string;
  private checkedAt = 0;

  constructor(
    private readonly file: string,
    private readonly load: (file: string) => Promise<T>,
    private readonly log: Logger,
    private readonly checkEveryMs = 10_000,
  ) {}

  async get(): Promise<T> {
    const now = Date.now();
    if (this.value !== undefined && now - this.checkedAt < this.checkEveryMs) return this.value;
    this.checkedAt = now;
    const info = await stat(this.file).catch(() => undefined);
    const stamp = info ? `${info.size}:${info.mtimeMs}` : 'missing';
    if (this.value !== undefined && stamp === this.stamp) return this.value;
    try {
      const next = await this.load(this.file);
      if (this.value !== undefined) this.log.info({ code: 'reference.reloaded', file: this.file }, 'reference file changed: reloaded');
      this.value = next;
      this.stamp = stamp;
    } catch (err) {
      if (this.value === undefined) throw err;
      this.stamp = stamp; // do not retry the same broken file every time
      this.log.warn({ code: 'reference.reload_failed', file: this.file, err }, 'reference file changed but does not load: keeping the previous one');
    }
    return this.value;
  }
}
