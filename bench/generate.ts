// The benchmark mailbox: submissions from a fictional roster, generated once and cached under bench/.cache/.
// Message i depends only on (seed, i), so a 200-message run reuses the first 200 of a 2,000-message cache.
// Every message has an ordinary sender and is answerable; none is a duplicate of another.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composeSubmission as compose, rosterCsv, type SubmissionMail } from '../cli/demo-data.ts';
import { withCheckDigit } from '../pipelines/identity/index.ts';
import type { Person } from '../pipelines/types.ts';
import { htmlAsPdf, phonePhoto, prng, scanPdf, truncated, zipOf } from './documents.ts';

export type MessageKind = 'full' | 'zip' | 'invalid' | 'followup' | 'unidentified' | 'big-pdf' | 'big-zip';

export interface BenchMessage {
  index: number;
  file: string;
  kind: MessageKind;
  bytes: number;
  messageId: string;
  receivedAt: string;
}

export interface BenchMailbox {
  dir: string;
  rosterFile: string;
  messages: BenchMessage[];
  bytes: number;
}

const FIRST = ['สม', 'วัน', 'ประ', 'มา', 'บุญ', 'ศรี', 'กิต', 'ชัย', 'สุ', 'อรุณ', 'พร', 'นิ', 'รัตน', 'ทอง', 'แก้ว', 'จันท'];
const SECOND = ['ชาย', 'ดี', 'เสริฐ', 'ลี', 'มา', 'สุข', 'ติ', 'วัฒน์', 'ดา', 'ศักดิ์', 'พร', 'ทิพย์', 'ใจ', 'ณี', 'รัตน์'];
const LAST = ['ใจดี', 'รักงาน', 'มีสุข', 'ทองคำ', 'ศรีสุข', 'แก้วใส', 'บุญมี', 'สมบูรณ์', 'เจริญผล', 'พูนทรัพย์', 'มั่นคง'];
const PROVINCES = ['เชียงใหม่', 'ขอนแก่น', 'สงขลา', 'นครราชสีมา', 'ชลบุรี', 'ภูเก็ต', 'อุดรธานี', 'พิษณุโลก', 'ลำปาง', 'ตรัง', 'น่าน', 'เลย'];
/** File names officers give the checklist items; the first eight are in every full submission. */
const DOCS: Array<{ name: string; pages: number }> = [
  { name: 'บัตรประชาชน', pages: 1 },
  { name: 'ทะเบียนบ้าน', pages: 2 },
  { name: 'บัตรประชาชนบิดา', pages: 1 },
  { name: 'บัตรประชาชนมารดา', pages: 1 },
  { name: 'วุฒิบรรจุ ปริญญาบัตร', pages: 1 },
  { name: 'วุฒิบรรจุ ทรานสคริปต์', pages: 2 },
  { name: 'วุฒิสูงสุด ปริญญาบัตรและทรานสคริปต์', pages: 3 },
  { name: 'บัตรประชาชนคู่สมรส', pages: 1 },
  { name: 'บัตรประชาชนบุตร', pages: 1 },
  { name: 'ใบอนุญาตประกอบวิชาชีพ', pages: 1 },
];
const KB = 1024;

/** A fictional civil servant; IDs start with 39 so they meet no test or dashboard fixture. */
export function benchPerson(i: number, seed: number): Person {
  const rand = prng(seed * 7_919 + i + 1);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const female = rand() < 0.5;
  return {
    nationalId: withCheckDigit(`39${String(i).padStart(10, '0')}`),
    prefix: female ? pick(['นาง', 'นางสาว']) : pick(['นาย', 'นาย', 'ว่าที่ร้อยตรี']),
    firstName: pick(FIRST) + pick(SECOND),
    lastName: `${pick(LAST)}${pick(['ทดสอบ', 'สมมุติ', 'จำลอง'])}`,
    unit: `สำนักงานพัฒนาชุมชนจังหวัด${PROVINCES[i % PROVINCES.length]}`,
    email: `person${i}@office${i % PROVINCES.length}.example.test`,
  };
}

const fullName = (p: Person) => `${p.prefix}${p.firstName} ${p.lastName}`;

export function messageKind(i: number, seed: number): MessageKind {
  const r = prng(seed * 104_729 + i + 1)();
  if (i === 0 || r < 0.70) return 'full';
  if (r < 0.82) return 'zip';
  if (r < 0.92) return 'invalid';
  if (r < 0.97) return 'followup';
  return 'unidentified';
}

async function documentSet(label: string, p: Person, count: number, rand: () => number) {
  return Promise.all(DOCS.slice(0, count).map(async (d, k) => ({
    filename: `${d.name}_${p.firstName}.pdf`,
    content: await scanPdf(`${label}/${k}`, Math.round((30 + rand() * 270) * KB), d.pages),
  })));
}

/** Message i of the mailbox (bytes depend only on seed and i). */
export async function buildMessage(i: number, seed: number): Promise<{ kind: MessageKind; raw: Buffer; messageId: string; receivedAt: Date }> {
  const rand = prng(seed * 31 + i * 977 + 5);
  let kind = messageKind(i, seed);
  const label = `bench-${seed}-${i}`;
  const messageId = `<${label}@office.example.test>`;
  // Before the default campaign's deadline (2023-09-22), spread over three weeks.
  const receivedAt = new Date(Date.parse('2023-09-01T02:00:00Z') + Math.floor(rand() * 20 * 86_400_000));
  const p = benchPerson(kind === 'followup' ? Math.floor(rand() * i) : i, seed);
  const from = kind === 'unidentified' ? `เจ้าหน้าที่ <unknown${i}@example.test>` : `${fullName(p)} <${p.email}>`;
  const subject = `ส่งเอกสารรับรองข้อมูล SEIS ${fullName(p)} ${p.nationalId}`;
  const text = `เรียน เจ้าหน้าที่\nขอส่งเอกสารของ ${fullName(p)} เลขประจำตัวประชาชน ${p.nationalId}\nขอบคุณครับ`;
  const count = 8 + Math.floor(rand() * 3);
  let mail: SubmissionMail;
  if (kind === 'full') {
    mail = { from, subject, text, attachments: await documentSet(label, p, count, rand), receivedAt, messageId };
  } else if (kind === 'zip') {
    const docs = await documentSet(label, p, count, rand);
    const folder = `${p.nationalId} ${p.firstName} ${p.lastName}`;
    const zip = await zipOf(docs.map((d) => ({ name: `${folder}/${d.filename}`, content: d.content })));
    mail = { from, subject, text: `${text}\nแนบไฟล์ ZIP`, attachments: [{ filename: `SEIS_${p.firstName}.zip`, content: zip }], receivedAt, messageId };
  } else if (kind === 'invalid') {
    const docs = await documentSet(label, p, count, rand);
    docs[1] = { filename: docs[1].filename, content: htmlAsPdf() };
    docs[3] = { filename: docs[3].filename, content: truncated(docs[3].content) };
    docs[4] = { filename: docs[4].filename.replace(/\.pdf$/, '.jpg'), content: phonePhoto(`${label}/photo`, 180 * KB) };
    mail = { from, subject, text, attachments: docs, receivedAt, messageId };
  } else if (kind === 'followup') {
    const docs = await documentSet(label, p, 2 + Math.floor(rand() * 2), rand);
    mail = { from, subject: `ส่งเพิ่ม ${p.nationalId}`, text: `ส่งเอกสารเพิ่มเติมของ ${fullName(p)}`, attachments: docs, receivedAt, messageId };
  } else {
    kind = 'unidentified';
    const docs = await documentSet(label, p, 2, rand);
    mail = { from, subject: 'ส่งเอกสารครับ', text: 'ตามที่แจ้งครับ', attachments: docs.map((d, k) => ({ ...d, filename: `scan00${k + 1}.pdf` })), receivedAt,
      messageId };
  }
  return { kind, raw: await compose(mail), messageId, receivedAt };
}

/** The large attachments of the memory section: one 25 MB PDF, and a 50 MB ZIP of scans (two messages). */
export async function buildBigMessage(kind: 'big-pdf' | 'big-zip', seed: number): Promise<{ raw: Buffer; messageId: string; receivedAt: Date }> {
  const p = benchPerson(kind === 'big-pdf' ? 0 : 1, seed);
  const receivedAt = new Date('2023-09-15T03:00:00Z');
  const messageId = `<bench-${seed}-${kind}@office.example.test>`;
  const label = `bench-${seed}-${kind}`;
  const attachments = kind === 'big-pdf'
    ? [{ filename: `ทะเบียนบ้านและวุฒิ_${p.firstName}.pdf`, content: await scanPdf(label, 25 * KB * KB, 25) }]
    : [{
      filename: `SEIS_${p.firstName}.zip`,
      content: await zipOf(await Promise.all(DOCS.slice(0, 5).map(async (d, k) => ({
        name: `${p.nationalId}/${d.name}.pdf`,
        content: await scanPdf(`${label}/${k}`, 10 * KB * KB, 10),
      })))),
    }];
  const raw = await compose({
    from: `${fullName(p)} <${p.email}>`,
    subject: `ส่งเอกสาร SEIS ${fullName(p)} ${p.nationalId}`,
    text: `ขอส่งเอกสารของ ${fullName(p)} ไฟล์ขนาดใหญ่`,
    attachments,
    receivedAt,
    messageId,
  });
  return { raw, messageId, receivedAt };
}

async function sourceVersion(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['generate.ts', 'documents.ts']) hash.update(await readFile(join(import.meta.dirname, file)));
  return hash.digest('hex').slice(0, 10);
}

async function readIndex(file: string): Promise<Map<string, BenchMessage>> {
  const out = new Map<string, BenchMessage>();
  if (!existsSync(file)) return out;
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    try {
      const m = JSON.parse(line) as BenchMessage;
      out.set(m.file, m);
    } catch {
      // a line cut short by an interrupted run: that message is generated again
    }
  }
  return out;
}

async function store(dir: string, indexFile: string, entry: Omit<BenchMessage, 'bytes'>, raw: Buffer, receivedAt: Date): Promise<BenchMessage> {
  const path = join(dir, entry.file);
  await writeFile(`${path}.tmp`, raw);
  // The Maildir delivery time becomes the IMAP INTERNALDATE: make it the submission's arrival.
  await utimes(`${path}.tmp`, receivedAt, receivedAt);
  await rename(`${path}.tmp`, path);
  const done = { ...entry, bytes: raw.length };
  await appendFile(indexFile, `${JSON.stringify(done)}\n`);
  return done;
}

/** The first `count` messages of the seed's mailbox (generating what the cache lacks) and its roster. */
export async function benchMailbox(
  opts: { messages: number; seed: number; cacheDir: string; progress?: (done: number, total: number) => void },
): Promise<BenchMailbox> {
  const dir = join(opts.cacheDir, `mailbox-s${opts.seed}-${await sourceVersion()}`);
  await mkdir(dir, { recursive: true });
  const indexFile = join(dir, 'index.jsonl');
  const known = await readIndex(indexFile);
  const messages: BenchMessage[] = [];
  for (let i = 0; i < opts.messages; i++) {
    const file = `${String(i).padStart(6, '0')}.eml`;
    let entry = known.get(file);
    if (!entry || !existsSync(join(dir, file))) {
      const built = await buildMessage(i, opts.seed);
      entry = await store(dir, indexFile, { index: i, file, kind: built.kind, messageId: built.messageId, receivedAt: built.receivedAt.toISOString() },
        built.raw, built.receivedAt);
      opts.progress?.(i + 1, opts.messages);
    }
    messages.push(entry);
  }
  // The department's roster: everyone who may send, and a tenth more who have not sent anything yet.
  const rosterFile = join(dir, `roster-${opts.messages}.csv`);
  if (!existsSync(rosterFile)) {
    const persons = Array.from({ length: Math.ceil(opts.messages * 1.1) + 2 }, (_, i) => benchPerson(i, opts.seed));
    await writeFile(rosterFile, rosterCsv(persons));
  }
  return { dir, rosterFile, messages, bytes: messages.reduce((n, m) => n + m.bytes, 0) };
}

/** The two large messages of the memory section, cached beside the mailbox. */
export async function bigMailbox(opts: { seed: number; cacheDir: string }): Promise<BenchMessage[]> {
  const dir = join(opts.cacheDir, `mailbox-s${opts.seed}-${await sourceVersion()}`);
  await mkdir(dir, { recursive: true });
  const indexFile = join(dir, 'index.jsonl');
  const known = await readIndex(indexFile);
  const out: BenchMessage[] = [];
  for (const [n, kind] of (['big-pdf', 'big-zip'] as const).entries()) {
    const file = `${kind}.eml`;
    let entry = known.get(file);
    if (!entry || !existsSync(join(dir, file))) {
      const built = await buildBigMessage(kind, opts.seed);
      entry = await store(dir, indexFile, { index: 1_000_000 + n, file, kind, messageId: built.messageId, receivedAt: built.receivedAt.toISOString() },
        built.raw, built.receivedAt);
    }
    out.push(entry);
  }
  return out;
}
