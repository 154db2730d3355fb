import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { parseMessage } from '../../../pipelines/mail/parse.ts';
import type { AppConfig } from '../../../config/schema.ts';
import * as E from '../../helpers/eml.ts';
import { buildZip, corruptZip, zipBomb } from '../../helpers/zip.ts';

const defaults = configSchema.parse({}).limits;
const parse = (raw: Buffer, limits: Partial<AppConfig['limits']> = {}) => parseMessage(raw, { limits: { ...defaults, ...limits } });
const codes = (items: Array<{ code: string }>) => items.map((p) => p.code);
const withZip = (zip: Buffer, name = 'เอกสาร.zip') => E.submission({ attachments: [{ name, content: zip, contentType: 'application/zip' }] });

describe('parse: hostile names never escape a folder', () => {
  const hostile = ['../../etc/passwd', '/etc/shadow', 'C:\\Windows\\system32\\evil.pdf', 'a\u0000b.pdf', 'bad\u0007\u001b.pdf', 'invoice\u202Efdp.exe', '....',
    '..', 'CON', 'nul.pdf', `${'ก'.repeat(400)}.pdf`, '  .pdf  '];
  it('makes every hostile attachment name a safe single segment', async () => {
    const m = await parse(E.submission({ attachments: hostile.map((name) => ({ name, content: E.fakePdf(), style: 'rfc2231' as const })) }));
    expect(m.files).toHaveLength(hostile.length);
    for (const f of m.files) {
      expect(f.name).not.toMatch(/[/\\\u0000-\u001f\u202e]/);
      expect(['', '.', '..']).not.toContain(f.name);
      expect(f.name).not.toMatch(/^(con|nul)(\.|$)/i);
      expect([...f.name].length).toBeLessThanOrEqual(defaults.maxNameLength);
      expect(f.folders).toEqual([]);
    }
    expect(m.files[0].name).toBe('passwd');
    expect(m.files[2].name).toBe('evil.pdf');
    expect(m.files[10].name.endsWith('.pdf')).toBe(true);
  });

  it('keeps hostile ZIP entry paths inside the archive as safe folders', async () => {
    const zip = await buildZip([
      { name: '../../../outside.pdf', content: E.fakePdf() },
      { name: '/abs/path.pdf', content: E.fakePdf() },
      { name: 'C:\\Users\\x\\win.pdf', content: E.fakePdf() },
      { name: 'ok/./../../dots.pdf', content: E.fakePdf() },
    ]);
    const m = await parse(withZip(zip));
    expect(m.files.map((f) => [f.folders, f.name])).toEqual([
      [[], 'outside.pdf'],
      [['abs'], 'path.pdf'],
      [['Users', 'x'], 'win.pdf'],
      [['ok'], 'dots.pdf'],
    ]);
  });
});

describe('parse: damaged and unusual messages are values, never exceptions', () => {
  it('reports a boundary that is never closed as corrupt MIME and keeps what was readable', async () => {
    const raw = E.message({ body: E.multipart('mixed', [E.textPart('สวัสดี'), E.attachment({ name: 'a.pdf', content: E.fakePdf() })], { unterminated: true }) });
    const m = await parse(raw);
    expect(codes(m.problems)).toContain('corrupt-mime');
    expect(m.files.map((f) => f.name)).toEqual(['a.pdf']);
  });

  it('reports a message cut off in the middle of an attachment', async () => {
    const full = E.submission({ attachments: [{ name: 'a.pdf', content: randomBytes(3000) }] });
    const m = await parse(full.subarray(0, full.length - 1500));
    expect(codes(m.problems)).toContain('corrupt-mime');
  });

  it('survives garbage bytes', async () => {
    // A leading NUL: random bytes that happen to start like "Ab3:" (about 1 in 450) would look like a header field.
    const m = await parse(Buffer.concat([Buffer.from([0]), randomBytes(19_999)]));
    expect(codes(m.problems)).toEqual(expect.arrayContaining(['corrupt-mime', 'no-attachments']));
    expect(m.messageId).toMatch(/@seis-intake\.invalid$/);
  });

  it('survives an empty input and a multipart without a boundary', async () => {
    expect(codes((await parse(Buffer.alloc(0))).problems)).toContain('no-attachments');
    const m = await parse(Buffer.from('Subject: x\r\nContent-Type: multipart/mixed\r\n\r\nhello'));
    expect(codes(m.problems)).toContain('corrupt-mime');
  });

  it('says no-attachments for a message with only text', async () => {
    const m = await parse(E.submission({ text: 'ลืมแนบไฟล์ครับ' }));
    expect(codes(m.problems)).toEqual(['no-attachments']);
    expect(m.text).toBe('ลืมแนบไฟล์ครับ');
  });

  it('leaves out signature parts and keeps a PDF even when it sits inline in multipart/related', async () => {
    const raw = E.message({ body: E.multipart('mixed', [
      E.multipart('related', [
        E.htmlPart('<p>ดูไฟล์</p><img src="cid:logo@x"><a href="cid:doc@x">doc</a>'),
        E.attachment({ name: 'logo.png', contentType: 'image/png', content: randomBytes(100), disposition: 'inline', contentId: 'logo@x' }),
        E.attachment({ name: 'doc.pdf', content: E.fakePdf(), disposition: 'inline', contentId: 'doc@x' }),
      ]),
      E.attachment({ name: 'smime.p7s', contentType: 'application/pkcs7-signature', content: randomBytes(50) }),
      E.attachment({ name: 'photo.jpg', contentType: 'image/jpeg', content: randomBytes(100), disposition: 'inline' }),
    ]) });
    const m = await parse(raw);
    expect(m.files.map((f) => f.name)).toEqual(['doc.pdf', 'photo.jpg']);
  });

  it('keeps a large photo pasted into the HTML body, so the sender can be told it must be a PDF', async () => {
    const raw = E.message({ body: E.multipart('related', [
      E.htmlPart('<p>บัตรประชาชนครับ</p><img src="cid:card@x"><img src="cid:logo@x">'),
      E.attachment({ name: 'image001.jpg', contentType: 'image/jpeg', content: randomBytes(300 * 1024), disposition: 'inline', contentId: 'card@x' }),
      E.attachment({ name: 'image002.png', contentType: 'image/png', content: randomBytes(4 * 1024), disposition: 'inline', contentId: 'logo@x' }),
    ]) });
    const m = await parse(raw);
    expect(m.files.map((f) => f.name)).toEqual(['image001.jpg']);
  });

  it('keeps a forwarded message nested too deep as one unsupported file', async () => {
    let raw = E.submission({ attachments: [{ name: 'deep.pdf', content: E.fakePdf() }] });
    for (let i = 0; i < 4; i++) raw = E.message({ body: E.multipart('mixed', [E.textPart(`level ${i}`), E.forwardedPart(raw, `fw${i}.eml`)]) });
    const m = await parse(raw);
    expect(m.files.map((f) => [f.name, f.problem?.code])).toEqual([['fw0.eml', 'unsupported-type']]);
    expect(m.text).toContain('level 1');
  });
});

describe('parse: limits', () => {
  it('keeps a file over maxFileBytes with file-too-large, its real size and hash, without its content', async () => {
    const big = randomBytes(5000);
    const m = await parse(E.submission({ attachments: [{ name: 'big.pdf', content: big }] }), { maxFileBytes: 4000 });
    expect(m.files.map((f) => [f.name, f.size, f.body.size, f.problem?.code])).toEqual([['big.pdf', 5000, 0, 'file-too-large']]);
  });

  it('keeps the first maxFilesPerMessage files and reports the rest as dropped', async () => {
    const attachments = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.pdf`, content: E.fakePdf(String(i)) }));
    const m = await parse(E.submission({ attachments }), { maxFilesPerMessage: 3 });
    expect(m.files.map((f) => f.name)).toEqual(['f0.pdf', 'f1.pdf', 'f2.pdf']);
    expect(m.problems).toEqual([expect.objectContaining({ code: 'too-many-files', detail: expect.stringMatching(/5 files/) })]);
  });

  it('still reads the headers of a message over maxMessageBytes so it can be answered', async () => {
    const m = await parse(E.submission({ subject: 'ส่งเอกสาร', messageId: 'huge@example.test', attachments: [{ name: 'a.pdf', content: randomBytes(8000) }] }), {
      maxMessageBytes: 4000,
    });
    expect(codes(m.problems)).toEqual(['message-too-large']);
    expect(m.subject).toBe('ส่งเอกสาร');
    expect(m.messageId).toBe('huge@example.test');
    expect(m.from?.address).toBe('somchai.test@example.test');
    expect(m.files).toEqual([]);
  });

  it('counts files unpacked from ZIPs towards maxFilesPerMessage', async () => {
    const zip = await buildZip(Array.from({ length: 4 }, (_, i) => ({ name: `z${i}.pdf`, content: E.fakePdf(String(i)) })));
    const m = await parse(withZip(zip), { maxFilesPerMessage: 2 });
    expect(m.files).toHaveLength(2);
    expect(codes(m.problems)).toEqual(['too-many-files']);
  });
});

describe('parse: ZIP attachments', () => {
  it('unpacks a UTF-8 ZIP and a nested ZIP as a folder', async () => {
    const inner = await buildZip([{ name: 'ทะเบียนบ้าน.pdf', content: E.fakePdf('inner') }]);
    const zip = await buildZip([{ name: 'บัตรประชาชน.pdf', content: E.fakePdf() }, { name: 'สมศรี/ชุดที่สอง.zip', content: inner }]);
    const m = await parse(withZip(zip));
    expect(m.files.map((f) => [f.folders, f.name, f.origin])).toEqual([
      [[], 'บัตรประชาชน.pdf', 'zip'],
      [['สมศรี', 'ชุดที่สอง'], 'ทะเบียนบ้าน.pdf', 'zip'],
    ]);
  });

  it('recognises a ZIP by its magic bytes whatever its name and type', async () => {
    const zip = await buildZip([{ name: 'a.pdf', content: E.fakePdf() }]);
    const m = await parse(E.submission({ attachments: [{ name: 'documents.dat', content: zip, contentType: 'application/octet-stream' }] }));
    expect(m.files.map((f) => [f.name, f.origin])).toEqual([['a.pdf', 'zip']]);
  });

  it('does not unpack a Word document although it is a ZIP inside', async () => {
    const docx = await buildZip([{ name: 'word/document.xml', content: '<w:document/>' }]);
    const m = await parse(
      E.submission({
        attachments: [{ name: 'บัตร.docx', content: docx, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }],
      }),
    );
    expect(m.files.map((f) => [f.name, f.origin])).toEqual([['บัตร.docx', 'attachment']]);
  });

  it('refuses a ZIP bomb (200 MB of zeros) by counting inflated bytes, keeping the ZIP with zip-bomb', async () => {
    const bomb = await zipBomb();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const m = await parse(withZip(bomb, 'bomb.zip'));
    expect(m.files.map((f) => [f.name, f.problem?.code, f.size])).toEqual([['bomb.zip', 'zip-bomb', bomb.length]]);
  });

  it('refuses a ZIP whose total expansion passes maxZipTotalBytes even at a harmless ratio', async () => {
    const zip = await buildZip([{ name: 'a.pdf', content: randomBytes(3000) }, { name: 'b.pdf', content: randomBytes(3000) }]);
    const m = await parse(withZip(zip), { maxZipTotalBytes: 5000 });
    expect(m.files.map((f) => f.problem?.code)).toEqual(['zip-bomb']);
  });

  it('refuses a ZIP with more than maxZipEntries entries', async () => {
    const zip = await buildZip(Array.from({ length: 6 }, (_, i) => ({ name: `${i}.pdf`, content: E.fakePdf() })));
    const m = await parse(withZip(zip), { maxZipEntries: 5 });
    expect(m.files.map((f) => f.problem?.code)).toEqual(['zip-bomb']);
  });

  it('keeps a password-protected entry as a problem on the ZIP and unpacks the rest', async () => {
    const zip = await buildZip([{ name: 'open.pdf', content: E.fakePdf() }, { name: 'secret.pdf', content: E.fakePdf(), encrypted: true }]);
    const m = await parse(withZip(zip));
    expect(m.files.map((f) => [f.name, f.problem?.code])).toEqual([['open.pdf', undefined], ['เอกสาร.zip', 'zip-encrypted']]);
    expect(m.files[1].problem?.detail).toContain('secret.pdf');
  });

  it('keeps a corrupt ZIP with zip-corrupt: truncated archive and garbled entry data', async () => {
    const zip = await buildZip([{ name: 'a.pdf', content: E.fakePdf() }, { name: 'b.pdf', content: E.fakePdf('b') }]);
    const truncated = await parse(withZip(corruptZip(zip, 'truncate')));
    expect(truncated.files.map((f) => [f.name, f.problem?.code])).toEqual([['เอกสาร.zip', 'zip-corrupt']]);
    const garbled = await parse(withZip(corruptZip(zip, 'data')));
    expect(garbled.files.map((f) => [f.name, f.problem?.code])).toEqual([['b.pdf', undefined], ['เอกสาร.zip', 'zip-corrupt']]);
  });

  it('keeps a ZIP nested deeper than maxZipDepth with zip-too-deep', async () => {
    let zip = await buildZip([{ name: 'deep.pdf', content: E.fakePdf() }]);
    zip = await buildZip([{ name: 'l2.zip', content: zip }]);
    zip = await buildZip([{ name: 'l1.zip', content: zip }]);
    const m = await parse(withZip(zip), { maxZipDepth: 2 });
    expect(m.files.map((f) => [f.folders, f.name, f.problem?.code])).toEqual([[['l1'], 'l2.zip', 'zip-too-deep']]);
  });

  it('keeps an entry over maxFileBytes with file-too-large and its real size', async () => {
    const zip = await buildZip([{ name: 'big.pdf', content: randomBytes(6000) }, { name: 'ok.pdf', content: E.fakePdf() }]);
    const m = await parse(withZip(zip), { maxFileBytes: 5000 });
    expect(m.files.map((f) => [f.name, f.size, f.problem?.code])).toEqual([['big.pdf', 6000, 'file-too-large'], ['ok.pdf', E.fakePdf().length, undefined]]);
  });
});
