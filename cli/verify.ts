// `seis-intake verify [--archive DIR] [--repair] [--json]`: proves the archive whole, or lists what is wrong.
// Exit 0 when clean (warnings allowed), 1 when damage remains (after --repair: what it could not mend).
import { loadRosterFile, loadUnitsFile } from '../adapters/reference-files.ts';
import { createLogger } from '../adapters/logger.ts';
import { repairArchive, type RepairResult } from '../usecases/repair-archive.ts';
import { verifyArchive } from '../usecases/verify-archive.ts';
import type { VerifyReport } from '../usecases/verify-types.ts';
import { COMMON_OPTIONS, parseCommandArgs, showHelp } from './args.ts';
import { configFromFlags } from './context.ts';

const HELP = `usage: seis-intake verify [--archive DIR] [--repair] [--json] [--config FILE] [--roster FILE] [--units FILE]
  Walks the archive and checks that it is whole: every manifest's files exist with their sha256, every
  original .eml has its message record and every record its .eml, no half-written temp files, nothing
  outside the layout. Prints a summary and one line per finding; exits 1 when there is damage.
  --repair   rebuild what can be derived (person index, links to originals, manifests and derived files
             replayed from the originals and the message records) and move debris to _state/quarantine/.
             Never deletes anything. Give the same --roster/--units/--config the archive was filed with.
  --json     the report as JSON on standard output.
  Run it while no \`run\`, \`ingest\` or dashboard decision is writing (a write in progress is only a warning).`;

const CODE_TEXT: Record<string, string> = {
  'hash-mismatch': 'ข้อมูลไฟล์ไม่ตรงกับค่า sha256 ที่บันทึกไว้',
  'missing-file': 'ไม่พบไฟล์ที่บันทึกไว้',
  'missing-link': 'ไม่พบสำเนาอีเมลต้นฉบับในแฟ้ม',
  'original-missing': 'ไม่พบอีเมลต้นฉบับ',
  'original-without-record': 'อีเมลต้นฉบับยังไม่มีบันทึกการประมวลผล',
  'record-missing': 'ไม่พบบันทึกของข้อความ',
  'record-unreadable': 'อ่านบันทึกของข้อความไม่ได้',
  'manifest-missing': 'ไม่พบ manifest ของแฟ้ม',
  'manifest-unreadable': 'อ่าน manifest ไม่ได้',
  'manifest-misses-message': 'manifest ไม่มีข้อความที่บันทึกว่าจัดเก็บแล้ว',
  'manifest-mismatch': 'manifest ไม่ใช่ของแฟ้มนี้',
  'duplicate-folder': 'มีแฟ้มซ้ำของบุคคลเดียวกัน',
  'index-missing': 'ดัชนีบุคคลไม่ตรง',
  'index-orphan': 'ดัชนีบุคคลชี้ไปยังแฟ้มที่ไม่มี',
  'unreferenced-file': 'ไฟล์ที่ไม่อยู่ใน manifest',
  'temp-leftover': 'ไฟล์ชั่วคราวที่เขียนไม่เสร็จ',
  'temp-in-progress': 'ไฟล์ชั่วคราวที่กำลังเขียนอยู่',
  'outside-layout': 'ไฟล์นอกโครงสร้างของคลังเอกสาร',
  'unknown-state-area': 'พื้นที่สถานะที่ไม่รู้จัก',
  'outbox-orphan': 'อีเมลตอบกลับในกล่องขาออกที่ไม่มีบันทึก',
};

function printReport(report: VerifyReport, repair?: RepairResult): void {
  const s = report.summary;
  if (repair) {
    console.log(`ซ่อมแซม: ${repair.actions.length} รายการ${repair.quarantineDir ? ` (ไฟล์ที่ย้ายออกอยู่ที่ ${repair.quarantineDir})` : ''}`);
    for (const a of repair.actions) console.log(`  ${a.action.padEnd(10)} ${a.path}${a.detail ? `  (${a.detail})` : ''}`);
  }
  console.log(`คลังเอกสาร ${report.root}`);
  console.log(`  ไฟล์ ${s.files.toLocaleString('th-TH')} (${(s.bytes / 1024 / 1024).toFixed(1)} MB), อีเมลต้นฉบับ ${s.originals}, บันทึกข้อความ ${s.records},`
    + ` แฟ้มบุคคล ${s.persons}, แฟ้มหน่วยงาน ${s.units}, อีเมลที่ระบุตัวไม่ได้ ${s.unmatched}`);
  for (const f of report.findings) {
    const mark = f.severity === 'damage' ? 'เสียหาย' : 'เตือน';
    const fix = f.repair ? `  [--repair: ${f.repair}]` : '';
    console.log(`  ${mark.padEnd(7)} ${f.code.padEnd(24)} ${f.path}${f.detail ? `  — ${f.detail}` : ''}  (${CODE_TEXT[f.code] ?? f.code})${fix}`);
  }
  console.log(report.clean
    ? `ผลตรวจ: ครบถ้วน ไม่พบความเสียหาย${s.warnings ? ` (คำเตือน ${s.warnings})` : ''}`
    : `ผลตรวจ: พบความเสียหาย ${s.damage} รายการ, คำเตือน ${s.warnings}`);
}

/** Repair passes at most: one mends, the next sets aside what the mending left unlisted. */
const MAX_PASSES = 3;

export async function verifyCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { ...COMMON_OPTIONS, units: { type: 'string' }, repair: { type: 'boolean' }, json: { type: 'boolean' } });
  if (showHelp(values, HELP)) return 0;
  const config = configFromFlags(values);
  const log = createLogger({ level: values.json ? 'warn' : config.logLevel, pretty: config.logPretty });
  let repair: RepairResult | undefined;
  let report = await verifyArchive(config.archiveDir, { config });
  if (values.repair) {
    const roster = config.rosterFile ? await loadRosterFile(config.rosterFile, log) : undefined;
    const units = config.unitsFile ? await loadUnitsFile(config.unitsFile, log, config.campaigns.map((c) => c.id)) : undefined;
    repair = { actions: [] };
    // A rebuilt manifest can leave files it no longer lists: a further pass sets them aside. Stops when a pass mends nothing.
    for (let pass = 0; pass < MAX_PASSES && report.findings.some((f) => f.severity === 'damage' && f.repair); pass++) {
      const result = await repairArchive(report, { config, log, roster, units });
      repair.actions.push(...result.actions);
      repair.quarantineDir ??= result.quarantineDir;
      report = await verifyArchive(config.archiveDir, { config });
      if (result.actions.every((a) => a.action === 'skipped')) break;
    }
    const seen = new Set<string>();
    repair.actions = repair.actions.filter((a) => !seen.has(`${a.action} ${a.path}`) && seen.add(`${a.action} ${a.path}`));
  }
  if (values.json) console.log(JSON.stringify(repair ? { ...report, repair } : report, null, 2));
  else printReport(report, repair);
  return report.clean ? 0 : 1;
}
