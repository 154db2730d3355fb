// `seis-intake verify` on a real archive made by the real pipeline (the dashboard's sample mailbox): clean as
// filed; each kind of damage found where it is; --repair mends what the originals and records can give back,
// moves debris aside and deletes nothing; the verb's exit codes and JSON.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile, appendFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildRoster } from '../../pipelines/identity/roster.ts';
import type { PersonManifest } from '../../pipelines/types.ts';
import { silentLogger } from '../../adapters/logger.ts';
import { repairArchive } from '../../usecases/repair-archive.ts';
import { verifyArchive } from '../../usecases/verify-archive.ts';
import type { VerifyReport } from '../../usecases/verify-types.ts';
import { buildSampleArchive, SAMPLE_ROSTER, type SampleArchive } from '../helpers/dashboard/sample-archive.ts';

const C = 'seis-certification';
const BIN = path.resolve('bin/seis-intake.js');
let pristine: string;
let sample: SampleArchive;
let root: string;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'verify-'));
  pristine = path.join(work, 'pristine');
  sample = await buildSampleArchive(pristine);
}, 120_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
beforeEach(async (ctx) => {
  root = path.join(work, ctx.task.id);
  await cp(pristine, root, { recursive: true });
});

const verify = () => verifyArchive(root, { config: sample.config });
const repair = (report: VerifyReport, withRoster = true) =>
  repairArchive(report, { config: { ...sample.config, archiveDir: root }, log: silentLogger, ...(withRoster ? { roster: buildRoster(SAMPLE_ROSTER) } : {}) });
const codes = (r: VerifyReport) => r.findings.map((f) => `${f.severity} ${f.code} ${f.path}`);

async function personDir(i: number): Promise<string> {
  const { dir } = (await sample.store.readPerson(C, SAMPLE_ROSTER[i].nationalId))!;
  return dir;
}
async function manifestOf(dir: string): Promise<PersonManifest> {
  return JSON.parse(await readFile(path.join(root, dir, 'manifest.json'), 'utf8'));
}
async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('seis-intake verify', () => {
  it('finds an archive filed by the pipeline whole', async () => {
    const report = await verify();
    expect(codes(report)).toEqual([]);
    expect(report.clean).toBe(true);
    const originals = (await allFiles(path.join(root, '_messages'))).length;
    expect(report.summary).toMatchObject({ originals, records: (await readdir(path.join(root, '_state/messages'))).length, damage: 0 });
    expect(report.summary.persons).toBe((await sample.store.listPersons(C)).length);
  });

  it('names each kind of damage where it is', async () => {
    const a = await personDir(0);
    const b = await personDir(1);
    const ma = await manifestOf(a);
    const doc = ma.documents.find((d) => d.current)!;
    await unlink(path.join(root, a, doc.path));
    const other = (await manifestOf(b)).documents[0];
    await appendFile(path.join(root, b, other.path), 'bit rot');
    await writeFile(path.join(root, a, 'notes.txt'), 'stray');
    await writeFile(path.join(root, b, '.tmp-999999-0123456789ab'), 'half');
    await writeFile(path.join(root, 'readme.txt'), 'stray at the top');
    await mkdir(path.join(root, '_state/mystery'), { recursive: true });
    await writeFile(path.join(root, '_state/mystery/x.json'), '{}');
    await unlink(path.join(root, `_state/persons/${C}/${SAMPLE_ROSTER[0].nationalId}.json`));
    const key = ma.messages[0].messageKey;
    const record = JSON.parse(await readFile(path.join(root, `_state/messages/${key}.json`), 'utf8'));
    await unlink(path.join(root, `_state/messages/${key}.json`));

    const report = await verify();
    expect(report.clean).toBe(false);
    expect(codes(report)).toEqual(expect.arrayContaining([
      `damage missing-file ${a}/${doc.path}`,
      `damage hash-mismatch ${b}/${other.path}`,
      `damage unreferenced-file ${a}/notes.txt`,
      `damage temp-leftover ${b}/.tmp-999999-0123456789ab`,
      'damage outside-layout readme.txt',
      `damage index-missing _state/persons/${C}/${SAMPLE_ROSTER[0].nationalId}.json`,
      `damage record-missing _state/messages/${key}.json`,
      `damage original-without-record ${record.emlPath}`,
      'warning unknown-state-area _state/mystery',
    ]));
  });

  it('tells a temp file of a running process from a leftover', async () => {
    const dir = await personDir(3);
    await writeFile(path.join(root, dir, `.tmp-${process.pid}-abcdefabcdef`), 'being written');
    const report = await verify();
    expect(codes(report)).toEqual([`warning temp-in-progress ${dir}/.tmp-${process.pid}-abcdefabcdef`]);
    expect(report.clean).toBe(true);
  });

  it('repairs what can be derived, sets debris aside and deletes nothing', async () => {
    const a = await personDir(0);
    const b = await personDir(1);
    const lostDoc = (await manifestOf(a)).documents[0];
    const rotten = (await manifestOf(b)).documents[0];
    const before = new Set(await allFiles(root));
    await unlink(path.join(root, a, 'manifest.json')); // the manifest is lost, its files are still there
    await unlink(path.join(root, b, rotten.path));
    await writeFile(path.join(root, b, rotten.path), 'not the scan any more');
    await rm(path.join(root, a, '_originals'), { recursive: true });
    await unlink(path.join(root, `_state/persons/${C}/${SAMPLE_ROSTER[1].nationalId}.json`));
    await writeFile(path.join(root, b, 'stray.pdf'), 'stray');
    await writeFile(path.join(root, a, '.tmp-999999-0123456789ab'), 'half');

    const damaged = await verify();
    expect(damaged.clean).toBe(false);
    const result = await repair(damaged);
    expect(result.actions.map((x) => x.action)).toEqual(expect.arrayContaining(['rebuild', 'restore', 'index', 'quarantine']));
    const after = await verify();
    expect(codes(after)).toEqual([]);

    expect(await manifestOf(a)).toEqual(JSON.parse(await readFile(path.join(pristine, a, 'manifest.json'), 'utf8')));
    expect(await readFile(path.join(root, b, rotten.path))).toEqual(await readFile(path.join(pristine, b, rotten.path)));
    expect((await stat(path.join(root, a, lostDoc.path))).isFile()).toBe(true);
    // Nothing is gone: every file is where it was, and the debris is under the quarantine folder.
    const now = await allFiles(root);
    expect(now.filter((f) => !f.startsWith('_state/quarantine/') && !before.has(f))).toEqual([]);
    const moved = now.filter((f) => f.startsWith('_state/quarantine/')).map((f) => f.split('/').slice(3).join('/')).sort();
    expect(moved).toEqual([`${a}/.tmp-999999-0123456789ab`, `${b}/${rotten.path}`, `${b}/stray.pdf`].sort());
    expect(await readFile(path.join(root, result.quarantineDir!, b, rotten.path), 'utf8')).toBe('not the scan any more');
  });

  it('does not rebuild a manifest when the replay disagrees with the folder (another roster), and says why', async () => {
    const dir = await personDir(5); // named in the subject by ID only: the roster gave the folder its name
    await unlink(path.join(root, dir, 'manifest.json'));
    const result = await repair(await verify(), false);
    expect(result.actions.filter((x) => x.action !== 'skipped')).toEqual([]);
    expect(result.actions[0].detail).toMatch(/--roster/);
    expect(codes(await verify())).toEqual([`damage manifest-missing ${dir}/manifest.json`]);
  });

  it('leaves a lost original to the operator: reported before and after --repair', async () => {
    const { manifest } = (await sample.store.readPerson(C, SAMPLE_ROSTER[0].nationalId))!;
    const eml = manifest.messages[0].emlPath;
    await unlink(path.join(root, eml));
    const report = await verify();
    expect(codes(report)).toContain(`damage original-missing ${eml}`);
    await repair(report);
    expect(codes(await verify())).toContain(`damage original-missing ${eml}`);
  });

  it('exits 0 on a whole archive and 1 on damage, with --json for machines', async () => {
    const env = { ...process.env, LOG_LEVEL: 'error', CONFIG_FILE: '' };
    const ok = spawnSync('node', [BIN, 'verify', '--archive', root], { env, encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/ไม่พบความเสียหาย/);
    await writeFile(path.join(root, 'stray.bin'), 'x');
    const bad = spawnSync('node', [BIN, 'verify', '--archive', root, '--json'], { env, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    const json = JSON.parse(bad.stdout) as VerifyReport;
    expect(json.clean).toBe(false);
    expect(json.findings).toEqual([expect.objectContaining({ code: 'outside-layout', path: 'stray.bin', severity: 'damage' })]);
  });
});
