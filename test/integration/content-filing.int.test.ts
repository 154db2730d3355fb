// Filing by what the scans say, end to end: rendered and degraded Thai documents (test/helpers/scans) mailed
// the way officers do (unnamed files, a combined PDF, a mislabelled file, a relative's card named as the
// officer's own, nobody named), read by the real engine (poppler + Tesseract) through the real pipeline.
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROSTER } from '../helpers/people.ts';
import { submission } from '../helpers/eml.ts';
import { testPipeline, type TestPipeline } from '../helpers/pipeline.ts';
import { buildScanFixtures } from '../helpers/scans/build.ts';
import { SCAN_FIXTURES } from '../helpers/scans/catalog.ts';
import { MOTHER_BOONMA, OFFICER_SOMCHAI, OFFICER_WANDEE } from '../helpers/scans/cast.ts';
import type { PersonManifest } from '../../pipelines/types.ts';

const scans = new Map<string, Buffer>();
const scan = (name: string) => {
  const bytes = scans.get(name);
  if (!bytes) throw new Error(`no scan fixture ${name}`);
  return bytes;
};

beforeAll(async () => {
  const built = await buildScanFixtures(SCAN_FIXTURES);
  for (const f of built.files) scans.set(f.file.name, await readFile(f.path));
}, 600_000);

async function manifestOf(p: TestPipeline, nationalId: string): Promise<PersonManifest> {
  const found = await p.store.readPerson('seis-certification', nationalId);
  if (!found) throw new Error(`no folder for ${nationalId}`);
  return found.manifest;
}
const currentItems = (m: PersonManifest) =>
  m.documents.filter((d) => d.current).map((d) => `${d.item}${d.part && d.part !== 'both' ? `:${d.part}` : ''}`).sort();

describe('filing by content (real OCR)', () => {
  it('names the officer from their own ID card when the mail names nobody, and files unnamed scans by what they are', async () => {
    const p = testPipeline({ readScans: true });
    const out = await p.ingest(submission({
      from: 'unknown.sender@example.test',
      subject: 'ส่งเอกสาร',
      text: 'ส่งเอกสารตามหนังสือเวียนครับ',
      attachments: [
        { name: 'scan0001.pdf', content: scan('scan0001.pdf') },
        { name: 'Doc1.pdf', content: scan('Doc1.pdf') },
        { name: 'เอกสาร 1.pdf', content: scan('เอกสาร 1.pdf') },
      ],
    }));
    expect(out.persons).toEqual([OFFICER_SOMCHAI.nationalId]);
    const m = await manifestOf(p, OFFICER_SOMCHAI.nationalId);
    expect(currentItems(m)).toEqual(['father-death-certificate', 'house-registration', 'id-card']);
    expect(m.documents.every((d) => d.reading?.source === 'content')).toBe(true);
    expect(out.replyMail?.text).toContain('ระบุเจ้าของเอกสารจากบัตรประจำตัวประชาชน');
  });

  it('never files a relative\'s card named as the officer\'s own as their id-card: the house registration names the mother', async () => {
    const p = testPipeline({ readScans: true });
    await p.ingest(submission({
      subject: `ส่งเอกสาร ${OFFICER_SOMCHAI.nationalId}`,
      attachments: [
        { name: 'บัตรประชาชน.pdf', content: scan('บัตรประชาชน.pdf') },
        { name: 'ทะเบียนบ้าน.pdf', content: scan('Doc1.pdf') },
      ],
    }));
    const m = await manifestOf(p, OFFICER_SOMCHAI.nationalId);
    expect(currentItems(m)).toEqual(['house-registration', 'mother-id']);
    const card = m.documents.find((d) => d.item === 'mother-id');
    expect(card?.reading?.source).toBe('content');
    expect(m.documents.some((d) => d.item === 'id-card')).toBe(false);
    expect(MOTHER_BOONMA.nationalId).not.toBe(OFFICER_SOMCHAI.nationalId);
  });

  it('files a mislabelled file as what its pages are, and the reply says so', async () => {
    const p = testPipeline({ readScans: true });
    const out = await p.ingest(submission({
      subject: `ส่งเอกสาร ${OFFICER_SOMCHAI.nationalId}`,
      attachments: [{ name: 'ทะเบียนบ้าน.pdf', content: scan('ทะเบียนบ้าน.pdf') }],
    }));
    const m = await manifestOf(p, OFFICER_SOMCHAI.nationalId);
    expect(m.documents.some((d) => d.item === 'house-registration')).toBe(false);
    expect(currentItems(m)).toEqual(['appointment-education:transcript', 'highest-education:transcript']);
    expect(out.replyMail?.text).toMatch(/ไฟล์ ทะเบียนบ้าน\.pdf เป็น/);
  });

  it('cuts one combined scan into its documents, keeps the original, and settles the two degree levels', async () => {
    const p = testPipeline({ readScans: true });
    await p.ingest(submission({
      subject: `เอกสารของ ${OFFICER_WANDEE.nationalId}`,
      attachments: [{ name: 'scan0004.pdf', content: scan('scan0004.pdf') }],
    }));
    const m = await manifestOf(p, OFFICER_WANDEE.nationalId);
    expect(currentItems(m)).toEqual([
      'appointment-education:degree',
      'appointment-education:transcript',
      'highest-education:degree',
      'house-registration',
      'id-card',
    ]);
    expect(m.combined?.map((c) => c.originalName)).toEqual(['scan0004.pdf']);
    const dir = (await p.store.readPerson('seis-certification', OFFICER_WANDEE.nationalId))!.dir;
    expect(existsSync(path.join(p.root, dir, m.combined![0].path))).toBe(true);
    const id = m.documents.find((d) => d.item === 'id-card')!;
    expect(id.reading?.splitFrom?.pages).toEqual([1, 2]);
    expect(id.pages).toBe(2);
    // The cover memo is no checklist item: kept for staff, never guessed.
    expect(m.problems.map((x) => x.code)).toContain('unclassified');
  });

  it('flags a copy without the certification in the manifest, the report and one line of the reply', async () => {
    const p = testPipeline({ readScans: true });
    const somsri = ROSTER[1];
    const out = await p.ingest(submission({
      subject: `ส่งเอกสาร ${somsri.nationalId}`,
      attachments: [{ name: 'บัตรประชาชน.pdf', content: scan('no-stamp.pdf') }],
    }));
    const report = await p.report();
    const row = report.persons.find((r) => r.nationalId === somsri.nationalId)!;
    expect(row.documents[0]).toMatchObject({ item: 'id-card', source: 'both', flags: ['no-certification'] });
    expect(row.flags).toEqual(['no-certification']);
    expect(out.replyMail?.text).toContain('สำเนาถูกต้อง');
  });

  it('reads nothing twice: a file seen before is decided from the archive\'s cache', async () => {
    const p = testPipeline({ readScans: true });
    const mail = (n: number) =>
      submission({
        subject: `ส่งเอกสาร ${OFFICER_SOMCHAI.nationalId} ครั้งที่ ${n}`,
        attachments: [{ name: 'Doc1.pdf', content: scan('Doc1.pdf') }],
      });
    await p.ingest(mail(1));
    const sha = createHash('sha256').update(scan('Doc1.pdf')).digest('hex');
    const cacheFile = path.join(p.root, '_state/content', sha.slice(0, 2), `${sha}.json`);
    const first = await stat(cacheFile);
    await p.ingest(mail(2));
    const m = await manifestOf(p, OFFICER_SOMCHAI.nationalId);
    expect(m.messages).toHaveLength(2);
    expect(m.documents.filter((d) => d.item === 'house-registration' && d.current)).toHaveLength(1);
    expect((await stat(cacheFile)).mtimeMs).toBe(first.mtimeMs);
    expect(first.mode & 0o777).toBe(0o600);
  });
});
