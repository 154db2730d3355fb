import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { validateFile } from '../../../pipelines/documents/validate.ts';
import { ENCRYPTED_PAGES, HTML_PAGE, OWNER_ONLY_PDFS, PASSWORD_PDFS, TINY_JPEG, TINY_JPEG_SIZE, asExtracted, encryptedPdf, garbledPdf, makeDocx, makeHeicHead,
  makePdf, makePng, makeTiff, truncatedPdf, zeroPagePdf } from '../../helpers/pdf.ts';

const reject = { images: 'reject' as const };
const convert = { images: 'convert' as const };

describe('validateFile: real PDFs', () => {
  it('accepts a PDF and records its page count', async () => {
    const { validation, pdf } = await validateFile(asExtracted('บัตรประชาชน.pdf', await makePdf(3)), reject);
    expect(validation).toEqual({ ok: true, pages: 3 });
    expect(pdf).toBeUndefined();
  });

  it('reads PDFs whose objects sit in compressed object streams', async () => {
    const { validation } = await validateFile(asExtracted('a.pdf', await makePdf(5, { objectStreams: true })), reject);
    expect(validation).toEqual({ ok: true, pages: 5 });
  });

  it('lets the bytes decide, not the name: a PDF called scan.jpg counts', async () => {
    const { validation } = await validateFile(asExtracted('scan.jpg', await makePdf(2), 'image/jpeg'), reject);
    expect(validation).toEqual({ ok: true, pages: 2 });
  });

  it('accepts junk before the %PDF- header within 1024 bytes, as readers do', async () => {
    const bytes = Buffer.concat([Buffer.from('\r\n'.repeat(400)), await makePdf(2)]);
    expect((await validateFile(asExtracted('a.pdf', bytes), reject)).validation).toEqual({ ok: true, pages: 2 });
  });

  it('calls a .pdf with its header past 1024 bytes of junk a fake', async () => {
    const bytes = Buffer.concat([Buffer.alloc(2000, 0x41), await makePdf(2)]);
    expect((await validateFile(asExtracted('a.pdf', bytes), reject)).validation).toMatchObject({ ok: false, code: 'fake-pdf' });
  });
});

describe('validateFile: encrypted PDFs', () => {
  it.each(PASSWORD_PDFS)('pdf-lib refuses %s unless told to ignore encryption', async (name) => {
    // pdf-lib is compiled to ES5: its EncryptedPDFError is not instanceof-checkable, only the message tells.
    await expect(PDFDocument.load(encryptedPdf(name))).rejects.toThrow(/is encrypted/);
  });

  it.each(PASSWORD_PDFS)('rejects %s, which needs a password to open', async (name) => {
    const { validation } = await validateFile(asExtracted(`${name}.pdf`, encryptedPdf(name)), reject);
    expect(validation).toMatchObject({ ok: false, code: 'encrypted-pdf' });
    expect(validation.ok === false && validation.detail).toContain('รหัสผ่าน');
  });

  it.each(OWNER_ONLY_PDFS)('accepts %s: permissions only, opens without a password', async (name) => {
    await expect(PDFDocument.load(encryptedPdf(name))).rejects.toThrow(/is encrypted/);
    const { validation } = await validateFile(asExtracted(`${name}.pdf`, encryptedPdf(name)), reject);
    expect(validation).toEqual({ ok: true, pages: ENCRYPTED_PAGES });
  });
});

describe('validateFile: broken and fake files', () => {
  it('rejects an empty file', async () => {
    expect((await validateFile(asExtracted('a.pdf', Buffer.alloc(0)), reject)).validation)
      .toMatchObject({ ok: false, code: 'empty-file' });
  });

  it('rejects a truncated PDF (download cut short) as corrupt', async () => {
    const { validation } = await validateFile(asExtracted('a.pdf', await truncatedPdf()), reject);
    expect(validation).toMatchObject({ ok: false, code: 'corrupt-pdf' });
  });

  it('rejects a PDF whose body is noise as corrupt', async () => {
    expect((await validateFile(asExtracted('a.pdf', garbledPdf()), reject)).validation)
      .toMatchObject({ ok: false, code: 'corrupt-pdf' });
  });

  it('rejects a PDF without pages as corrupt', async () => {
    expect((await validateFile(asExtracted('a.pdf', await zeroPagePdf()), reject)).validation)
      .toMatchObject({ ok: false, code: 'corrupt-pdf' });
  });

  it.each([
    ['a JPEG', TINY_JPEG, 'JPG'],
    ['a web page', HTML_PAGE, 'HTML'],
  ])('calls %s renamed to .pdf a fake PDF and says what it really is', async (_what, bytes, shown) => {
    const { validation } = await validateFile(asExtracted('บัตรประชาชน.pdf', bytes, 'application/pdf'), reject);
    expect(validation).toMatchObject({ ok: false, code: 'fake-pdf' });
    expect(validation.ok === false && validation.detail).toContain(shown);
  });

  it('calls a Word document renamed to .pdf a fake PDF', async () => {
    const { validation } = await validateFile(asExtracted('ทะเบียนบ้าน.PDF', await makeDocx()), reject);
    expect(validation).toMatchObject({ ok: false, code: 'fake-pdf' });
    expect(validation.ok === false && validation.detail).toContain('Word');
  });

  it('refuses a Word document as an unsupported type', async () => {
    const { validation } = await validateFile(asExtracted('ทะเบียนบ้าน.docx', await makeDocx()), reject);
    expect(validation).toMatchObject({ ok: false, code: 'unsupported-type' });
  });

  it('refuses a web page and a program as unsupported types', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]);
    for (const [name, bytes] of [['page.html', HTML_PAGE], ['setup.exe', exe]] as const) {
      expect((await validateFile(asExtracted(name, bytes), reject)).validation).toMatchObject({ ok: false, code: 'unsupported-type' });
    }
  });

  it('passes through a problem found upstream (a ZIP bomb) untouched', async () => {
    const file = { ...asExtracted('a.pdf', await makePdf(1)), problem: { code: 'zip-bomb' as const, detail: 'x' } };
    expect((await validateFile(file, reject)).validation).toEqual({ ok: false, code: 'zip-bomb', detail: 'x' });
  });
});

describe('validateFile: image scans', () => {
  it.each([
    ['scan.jpg', TINY_JPEG, 'JPG'],
    ['scan.png', makePng(), 'PNG'],
    ['scan.tif', makeTiff(), 'TIFF'],
    ['IMG_0001.HEIC', makeHeicHead(), 'HEIC'],
  ])('refuses %s by default and asks for a PDF scan', async (name, bytes, shown) => {
    const { validation, pdf } = await validateFile(asExtracted(name, bytes), reject);
    expect(validation).toMatchObject({ ok: false, code: 'image-not-pdf' });
    expect(validation.ok === false && validation.detail).toContain(shown);
    expect(validation.ok === false && validation.detail).toContain('PDF');
    expect(pdf).toBeUndefined();
  });

  it('converts a JPEG into a one-page PDF sized to the image when asked to', async () => {
    const { validation, pdf } = await validateFile(asExtracted('scan.jpg', TINY_JPEG), convert);
    expect(validation).toEqual({ ok: true, pages: 1, converted: 'image' });
    const doc = await PDFDocument.load(pdf!);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getPage(0).getSize()).toEqual(TINY_JPEG_SIZE);
  });

  it('converts a PNG too, and the result validates as a PDF', async () => {
    const { validation, pdf } = await validateFile(asExtracted('scan.png', makePng(30, 20)), convert);
    expect(validation).toEqual({ ok: true, pages: 1, converted: 'image' });
    expect((await PDFDocument.load(pdf!)).getPage(0).getSize()).toEqual({ width: 30, height: 20 });
    expect((await validateFile(asExtracted('scan.pdf', pdf!), reject)).validation).toEqual({ ok: true, pages: 1 });
  });

  it('converts a JPEG that was renamed to .pdf when conversion is on', async () => {
    const { validation } = await validateFile(asExtracted('scan.pdf', TINY_JPEG), convert);
    expect(validation).toEqual({ ok: true, pages: 1, converted: 'image' });
  });

  it('cannot convert TIFF or HEIC and still asks for a PDF', async () => {
    for (const bytes of [makeTiff(), makeHeicHead()]) {
      expect((await validateFile(asExtracted('x', bytes), convert)).validation).toMatchObject({ ok: false, code: 'image-not-pdf' });
    }
  });

  it('reports a broken JPEG it cannot convert', async () => {
    const broken = TINY_JPEG.subarray(0, 40);
    expect((await validateFile(asExtracted('scan.jpg', broken), convert)).validation)
      .toMatchObject({ ok: false, code: 'image-not-pdf' });
  });
});
