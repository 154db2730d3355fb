import { mkdtempSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rosterCsv } from '../../../cli/demo-data.ts';
import { loadRosterFile, ReferenceFile } from '../../../adapters/reference-files.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { ROSTER, SOMCHAI, WANDEE } from '../../helpers/people.ts';

describe('reference files for a long-running process', () => {
  it('re-reads a roster staff replaced, and keeps the previous one when the new one does not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seis-ref-'));
    const file = join(dir, 'roster.csv');
    writeFileSync(file, rosterCsv([SOMCHAI]));
    const ref = new ReferenceFile(file, (f) => loadRosterFile(f, silentLogger), silentLogger, 0);
    expect((await ref.get()).persons.map((p) => p.nationalId)).toEqual([SOMCHAI.nationalId]);

    writeFileSync(file, rosterCsv(ROSTER));
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect((await ref.get()).byId.has(WANDEE.nationalId)).toBe(true);

    writeFileSync(file, 'not,a,roster\n');
    utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    expect((await ref.get()).persons).toHaveLength(ROSTER.length);
  });

  it('refuses to start on a roster that does not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seis-ref-'));
    const ref = new ReferenceFile(join(dir, 'missing.csv'), (f) => loadRosterFile(f, silentLogger), silentLogger);
    await expect(ref.get()).rejects.toThrow(/cannot read roster/);
  });
});
