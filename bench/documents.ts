// File bytes for the benchmark mailbox: PDFs whose size is real (pages carry incompressible "scan" images,
// so neither base64 nor ZIP shrinks them), ZIPs of folders, and the broken files officers really send.
// Deterministic for a seed (AES-CTR keystream as the noise source); nothing here is a valid image decoder input.
import { createCipheriv, createHash } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { ZipFile } from 'yazl';
import { JPEG_HEAD } from '../test/helpers/streamed-mail.ts';

/** Deterministic noise: the AES-128-CTR keystream of a label. Fast (GB/s) and never compressible. */
export function noise(label: string, size: number): Buffer {
  const key = createHash('sha256').update(label).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  return cipher.update(Buffer.alloc(size));
}

/** A seeded PRNG (xorshift32 behind a murmur3 finaliser, so nearby seeds diverge) for sizes, kinds, names. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
  s = (s ^ (s >>> 16)) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

/**
 * What a scanner's JPEG looks like to pdf-lib: SOI, an SOF0 header with the page size in pixels (the streamed
 * test mail's, 3504 × 2480), then entropy-coded data (noise here). pdf-lib only reads the SOF header; nothing
 * in the pipeline decodes it.
 */
function fakeScanJpeg(label: string, size: number): Uint8Array {
  const out = new Uint8Array(Math.max(size, JPEG_HEAD.length + 2)); // own ArrayBuffer: pdf-lib reads imageData.buffer
  out.set(JPEG_HEAD, 0);
  out.set(noise(label, out.length - JPEG_HEAD.length - 2), JPEG_HEAD.length);
  out.set([0xff, 0xd9], out.length - 2); // EOI
  return out;
}

/** A scanned document of about `bytes` bytes over `pages` pages (A4, one full-page image each). */
export async function scanPdf(label: string, bytes: number, pages = 1): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setProducer('seis-intake bench');
  doc.setCreationDate(new Date('2023-09-01T00:00:00Z'));
  doc.setModificationDate(new Date('2023-09-01T00:00:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const perPage = Math.max(1024, Math.floor((bytes - 1500 - pages * 400) / pages));
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    const image = await doc.embedJpg(fakeScanJpeg(`${label}#${i}`, perPage));
    page.drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
    page.drawText(`scan ${i + 1}/${pages}`, { x: 20, y: 20, size: 8, font });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

export async function zipOf(entries: Array<{ name: string; content: Buffer }>): Promise<Buffer> {
  const file = new ZipFile();
  // Scans do not compress: store them, as most ZIP tools end up doing for JPEG-heavy PDFs.
  for (const e of entries) file.addBuffer(e.content, e.name, { compress: false, mtime: new Date('2023-09-01T00:00:00Z') });
  file.end();
  const chunks: Buffer[] = [];
  for await (const chunk of file.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** What a portal hands out when the session expired, saved with a .pdf name. */
export function htmlAsPdf(): Buffer {
  return Buffer.from('<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8"><title>เข้าสู่ระบบ</title></head>'
    + '<body><p>กรุณาเข้าสู่ระบบใหม่</p></body></html>\n');
}

/** A download cut short: the first 60 % of a real PDF (no xref, no %%EOF). */
export function truncated(pdf: Buffer): Buffer {
  return pdf.subarray(0, Math.floor(pdf.length * 0.6));
}

/** A phone photo sent instead of a PDF: a JPEG header and noise (refused unless IMAGE_SCANS=convert). */
export function phonePhoto(label: string, bytes: number): Buffer {
  return Buffer.from(fakeScanJpeg(label, bytes));
}
