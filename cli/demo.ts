// `seis-intake demo`: the embedded default main job. Builds a fictional roster and mailbox, runs them
// through the real pipeline into a fresh archive, and prints what staff would see. Needs no account.
import { campaignById } from '../config/load.ts';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { formatThaiDateTime } from '../pipelines/dates.ts';
import { parseCommandArgs, UsageError, showHelp } from './args.ts';
import { buildContext } from './context.ts';
import { DEMO_ROSTER, DEMO_UNITS_CSV, demoMailbox, rosterCsv } from './demo-data.ts';
import { ingestPaths, OUTCOME_TH } from './ingest.ts';
import { reportFromArchive, renderReport, unitReportFromArchive } from '../usecases/reports.ts';

const HELP = `usage: seis-intake demo [--dir DIR]
  Writes a fictional roster and mailbox to DIR (default ./seis-demo), processes them into DIR/archive,
  writes the replies to DIR/archive/_outbox and the report to DIR/report.{json,xlsx}.`;

const MARKER = '.seis-intake-demo';
const STATUS_TH = { complete: 'ครบถ้วน', incomplete: 'ยังไม่ครบ', 'not-submitted': 'ยังไม่ส่ง' } as const;

async function freshDir(dir: string): Promise<void> {
  if (existsSync(dir)) {
    const entries = await readdir(dir);
    if (entries.length && !entries.includes(MARKER)) throw new UsageError(`${dir} exists and is not a demo folder; choose another --dir`);
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(join(dir, 'mailbox'), { recursive: true });
  await writeFile(join(dir, MARKER), 'made by seis-intake demo; safe to delete\n');
}

export async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (showHelp(values, HELP)) return 0;
  const dir = resolve(values.dir ?? 'seis-demo');
  await freshDir(dir);
  const rosterFile = join(dir, 'roster.csv');
  await writeFile(rosterFile, rosterCsv(DEMO_ROSTER));
  const unitsFile = join(dir, 'units.csv');
  await writeFile(unitsFile, `\uFEFF${DEMO_UNITS_CSV}\n`);
  const mailbox = await demoMailbox();
  for (const m of mailbox) await writeFile(join(dir, 'mailbox', m.name), m.raw);

  const ctx = await buildContext({ archive: join(dir, 'archive'), roster: rosterFile, units: unitsFile }, { logLevel: 'error' });
  const { outcomes } = await ingestPaths([join(dir, 'mailbox')], ctx);
  const report = await reportFromArchive(ctx);
  await writeFile(join(dir, 'report.json'), await renderReport(report, 'json', campaignById(ctx.config).checklist));
  await writeFile(join(dir, 'report.xlsx'), await renderReport(report, 'xlsx', campaignById(ctx.config).checklist));

  console.log(`seis-intake demo — ${report.campaign}, กำหนดส่ง ${formatThaiDateTime(new Date(report.deadline))}\n`);
  console.log('อีเมลที่ได้รับ (ตามลำดับเวลาที่มาถึง):');
  for (const o of outcomes) {
    const label = mailbox.find((m) => o.source.endsWith(m.name))?.label ?? '';
    const status = o.duplicate ? 'ซ้ำ (ไม่ประมวลผลซ้ำ ไม่ตอบซ้ำ)' : OUTCOME_TH[o.outcome];
    const campaign = o.campaign && o.campaign !== report.campaign ? ` [${o.campaign}]` : '';
    console.log(
      `  ${padCells(relative(dir, o.source), 14)} ${padCells(label, 22)} → ${status}${campaign}${o.late ? ' · ล่าช้า' : ''}${o.outboxPath ? ' · ตอบกลับแล้ว' : ''}`,
    );
  }
  console.log('\nสถานะรายบุคคล:');
  for (const p of report.persons) {
    const missing = p.missing.length ? ` ขาด: ${p.missing.join(', ')}` : '';
    const invalid = p.invalid.length ? ` ไม่ผ่าน: ${p.invalid.map((i) => `${i.file} (${i.reason})`).join(', ')}` : '';
    console.log(`  ${p.nationalId}  ${padCells(p.name, 36)} ${padCells(STATUS_TH[p.status], 10)}${p.late ? ' ล่าช้า' : ''}${missing}${invalid}`);
  }
  for (const id of ['login-status', 'admin-appointment']) {
    const unitReport = await unitReportFromArchive(ctx, id);
    await writeFile(join(dir, `report-${id}.json`), `${JSON.stringify(unitReport, null, 2)}\n`);
    console.log(`\n${id} (กำหนดส่ง ${formatThaiDateTime(new Date(unitReport.deadline))}):`);
    for (const u of unitReport.units.filter((x) => x.status !== 'not-submitted')) {
      const counts = id === 'login-status' && u.total !== undefined ? ` ทั้งหมด ${u.total} ได้ ${u.can} ไม่ได้ ${u.cannot}` : '';
      const admins = u.administrators?.length ? ` ผู้ดูแลระบบ ${u.administrators.length} คน` : '';
      console.log(
        `  ${padCells(u.name, 36)} ${padCells(STATUS_TH[u.status], 10)}${counts}${admins}${
          u.lastProblems?.length ? ` ปัญหา: ${u.lastProblems.join(', ')}` : ''
        }`,
      );
    }
    console.log(`  หน่วยงานที่ยังไม่ส่ง: ${unitReport.missingUnits.map((m) => m.name).join(', ') || '-'}`);
  }
  console.log(`\nอีเมลที่ระบุตัวบุคคลไม่ได้: ${report.unmatched.length}`);
  for (const u of report.unmatched) console.log(`  ${u.from ?? '-'}  ${u.reason}`);
  console.log(`\narchive:  ${join(dir, 'archive')}`);
  console.log(`replies:  ${join(dir, 'archive', '_outbox')}`);
  console.log(
    `report:   ${join(dir, 'report.json')} , ${join(dir, 'report.xlsx')} , ${join(dir, 'report-login-status.json')} , ${
      join(dir, 'report-admin-appointment.json')
    }`,
  );
  return 0;
}

/** Pads by what a terminal shows: Thai vowel and tone marks above or below a letter take no column. */
function padCells(text: string, width: number): string {
  const cells = [...text.replace(/[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E]/g, '')].length;
  return text + ' '.repeat(Math.max(0, width - cells));
}
