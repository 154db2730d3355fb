import { crc32 } from 'node:zlib';
import { createExtractorFromData } from 'node-unrar-js';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { parseMessage } from '../../../pipelines/mail/parse.ts';
import { capRar5Window, countRarEntries } from '../../../pipelines/archives/rar-headers.ts';
import type { ExtractedFile } from '../../../pipelines/types.ts';
import { isRar, rarEntryName } from '../../../pipelines/archives/unrar.ts';
import { isArchive, unzipFile } from '../../../pipelines/archives/unpack.ts';
import { sha256 } from '../../../pipelines/hash.ts';
import { fileProblemAdvice } from '../../../templates/problems.ts';
import * as E from '../../helpers/eml.ts';
import { SOMCHAI, SOMSRI, WANDEE } from '../../helpers/people.ts';
import { buildRar4, buildRar5, corruptRarData, RAR4_WINRAR_BEST, RAR5_WINRAR_SOLID, RAR5_ZIP_IN_RAR, type RarEntrySpec } from '../../helpers/rar.ts';
import { buildZip } from '../../helpers/zip.ts';
import { memoryBody } from '../../../pipelines/body.ts';

const limits = configSchema.parse({}).limits;
const attachment = (content: Buffer, name = 'ส่งเอกสาร.rar', contentType = 'application/x-rar-compressed'): ExtractedFile => ({
  name,
  folders: [],
  origin: 'attachment',
  contentType,
  size: content.length,
  sha256: sha256(content),
  body: memoryBody(content),
});
const unrar = (rar: Buffer, more: Partial<typeof limits> = {}) => unzipFile(attachment(rar), { ...limits, ...more });
const listing = (files: ExtractedFile[]) => files.map((f) => [f.folders.join('/'), f.name, f.problem?.code]);
const somchai = `${SOMCHAI.firstName} ${SOMCHAI.lastName}`;
const pdf = E.fakePdf;

async function headers(rar: Buffer) {
  const extractor = await createExtractorFromData({ data: new Uint8Array(rar).buffer });
  return [...extractor.getFileList().fileHeaders];
}

// First in this file on purpose: unrar's WebAssembly is loaded once per test worker, by the first archive.
describe('unrar: loading', () => {
  it('leaves no process-wide error handlers behind when it loads unrar', async () => {
    const counts = () => [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    const before = counts();
    await unrar(buildRar5([{ name: 'a.pdf', content: pdf() }]));
    expect(counts()).toEqual(before);
  });
});

describe('test RARs: what the helper writes is what unrar reads', () => {
  it.each([['RAR4', buildRar4, '2.9'], ['RAR5', buildRar5, '5.0']] as const)('%s: names, sizes, CRCs and folder flags', async (_, build, version) => {
    const content = pdf('บัตร');
    const list = await headers(build([{ name: `${somchai}/` }, { name: `${somchai}/บัตรประชาชน.pdf`, content }]));
    expect(list.map((h) => [h.name, h.flags.directory, h.unpSize, h.packSize, h.method])).toEqual([
      [somchai, true, 0, 0, 'Storing'],
      [`${somchai}/บัตรประชาชน.pdf`, false, content.length, content.length, 'Storing'],
    ]);
    expect(list[1].crc).toBe(crc32(content));
    expect(list[1].unpVer).toBe(version);
  });
});

describe('unrar: entry names', () => {
  it('reads RAR4 Unicode names (WinRAR 3/4) and RAR5 UTF-8 names as Thai', async () => {
    for (const rar of [buildRar4([{ name: `${somchai}/ทะเบียนบ้าน.pdf`, content: pdf() }]), buildRar5([{ name: `${somchai}/ทะเบียนบ้าน.pdf`, content: pdf() }])]) {
      expect(listing(await unrar(rar))).toEqual([[somchai, 'ทะเบียนบ้าน.pdf', undefined]]);
    }
  });

  it('reads RAR4 OEM names in cp874 without the Unicode flag (WinRAR on Thai Windows) as Thai, not mojibake', async () => {
    const rar = buildRar4([{ name: `${SOMSRI.firstName} ${SOMSRI.lastName}/ใบมรณบัตร บิดา.pdf`, content: pdf(), nameEncoding: 'cp874' }]);
    expect(listing(await unrar(rar))).toEqual([[`${SOMSRI.firstName} ${SOMSRI.lastName}`, 'ใบมรณบัตร บิดา.pdf', undefined]]);
  });

  it('undoes unrar\'s mapping of unconvertible OEM bytes and normalises NFD names to NFC', async () => {
    expect(rarEntryName('\ufffe\ue0ca\ue0c1/\ue0ba\u0475.pdf')).toBe('สม/บัต.pdf');
    expect(rarEntryName('123 \ufffe\ue0ca\ue0c1\u00b9.pdf')).toBe('123 สมยน.pdf'); // the mark sits where conversion failed; ยน (C2 B9) had passed as UTF-8 U+00B9
    expect(rarEntryName('plain.pdf')).toBe('plain.pdf');
    const rar = buildRar5([{ name: 'ทะเบียนบ้าน.pdf'.normalize('NFD'), content: pdf() }]);
    expect((await unrar(rar))[0].name).toBe('ทะเบียนบ้าน.pdf'.normalize('NFC'));
  });
});

describe('unrar: structure', () => {
  it('gives one folder per person and skips folder entries and OS junk', async () => {
    const rar = buildRar4([
      { name: `${somchai}/` },
      { name: `${somchai}/บัตร.pdf`, content: pdf('1') },
      { name: `${WANDEE.nationalId}/บัตร.pdf`, content: pdf('2') },
      { name: '__MACOSX/._บัตร.pdf', content: 'fork' },
      { name: `${WANDEE.nationalId}/Thumbs.db`, content: 'x' },
      { name: 'desktop.ini', content: 'x' },
    ]);
    const files = await unrar(rar);
    expect(listing(files)).toEqual([[somchai, 'บัตร.pdf', undefined], [WANDEE.nationalId, 'บัตร.pdf', undefined]]);
    expect(files.every((f) => f.origin === 'zip' && f.container === 'ส่งเอกสาร.rar' && f.contentType === 'application/pdf')).toBe(true);
    expect(files.map((f) => f.sha256)).toEqual([sha256(pdf('1')), sha256(pdf('2'))]);
  });

  it('unpacks the ZIP inside a real RAR5 archive (libarchive sample) into a folder named after it', async () => {
    const files = await unrar(RAR5_ZIP_IN_RAR);
    expect(listing(files)).toEqual([['payload/inner', 'THIS_IS_INSIDE_THE_ZIP.txt', undefined], ['payload', 'real_after.txt', undefined]]);
    expect((await files[1].body.bytes()).toString()).toBe('i am a real rar entry');
  });

  it('unpacks real compressed WinRAR archives (RAR4 "Best", RAR5 solid), the RAR5 one after shrinking its dictionary', async () => {
    const capped = capRar5Window(RAR5_WINRAR_SOLID, 64 * 1024 * 1024);
    expect(capped.ok && !capped.bytes.equals(RAR5_WINRAR_SOLID)).toBe(true);
    const [four, five] = [await unrar(RAR4_WINRAR_BEST), await unrar(RAR5_WINRAR_SOLID)];
    expect(four.map((f) => [f.name, f.size, f.contentType, f.problem])).toEqual([
      ['testfile.jpg', 220, 'image/jpeg', undefined],
      ['testfile.png', 87, 'image/png', undefined],
    ]);
    expect(five.map((f) => f.sha256)).toEqual(four.map((f) => f.sha256));
  });

  it('unpacks ZIPs in RARs and RARs in ZIPs, and keeps what is nested deeper than maxZipDepth', async () => {
    const zip = await buildZip([{ name: 'บัตร.pdf', content: pdf('in zip') }]);
    const innerRar = buildRar5([{ name: 'ทะเบียนบ้าน.pdf', content: pdf('in rar') }]);
    const outer = buildRar4([{ name: `${somchai}/ชุด1.zip`, content: zip }, { name: `${somchai}/ชุด2.rar`, content: innerRar }]);
    expect(listing(await unrar(outer))).toEqual([[`${somchai}/ชุด1`, 'บัตร.pdf', undefined], [`${somchai}/ชุด2`, 'ทะเบียนบ้าน.pdf', undefined]]);
    const rarInZip = await buildZip([{ name: 'x/ชุด.rar', content: innerRar }]);
    expect(listing(await unzipFile(attachment(rarInZip, 'a.zip', 'application/zip'), limits))).toEqual([['x/ชุด', 'ทะเบียนบ้าน.pdf', undefined]]);
    const tooDeep = buildRar4([{ name: 'a.rar', content: buildRar4([{ name: 'b.rar', content: innerRar }]) }]);
    expect(listing(await unrar(tooDeep, { maxZipDepth: 2 }))).toEqual([['a', 'b.rar', 'zip-too-deep']]);
  });

  it('keeps hostile entry paths inside the archive as safe folders', async () => {
    const rar = buildRar5([{ name: '../../../outside.pdf', content: pdf() }, { name: '/abs/path.pdf', content: pdf() }, { name: 'C:/Users/x/win.pdf',
      content: pdf() }]);
    expect(listing(await unrar(rar))).toEqual([['', 'outside.pdf', undefined], ['abs', 'path.pdf', undefined], ['Users/x', 'win.pdf', undefined]]);
  });

  it('knows a RAR by its magic bytes (RAR4 and RAR5), its name or its type; the bytes decide between ZIP and RAR', async () => {
    expect(isRar(buildRar4([]), 'x.bin', 'application/octet-stream')).toBe(true);
    expect(isRar(buildRar5([]), 'x.bin', 'application/octet-stream')).toBe(true);
    expect(isRar(Buffer.from('x'), 'งาน.RAR', 'application/octet-stream')).toBe(true);
    expect(isRar(Buffer.from('x'), 'x', 'application/vnd.rar')).toBe(true);
    expect(isArchive(pdf(), 'scan.pdf', 'application/pdf')).toBe(false);
    const rar = buildRar5([{ name: 'a.pdf', content: pdf() }]);
    expect(listing(await unzipFile(attachment(rar, 'renamed.zip', 'application/zip'), limits))).toEqual([['', 'a.pdf', undefined]]);
    const zip = await buildZip([{ name: 'b.pdf', content: pdf() }]);
    expect(listing(await unrar(zip))).toEqual([['', 'b.pdf', undefined]]);
  });
});

describe('unrar: the same limits as ZIPs, checked on the declared sizes before unpacking', () => {
  const many = (n: number): RarEntrySpec[] => Array.from({ length: n }, (_, i) => ({ name: `${i}.pdf`, content: pdf(String(i)) }));

  it('refuses more entries than maxZipEntries', async () => {
    expect(listing(await unrar(buildRar4(many(6)), { maxZipEntries: 5 }))).toEqual([['', 'ส่งเอกสาร.rar', 'zip-bomb']]);
    expect(await unrar(buildRar4(many(5)), { maxZipEntries: 5 })).toHaveLength(5);
  });

  it('counts entries from the headers before unrar reads them, so 200,000 empty entries are refused at once', async () => {
    expect([countRarEntries(buildRar4(many(7)), 100), countRarEntries(buildRar5(many(7)), 100), countRarEntries(RAR5_ZIP_IN_RAR, 100)]).toEqual([7, 7, 3]);
    const flood = buildRar4(Array.from({ length: 200_000 }, (_, i) => ({ name: String(i) })));
    expect(countRarEntries(flood, 1000)).toBe(1001);
    const started = performance.now();
    expect(listing(await unrar(flood))).toEqual([['', 'ส่งเอกสาร.rar', 'zip-bomb']]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses an archive that declares more than maxZipTotalBytes, without unpacking any entry', async () => {
    const rar = buildRar4([{ name: 'ok.pdf', content: pdf() }, { name: 'scan.pdf', content: pdf(), declaredSize: 400 * 1024 * 1024 }]);
    const files = await unrar(rar);
    expect(listing(files)).toEqual([['', 'ส่งเอกสาร.rar', 'zip-bomb']]);
    expect(files[0].problem?.detail).toMatch(/declares/);
  });

  it('refuses an entry that declares more than maxZipRatio:1, but judges a solid archive as a whole', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x41);
    const entries: RarEntrySpec[] = [{ name: 'big.pdf', content: big }, { name: 'copy.pdf', content: pdf(), declaredSize: 1536 * 1024 }];
    expect(listing(await unrar(buildRar4(entries)))).toEqual([['', 'ส่งเอกสาร.rar', 'zip-bomb']]);
    // Solid: 3.5 MB declared from a 2 MB archive is no bomb; the lying entry is then caught by its actual size.
    expect(listing(await unrar(buildRar4(entries, { solid: true })))).toEqual([['', 'big.pdf', undefined], ['', 'ส่งเอกสาร.rar', 'zip-corrupt']]);
  });

  it('checks the actual size of every entry against its header and keeps the others', async () => {
    const rar = buildRar4([{ name: 'a.pdf', content: pdf('a'), declaredSize: pdf('a').length + 10 }, { name: 'b.pdf', content: pdf('b') }]);
    const files = await unrar(rar);
    expect(listing(files)).toEqual([['', 'b.pdf', undefined], ['', 'ส่งเอกสาร.rar', 'zip-corrupt']]);
    expect(files[1].problem?.detail).toContain('a.pdf');
  });

  it('shrinks a RAR5 dictionary to what the entries need, so a tiny archive cannot grow memory by 1 GB', async () => {
    const rar = buildRar5([{ name: 'a.pdf', content: pdf(), claim: { method: 3, dictionaryBits: 13 } }]);
    const capped = capRar5Window(rar, 64 * 1024 * 1024);
    expect(capped.ok).toBe(true);
    if (!capped.ok) return;
    expect(capped.bytes.equals(rar)).toBe(false);
    expect(await headers(capped.bytes)).toHaveLength(1); // header CRC still right
    const before = process.memoryUsage().rss;
    await unrar(rar);
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
  });

  it('refuses a RAR5 entry that would still need a dictionary over 64 MB, asking in Thai for a plain archive', async () => {
    const rar = buildRar5([{ name: 'a.pdf', content: pdf(), claim: { method: 3, dictionaryBits: 13 }, declaredSize: 100 * 1024 * 1024 }]);
    const [file] = await unrar(rar);
    expect(file.problem?.code).toBe('unsupported-type');
    expect(file.problem?.detail).toMatch(/พจนานุกรม.*ZIP/);
  });
});

describe('unrar: damaged, locked and split archives are values', () => {
  it('keeps the entries around a damaged one and names it on the RAR as zip-corrupt', async () => {
    const middle = Buffer.from('middle entry, damaged in transit');
    const rar = corruptRarData(buildRar4([{ name: 'a.pdf', content: pdf('a') }, { name: 'b.pdf', content: middle }, { name: 'c.pdf', content: pdf('c') }]),
      middle);
    const files = await unrar(rar);
    expect(listing(files)).toEqual([['', 'a.pdf', undefined], ['', 'c.pdf', undefined], ['', 'ส่งเอกสาร.rar', 'zip-corrupt']]);
    expect(files[2].problem?.detail).toMatch(/b\.pdf.*กรุณา/);
  });

  it('reports a truncated archive and a non-RAR named .rar as zip-corrupt', async () => {
    const whole = buildRar5([{ name: 'a.pdf', content: pdf('a') }, { name: 'b.pdf', content: pdf('b') }]);
    expect(listing(await unrar(whole.subarray(0, 40)))).toEqual([['', 'ส่งเอกสาร.rar', 'zip-corrupt']]);
    expect(listing(await unrar(Buffer.from('not a rar at all')))).toEqual([['', 'ส่งเอกสาร.rar', 'zip-corrupt']]);
  });

  it('keeps password-protected entries as zip-encrypted with Thai advice, and unpacks the rest', async () => {
    const files = await unrar(buildRar4([{ name: 'a.pdf', content: pdf('a') }, { name: 'ลับ.pdf', content: pdf('b'), encrypted: true }]));
    expect(listing(files)).toEqual([['', 'a.pdf', undefined], ['', 'ส่งเอกสาร.rar', 'zip-encrypted']]);
    const advice = fileProblemAdvice('zip-encrypted', files[1].problem?.detail, []);
    expect(advice).toMatch(/^ไฟล์ในไฟล์ RAR ตั้งรหัสผ่านไว้ \(ลับ\.pdf\).*กรุณาบีบอัดใหม่โดยไม่ตั้งรหัสผ่าน/);
  });

  it('keeps an archive with encrypted headers as zip-encrypted', async () => {
    const [file] = await unrar(buildRar4([{ name: 'a.pdf', content: pdf() }], { headerEncrypted: true }));
    expect(file.problem?.code).toBe('zip-encrypted');
    expect(file.problem?.detail).toMatch(/รหัสผ่าน/);
  });

  it('asks for one file instead of a multi-volume set (.part1.rar)', async () => {
    for (const rar of [buildRar4([{ name: 'a.pdf', content: pdf() }], { volume: true }), buildRar5([{ name: 'a.pdf', content: pdf() }], { volume: true })]) {
      const files = await unzipFile(attachment(rar, 'เอกสาร.part1.rar'), limits);
      expect(listing(files)).toEqual([['', 'เอกสาร.part1.rar', 'unsupported-type']]);
      expect(files[0].problem?.detail).toMatch(/หลายส่วน.*ไฟล์เดียว/);
    }
  });

  it('unpacks many RARs at once without mixing their entries', async () => {
    const rars = Array.from({ length: 12 },
      (_, i) => (i % 2 ? buildRar4 : buildRar5)([{ name: `${i}/a.pdf`, content: pdf(`a${i}`) }, { name: `${i}/b.pdf`, content: pdf(`b${i}`) }]));
    const results = await Promise.all(rars.map((r) => unrar(r)));
    results.forEach((files, i) =>
      expect(files.map((f) => [f.folders[0], f.sha256])).toEqual([[String(i), sha256(pdf(`a${i}`))], [String(i), sha256(pdf(`b${i}`))]])
    );
  });
});

describe('parse: RAR attachments', () => {
  it('files a .rar of person folders like a ZIP, also when sent as octet-stream without a .rar name', async () => {
    const rar = buildRar4([
      { name: `${SOMCHAI.nationalId} ${somchai}/บัตรประชาชน.pdf`, content: pdf('1') },
      { name: `${SOMSRI.nationalId} ${SOMSRI.firstName}/ทะเบียนบ้าน.pdf`, content: pdf('2'), nameEncoding: 'cp874' },
    ]);
    const raw = E.submission({ attachments: [
      { name: 'เอกสาร สพจ.rar', content: rar, contentType: 'application/x-rar-compressed' },
      { name: 'ชุดที่สอง', content: buildRar5([{ name: 'วุฒิบรรจุ.pdf', content: pdf('3') }]), contentType: 'application/octet-stream' },
    ] });
    const m = await parseMessage(raw, { limits });
    expect(m.problems).toEqual([]);
    expect(m.files.map((f) => [f.folders, f.name, f.origin, f.container])).toEqual([
      [[`${SOMCHAI.nationalId} ${somchai}`], 'บัตรประชาชน.pdf', 'zip', 'เอกสาร สพจ.rar'],
      [[`${SOMSRI.nationalId} ${SOMSRI.firstName}`], 'ทะเบียนบ้าน.pdf', 'zip', 'เอกสาร สพจ.rar'],
      [[], 'วุฒิบรรจุ.pdf', 'zip', 'ชุดที่สอง'],
    ]);
  });
});
