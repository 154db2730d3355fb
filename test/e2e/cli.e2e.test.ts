// The CLI as operators run it: real processes, real files, from ingest to report.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../cli/demo-data.ts';
import { mbox, submission } from '../helpers/eml.ts';
import { makePdf } from '../helpers/pdf.ts';
import { ROSTER, SOMCHAI, SOMSRI, WANDEE, fullName } from '../helpers/people.ts';
import type { Report } from '../../pipelines/person/report.ts';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'bin/seis-intake.js');

async function cli(args: string[], cwd = process.cwd()) {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { cwd, maxBuffer: 20 * 1024 * 1024, encoding: 'buffer' });
    return { code: 0, stdout: stdout as Buffer, stderr: stderr.toString() };
  } catch (err) {
    const e = err as { code: number; stdout: Buffer; stderr: Buffer };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr.toString() };
  }
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seis-cli-'));
  const pdf = await makePdf(1);
  mkdirSync(join(dir, 'mail/sub'), { recursive: true });
  writeFileSync(join(dir, 'roster.csv'), rosterCsv(ROSTER));
  const at = (iso: string) => [`from a by b; ${new Date(iso).toUTCString()}`];
  // Given in the wrong order on purpose: the resubmission must be processed after the first mail.
  writeFileSync(join(dir, 'mail/sub/2-later.eml'), submission({
    from: SOMCHAI.email!,
    subject: SOMCHAI.nationalId,
    received: at('2023-09-15T00:00:00Z'),
    attachments: [{ name: 'บัตรประชาชน.pdf', content: await makePdf(3) }],
  }));
  writeFileSync(join(dir, 'mail/1-first.eml'), submission({
    from: SOMCHAI.email!,
    subject: `${fullName(SOMCHAI)}`,
    received: at('2023-09-10T00:00:00Z'),
    attachments: [{ name: 'บัตรประชาชน.pdf', content: pdf }, { name: 'ทะเบียนบ้าน.pdf', content: pdf }],
  }));
  writeFileSync(join(dir, 'box.mbox'), mbox([
    submission({ from: SOMSRI.email!, subject: SOMSRI.nationalId, received: at('2023-09-11T00:00:00Z'),
      attachments: [{ name: 'ทะเบียนบ้าน.pdf', content: pdf }] }),
    submission({ from: 'x@example.test', subject: 'hello', received: at('2023-09-12T00:00:00Z'), attachments: [{ name: 'a.pdf', content: pdf }] }),
  ]));
}, 60_000);

describe('seis-intake CLI', () => {
  it('ingests .eml folders and mbox files in arrival order, writes replies to the outbox, and reports', async () => {
    const archive = join(dir, 'archive');
    const ingest = await cli(['ingest', join(dir, 'mail'), join(dir, 'box.mbox'), '--archive', archive, '--roster', join(dir, 'roster.csv')]);
    expect(ingest.stderr).toBe('');
    expect(ingest.code).toBe(0);
    expect(ingest.stdout.toString()).toMatch(/รวม 4 ฉบับ/);

    const json = await cli(['report', '--archive', archive, '--roster', join(dir, 'roster.csv'), '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout.toString()) as Report;
    expect(report.campaign).toBe('seis-certification');
    expect(report.deadline).toBe('2023-09-22T16:59:59.999Z');
    const somchai = report.persons.find((p) => p.nationalId === SOMCHAI.nationalId)!;
    expect(somchai.status).toBe('incomplete');
    expect(somchai.documents.find((d) => d.item === 'id-card')?.pages).toBe(3); // the later copy is current
    expect(somchai.missing).toEqual(['father-id', 'mother-id', 'appointment-education', 'highest-education']);
    expect(report.persons.find((p) => p.nationalId === WANDEE.nationalId)?.status).toBe('not-submitted');
    expect(report.unmatched).toHaveLength(1);
    for (const doc of somchai.documents) {
      expect(await readFile(join(archive, doc.path))).toBeTruthy();
      // The contract's fields, and (issue 10) what the pages said: source, confidence, flags.
      expect(Object.keys(doc).sort()).toEqual(['confidence', 'flags', 'item', 'messageId', 'pages', 'path', 'receivedAt', 'sha256', 'source']);
    }
    expect(Object.keys(somchai).sort()).toEqual(['documents', 'flags', 'invalid', 'late', 'missing', 'name', 'nationalId', 'status', 'unit']);

    const outbox = await import('node:fs/promises').then((fs) => fs.readdir(join(archive, '_outbox')));
    expect(outbox).toHaveLength(4);
    const reply = await simpleParser(await readFile(join(archive, '_outbox', outbox[0])));
    expect(reply.headers.get('auto-submitted')).toBe('auto-replied');
    expect(['accepted', 'incomplete', 'rejected']).toContain(reply.headers.get('x-seis-intake-status'));

    const again = await cli(['ingest', join(dir, 'mail'), '--archive', archive, '--roster', join(dir, 'roster.csv'), '--quiet']);
    expect(again.code).toBe(0);
    expect(again.stdout.toString()).toMatch(/ซ้ำ 2/);
    expect(await import('node:fs/promises').then((fs) => fs.readdir(join(archive, '_outbox')))).toHaveLength(4);

    const csvOut = join(dir, 'report.csv');
    expect((await cli(['report', '--archive', archive, '--roster', join(dir, 'roster.csv'), '--format', 'csv', '--out', csvOut])).code).toBe(0);
    const csv = await readFile(csvOut, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('เลขประจำตัวประชาชน');

    const xlsxOut = join(dir, 'report.xlsx');
    expect((await cli(['report', '--archive', archive, '--roster', join(dir, 'roster.csv'), '--out', xlsxOut])).code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsxOut);
    expect(book.worksheets.length).toBeGreaterThan(1);
  }, 120_000);

  it('exits 2 with a one-line reason for bad arguments and bad config', async () => {
    const cases = [
      ['ingest'],
      ['report', '--format', 'pdf'],
      ['ingest', '/nonexistent/mail'],
      ['report', '--bogus'],
      ['frobnicate'],
    ];
    for (const args of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    writeFileSync(join(dir, 'bad.yaml'), 'ingestConcurrency: lots\n');
    const bad = await cli(['report', '--config', join(dir, 'bad.yaml'), '--archive', join(dir, 'archive')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ingestConcurrency/);
  }, 60_000);

  it('runs the demo into a fresh folder and prints the summary', async () => {
    const demoDir = join(dir, 'demo');
    const r = await cli(['demo', '--dir', demoDir]);
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    expect(out).toMatch(/สถานะรายบุคคล/);
    expect(out).toMatch(/ครบถ้วน/);
    const report = JSON.parse(await readFile(join(demoDir, 'report.json'), 'utf8')) as Report;
    expect(report.persons.filter((p) => p.status === 'complete').length).toBeGreaterThanOrEqual(3);
    expect(report.persons.some((p) => p.status === 'not-submitted')).toBe(true);
    expect(report.persons.some((p) => p.late)).toBe(true);
    expect(report.unmatched).toHaveLength(1);
    const logins = JSON.parse(await readFile(join(demoDir, 'report-login-status.json'), 'utf8')) as { units: Array<{ unitId: string; status: string }>;
      cannotLogin: unknown[] };
    expect(logins.units.find((u) => u.unitId === '50')?.status).toBe('complete');
    expect(logins.units.find((u) => u.unitId === '40')?.status).toBe('incomplete');
    expect(logins.cannotLogin).toHaveLength(1);
    expect(out).toMatch(/หน่วยงานที่ยังไม่ส่ง/);
    expect((await cli(['demo', '--dir', demoDir])).code).toBe(0); // re-runnable
    expect((await cli(['demo', '--dir', dir])).code).toBe(2); // refuses a folder that is not a demo
  }, 120_000);
});
