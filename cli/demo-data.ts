// Fictional roster and mailbox for `seis-intake demo`: the kinds of submission the circular really brings
// (complete, incomplete then completed, ZIP of folders, JPEG instead of PDF, late, unidentified, duplicate,
// auto-reply). Every person is made up; IDs get a valid check digit here.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { ZipFile } from 'yazl';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { withCheckDigit } from '../pipelines/identity/index.ts';
import type { Person } from '../pipelines/types.ts';

const P = (id12: string, prefix: string, firstName: string, lastName: string, unit: string, email: string): Person => ({ nationalId: withCheckDigit(id12),
  prefix, firstName, lastName, unit, email });

const CM = 'สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่';
const KK = 'สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น';
const SK = 'สำนักงานพัฒนาชุมชนจังหวัดสงขลา';

export const DEMO_ROSTER: Person[] = [
  P('110170099001', 'นาย', 'สมชาย', 'ใจดีทดสอบ', CM, 'somchai.demo@example.test'),
  P('310150099002', 'นางสาว', 'สมศรี', 'รักงานสมมุติ', CM, 'somsri.demo@example.test'),
  P('570020099003', 'นาง', 'วันดี', 'มีสุขจำลอง', KK, 'wandee.demo@example.test'),
  P('840030099004', 'ว่าที่ร้อยตรี', 'ประเสริฐ', 'ทองคำตัวอย่าง', SK, 'prasert.demo@example.test'),
  P('840030099005', 'นาง', 'มาลี', 'ศรีสมมติ', SK, 'malee.demo@example.test'),
  P('570020099006', 'นาย', 'บุญมา', 'ยังไม่ส่ง', KK, 'boonma.demo@example.test'),
];

/** Units file: which unit must send which of the circular's three requests. */
export const DEMO_UNITS_CSV = [
  'unit_id,name,kind,emails',
  `50,${CM},province-office,cm.office@example.test`,
  `40,${KK},province-office,kk.office@example.test`,
  `90,${SK},province-office,sk.office@example.test`,
  'C01,กองการเจ้าหน้าที่,central,personnel.office@example.test',
  'I01,สถาบันการพัฒนาชุมชน,institute,cdi.office@example.test',
].join('\n');

export function rosterCsv(persons: Person[]): string {
  const rows = persons.map((p) => [p.nationalId, p.prefix, p.firstName, p.lastName, p.unit, p.email].join(','));
  return `\uFEFFเลขประจำตัวประชาชน,คำนำหน้า,ชื่อ,นามสกุล,สังกัด,อีเมล\n${rows.join('\n')}\n`;
}

export async function demoPdf(_title: string, pages = 1): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`SEIS demo scan (${i + 1}/${pages})`, { x: 50, y: 780, size: 14, font });
  }
  return Buffer.from(await doc.save({ updateFieldAppearances: false }));
}

/** A tiny but real JPEG (1×1 pixel): what a phone camera "scan" is, as far as the validator cares. */
const JPEG_1PX = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=',
  'base64',
);

async function zip(entries: Array<{ name: string; content: Buffer }>): Promise<Buffer> {
  const file = new ZipFile();
  for (const e of entries) file.addBuffer(e.content, e.name);
  file.end();
  const chunks: Buffer[] = [];
  for await (const chunk of file.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const fullName = (p: Person) => `${p.prefix}${p.firstName} ${p.lastName}`;

async function fullSet(p: Person): Promise<Array<{ filename: string; content: Buffer }>> {
  const names = ['บัตรประชาชน', 'ทะเบียนบ้าน', 'บัตรประชาชนบิดา', 'บัตรประชาชนมารดา', 'วุฒิที่ใช้บรรจุ ปริญญาบัตรและทรานสคริปต์', 'วุฒิสูงสุด ปริญญาบัตรและทรานสคริปต์'];
  return Promise.all(names.map(async (n) => ({ filename: `${n}_${p.firstName}.pdf`, content: await demoPdf(n, n.startsWith('วุฒิ') ? 2 : 1) })));
}

interface DemoMail {
  label: string;
  from: string;
  subject: string;
  text: string;
  received: string;
  attachments: Array<{ filename: string; content: Buffer; contentType?: string }>;
  headers?: Record<string, string>;
  messageId?: string;
}

/** A fictional office's submission (the demo's and the benchmark's), with the Received line our MX would add. */
export interface SubmissionMail {
  from: string;
  subject: string;
  text: string;
  attachments: Array<{ filename: string; content: Buffer; contentType?: string }>;
  headers?: Record<string, string>;
  receivedAt: Date;
  messageId: string;
  /** The MX's queue id in the Received line, when it names one. */
  relayId?: string;
}

export async function composeSubmission(mail: SubmissionMail): Promise<Buffer> {
  const built = await new MailComposer({
    from: mail.from,
    to: 'SEIS Submissions <submissions@example.test>',
    subject: mail.subject,
    text: mail.text,
    attachments: mail.attachments,
    ...(mail.headers ? { headers: mail.headers } : {}),
    date: mail.receivedAt,
    messageId: mail.messageId,
  }).compile().build();
  const stamp = mail.receivedAt.toUTCString().replace('GMT', '+0000');
  const id = mail.relayId ? ` id ${mail.relayId}` : '';
  return Buffer.concat([Buffer.from(`Received: from office.example.test by mx.example.test with ESMTPS${id}; ${stamp}\r\n`), built]);
}

const compose = (mail: DemoMail, n: number) =>
  composeSubmission({ ...mail, receivedAt: new Date(mail.received), messageId: mail.messageId ?? `<demo-${n}@office.example.test>`, relayId: `demo${n}` });

export async function demoMailbox(): Promise<Array<{ name: string; label: string; raw: Buffer }>> {
  const [somchai, somsri, wandee, prasert, malee] = DEMO_ROSTER;
  const mails: DemoMail[] = [
    {
      label: 'ครบถ้วน',
      from: `${fullName(somchai)} <${somchai.email}>`,
      received: '2023-09-10T03:15:00Z',
      subject: `ส่งเอกสารรับรองข้อมูล SEIS ${fullName(somchai)} ${somchai.nationalId}`,
      text: `เรียน เจ้าหน้าที่\nขอส่งเอกสารของ ${fullName(somchai)} เลขประจำตัวประชาชน ${somchai.nationalId}`,
      attachments: await fullSet(somchai),
    },
    {
      label: 'ยังไม่ครบ + ไฟล์ปลอม',
      from: `สพจ.เชียงใหม่ <cm.office@example.test>`,
      received: '2023-09-12T02:00:00Z',
      subject: `เอกสาร SEIS ${somsri.firstName} ${somsri.lastName}`,
      text: `ส่งเอกสารของ ${fullName(somsri)} ค่ะ`,
      attachments: [
        { filename: 'บัตรประชาชน.pdf', content: await demoPdf('id card') },
        { filename: 'ทะเบียนบ้าน.pdf', content: Buffer.from('<html>this is not a PDF</html>') },
      ],
    },
    {
      label: 'ส่งเพิ่มจนครบ',
      from: `สพจ.เชียงใหม่ <cm.office@example.test>`,
      received: '2023-09-15T04:30:00Z',
      subject: `ส่งเพิ่ม ${somsri.nationalId}`,
      text: `ส่งเอกสารเพิ่มเติมของ ${fullName(somsri)} (มารดาถึงแก่กรรม แนบมรณบัตร)`,
      attachments: [
        { filename: 'ทะเบียนบ้าน.pdf', content: await demoPdf('house registration') },
        { filename: 'บัตรประชาชน บิดา.pdf', content: await demoPdf('father id') },
        { filename: 'มรณบัตร มารดา.pdf', content: await demoPdf('mother death certificate') },
        { filename: 'ปริญญาบัตรและทรานสคริปต์.pdf', content: await demoPdf('degree + transcript', 3) },
      ],
    },
    {
      label: 'ZIP หลายคน',
      from: `สพจ.สงขลา <sk.office@example.test>`,
      received: '2023-09-18T07:45:00Z',
      subject: 'ส่งเอกสาร SEIS สพจ.สงขลา 2 ราย',
      text: 'แนบไฟล์ ZIP แยกโฟลเดอร์รายบุคคล',
      attachments: [{
        filename: 'SEIS_สงขลา.zip',
        content: await zip([
          ...(await fullSet(prasert)).map((f) => ({ name: `${prasert.nationalId} ${prasert.firstName} ${prasert.lastName}/${f.filename}`,
            content: f.content })
          ),
          { name: `${malee.firstName} ${malee.lastName}/บัตรประชาชน.pdf`, content: await demoPdf('id card') },
          { name: `${malee.firstName} ${malee.lastName}/ทะเบียนบ้าน.jpg`, content: JPEG_1PX },
        ]),
      }],
    },
    {
      label: 'ล่าช้า',
      from: `${fullName(wandee)} <${wandee.email}>`,
      received: '2023-09-25T01:00:00Z',
      subject: `ขอส่งเอกสาร ${fullName(wandee)}`,
      text: `เลขบัตร ${wandee.nationalId.replace(/(\d)(\d{4})(\d{5})(\d{2})(\d)/, '$1-$2-$3-$4-$5')}`,
      attachments: (await fullSet(wandee)).slice(0, 4),
    },
    {
      label: 'ระบุตัวไม่ได้',
      from: 'unknown.sender@example.test',
      received: '2023-09-20T09:00:00Z',
      subject: 'ส่งเอกสารครับ',
      text: 'ตามที่แจ้งครับ',
      attachments: [{ filename: 'scan001.pdf', content: await demoPdf('scan') }],
    },
    {
      label: 'รายงานการเข้าใช้งาน',
      from: 'สพจ.เชียงใหม่ <cm.office@example.test>',
      received: '2023-09-14T02:00:00Z',
      subject: 'รายงานสถานะการเข้าใช้งานระบบ SEIS สพจ.เชียงใหม่',
      text: ['จำนวนข้าราชการทั้งหมด: 42', 'เข้าใช้งานได้: 41', 'เข้าใช้งานไม่ได้: 1', '', `1. ${fullName(somsri)} ${somsri.nationalId} ${somsri.email}`].join('\n'),
      attachments: [],
    },
    {
      label: 'รายงานตัวเลขไม่ตรง',
      from: 'สพจ.ขอนแก่น <kk.office@example.test>',
      received: '2023-09-14T05:00:00Z',
      subject: 'รายงานการเข้าใช้งาน SEIS',
      text: ['ข้าราชการทั้งหมด 38 คน', 'เข้าใช้งานได้ 30 คน', 'เข้าใช้งานไม่ได้ 2 คน'].join('\n'),
      attachments: [],
    },
    {
      label: 'แต่งตั้งผู้ดูแลระบบ',
      from: 'สพจ.สงขลา <sk.office@example.test>',
      received: '2023-09-13T03:00:00Z',
      subject: 'ส่งคำสั่งแต่งตั้งผู้ดูแลระบบ DPIS V6 และ SEIS',
      text: ['ผู้ดูแลระบบ DPIS V6: นายเอก สมมุติดี', 'ตำแหน่ง: นักทรัพยากรบุคคลชำนาญการ', 'โทรศัพท์: 074-123456', 'อีเมล: ek.demo@example.test', '',
        'ผู้ดูแลระบบ SEIS: นางโท ทดลองงาน', 'ตำแหน่ง: นักวิชาการคอมพิวเตอร์', 'โทรศัพท์: 081-234-5678', 'อีเมล: tho.demo@example.test'].join('\n'),
      attachments: [{ filename: 'คำสั่งแต่งตั้งผู้ดูแลระบบ.pdf', content: await demoPdf('order', 2) }],
    },
    {
      label: 'ตอบกลับอัตโนมัติ',
      from: `${fullName(somchai)} <${somchai.email}>`,
      received: '2023-09-21T00:00:00Z',
      subject: 'Automatic reply: ไม่อยู่สำนักงาน',
      text: 'ขณะนี้ไม่อยู่สำนักงาน',
      attachments: [],
      headers: { 'Auto-Submitted': 'auto-replied' },
    },
  ];
  const messages = await Promise.all(
    mails.map(async (mail, i) => ({ name: `${String(i + 1).padStart(2, '0')}.eml`, label: mail.label, raw: await compose(mail, i + 1) })),
  );
  // The first message delivered a second time, through another relay: same Message-ID, other trace headers.
  const again = Buffer.concat([Buffer.from('Received: from relay2.example.test by mx.example.test; Sun, 10 Sep 2023 03:20:00 +0000\r\n'), messages[0].raw]);
  messages.push({ name: `${String(messages.length + 1).padStart(2, '0')}.eml`, label: 'ส่งซ้ำ', raw: again });
  return messages;
}
