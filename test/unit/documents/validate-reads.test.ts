import { describe, expect, it } from 'vitest';
import { memoryBody, type FileBody } from '../../../pipelines/body.ts';
import { READ_WHOLE_PDF_BYTES, validateFile } from '../../../pipelines/documents/validate.ts';
import { asExtracted, makePdf } from '../../helpers/pdf.ts';
import { scanLikePdf } from '../../helpers/pdf-variants.ts';

/** A body over `bytes` that counts how it is read, and refuses one of the two ways. */
function watched(bytes: Buffer, refuse: 'read' | 'bytes'): FileBody & { wholeReads: number; rangedReads: number } {
  const inner = memoryBody(bytes);
  const body = {
    ...inner,
    sha256: inner.sha256,
    wholeReads: 0,
    rangedReads: 0,
    bytes: () => {
      body.wholeReads++;
      return refuse === 'bytes' ? Promise.reject(new Error('read whole')) : inner.bytes();
    },
    read: (offset: number, length: number) => {
      body.rangedReads++;
      return refuse === 'read' ? Promise.reject(new Error('read by range')) : inner.read(offset, length);
    },
  };
  return body;
}

describe('validateFile: how a PDF is read', () => {
  it('reads a small PDF once, whole, and checks it in memory', async () => {
    const pdf = await makePdf(3);
    expect(pdf.length).toBeLessThanOrEqual(READ_WHOLE_PDF_BYTES);
    const body = watched(pdf, 'read');
    expect((await validateFile({ ...asExtracted('a.pdf', pdf), body }, { images: 'reject' })).validation).toEqual({ ok: true, pages: 3 });
    expect([body.wholeReads, body.rangedReads]).toEqual([1, 0]);
  });

  it('reads a large scan by ranges, never whole', async () => {
    const pdf = await scanLikePdf(3, 500_000);
    expect(pdf.length).toBeGreaterThan(READ_WHOLE_PDF_BYTES);
    const body = watched(pdf, 'bytes');
    expect((await validateFile({ ...asExtracted('a.pdf', pdf), body }, { images: 'reject' })).validation).toEqual({ ok: true, pages: 3 });
    expect(body.wholeReads).toBe(0);
    expect(body.rangedReads).toBeGreaterThan(3);
  });

  it('passes a failed whole read on instead of calling the file corrupt', async () => {
    const pdf = await makePdf(1);
    const body = watched(pdf, 'bytes');
    await expect(validateFile({ ...asExtracted('a.pdf', pdf), body }, { images: 'reject' })).rejects.toThrow('read whole');
  });
});
