// A small fictional archive built through the real pipeline (usecases/ingest-message.ts ingestRaw): the
// dashboard's tests and screenshot use it. Complete, partial, late, image-not-PDF, unclassified and
// unidentified mail across three units, plus people who sent nothing. Every person is made up.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadConfig } from '../../../config/load.ts';
import type { AppConfig } from '../../../config/schema.ts';
import { withCheckDigit } from '../../../pipelines/identity/national-id.ts';
import { buildRoster } from '../../../pipelines/identity/roster.ts';
import type { Person } from '../../../pipelines/types.ts';
import { ArchiveStore } from '../../../adapters/archive-store.ts';
import { ingestRaw, type IngestOutcome } from '../../../usecases/ingest-message.ts';
import { silentLogger } from '../../../adapters/logger.ts';

const P = (id12: string, prefix: string, firstName: string, lastName: string, unit: string): Person => ({
  nationalId: withCheckDigit(id12),
  prefix,
  firstName,
  lastName,
  unit,
  email: `${id12.slice(-4)}.sample@example.test`,
});

const CM = 'สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่';
const KK = 'สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น';
const SK = 'สำนักงานพัฒนาชุมชนจังหวัดสงขลา';

export const SAMPLE_ROSTER: Person[] = [
  P('110170077001', 'นาย', 'สมชาย', 'ใจดีทดสอบ', CM),
  P('310150077002', 'นางสาว', 'สมศรี', 'รักงานสมมุติ', CM),
  P('110170077003', 'นาย', 'ชัยวัฒน์', 'ยังไม่ส่งจำลอง', CM),
  P('570020077004', 'นาง', 'วันดี', 'มีสุขจำลอง', KK),
  P('570020077005', 'นาย', 'บุญมา', 'ไร้ชื่อตัวอย่าง', KK),
  P('570020077006', 'นางสาว', 'กิตติยา', 'ภาพถ่ายสมมุติ', KK),
  P('840030077007', 'ว่าที่ร้อยตรี', 'ประเสริฐ', 'ทองคำตัวอย่าง', SK),
  P('840030077008', 'นาง', 'มาลี', 'ศรีสมมติ', SK),
];

/** Before the circular's deadline (2566-09-22, end of day in Bangkok) except for the late mail. */
export const SAMPLE_NOW = new Date('2023-09-23T05:00:00Z');

async function pdf(title: string, pages = 1): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`sample scan: ${title} (${i + 1}/${pages})`, { x: 50, y: 780, size: 14, font });
  return Buffer.from(await doc.save());
}

const JPEG_1PX = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=',
  'base64',
);

const full = (p: Person) => `${p.prefix}${p.firstName} ${p.lastName}`;

async function fullSet(p: Person) {
  const names = ['บัตรประชาชน', 'ทะเบียนบ้าน', 'บัตรประชาชนบิดา', 'บัตรประชาชนมารดา', 'วุฒิที่ใช้บรรจุ ปริญญาบัตรและทรานสคริปต์', 'วุฒิสูงสุด ปริญญาบัตรและทรานสคริปต์'];
  return Promise.all(
    names.map(async (n, i) => ({ filename: `${n}_${p.firstName}.pdf`, content: await pdf(`${p.nationalId.slice(-4)} doc ${i}`, n.startsWith('วุฒิ') ? 2 : 1) })),
  );
}

export interface SampleMail {
  label: string;
  from: string;
  subject: string;
  text: string;
  arrived: Date;
  attachments: Array<{ filename: string; content: Buffer }>;
}

export async function sampleMailbox(): Promise<SampleMail[]> {
  const [somchai, somsri, , wandee, , kittiya, prasert, malee] = SAMPLE_ROSTER;
  return [
    { label: 'complete', from: `${full(somchai)} <${somchai.email}>`, arrived: new Date('2023-09-10T03:15:00Z'),
      subject: `ส่งเอกสาร SEIS ${full(somchai)} ${somchai.nationalId}`, text: 'ขอส่งเอกสารครบทุกรายการ', attachments: await fullSet(somchai) },
    { label: 'partial', from: `${full(somsri)} <${somsri.email}>`, arrived: new Date('2023-09-12T02:00:00Z'), subject: `เอกสาร SEIS ${somsri.nationalId}`,
      text: `ส่งเอกสารของ ${full(somsri)}`,
      attachments: [{ filename: 'บัตรประชาชน.pdf', content: await pdf('somsri id') }, { filename: 'ทะเบียนบ้าน.pdf', content: await pdf('somsri house') }] },
    { label: 'late', from: `${full(wandee)} <${wandee.email}>`, arrived: new Date('2023-09-23T01:00:00Z'),
      subject: `ขอส่งเอกสาร ${full(wandee)} ${wandee.nationalId}`, text: 'ส่งช้าขออภัย', attachments: await fullSet(wandee) },
    { label: 'image', from: `${full(kittiya)} <${kittiya.email}>`, arrived: new Date('2023-09-14T06:00:00Z'), subject: `ส่งเอกสาร ${kittiya.nationalId}`,
      text: 'แนบรูปถ่าย', attachments: [{ filename: 'บัตรประชาชน.jpg', content: JPEG_1PX }, { filename: 'ทะเบียนบ้าน.pdf', content: await pdf('kittiya house') }] },
    { label: 'unclassified', from: `${full(prasert)} <${prasert.email}>`, arrived: new Date('2023-09-15T04:30:00Z'), subject: `ส่งเอกสาร ${prasert.nationalId}`,
      text: 'ส่งเอกสาร', attachments: [...(await fullSet(prasert)).slice(0, 3), { filename: 'scan0007.pdf', content: await pdf('prasert mother id') }] },
    { label: 'complete', from: `${full(malee)} <${malee.email}>`, arrived: new Date('2023-09-16T08:00:00Z'), subject: `ส่งเอกสาร SEIS ${malee.nationalId}`,
      text: 'ส่งครบ', attachments: await fullSet(malee) },
    { label: 'unidentified', from: 'unknown.sender@example.test', arrived: new Date('2023-09-18T09:00:00Z'), subject: 'ส่งเอกสารครับ', text: 'ตามที่แจ้งครับ',
      attachments: [{ filename: 'บัตรประชาชน.pdf', content: await pdf('unknown id') }, { filename: 'ทะเบียนบ้าน.pdf', content: await pdf('unknown house') }] },
  ];
}

async function compose(mail: SampleMail, n: number): Promise<Buffer> {
  return new MailComposer({
    from: mail.from,
    to: 'SEIS Submissions <submissions@example.test>',
    subject: mail.subject,
    text: mail.text,
    attachments: mail.attachments,
    date: mail.arrived,
    messageId: `<sample-${n}@office.example.test>`,
  }).compile().build();
}

export interface SampleArchive {
  config: AppConfig;
  store: ArchiveStore;
  roster: Person[];
  outcomes: Array<IngestOutcome & { label: string }>;
}

/** Ingests the sample mailbox into `root` (a fresh folder), arrival = IMAP INTERNALDATE of each mail. */
export async function buildSampleArchive(root: string, env: Record<string, string> = {}): Promise<SampleArchive> {
  const config = loadConfig({ env: { ARCHIVE_DIR: root, ...env } });
  const store = new ArchiveStore(root);
  const roster = buildRoster(SAMPLE_ROSTER);
  const outcomes: SampleArchive['outcomes'] = [];
  const mails = await sampleMailbox();
  for (const [i, mail] of mails.entries()) {
    const raw = await compose(mail, i + 1);
    const outcome = await ingestRaw(raw, { config, store, roster, log: silentLogger, now: () => SAMPLE_NOW, internalDate: mail.arrived });
    outcomes.push({ ...outcome, label: mail.label });
  }
  return { config, store, roster: SAMPLE_ROSTER, outcomes };
}
