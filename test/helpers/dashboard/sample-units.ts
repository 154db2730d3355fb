// Sample mail for the two unit-scope campaigns, ingested through the real pipeline (usecases/ingest-message.ts
// ingestRaw) into an archive, for the dashboard's tests: login-status reports (a filled template, a corrected
// one that supersedes it, counts that do not add up, a body report, an unknown unit) and admin-appointment
// (officers then the order, a late complete one, an order that is not a PDF). Units, people and IDs are made up.
import ExcelJS from 'exceljs';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { AppConfig } from '../../../config/schema.ts';
import { withCheckDigit } from '../../../pipelines/identity/national-id.ts';
import { parseUnits, type UnitsDirectory } from '../../../pipelines/unit/units.ts';
import { formXlsx } from '../../../templates/forms.ts';
import type { ArchiveStore } from '../../../adapters/archive-store.ts';
import { ingestRaw, type IngestOutcome } from '../../../usecases/ingest-message.ts';
import { silentLogger } from '../../../adapters/logger.ts';

export const SAMPLE_UNITS_CSV = [
  'unit_id,name,kind,emails',
  '50,สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่,province-office,cm@dcd.example.test',
  '40,สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น,province-office,kk@dcd.example.test',
  '90,สำนักงานพัฒนาชุมชนจังหวัดสงขลา,province-office,sk@dcd.example.test',
  'C01,กองการเจ้าหน้าที่,central,personnel@dcd.example.test',
  'I01,สถาบันการพัฒนาชุมชน,institute,cdi@dcd.example.test',
  'S01,ศูนย์ศึกษาและพัฒนาชุมชนลำปาง,centre,lampang@dcd.example.test',
].join('\n');

/** People who cannot log in (fictional, valid check digits). */
export const CANNOT_LOGIN = {
  somkid: { name: 'นายสมคิด ทดลองระบบ', nationalId: withCheckDigit('150990031111'), email: 'somkid@example.test' },
  pranee: { name: 'นางสาวปราณี ตัวอย่างดี', nationalId: withCheckDigit('350990032222'), email: 'pranee@example.test' },
  anan: { name: 'นายอนันต์ สมมุติชื่อ', nationalId: withCheckDigit('110990033333'), email: 'anan@example.test' },
};

export async function sampleUnits(): Promise<UnitsDirectory> {
  return (await parseUnits(Buffer.from(SAMPLE_UNITS_CSV), 'units.csv')).directory;
}

async function orderPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < 2; i++) doc.addPage([595, 842]).drawText(`sample appointment order (${i + 1}/2)`, { x: 50, y: 780, size: 14, font });
  return Buffer.from(await doc.save());
}

async function loginXlsx(unit: string, total: number, can: number, people: Array<[string, string, string, string, string]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await formXlsx('login-status') as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet('แบบฟอร์ม')!;
  sheet.getCell('B2').value = unit;
  sheet.getCell('B4').value = total;
  sheet.getCell('B5').value = can;
  sheet.getCell('B6').value = total - can;
  people.forEach((p, i) => sheet.addRow([i + 1, ...p, '']));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const OFFICERS_BODY = ['ผู้ดูแลระบบ DPIS V6: นายเอก ทดสอบระบบ', 'ตำแหน่ง: นักทรัพยากรบุคคลชำนาญการ', 'โทรศัพท์: 053-123456', 'อีเมล: ek@dcd.example.test', '',
  'ผู้ดูแลระบบ SEIS: นางโท ทดสอบระบบ', 'ตำแหน่ง: นักวิชาการคอมพิวเตอร์', 'โทรศัพท์: 081-234-5678', 'อีเมล: tho@dcd.example.test'].join('\n');

interface UnitMail {
  label: string;
  from: string;
  to?: string;
  subject: string;
  text?: string;
  at: string;
  attachments?: Array<{ filename: string; content: Buffer }>;
}

export async function sampleUnitMailbox(): Promise<UnitMail[]> {
  const { somkid, pranee, anan } = CANNOT_LOGIN;
  const order = await orderPdf();
  const JPEG = Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=',
    'base64',
  );
  return [
    { label: 'login-first', from: 'cm@dcd.example.test', subject: 'ส่งแบบรายงาน', at: '2023-09-10T03:00:00Z',
      attachments: [{ filename: 'รายงาน.xlsx', content: await loginXlsx('สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่', 120, 117, [
        ['นาย', 'สมคิด', 'ทดลองระบบ', somkid.nationalId, somkid.email],
        ['นางสาว', 'ปราณี', 'ตัวอย่างดี', pranee.nationalId, pranee.email],
        ['นาย', 'อนันต์', 'สมมุติชื่อ', anan.nationalId, anan.email],
      ]) }] },
    { label: 'login-corrected', from: 'cm@dcd.example.test', subject: 'ส่งรายงานการเข้าใช้งาน ฉบับแก้ไข', at: '2023-09-13T03:00:00Z',
      attachments: [{ filename: 'login-v2.xlsx', content: await loginXlsx('สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่', 120, 118, [
        ['นาย', 'สมคิด', 'ทดลองระบบ', somkid.nationalId, somkid.email],
        ['นางสาว', 'ปราณี', 'ตัวอย่างดี', pranee.nationalId, pranee.email],
      ]) }] },
    { label: 'login-mismatch', from: 'kk@dcd.example.test', subject: 'รายงานสถานะการเข้าใช้งานระบบ SEIS', at: '2023-09-11T03:00:00Z',
      text: ['จำนวนข้าราชการทั้งหมด: 80', 'เข้าใช้งานได้: 75', 'เข้าใช้งานไม่ได้: 3'].join('\n') },
    { label: 'login-body', from: 'personnel@dcd.example.test', subject: 'login status', at: '2023-09-12T04:00:00Z',
      text: ['ข้าราชการทั้งหมด 40 คน', 'เข้าใช้งานได้ 39 คน', 'เข้าใช้งานไม่ได้ 1 คน', 'ชื่อ-นามสกุล | เลขประจำตัวประชาชน | อีเมล',
        `${anan.name} | ${anan.nationalId} | ${anan.email}`].join('\n') },
    { label: 'login-unknown-unit', from: 'stranger@example.test', to: 'seis+login@dcd.example.test', subject: 'รายงาน', at: '2023-09-12T05:00:00Z',
      text: ['จำนวนข้าราชการทั้งหมด: 10', 'เข้าใช้งานได้: 10', 'เข้าใช้งานไม่ได้: 0'].join('\n') },
    { label: 'admin-officers', from: 'cdi@dcd.example.test', to: 'seis+admin@dcd.example.test', subject: 'ส่งข้อมูล', at: '2023-09-10T03:00:00Z',
      text: OFFICERS_BODY },
    { label: 'admin-order', from: 'cdi@dcd.example.test', subject: 'คำสั่งแต่งตั้ง', at: '2023-09-11T03:00:00Z',
      attachments: [{ filename: 'คำสั่ง.pdf', content: order }] },
    { label: 'admin-late', from: 'kk@dcd.example.test', subject: 'ผู้ดูแลระบบ DPIS และ SEIS', at: '2023-09-16T03:00:00Z', text: OFFICERS_BODY,
      attachments: [{ filename: 'order.pdf', content: order }] },
    { label: 'admin-not-pdf', from: 'lampang@dcd.example.test', subject: 'แต่งตั้งผู้ดูแลระบบ', at: '2023-09-12T03:00:00Z', text: OFFICERS_BODY,
      attachments: [{ filename: 'คำสั่งแต่งตั้ง.pdf', content: JPEG }] },
  ];
}

let n = 0;
export function composeUnitMail(m: UnitMail): Promise<Buffer> {
  n += 1;
  return new MailComposer({
    from: m.from,
    to: m.to ?? 'seis@dcd.example.test',
    subject: m.subject,
    text: m.text ?? 'ส่งข้อมูลตามหนังสือเวียน',
    date: new Date(m.at),
    messageId: `<unit-${n}-${Date.parse(m.at)}@dcd.example.test>`,
    attachments: m.attachments,
  }).compile().build();
}

/** Ingests one unit mail (arrival = its date) as `run`/`ingest` would. */
export async function ingestUnitMail(m: UnitMail, ctx: { config: AppConfig; store: ArchiveStore; units: UnitsDirectory; now: Date }) {
  const raw = await composeUnitMail(m);
  return ingestRaw(raw, { config: ctx.config, store: ctx.store, units: ctx.units, log: silentLogger, now: () => ctx.now, internalDate: new Date(m.at) });
}

export async function addSampleUnitMail(
  ctx: { config: AppConfig; store: ArchiveStore; now: Date },
): Promise<{ units: UnitsDirectory; outcomes: Array<IngestOutcome & { label: string }> }> {
  const units = await sampleUnits();
  const outcomes: Array<IngestOutcome & { label: string }> = [];
  for (const mail of await sampleUnitMailbox()) outcomes.push({ ...(await ingestUnitMail(mail, { ...ctx, units })), label: mail.label });
  return { units, outcomes };
}
