// A synthetic, department-sized archive of fictional people for benchmarks and dashboard tests. It writes the
// layout adapters/archive-store.ts writes (manifest.json per person, documents named by checklist id) directly,
// without locks: only for fresh, private folders. Deterministic for a given seed. Not a pipeline test: real
// mail goes through usecases/ingest-message.ts.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { documentFileName, MANIFEST, personDirPath, supersededPath, unmatchedDirPath } from '../../../pipelines/archive-paths.ts';
import { withCheckDigit } from '../../../pipelines/identity/national-id.ts';
import type { ManifestDocument, Person, PersonManifest, UnmatchedRecord } from '../../../pipelines/types.ts';

export interface GenerateOptions {
  persons: number;
  documentsPerPerson: number;
  campaignId?: string;
  units?: number;
  /** Share of roster persons with no folder at all (not submitted). */
  notSubmittedShare?: number;
  unmatched?: number;
  seed?: number;
  /** Deadline the "late" documents arrive after. */
  deadline?: Date;
  /** 'link' hard-links every document to one small PDF (fast, no space); 'none' writes manifests only. */
  files?: 'link' | 'none';
}

export interface GeneratedArchive {
  roster: Person[];
  folders: number;
  documents: number;
  unmatched: number;
}

const FIRST = ['สม', 'วัน', 'ประ', 'มา', 'บุญ', 'ศรี', 'กิต', 'ชัย', 'สุ', 'อรุณ', 'พร', 'นิ', 'รัตน', 'ทอง', 'แก้ว', 'จันท'];
const SECOND = ['ชาย', 'ดี', 'เสริฐ', 'ลี', 'มา', 'สุข', 'ติ', 'วัฒน์', 'ดา', 'ศักดิ์', 'พร', 'ทิพย์', 'ใจ', 'ณี', 'รัตน์', 'ชัย'];
const LAST = ['ใจดี', 'รักงาน', 'มีสุข', 'ทองคำ', 'ศรีสุข', 'แก้วใส', 'บุญมี', 'สมบูรณ์', 'เจริญผล', 'พูนทรัพย์', 'ยั่งยืน', 'มั่นคง'];
const PROVINCES = [
  'เชียงใหม่',
  'ขอนแก่น',
  'สงขลา',
  'นครราชสีมา',
  'ชลบุรี',
  'ภูเก็ต',
  'อุดรธานี',
  'พิษณุโลก',
  'สุราษฎร์ธานี',
  'อุบลราชธานี',
  'ลำปาง',
  'นครสวรรค์',
  'ระยอง',
  'ตรัง',
  'เลย',
  'น่าน',
  'แพร่',
  'ยะลา',
  'สกลนคร',
  'กาญจนบุรี',
];
/** The ten file slots a typical full submission fills, in the order they are generated. */
const SLOTS: Array<{ item: string; part?: 'degree' | 'transcript' | 'both' }> = [
  { item: 'id-card' },
  { item: 'house-registration' },
  { item: 'father-id' },
  { item: 'mother-id' },
  { item: 'appointment-education', part: 'degree' },
  { item: 'appointment-education', part: 'transcript' },
  { item: 'highest-education', part: 'both' },
  { item: 'spouse-id' },
  { item: 'child-id' },
  { item: 'professional-license' },
];

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

export function unitName(i: number): string {
  const province = PROVINCES[i % PROVINCES.length];
  const round = Math.floor(i / PROVINCES.length);
  return `สำนักงานพัฒนาชุมชนจังหวัด${province}${round ? ` เขต ${round + 1}` : ''}`;
}

export function fictionalPerson(i: number, units: number, rand: () => number): Person {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const female = rand() < 0.5;
  return {
    nationalId: withCheckDigit(String(190_000_000_000 + i * 7919).slice(0, 12)),
    prefix: female ? pick(['นาง', 'นางสาว']) : pick(['นาย', 'นาย', 'ว่าที่ร้อยตรี']),
    firstName: pick(FIRST) + pick(SECOND),
    lastName: `${pick(LAST)}${pick(['', 'ทดสอบ', 'สมมุติ', 'จำลอง'])}`,
    unit: unitName(i % units),
    email: `person${i}@example.test`,
  };
}

async function samplePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  return Buffer.from(await doc.save());
}

/** One small original that every generated message points at (the store links originals into person folders). */
const SAMPLE_EML = `_messages/2023/09/${'0'.repeat(63)}1.eml`;
const SAMPLE_EML_TEXT =
  'From: generated@example.test\r\nTo: submissions@example.test\r\nSubject: generated\r\nMessage-ID: <generated@example.test>\r\n\r\nsynthetic archive\r\n';

function manifestFor(person: Person, campaignId: string, docsWanted: number, rand: () => number, deadline: Date): PersonManifest {
  const late = rand() < 0.08;
  const base = deadline.getTime() - (late ? -2 : 20) * 86_400_000;
  const receivedAt = new Date(base + Math.floor(rand() * 10 * 86_400_000) * (late ? 0.1 : 1)).toISOString();
  const messageKey = `gen${person.nationalId}`;
  // Half the people send everything; the rest stop somewhere in the list.
  const currentCount = Math.min(docsWanted, SLOTS.length, rand() < 0.55 ? SLOTS.length : 1 + Math.floor(rand() * 6));
  const reviewed = rand();
  const documents: ManifestDocument[] = [];
  for (let i = 0; i < docsWanted; i++) {
    const slot = SLOTS[i % SLOTS.length];
    const current = i < currentCount;
    const fileName = documentFileName(slot.item, slot.part, 'pdf');
    const state = reviewed < 0.4 ? 'accepted' : reviewed < 0.43 && i === 0 ? 'returned' : 'awaiting-review';
    documents.push({
      item: slot.item,
      ...(slot.part ? { part: slot.part } : {}),
      path: current ? fileName : supersededPath(fileName, new Date(Date.parse(receivedAt) - (i + 1) * 60_000), Math.floor(i / SLOTS.length) + 1),
      originalName: `${slot.item}_${person.firstName}.pdf`,
      sha256: `${person.nationalId}${i}`.padEnd(64, '0'),
      size: 1024,
      pages: 1,
      receivedAt,
      messageId: `${messageKey}@example.test`,
      messageKey,
      late,
      current,
      review: { state, ...(state === 'returned' ? { by: 'admin', at: receivedAt, reason: 'ไม่ได้รับรองสำเนาถูกต้อง' } : {}) },
    });
  }
  return {
    schema: 1,
    campaign: campaignId,
    person,
    inRoster: true,
    documents,
    problems: [],
    messages: [{ messageId: `${messageKey}@example.test`, messageKey, receivedAt, from: person.email, subject: 'ส่งเอกสาร', emlPath: SAMPLE_EML, late }],
    decisions: [],
    updatedAt: receivedAt,
  };
}

export const GENERATED_EML = SAMPLE_EML;

export async function generateArchive(root: string, opts: GenerateOptions): Promise<GeneratedArchive> {
  const campaignId = opts.campaignId ?? 'seis-certification';
  const units = opts.units ?? Math.max(1, Math.min(77, Math.ceil(opts.persons / 130)));
  const rand = prng(opts.seed ?? 42);
  const deadline = opts.deadline ?? new Date('2023-09-22T16:59:59.999Z');
  const files = opts.files ?? 'link';
  const pdf = path.join(root, '_state', 'generator-sample.pdf');
  await fs.mkdir(path.dirname(pdf), { recursive: true });
  if (files === 'link') await fs.writeFile(pdf, await samplePdf());
  await fs.mkdir(path.dirname(path.join(root, SAMPLE_EML)), { recursive: true });
  await fs.writeFile(path.join(root, SAMPLE_EML), SAMPLE_EML_TEXT);

  const roster: Person[] = [];
  let folders = 0;
  let documents = 0;
  const jobs: Array<() => Promise<void>> = [];
  for (let i = 0; i < opts.persons; i++) {
    const person = fictionalPerson(i, units, rand);
    roster.push(person);
    if (rand() < (opts.notSubmittedShare ?? 0.1)) continue;
    const manifest = manifestFor(person, campaignId, opts.documentsPerPerson, rand, deadline);
    folders++;
    documents += manifest.documents.length;
    const dir = path.join(root, personDirPath(campaignId, person));
    jobs.push(async () => {
      await fs.mkdir(path.join(dir, '_superseded'), { recursive: true });
      if (files === 'link') {
        for (const d of manifest.documents) await fs.link(pdf, path.join(dir, d.path)).catch(() => undefined);
      }
      await fs.writeFile(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2));
    });
  }
  for (let i = 0; i < jobs.length; i += 64) await Promise.all(jobs.slice(i, i + 64).map((job) => job()));

  const unmatched = opts.unmatched ?? Math.ceil(opts.persons / 200);
  for (let i = 0; i < unmatched; i++) {
    const key = `genunmatched${String(i).padStart(6, '0')}`;
    const record: UnmatchedRecord = {
      messageKey: key,
      messageId: `${key}@example.test`,
      from: `unknown${i}@example.test`,
      subject: 'ส่งเอกสาร',
      receivedAt: new Date(deadline.getTime() - i * 3_600_000).toISOString(),
      reason: 'unidentified',
      emlPath: SAMPLE_EML,
      files: [],
    };
    const dir = path.join(root, unmatchedDirPath(campaignId, key));
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'record.json'), JSON.stringify(record, null, 2));
  }
  return { roster, folders, documents, unmatched };
}
