import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { parseMessage } from '../../../pipelines/mail/parse.ts';
import type { ExtractedFile } from '../../../pipelines/types.ts';
import { parseListing } from '../../../pipelines/archives/un7z.ts';
import { isArchive, unzipFile } from '../../../pipelines/archives/unpack.ts';
import { sha256 } from '../../../pipelines/hash.ts';
import { fileProblemAdvice } from '../../../templates/problems.ts';
import * as E from '../../helpers/eml.ts';
import { SOMCHAI, SOMSRI } from '../../helpers/people.ts';
import { build7z } from '../../helpers/sevenz.ts';
import { buildZip } from '../../helpers/zip.ts';
import { memoryBody } from '../../../pipelines/body.ts';

const limits = configSchema.parse({}).limits;
const attachment = (content: Buffer, name = 'ส่งเอกสาร.7z', contentType = 'application/x-7z-compressed'): ExtractedFile => ({
  name,
  folders: [],
  origin: 'attachment',
  contentType,
  size: content.length,
  sha256: sha256(content),
  body: memoryBody(content),
});
const un7z = (archive: Buffer, more: Partial<typeof limits> = {}, name?: string) => unzipFile(attachment(archive, name), { ...limits, ...more });
const listing = (files: ExtractedFile[]) => files.map((f) => [f.folders.join('/'), f.name, f.problem?.code]);
const somchai = `${SOMCHAI.nationalId} ${SOMCHAI.firstName} ${SOMCHAI.lastName}`;
const pdf = E.fakePdf;

describe('un7z: unpacking like ZIP and RAR', () => {
  it('unpacks a solid 7z with one Thai folder per person, keeping folders, bytes and the container', async () => {
    const id = pdf('บัตร');
    const archive = await build7z([
      { name: `${somchai}/บัตรประชาชน.pdf`, content: id },
      { name: `${somchai}/ทะเบียนบ้าน.pdf`, content: pdf('บ้าน') },
      { name: `${SOMSRI.nationalId} ${SOMSRI.firstName}/วุฒิสูงสุด.pdf`, content: pdf('วุฒิ') },
    ]);
    const files = await un7z(archive);
    expect(listing(files)).toHaveLength(3);
    expect(listing(files)).toEqual(expect.arrayContaining([
      [`${SOMSRI.nationalId} ${SOMSRI.firstName}`, 'วุฒิสูงสุด.pdf', undefined],
      [somchai, 'ทะเบียนบ้าน.pdf', undefined],
      [somchai, 'บัตรประชาชน.pdf', undefined],
    ]));
    const card = files.find((f) => f.name === 'บัตรประชาชน.pdf')!;
    expect((await card.body.bytes()).equals(id)).toBe(true);
    expect(card).toMatchObject({ origin: 'zip', container: 'ส่งเอกสาร.7z', contentType: 'application/pdf', size: id.length, sha256: sha256(id) });
  });

  it('reads a non-solid stored 7z, and one renamed to .zip by its bytes', async () => {
    const archive = await build7z([{ name: 'a.pdf', content: pdf('a') }, { name: 'b.pdf', content: pdf('b') }], { solid: false, store: true });
    expect(listing(await un7z(archive))).toEqual([['', 'a.pdf', undefined], ['', 'b.pdf', undefined]]);
    expect(listing(await un7z(archive, {}, 'เอกสาร.zip'))).toEqual([['', 'a.pdf', undefined], ['', 'b.pdf', undefined]]);
    expect(isArchive(archive, 'x.bin', 'application/octet-stream')).toBe(true);
  });

  it('unpacks archives nested in it, and refuses nesting deeper than maxZipDepth', async () => {
    const zip = await buildZip([{ name: 'ใน zip.pdf', content: pdf('z') }]);
    const archive = await build7z([{ name: 'ชุด.zip', content: zip }, { name: 'นอก.pdf', content: pdf('o') }]);
    expect(listing(await un7z(archive))).toEqual([['ชุด', 'ใน zip.pdf', undefined], ['', 'นอก.pdf', undefined]]);
    const deep = await build7z([{ name: 'inner.7z', content: await build7z([{ name: 'x.pdf', content: pdf() }]) }]);
    expect(listing(await un7z(deep, { maxZipDepth: 1 }))).toEqual([['', 'inner.7z', 'zip-too-deep']]);
  });
});

describe('un7z: limits and refusals', () => {
  it('refuses a 7z bomb by its declared ratio before unpacking, and one beyond the total size', async () => {
    const bomb = await build7z([{ name: 'scan.pdf', content: Buffer.alloc(30 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(listing(await un7z(bomb))).toEqual([['', 'ส่งเอกสาร.7z', 'zip-bomb']]);
    const big = await build7z([{ name: 'a.pdf', content: pdf('a') }, { name: 'b.pdf', content: pdf('b') }], { store: true });
    expect(listing(await un7z(big, { maxZipTotalBytes: 100 }))).toEqual([['', 'ส่งเอกสาร.7z', 'zip-bomb']]);
  });

  it('refuses more entries than maxZipEntries', async () => {
    const many = await build7z(Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.pdf`, content: pdf(String(i)) })));
    expect(listing(await un7z(many, { maxZipEntries: 10 }))).toEqual([['', 'ส่งเอกสาร.7z', 'zip-bomb']]);
  });

  it('keeps a password-protected 7z with a Thai reason, whether only the entries or the header too is encrypted', async () => {
    for (const encryptHeaders of [false, true]) {
      const locked = await build7z([{ name: `${somchai}/บัตรประชาชน.pdf`, content: pdf() }], { password: 'secret', encryptHeaders });
      const files = await un7z(locked);
      expect(listing(files)).toEqual([['', 'ส่งเอกสาร.7z', 'zip-encrypted']]);
      expect(files[0].problem?.detail).toMatch(/^ไฟล์.*7z.*ตั้งรหัสผ่านไว้/);
    }
    expect(fileProblemAdvice('zip-encrypted', undefined, [])).toContain('7z');
  });

  it('keeps a damaged 7z as zip-corrupt (CRC or structure), and leaves process.exitCode alone', async () => {
    const good = await build7z([{ name: 'a.pdf', content: pdf('a'.repeat(2000)) }], { store: true });
    const flipped = Buffer.from(good);
    flipped[40] ^= 0xff; // inside a.pdf's stored bytes: the CRC no longer matches
    const before = process.exitCode;
    const files = await un7z(flipped);
    expect(listing(files)).toEqual([['', 'ส่งเอกสาร.7z', 'zip-corrupt']]);
    expect(files[0].problem?.detail).toMatch(/ไฟล์ 7z เสียหาย/);
    const garbage = Buffer.concat([Buffer.from('377abcaf271c0004', 'hex'), Buffer.alloc(64)]);
    expect(listing(await un7z(garbage))).toEqual([['', 'ส่งเอกสาร.7z', 'zip-corrupt']]);
    expect(process.exitCode).toBe(before);
  });

  it('keeps the first volume of a split 7z with a Thai reason to send one file', async () => {
    const archive = await build7z([{ name: 'a.pdf', content: pdf() }]);
    const files = await un7z(archive, {}, 'เอกสาร.7z.001');
    expect(listing(files)).toEqual([['', 'เอกสาร.7z.001', 'unsupported-type']]);
    expect(files[0].problem?.detail).toMatch(/หลายส่วน/);
  });

  it('reads 7-Zip listings: solid flag, directories, encryption, CRCs and blocks', () => {
    const lines = ['Path = x.7z', 'Type = 7z', 'Solid = +', '', '----------', 'Path = dir', 'Size = 0', 'Attributes = D drwx', 'Encrypted = -', '',
      'Path = dir/a.pdf', 'Size = 10', 'Packed Size = 8', 'CRC = 0000000A', 'Encrypted = +', 'Block = 0', ''];
    expect(parseListing(lines)).toEqual({ solid: true, entries: [
      { path: 'dir', size: 0, packed: 0, dir: true, encrypted: false, block: '' },
      { path: 'dir/a.pdf', size: 10, packed: 8, dir: false, encrypted: true, crc: 10, block: '0' },
    ] });
  });
});

describe('parse: a 7z attachment', () => {
  it('unpacks a 7z attached as application/octet-stream with an encoded Thai name', async () => {
    const archive = await build7z([{ name: `${somchai}/บัตรประชาชน.pdf`, content: pdf() }]);
    const m = await parseMessage(E.submission({ attachments: [{ name: 'เอกสาร สพจ.7z', content: archive, contentType: 'application/octet-stream' }] }), {
      limits,
    });
    expect(m.files.map((f) => [f.folders, f.name, f.origin, f.container])).toEqual([[[somchai], 'บัตรประชาชน.pdf', 'zip', 'เอกสาร สพจ.7z']]);
  });
});
