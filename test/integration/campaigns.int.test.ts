// The three campaigns end to end: real .eml bytes (nodemailer's MailComposer) through routing, the unit and
// person pipelines, into a temporary archive on disk, with the replies staff and units would receive and the
// staff reports (who cannot log in, the administrators, the units that have not sent).
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { withCheckDigit } from '../../pipelines/identity/national-id.ts';
import { parseUnits, type UnitsDirectory } from '../../pipelines/unit/units.ts';
import type { UnitManifest } from '../../pipelines/unit/types.ts';
import type { MessageRecord, UnmatchedRecord } from '../../pipelines/types.ts';
import { renderUnitReport, unitReportFromArchive } from '../../usecases/reports.ts';
import { formXlsx } from '../../templates/forms.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';
import { composeReplyMail, ingestRaw, type IngestOutcome } from '../../usecases/ingest-message.ts';
import { silentLogger } from '../../adapters/logger.ts';
import { makePdf, TINY_JPEG } from '../helpers/pdf.ts';
import { listTree } from '../helpers/pipeline.ts';
import { SOMCHAI, SOMSRI, WANDEE, mistyped } from '../helpers/people.ts';

const UNITS_CSV = [
  'unit_id,name,kind,emails',
  '50,สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่,province-office,cm@dcd.example.test',
  '40,สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น,province-office,kk@dcd.example.test',
  'C01,กองการเจ้าหน้าที่,central,personnel@dcd.example.test',
  'I01,สถาบันการพัฒนาชุมชน,institute,cdi@dcd.example.test',
  'S01,ศูนย์ศึกษาและพัฒนาชุมชนลำปาง,centre,lampang@dcd.example.test',
].join('\n');

const NOW = new Date('2023-09-14T03:00:00Z');
const PERSON_A = withCheckDigit('150990011111');
const PERSON_B = withCheckDigit('350990022222');
let root: string;
let store: ArchiveStore;
let units: UnitsDirectory;
let order: Buffer;
const config = () => loadConfig({ env: { ARCHIVE_DIR: root, REPLY_FROM: 'SEIS Intake <seis@dcd.example.test>' } });
let n = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'seis-campaigns-'));
  store = new ArchiveStore(root);
  units = (await parseUnits(Buffer.from(UNITS_CSV), 'units.csv')).directory;
  order = await makePdf(2);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Mail {
  from: string;
  subject: string;
  text?: string;
  to?: string;
  at: string;
  attachments?: Array<{ filename: string; content: Buffer }>;
}

async function eml(m: Mail): Promise<Buffer> {
  n += 1;
  return new MailComposer({
    from: m.from,
    to: m.to ?? 'seis@dcd.example.test',
    subject: m.subject,
    text: m.text ?? 'ส่งข้อมูลตามหนังสือเวียน',
    date: new Date(m.at),
    messageId: `<m${n}@dcd.example.test>`,
    attachments: m.attachments,
  }).compile().build();
}

async function ingest(m: Mail): Promise<IngestOutcome & { mail?: ParsedMail; record: MessageRecord }> {
  const out = await ingestRaw(await eml(m), { config: config(), store, units, now: () => NOW, log: silentLogger });
  const mail = out.reply ? await simpleParser(await composeReplyMail(out.reply, config().reply.from)) : undefined;
  return { ...out, mail, record: (await store.getMessageRecord(out.messageKey))! };
}

const unitManifest = async (folder: string, key: string) => JSON.parse(await readFile(join(root, folder, key, 'manifest.json'), 'utf8')) as UnitManifest;

async function filledLoginXlsx(unit: string, total: number, can: number, cannot: number, people: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await formXlsx('login-status') as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet('แบบฟอร์ม')!;
  sheet.getCell('B2').value = unit;
  sheet.getCell('B4').value = total;
  sheet.getCell('B5').value = can;
  sheet.getCell('B6').value = cannot;
  people.forEach((p, i) => sheet.addRow([i + 1, ...p]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('login-status reports', () => {
  it('routes a filled template to login-status, files it for the unit and accepts it', async () => {
    const xlsx = await filledLoginXlsx('สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่', 120, 118, 2, [
      ['นาย', 'สมชาย', 'ใจดีทดสอบ', SOMCHAI.nationalId, 'somchai@example.test', 'ลืมรหัสผ่าน'],
      ['นางสาว', 'สมศรี', 'รักงานสมมุติ', SOMSRI.nationalId, 'somsri@example.test', ''],
    ]);
    const out = await ingest({ from: 'cm@dcd.example.test', subject: 'ส่งแบบรายงาน', at: '2023-09-10T03:00:00Z',
      attachments: [{ filename: 'รายงาน.xlsx', content: xlsx }] });
    expect(out.campaign).toBe('login-status');
    expect(out.outcome).toBe('accepted');
    expect(out.record.unit).toBe('50');
    expect(out.mail!.headers.get('x-seis-intake-status')).toBe('accepted');
    expect(out.mail!.headers.get('auto-submitted')).toBe('auto-replied');
    expect(out.mail!.inReplyTo).toBe(`<m${n}@dcd.example.test>`);
    expect(out.mail!.attachments).toHaveLength(0);
    const files = await listTree(join(root, 'login-status', '50'));
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'login-status.xlsx']));
    expect(files.some((f) => f.startsWith('_originals/'))).toBe(true);
  });

  it('names counts that do not add up and a short list in a body report, and attaches the template', async () => {
    const out = await ingest({
      from: 'kk@dcd.example.test',
      subject: 'รายงานสถานะการเข้าใช้งานระบบ SEIS',
      at: '2023-09-11T03:00:00Z',
      text: ['จำนวนข้าราชการทั้งหมด: 80', 'เข้าใช้งานได้: 75', 'เข้าใช้งานไม่ได้: 3', '', `1. นางวันดี มีสุขจำลอง ${WANDEE.nationalId} wandee@example.test`].join('\n'),
    });
    expect(out.campaign).toBe('login-status');
    expect(out.outcome).toBe('rejected');
    const text = out.mail!.text!;
    expect(text).toContain('เข้าใช้งานได้ 75 + เข้าใช้งานไม่ได้ 3 = 78 คน แต่จำนวนข้าราชการทั้งหมดคือ 80 คน');
    expect(text).toContain('แจ้งว่าเข้าใช้งานไม่ได้ 3 คน แต่รายชื่อผู้ที่เข้าใช้งานไม่ได้มี 1 คน');
    expect(out.mail!.attachments.map((a) => a.filename).sort()).toEqual(['seis-login-status-template.csv', 'seis-login-status-template.xlsx']);
    const manifest = await unitManifest('login-status', '40');
    expect(manifest.submissions[0].current).toEqual([]);
    expect(manifest.submissions[0].problems.map((p) => p.code)).toEqual(['counts-mismatch', 'list-count-mismatch']);
  });

  it('names a bad national ID and a bad email in a CSV attachment, then accepts the corrected body report', async () => {
    const csv = ['หน่วยงาน,กองการเจ้าหน้าที่', 'จำนวนข้าราชการทั้งหมด,40', 'เข้าใช้งานได้,38', 'เข้าใช้งานไม่ได้,2', '', 'ลำดับ,ชื่อ-นามสกุล,เลขประจำตัวประชาชน,อีเมล',
      `1,นายก ทดสอบ,${mistyped(PERSON_A)},a@example.test`, `2,นางข ทดสอบ,${PERSON_B},b@example`].join('\r\n');
    const bad = await ingest({ from: 'personnel@dcd.example.test', subject: 'login status', at: '2023-09-11T04:00:00Z',
      attachments: [{ filename: 'login.csv', content: Buffer.from(csv) }] });
    expect(bad.outcome).toBe('rejected');
    expect(bad.mail!.text).toMatch(/แถวที่ 7 \(นายก ทดสอบ\): เลขประจำตัวประชาชน \d{13} ไม่ถูกต้อง/);
    expect(bad.mail!.text).toContain('แถวที่ 8 (นางข ทดสอบ): อีเมล "b@example" ไม่ถูกต้อง');

    const good = await ingest({
      from: 'personnel@dcd.example.test',
      subject: 'Re: login status',
      at: '2023-09-12T04:00:00Z',
      text: ['ข้าราชการทั้งหมด 40 คน', 'เข้าใช้งานได้ 38 คน', 'เข้าใช้งานไม่ได้ 2 คน', 'ชื่อ-นามสกุล | เลขประจำตัวประชาชน | อีเมล',
        `นายก ทดสอบ | ${PERSON_A} | a@example.test`, `นางข ทดสอบ | ${PERSON_B} | b@example.test`, '', '> จำนวนข้าราชการทั้งหมด: 99'].join('\n'),
    });
    expect(good.outcome).toBe('accepted');
    expect(good.mail!.attachments).toHaveLength(0);
  });

  it('supersedes a unit\'s earlier report with a later one and keeps the earlier', async () => {
    const xlsx = await filledLoginXlsx('สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่', 120, 119, 1, [
      ['นาย', 'สมชาย', 'ใจดีทดสอบ', SOMCHAI.nationalId, 'somchai@example.test', ''],
    ]);
    const out = await ingest({ from: 'cm@dcd.example.test', subject: 'ส่งรายงานการเข้าใช้งาน ฉบับแก้ไข', at: '2023-09-13T03:00:00Z',
      attachments: [{ filename: 'login-v2.xlsx', content: xlsx }] });
    expect(out.outcome).toBe('accepted');
    expect(out.mail!.text).toContain('ใช้แทนฉบับที่หน่วยงานส่งไว้ก่อนหน้า');
    const manifest = await unitManifest('login-status', '50');
    expect(manifest.submissions.map((s) => s.current)).toEqual([[], ['login-counts', 'cannot-login-list']]);
    const files = await listTree(join(root, 'login-status', '50'));
    expect(files).toContain('login-status.xlsx');
    expect(files.filter((f) => f.startsWith('_superseded/login-status-2566-09-10-'))).toHaveLength(1);
  });

  it('reports everyone who cannot log in, per-unit counts, and the units that have not sent', async () => {
    const ctx = { config: config(), store, units, log: silentLogger };
    const report = await unitReportFromArchive(ctx, 'login-status', NOW);
    expect(report.cannotLogin!.map((p) => [p.unitId, p.nationalId])).toEqual(expect.arrayContaining([
      ['50', SOMCHAI.nationalId],
      ['C01', PERSON_A],
      ['C01', PERSON_B],
    ]));
    expect(report.cannotLogin).toHaveLength(3);
    expect(report.units.find((u) => u.unitId === '50')).toMatchObject({ status: 'complete', total: 120, can: 119, cannot: 1, submissions: 2 });
    // Khon Kaen sent a wrong report, the Institute nothing; the centre is not asked for login-status. Units-file order.
    expect(report.missingUnits.map((m) => [m.unitId, m.status])).toEqual([['40', 'incomplete'], ['I01', 'not-submitted']]);
    const csv = (await renderUnitReport(report, 'csv')).toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFรหัสหน่วยงาน,หน่วยงาน,ชื่อ-นามสกุล,เลขประจำตัวประชาชน,อีเมล,หมายเหตุ,รายงานเมื่อ');
    expect(csv).toContain(`50,สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่,นายสมชาย ใจดีทดสอบ,${SOMCHAI.nationalId}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await renderUnitReport(report, 'xlsx', root) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['สรุปรายหน่วยงาน', 'ผู้ที่เข้าใช้งานไม่ได้', 'หน่วยงานที่ยังไม่ส่ง']);
    expect(wb.getWorksheet('หน่วยงานที่ยังไม่ส่ง')!.rowCount).toBe(3);
  });
});

describe('admin-appointment', () => {
  const officers = ['ผู้ดูแลระบบ DPIS V6: นายเอก ทดสอบ', 'ตำแหน่ง: นักทรัพยากรบุคคลชำนาญการ', 'โทรศัพท์: 053-123456', 'อีเมล: ek@dcd.example.test', '',
    'ผู้ดูแลระบบ SEIS: นางโท ทดสอบ', 'ตำแหน่ง: นักวิชาการคอมพิวเตอร์', 'โทรศัพท์: 081-234-5678', 'อีเมล: tho@dcd.example.test'].join('\n');

  it('takes the officers without the order as incomplete, then the order alone completes the unit', async () => {
    const first = await ingest({ from: 'cdi@dcd.example.test', to: 'seis+admin@dcd.example.test', subject: 'ส่งข้อมูล', at: '2023-09-10T03:00:00Z',
      text: officers });
    expect(first.campaign).toBe('admin-appointment');
    expect(first.outcome).toBe('incomplete');
    expect(first.mail!.text).toContain('คำสั่งแต่งตั้งผู้ดูแลระบบ (ไฟล์ PDF)');
    expect(first.mail!.attachments).toHaveLength(0);

    const second = await ingest({ from: 'cdi@dcd.example.test', subject: 'คำสั่งแต่งตั้ง', at: '2023-09-11T03:00:00Z',
      attachments: [{ filename: 'คำสั่ง.pdf', content: order }] });
    expect(second.campaign).toBe('admin-appointment');
    expect(second.outcome).toBe('accepted');
    const files = await listTree(join(root, 'admin-appointment', 'I01'));
    expect(files).toContain('appointment-order.pdf');
  });

  it('refuses an order that is not a real PDF and names it', async () => {
    const out = await ingest({
      from: 'lampang@dcd.example.test',
      subject: 'แต่งตั้งผู้ดูแลระบบ',
      at: '2023-09-12T03:00:00Z',
      text: officers,
      attachments: [{ filename: 'คำสั่งแต่งตั้ง.pdf', content: TINY_JPEG }],
    });
    expect(out.outcome).toBe('incomplete');
    expect(out.mail!.text).toContain('ไฟล์ คำสั่งแต่งตั้ง.pdf:');
    expect(out.mail!.text).toContain('คำสั่งแต่งตั้งต้องเป็นไฟล์ PDF');
    expect((await listTree(join(root, 'admin-appointment', 'S01'))).some((f) => f.startsWith('_problems/'))).toBe(true);
  });

  it('flags an appointment after its own deadline (15 September) as late, and files a redelivered copy once', async () => {
    const mail: Mail = { from: 'kk@dcd.example.test', subject: 'ผู้ดูแลระบบ DPIS และ SEIS', at: '2023-09-16T03:00:00Z', text: officers,
      attachments: [{ filename: 'order.pdf', content: order }] };
    const raw = await eml(mail);
    const opts = { config: config(), store, units, now: () => new Date('2023-09-17T03:00:00Z'), log: silentLogger };
    const first = await ingestRaw(raw, opts);
    expect([first.outcome, first.late]).toEqual(['accepted', true]);
    expect(first.reply!.text).toContain('ได้รับหลังกำหนดส่ง (ภายในวันที่ 15 กันยายน 2566');
    const again = await ingestRaw(Buffer.concat([Buffer.from('Received: from relay.example.test; Sun, 17 Sep 2023 10:00:00 +0700\r\n'), raw]), opts);
    expect(again.duplicate).toBe(true);
    expect((await unitManifest('admin-appointment', '40')).submissions).toHaveLength(1);
  });

  it('lists administrators with links to orders and the units that have not sent; central units are not expected', async () => {
    const report = await unitReportFromArchive({ config: config(), store, units, log: silentLogger }, 'admin-appointment', NOW);
    expect(report.administrators!.filter((a) => a.unitId === 'I01').map((a) => [a.system, a.name, a.orders])).toEqual([
      ['dpis', 'นายเอก ทดสอบ', ['admin-appointment/I01/appointment-order.pdf']],
      ['seis', 'นางโท ทดสอบ', ['admin-appointment/I01/appointment-order.pdf']],
    ]);
    expect(report.units.find((u) => u.unitId === 'C01')).toMatchObject({ expected: false, status: 'not-submitted' });
    // Khon Kaen sent late but complete: late, not missing. Chiang Mai sent nothing, the centre a bad order.
    expect(report.units.find((u) => u.unitId === '40')).toMatchObject({ status: 'complete', late: true });
    expect(report.missingUnits.map((m) => [m.unitId, m.status])).toEqual([['50', 'not-submitted'], ['S01', 'incomplete']]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await renderUnitReport(report, 'xlsx', root) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('ผู้ดูแลระบบ')!;
    const row = [...Array(sheet.rowCount).keys()].map((i) => sheet.getRow(i + 1)).find((r) => r.getCell(1).value === 'I01')!;
    const link = row.getCell(8).value as { hyperlink?: string };
    expect(link.hyperlink).toMatch(/^file:\/\/.*admin-appointment\/I01\/appointment-order\.pdf$/);
  });
});

describe('routing', () => {
  it('keeps the per-person path for a certification submission', async () => {
    const out = await ingest({
      from: SOMCHAI.email!,
      subject: `ส่งเอกสาร ${SOMCHAI.nationalId} นายสมชาย ใจดีทดสอบ`,
      at: '2023-09-10T03:00:00Z',
      attachments: [{ filename: 'บัตรประชาชน.pdf', content: order }],
    });
    expect(out.campaign).toBe('seis-certification');
    expect(out.persons).toEqual([SOMCHAI.nationalId]);
  });

  it('answers a message that carries two requests with guidance instead of guessing', async () => {
    const xlsx = await filledLoginXlsx('สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น', 10, 10, 0, []);
    const out = await ingest({
      from: 'kk@dcd.example.test',
      subject: 'ส่งรายงานการเข้าใช้งาน และคำสั่งแต่งตั้งผู้ดูแลระบบ',
      at: '2023-09-12T03:00:00Z',
      attachments: [{ filename: 'login.xlsx', content: xlsx }, { filename: 'คำสั่งแต่งตั้ง.pdf', content: order }],
    });
    expect(out.outcome).toBe('rejected');
    expect(out.campaign).toBeUndefined();
    expect(out.mail!.headers.get('x-seis-intake-status')).toBe('rejected');
    expect(out.mail!.text).toContain('ไม่สามารถระบุได้ว่าเป็นการส่งเรื่องใด');
    expect(out.mail!.text).toContain('seis+admin@dcd.example.test');
    const unmatched = JSON.parse(await readFile(join(root, 'seis-certification', '_unmatched', out.messageKey, 'record.json'), 'utf8')) as UnmatchedRecord;
    expect(unmatched.reason).toBe('unrouted: login-status, admin-appointment');
    expect(await store.readUnit('login-status', '40').then((u) => u?.manifest.submissions.length)).toBe(1);
  });

  it('files a message that says nothing else under certification, the default', async () => {
    const out = await ingest({ from: 'someone@example.test', subject: 'สวัสดีครับ', at: '2023-09-12T03:00:00Z',
      attachments: [{ filename: 'scan.pdf', content: order }] });
    expect(out.campaign).toBe('seis-certification');
    expect(out.record.campaign).toBe('seis-certification');
  });
});
