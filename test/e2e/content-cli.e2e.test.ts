// `seis-intake content` as staff run it: a real process reading a scanned card and a combined PDF from the
// scan fixtures, in words and as JSON.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContentReport } from '../../cli/content.ts';
import { buildScanFixtures, type BuiltFixture } from '../helpers/scans/build.ts';
import { SCAN_FIXTURES } from '../helpers/scans/catalog.ts';
import { SOMCHAI } from '../helpers/people.ts';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'bin/seis-intake.js');

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await run('node', [BIN, 'content', ...args], { maxBuffer: 20 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let files: Record<string, BuiltFixture>;
beforeAll(async () => {
  const wanted = SCAN_FIXTURES.filter((f) => ['scan0001.pdf', 'Doc1.pdf'].includes(f.name));
  files = Object.fromEntries((await buildScanFixtures(wanted)).files.map((f) => [f.file.name, f]));
}, 300_000);

describe('seis-intake content', () => {
  it('prints what a scanned ID card says, page by page and as documents', async () => {
    const { code, stdout } = await cli([files['scan0001.pdf'].path, '--concurrency', '1']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/scan0001\.pdf: pdf, 1 page/);
    expect(stdout).toMatch(/^ {2}1 +id-card \(both\) +1\.00 +- +200dpi/m);
    expect(stdout).toContain(`${SOMCHAI.nationalId[0]}-${SOMCHAI.nationalId.slice(1, 5)}-`);
    expect(stdout).toMatch(/documents:\n {4}page 1 +id-card/);
  }, 60_000);

  it('gives the same as JSON, with the OCR details of each page', async () => {
    const { code, stdout } = await cli([files['Doc1.pdf'].path, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ContentReport;
    expect(report).toMatchObject({ format: 'pdf', pageCount: 2 });
    expect(report.pages.map((p) => p.kind)).toEqual(['house-registration', 'house-registration']);
    expect(report.pages[0].ocr).toMatchObject({ source: 'ocr', image: 'embedded', dpi: 200 });
    expect(report.segments).toHaveLength(1);
    expect(report.segments[0].ids.map((i) => i.role ?? 'resident').sort()).toEqual(['father', 'mother', 'resident']);
  }, 60_000);

  it('says what is wrong with its arguments or a file, with exit codes 2 and 1', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['x.pdf', '--concurrency', '0'])).code).toBe(2);
    const missing = await cli(['/nonexistent/scan.pdf']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/scan.pdf');
  });
});
