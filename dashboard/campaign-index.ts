// One campaign's slice of the in-memory index: person rows by national ID, unmatched mail, and the
// per-unit groups and tallies the overview and unit pages read (recomputed only when the version moves).
// Also the small stat helpers the scanner uses. Keeping it fresh is archive-index.ts's job.
import { promises as fs, readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Person, UnmatchedRecord } from '../pipelines/types.ts';
import { addToTally, emptyTally, type CampaignLike, type PersonEntry, type Tally } from './person-summary.ts';

export interface UnitSummary {
  unit: string;
  tally: Tally;
}

export interface Known<T> {
  stamp: string;
  value: T;
}

/** Synchronous stats in slices, yielding between them: ~6 µs each, and no slice blocks requests for long. */
export const STAT_SLICE = 500;
export const READ_BATCH = 64;

export const stampOf = (s: Stats) => `${s.mtimeMs}:${s.size}:${s.ino}`;
export const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

export function dirNames(abs: string): string[] {
  try {
    return readdirSync(abs, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_')).map((e) => e.name);
  } catch {
    return [];
  }
}

export function stampAt(abs: string): string {
  const s = statSync(abs, { throwIfNoEntry: false });
  return s ? stampOf(s) : '-';
}

export async function stampMany(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < paths.length; i += STAT_SLICE) {
    if (i) await yieldToRequests();
    for (const p of paths.slice(i, i + STAT_SLICE)) out.push(stampAt(p));
  }
  return out;
}

export async function readJsonFile<T>(abs: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(abs, 'utf8')) as T;
  } catch {
    return undefined; // vanished or half-visible: the next sweep sees it again
  }
}

/**
 * One sweep of a folder of JSON files, keyed by sub-folder: a stat each, the changed files re-read (in
 * batches) and handed to `apply` (which says whether it kept the value), the keys whose file is gone handed
 * to `drop`. Returns the number of changes. Shared by the person, unit and unmatched indexes.
 */
export async function sweepFiles<T>(
  keys: string[],
  fileOf: (key: string) => string,
  known: Map<string, { stamp: string }>,
  apply: (key: string, stamp: string, value: T | undefined) => boolean,
  drop: (key: string) => void,
): Promise<number> {
  const stamps = await stampMany(keys.map(fileOf));
  const seen = new Set<string>();
  const changed: Array<{ key: string; stamp: string }> = [];
  keys.forEach((key, i) => {
    if (stamps[i] === '-') return;
    seen.add(key);
    if (known.get(key)?.stamp !== stamps[i]) changed.push({ key, stamp: stamps[i] });
  });
  let changes = 0;
  for (const key of [...known.keys()]) {
    if (!seen.has(key)) {
      drop(key);
      changes++;
    }
  }
  for (let i = 0; i < changed.length; i += READ_BATCH) {
    const batch = changed.slice(i, i + READ_BATCH);
    const values = await Promise.all(batch.map(({ key }) => readJsonFile<T>(fileOf(key))));
    batch.forEach(({ key, stamp }, j) => {
      if (apply(key, stamp, values[j])) changes++;
    });
  }
  return changes;
}

/** Re-reads the changed `record.json`s under one `_unmatched` folder into `known`; returns the number of changes. */
export async function scanUnmatchedDir(base: string, known: Map<string, Known<UnmatchedRecord>>): Promise<number> {
  let keys: string[];
  try {
    keys = readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  } catch {
    keys = [];
  }
  return sweepFiles<UnmatchedRecord>(keys, (key) => path.join(base, key, 'record.json'), known, (key, stamp, record) => {
    if (!record) return false;
    known.set(key, { stamp, value: record });
    return true;
  }, (key) => known.delete(key));
}

export class CampaignIndex {
  readonly persons = new Map<string, PersonEntry>();
  /** person folder (relative to root) → manifest stamp and national ID */
  readonly folders = new Map<string, Known<string>>();
  readonly unmatched = new Map<string, Known<UnmatchedRecord>>();
  version = 0;
  private cache?: { version: number; units: Map<string, PersonEntry[]>; summaries: UnitSummary[]; tally: Tally };

  readonly roster = new Map<string, Person>();

  constructor(readonly campaign: CampaignLike, roster: Person[]) {
    for (const person of roster) if (!this.roster.has(person.nationalId)) this.roster.set(person.nationalId, person);
  }

  private grouped() {
    if (this.cache?.version === this.version) return this.cache;
    const units = new Map<string, PersonEntry[]>();
    const tally = emptyTally();
    const tallies = new Map<string, Tally>();
    for (const p of this.persons.values()) {
      let list = units.get(p.unit);
      if (!list) {
        list = [];
        units.set(p.unit, list);
        tallies.set(p.unit, emptyTally());
      }
      list.push(p);
      addToTally(tallies.get(p.unit)!, p);
      addToTally(tally, p);
    }
    for (const list of units.values()) list.sort((a, b) => a.name.localeCompare(b.name, 'th') || a.nationalId.localeCompare(b.nationalId));
    const summaries = [...tallies].map(([unit, t]) => ({ unit, tally: t })).sort((a, b) => a.unit.localeCompare(b.unit, 'th'));
    this.cache = { version: this.version, units, summaries, tally };
    return this.cache;
  }

  tally(): Tally {
    return this.grouped().tally;
  }

  units(): UnitSummary[] {
    return this.grouped().summaries;
  }

  unit(name: string): PersonEntry[] | undefined {
    return this.grouped().units.get(name);
  }

  openUnmatched(): UnmatchedRecord[] {
    return [...this.unmatched.values()].map((k) => k.value).filter((r) => !r.resolved)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.messageKey.localeCompare(b.messageKey));
  }
}
