import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { isZip, unzipFile } from '../../../pipelines/archives/unpack.ts';
import { sha256 } from '../../../pipelines/hash.ts';
import type { ExtractedFile } from '../../../pipelines/types.ts';
import { fakePdf } from '../../helpers/eml.ts';
import { SOMCHAI, SOMSRI, WANDEE } from '../../helpers/people.ts';
import { buildZip } from '../../helpers/zip.ts';
import { memoryBody } from '../../../pipelines/body.ts';

const limits = configSchema.parse({}).limits;
const attachment = (content: Buffer, name = 'ส่งเอกสาร.zip'): ExtractedFile => ({
  name,
  folders: [],
  origin: 'attachment',
  contentType: 'application/zip',
  size: content.length,
  sha256: sha256(content),
  body: memoryBody(content),
});
const listing = (files: ExtractedFile[]) => files.map((f) => [f.folders.join('/'), f.name]);

describe('unzip: entry names', () => {
  it('reads names flagged UTF-8 (7-Zip)', async () => {
    const zip = await buildZip([{ name: 'เอกสาร/บัตรประชาชน.pdf', content: fakePdf(), nameEncoding: 'utf8' }]);
    expect(listing(await unzipFile(attachment(zip), limits))).toEqual([['เอกสาร', 'บัตรประชาชน.pdf']]);
  });

  it('reads cp874 names without the UTF-8 flag (Thai Windows) as Thai, not mojibake', async () => {
    const zip = await buildZip([{ name: `${SOMCHAI.firstName}/ทะเบียนบ้าน.pdf`, content: fakePdf(), nameEncoding: 'cp874' }]);
    expect(listing(await unzipFile(attachment(zip), limits))).toEqual([[SOMCHAI.firstName, 'ทะเบียนบ้าน.pdf']]);
  });

  it('reads UTF-8 names without the flag (macOS) and normalises NFD to NFC', async () => {
    const zip = await buildZip([{ name: `${SOMSRI.firstName}/ใบมรณบัตร.pdf`.normalize('NFD'), content: fakePdf(), nameEncoding: 'utf8-noflag' }]);
    expect(listing(await unzipFile(attachment(zip), limits))).toEqual([[SOMSRI.firstName, 'ใบมรณบัตร.pdf']]);
  });

  it('falls back to cp437 for non-Thai legacy names', async () => {
    const zip = await buildZip([{ name: 'Müller Straße.pdf', content: fakePdf(), nameEncoding: 'cp437' }]);
    expect(listing(await unzipFile(attachment(zip), limits))).toEqual([['', 'Müller Straße.pdf']]);
  });
});

describe('unzip: structure', () => {
  it('gives one folder per person and skips directory entries and OS junk', async () => {
    const zip = await buildZip([
      { name: `${SOMCHAI.firstName} ${SOMCHAI.lastName}/`, nameEncoding: 'cp874' },
      { name: `${SOMCHAI.firstName} ${SOMCHAI.lastName}/บัตร.pdf`, content: fakePdf('1'), nameEncoding: 'cp874' },
      { name: `${WANDEE.nationalId}/บัตร.pdf`, content: fakePdf('2') },
      { name: '__MACOSX/._บัตร.pdf', content: 'resource fork' },
      { name: `${WANDEE.nationalId}/.DS_Store`, content: 'x' },
      { name: 'Thumbs.db', content: 'x' },
      { name: 'desktop.ini', content: 'x' },
    ]);
    const files = await unzipFile(attachment(zip), limits);
    expect(listing(files)).toEqual([[`${SOMCHAI.firstName} ${SOMCHAI.lastName}`, 'บัตร.pdf'], [WANDEE.nationalId, 'บัตร.pdf']]);
    expect(files.every((f) => f.origin === 'zip' && f.container === 'ส่งเอกสาร.zip' && f.contentType === 'application/pdf')).toBe(true);
    expect(files[0].sha256).toBe(sha256(fakePdf('1')));
  });

  it('returns the ZIP itself with empty-file when it holds nothing but folders and junk', async () => {
    const zip = await buildZip([{ name: 'empty/' }, { name: '__MACOSX/x', content: 'x' }]);
    const files = await unzipFile(attachment(zip), limits);
    expect(files.map((f) => [f.name, f.problem?.code])).toEqual([['ส่งเอกสาร.zip', 'empty-file']]);
  });

  it('returns a non-ZIP with a .zip name as zip-corrupt', async () => {
    const files = await unzipFile(attachment(Buffer.from('not a zip at all')), limits);
    expect(files.map((f) => f.problem?.code)).toEqual(['zip-corrupt']);
  });

  it('tells ZIPs from ZIP-based documents', () => {
    const magic = Buffer.from('PK\x03\x04rest', 'latin1');
    expect(isZip(magic, 'x.bin', 'application/octet-stream')).toBe(true);
    expect(isZip(Buffer.from('x'), 'x.zip', 'application/octet-stream')).toBe(true);
    expect(isZip(magic, 'form.xlsx', 'application/octet-stream')).toBe(false);
    expect(isZip(fakePdf(), 'x.pdf', 'application/pdf')).toBe(false);
  });
});
