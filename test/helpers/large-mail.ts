// The large messages of issue 13's memory tests, built once into test/.cache/large-mail/ (git-ignored) and reused
// while this file and streamed-mail.ts are unchanged. Each comes with what the pipeline must file from it.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rosterCsv } from '../../cli/demo-data.ts';
import type { ChecklistItemId, FileProblemCode, Person } from '../../pipelines/types.ts';
import { fullName, PRASERT, ROSTER, SOMCHAI, SOMSRI, WANDEE } from './people.ts';
import { MB, measured, scanPdf, writeStreamedMessage, zipStream, type StreamedAttachment, type Written } from './streamed-mail.ts';

export const LARGE_MAIL_CACHE = join(import.meta.dirname, '../.cache/large-mail');

export interface ExpectedDocument {
  nationalId: string;
  item: ChecklistItemId;
  originalName: string;
  size: number;
  sha256: string;
}
/** A file kept with a problem: the manifest still records its real size and hash. */
export interface ExpectedProblem extends Written {
  nationalId: string;
  originalName: string;
  code: FileProblemCode;
}

export interface LargeFixture {
  eml: string;
  size: number;
  sha256: string;
  /** Bytes of the attachments as sent (the ZIP itself for a ZIP), before base64. */
  attachmentBytes: number;
  /** A config file with the limits this message is meant to trip. */
  configFile?: string;
  documents: ExpectedDocument[];
  problems: ExpectedProblem[];
}

export interface LargeMail {
  rosterFile: string;
  /** The same shapes (a scan, a ZIP of one) at a few hundred KB: what the process needs whatever the size. */
  baseline: LargeFixture;
  zip50: LargeFixture;
  message60: LargeFixture;
  midStreamLimit: LargeFixture;
}

/** Document names officers use and the checklist item each is filed as. */
const DOC: Record<string, ChecklistItemId> = {
  'บัตรประชาชน': 'id-card',
  'ทะเบียนบ้าน': 'house-registration',
  'บัตรประชาชนบิดา': 'father-id',
  'บัตรประชาชนมารดา': 'mother-id',
  'วุฒิที่ใช้บรรจุ ปริญญาบัตร': 'appointment-education',
  'วุฒิที่ใช้บรรจุ ทรานสคริปต์': 'appointment-education',
  'วุฒิสูงสุด ปริญญาบัตรและทรานสคริปต์': 'highest-education',
};

/** The limits the mid-stream fixture trips: its ZIP passes 10 MB unpacked 4 MB into its third entry. */
export const MID_STREAM_LIMITS = { maxFileBytes: 8 * MB, maxZipTotalBytes: 10 * MB };

const received = (iso: string) => [`from mail.office.example.test by mx.dep.example.test; ${new Date(iso).toUTCString().replace('GMT', '+0000')}`];
const sender = (p: Person) => `${fullName(p)} <${p.email}>`;

/** A scan as a source of chunks that hands its size and hash to `record` once the message writer has read it all. */
function pdf(label: string, bytes: number, pages: number, record: (w: Written) => void) {
  return () => measured(scanPdf(label, bytes, pages), record);
}

/** The baseline: one small scan and a ZIP of one, from a fourth person. */
async function buildBaseline(dir: string): Promise<LargeFixture> {
  const documents: ExpectedDocument[] = [];
  const record = (doc: string) => (w: Written) => documents.push({ nationalId: PRASERT.nationalId, item: DOC[doc], originalName: `${doc}.pdf`, ...w });
  const eml = join(dir, 'baseline.eml');
  const written = await writeStreamedMessage(eml, {
    from: sender(PRASERT),
    subject: `ส่งเอกสาร SEIS ${fullName(PRASERT)} ${PRASERT.nationalId}`,
    received: received('2023-09-11T03:00:00Z'),
    messageId: 'large-baseline@office.example.test',
    text: 'ส่งเอกสารครับ',
    attachments: [
      { name: 'บัตรประชาชน.pdf', content: pdf('baseline/id', 200 * 1024, 1, record('บัตรประชาชน')) },
      { name: 'ทะเบียนบ้าน.zip', contentType: 'application/zip',
        content: () => zipStream([{ name: 'ทะเบียนบ้าน.pdf', content: pdf('baseline/house', 200 * 1024, 2, record('ทะเบียนบ้าน')) }]) },
    ],
  });
  return { eml, ...written, attachmentBytes: 400 * 1024, documents, problems: [] };
}

/** One ~50 MB ZIP (deflated, ~68 MB as base64) with a folder per person, four scans each: the bench's "big ZIP". */
async function buildZip50(dir: string): Promise<LargeFixture> {
  const documents: ExpectedDocument[] = [];
  const names = ['บัตรประชาชน', 'ทะเบียนบ้าน', 'บัตรประชาชนบิดา', 'บัตรประชาชนมารดา'];
  const entries = ROSTER.flatMap((p) =>
    names.map((doc, k) => ({
      name: `${p.nationalId} ${fullName(p)}/${doc}.pdf`,
      content: pdf(`zip50/${p.nationalId}/${doc}`, Math.round(3.1 * MB), k === 1 ? 2 : 1, (w) => {
        documents.push({ nationalId: p.nationalId, item: DOC[doc], originalName: `${doc}.pdf`, ...w });
      }),
    }))
  );
  let zip: Written = { size: 0, sha256: '' };
  const eml = join(dir, 'zip-50mb.eml');
  const written = await writeStreamedMessage(eml, {
    from: sender(SOMCHAI),
    subject: 'ส่งเอกสาร SEIS ของเจ้าหน้าที่ 4 คน (ไฟล์ ZIP แยกโฟลเดอร์รายคน)',
    received: received('2023-09-12T03:00:00Z'),
    messageId: 'large-zip-50mb@office.example.test',
    text: 'ส่งเอกสารของเจ้าหน้าที่ในสังกัด 4 คน แยกโฟลเดอร์ตามเลขประจำตัวประชาชนครับ',
    attachments: [{ name: 'เอกสาร SEIS รายคน.zip', contentType: 'application/zip', content: () =>
      measured(zipStream(entries), (w) => {
        zip = w;
      }) }],
  });
  return { eml, ...written, attachmentBytes: zip.size, documents, problems: [] };
}

/** A ~60 MB message: the seven required scans of one person as separate base64 attachments (~44 MB of PDF). */
async function buildMessage60(dir: string): Promise<LargeFixture> {
  const documents: ExpectedDocument[] = [];
  const pages = [1, 2, 1, 1, 1, 2, 3];
  const attachments: StreamedAttachment[] = Object.keys(DOC).map((doc, k) => ({
    name: `${doc}.pdf`,
    content: pdf(`message60/${doc}`, Math.round(6.25 * MB), pages[k], (w) => {
      documents.push({ nationalId: SOMSRI.nationalId, item: DOC[doc], originalName: `${doc}.pdf`, ...w });
    }),
  }));
  const eml = join(dir, 'message-60mb.eml');
  const written = await writeStreamedMessage(eml, {
    from: sender(SOMSRI),
    subject: `ส่งเอกสาร SEIS ${fullName(SOMSRI)} ${SOMSRI.nationalId}`,
    received: received('2023-09-13T03:00:00Z'),
    messageId: 'large-message-60mb@office.example.test',
    text: `ขอส่งเอกสารของ ${fullName(SOMSRI)} ครบทุกรายการค่ะ (สแกนความละเอียดสูง)`,
    attachments,
  });
  return { eml, ...written, attachmentBytes: documents.reduce((n, d) => n + d.size, 0), documents, problems: [] };
}

/**
 * One good scan, one attachment over maxFileBytes, and a ZIP whose unpacked total passes maxZipTotalBytes in the
 * middle of its third entry (an entry under maxFileBytes, so nothing but the running total can stop it).
 */
async function buildMidStreamLimit(dir: string): Promise<LargeFixture> {
  const documents: ExpectedDocument[] = [];
  let house: Written = { size: 0, sha256: '' };
  const recordId = (w: Written) => documents.push({ nationalId: WANDEE.nationalId, item: 'id-card', originalName: 'บัตรประชาชน.pdf', ...w });
  const zipEntries = [['บัตรประชาชนบิดา', 3], ['บัตรประชาชนมารดา', 3], ['วุฒิสูงสุด ปริญญาบัตรและทรานสคริปต์', 6]] as const;
  let zip: Written = { size: 0, sha256: '' };
  const zipName = 'เอกสารบิดามารดาและวุฒิ.zip';
  const eml = join(dir, 'mid-stream-limit.eml');
  const written = await writeStreamedMessage(eml, {
    from: sender(WANDEE),
    subject: `ส่งเอกสาร SEIS ${fullName(WANDEE)} ${WANDEE.nationalId}`,
    received: received('2023-09-14T03:00:00Z'),
    messageId: 'large-mid-stream-limit@office.example.test',
    text: 'ส่งเอกสารค่ะ ทะเบียนบ้านสแกนสีความละเอียดสูง',
    attachments: [
      { name: 'บัตรประชาชน.pdf', content: pdf('limit/id', 3 * MB, 1, recordId) },
      { name: 'ทะเบียนบ้าน.pdf', content: pdf('limit/house', 12 * MB, 2, (w) => {
        house = w;
      }) },
      {
        name: zipName,
        contentType: 'application/zip',
        content: () =>
          measured(zipStream(zipEntries.map(([doc, mb]) => ({
            name: `${doc}.pdf`,
            content: () => scanPdf(`limit/${doc}`, mb * MB, 1),
          }))), (w) => {
            zip = w;
          }),
      },
    ],
  });
  const configFile = join(dir, 'mid-stream-limits.json');
  await writeFile(configFile, JSON.stringify({ limits: MID_STREAM_LIMITS }, null, 2));
  return {
    eml,
    ...written,
    configFile,
    documents,
    attachmentBytes: documents[0].size + house.size + zip.size,
    problems: [
      { nationalId: WANDEE.nationalId, originalName: 'ทะเบียนบ้าน.pdf', code: 'file-too-large', ...house },
      { nationalId: WANDEE.nationalId, originalName: zipName, code: 'zip-bomb', ...zip },
    ],
  };
}

async function sourceVersion(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['large-mail.ts', 'streamed-mail.ts', 'eml.ts']) hash.update(await readFile(join(import.meta.dirname, file)));
  return hash.digest('hex').slice(0, 12);
}

/** The three messages and the roster, from the cache when they are there (a few seconds to build otherwise). */
export async function largeMail(): Promise<LargeMail> {
  const version = await sourceVersion();
  const dir = join(LARGE_MAIL_CACHE, version);
  const metaFile = join(dir, 'fixtures.json');
  if (existsSync(metaFile)) {
    const cached = JSON.parse(await readFile(metaFile, 'utf8')) as LargeMail;
    const fixtures = [cached.baseline, cached.zip50, cached.message60, cached.midStreamLimit];
    if (fixtures.every((f) => existsSync(f.eml) && statSync(f.eml).size === f.size)) return cached;
  }
  // Older versions are 150 MB each: keep only the one in use.
  await mkdir(LARGE_MAIL_CACHE, { recursive: true });
  for (const old of await readdir(LARGE_MAIL_CACHE)) if (old !== version) await rm(join(LARGE_MAIL_CACHE, old), { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const rosterFile = join(dir, 'roster.csv');
  await writeFile(rosterFile, rosterCsv(ROSTER));
  const mail: LargeMail = {
    rosterFile,
    baseline: await buildBaseline(dir),
    zip50: await buildZip50(dir),
    message60: await buildMessage60(dir),
    midStreamLimit: await buildMidStreamLimit(dir),
  };
  await writeFile(metaFile, JSON.stringify(mail, null, 2));
  return mail;
}
