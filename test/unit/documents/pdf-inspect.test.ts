import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { bufferSource, inspectPdf, type RandomAccessSource } from '../../../pipelines/documents/index.ts';
import { validateFile } from '../../../pipelines/documents/validate.ts';
import { ENCRYPTED_PAGES, OWNER_ONLY_PDFS, PASSWORD_PDFS, asExtracted, encryptedPdf, makePdf, truncatedPdf, zeroPagePdf } from '../../helpers/pdf.ts';
import { linearizedPdf, mendedLinearizedPdf, noStartxrefPdf, oddTreePdf, padded, pdfWithAddedPage, scanLikePdf, shiftedXrefPdf,
  withIndirectLength } from '../../helpers/pdf-variants.ts';

/** A source over the bytes that counts what the check asks for. */
function counting(bytes: Buffer): RandomAccessSource & { requested: number; reads: number } {
  const source = {
    size: bytes.length,
    requested: 0,
    reads: 0,
    read: (offset: number, length: number) => {
      source.reads++;
      source.requested += length;
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
  return source;
}

/** Today's answer for an unencrypted PDF: pdf-lib loads every object, then walks the page tree. */
async function pdfLibPages(bytes: Buffer): Promise<number> {
  const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
  return doc.getPageCount();
}

describe('inspectPdf: reads a large scan by ranges', () => {
  it('counts the 40 pages of a 20 MB scan reading about 1% of its bytes', async () => {
    const pdf = await scanLikePdf(40, 500_000);
    expect(pdf.length).toBeGreaterThan(20_000_000);
    const source = counting(pdf);
    expect(await inspectPdf(source)).toEqual({ ok: true, pages: 40, encrypted: false, read: 'ranges' });
    expect(source.requested).toBeLessThan(pdf.length * 0.02);
  }, 60_000);

  it('does the same when the page dictionaries sit in object streams', async () => {
    const pdf = await scanLikePdf(12, 400_000, { objectStreams: true });
    const source = counting(pdf);
    expect(await inspectPdf(source)).toEqual({ ok: true, pages: 12, encrypted: false, read: 'ranges' });
    expect(source.requested).toBeLessThan(pdf.length * 0.02);
  }, 60_000);

  it('reads a scan whose image streams take /Length from an object by ranges too', async () => {
    const pdf = withIndirectLength(await scanLikePdf(6, 1_000_000), 1_000_000);
    const source = counting(pdf);
    expect(await inspectPdf(source)).toEqual({ ok: true, pages: 6, encrypted: false, read: 'ranges' });
    expect(source.requested).toBeLessThan(pdf.length * 0.02);
  }, 60_000);

  it('reads only the tail of a truncated PDF', async () => {
    const source = counting(await truncatedPdf());
    expect(await inspectPdf(source)).toMatchObject({ ok: false, reason: 'truncated' });
    expect(source.requested).toBeLessThanOrEqual(1030);
  });
});

describe('inspectPdf: the page count pdf-lib gave, without loading the file', () => {
  it.each([
    ['an incremental update that adds a page (xref table)', () => pdfWithAddedPage(), 3],
    ['an incremental update whose xref is a stream with PNG predictors', () => pdfWithAddedPage({ xrefStream: true }), 3],
    ['a hybrid-reference update (a table, and /XRefStm for what it marks free)', () => pdfWithAddedPage({ hybrid: true }), 3],
    ['compressed object streams and an xref stream (PDF 1.5)', () => makePdf(5, { objectStreams: true }), 5],
    ['a linearized file (first-page xref at the start, /Prev to the main one)', () => Promise.resolve(mendedLinearizedPdf()), 3],
    ['junk before the %PDF- header (offsets count from the header)', async () => Buffer.concat([Buffer.from('\r\n'.repeat(400)), await makePdf(2)]), 2],
    ['a /Count lower than the pages (the leaves count, not /Count)', () => oddTreePdf('count-low'), 3],
    ['a /Count higher than the pages', () => oddTreePdf('count-high'), 3],
    ['a kid without /Type (pdf-lib does not count it)', () => oddTreePdf('untyped-kid'), 3],
    ['a subtree listed twice (pdf-lib counts it twice)', () => oddTreePdf('shared-subtree'), 4],
  ])('%s', async (_what, make, pages) => {
    const pdf = await make();
    expect(await pdfLibPages(pdf)).toBe(pages);
    expect(await inspectPdf(bufferSource(pdf))).toEqual({ ok: true, pages, encrypted: false, read: 'ranges' });
  });

  it('calls a page tree that contains itself pageless (pdf-lib overflowed its stack on it)', async () => {
    expect(await inspectPdf(bufferSource(await oddTreePdf('cycle')))).toEqual({ ok: false, reason: 'no-pages', read: 'ranges' });
  });

  it('calls a PDF with an empty page tree pageless', async () => {
    expect(await inspectPdf(bufferSource(await zeroPagePdf()))).toEqual({ ok: false, reason: 'no-pages', read: 'ranges' });
  });
});

describe('inspectPdf: what the xref data does not explain is read whole, as before', () => {
  it.each([
    ['xref offsets that miss their objects', shiftedXrefPdf, { ok: true, pages: 2, encrypted: false }],
    ['no startxref', noStartxrefPdf, { ok: true, pages: 2, encrypted: false }],
    ['a /Root without /Type /Catalog', () => oddTreePdf('untyped-root'), { ok: false, reason: 'no-pages' }],
  ])('%s', async (_what, make, expected) => {
    expect(await inspectPdf(bufferSource(await make()))).toEqual({ ...expected, read: 'whole' });
  });

  it('keeps rejecting a damaged object that pdf-lib cannot read past, though the xref would find the pages', async () => {
    // Ghostscript's linearizer cut the Info dictionary short: pdf-lib's in-order parse swallows the page tree.
    const pdf = linearizedPdf();
    await expect(pdfLibPages(pdf)).rejects.toThrow();
    expect(await inspectPdf(bufferSource(pdf))).toEqual({ ok: false, reason: 'no-pages', read: 'whole' });
    expect((await validateFile(asExtracted('a.pdf', pdf), { images: 'reject' })).validation).toMatchObject({ ok: false, code: 'corrupt-pdf' });
  });
});

describe('inspectPdf: encrypted PDFs through pdf.js range loading', () => {
  it.each(PASSWORD_PDFS)('%s needs a password', async (name) => {
    expect(await inspectPdf(bufferSource(encryptedPdf(name)))).toEqual({ ok: false, reason: 'password', read: 'ranges' });
  });

  it.each(OWNER_ONLY_PDFS)('%s opens without one and counts its pages', async (name) => {
    expect(await inspectPdf(bufferSource(encryptedPdf(name)))).toEqual({ ok: true, pages: ENCRYPTED_PAGES, encrypted: true, read: 'ranges' });
  });

  it.each([['aes256-owner', true], ['aes256-user', false]] as const)(
    'asks pdf.js only for the ranges it needs of a larger %s file',
    async (name, opens) => {
      const pdf = padded(encryptedPdf(name), 300_000);
      const source = counting(pdf);
      expect(await inspectPdf(source)).toMatchObject(opens ? { ok: true, pages: ENCRYPTED_PAGES } : { ok: false, reason: 'password' });
      expect(source.requested).toBeLessThan(pdf.length * 0.5);
    },
  );
});

describe('inspectPdf: reading errors', () => {
  it('passes a failed read on instead of calling the file corrupt', async () => {
    const pdf = await makePdf(2);
    const failing: RandomAccessSource = {
      size: pdf.length,
      read: (offset, length) => (offset > 0 && offset + length < pdf.length - 1030
        ? Promise.reject(Object.assign(new Error('disk gone'), { code: 'EIO' }))
        : Promise.resolve(pdf.subarray(offset, offset + length))),
    };
    await expect(inspectPdf(failing)).rejects.toThrow('disk gone');
  });

  it('passes a failed read on from pdf.js range loading too', async () => {
    const pdf = padded(encryptedPdf('aes256-owner'), 300_000);
    const failing: RandomAccessSource = {
      size: pdf.length,
      // pdf.js asks for whole 64 KiB chunks past the first; the structure reads before it never start on one.
      read: (offset, length) => (offset > 0 && offset % 65536 === 0
        ? Promise.reject(new Error('disk gone'))
        : Promise.resolve(pdf.subarray(offset, offset + length))),
    };
    await expect(inspectPdf(failing)).rejects.toThrow('disk gone');
  });
});
