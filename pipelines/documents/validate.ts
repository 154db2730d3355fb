// Decides whether one extracted file counts as a document: a real PDF that opens, with its page count.
// The bytes decide (magic numbers + the PDF's structure, pdf-inspect.ts), never the name. It does not classify or file anything;
// a file that does not count is kept by the caller with the code and a Thai detail returned here.
import { PDFDocument } from 'pdf-lib';
import { HEADER_WINDOW, inspectPdf, type PdfInspection } from './pdf-inspect.ts';
import { bufferSource, type RandomAccessSource } from './pdf-source.ts';
import type { ExtractedFile, FileProblemCode, Validation } from '../types.ts';

type Sniffed =
  | { kind: 'pdf'; offset: number }
  | { kind: 'image'; format: 'jpeg' | 'png' | 'tiff' | 'heic' | 'gif' | 'bmp' | 'webp' }
  | { kind: 'other'; thai: string; todo?: string };

const IMAGE_THAI: Record<string, string> = {
  jpeg: 'รูปภาพ JPG',
  png: 'รูปภาพ PNG',
  tiff: 'รูปภาพ TIFF',
  heic: 'รูปภาพ HEIC (iPhone)',
  gif: 'รูปภาพ GIF',
  bmp: 'รูปภาพ BMP',
  webp: 'รูปภาพ WebP',
};

function startsWith(bytes: Buffer, hex: string, at = 0): boolean {
  const sig = Buffer.from(hex, 'hex');
  return bytes.length >= at + sig.length && bytes.subarray(at, at + sig.length).equals(sig);
}

/** What the bytes are, from their magic numbers (first bytes), whatever the file is called. */
export function sniff(bytes: Buffer): Sniffed {
  const head = bytes.subarray(0, HEADER_WINDOW + 5);
  const pdfAt = head.indexOf('%PDF-');
  if (pdfAt >= 0) return { kind: 'pdf', offset: pdfAt };
  if (startsWith(bytes, 'ffd8ff')) return { kind: 'image', format: 'jpeg' };
  if (startsWith(bytes, '89504e470d0a1a0a')) return { kind: 'image', format: 'png' };
  if (startsWith(bytes, '49492a00') || startsWith(bytes, '4d4d002a')) return { kind: 'image', format: 'tiff' };
  if (startsWith(bytes, '474946383')) return { kind: 'image', format: 'gif' };
  if (startsWith(bytes, '424d') && bytes.length > 26) return { kind: 'image', format: 'bmp' };
  if (startsWith(bytes, '52494646') && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return { kind: 'image', format: 'webp' };
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') {
    const brand = bytes.subarray(8, 12).toString('latin1');
    if (/^(heic|heix|hevc|hevx|heim|heis|mif1|msf1|avif)$/.test(brand)) return { kind: 'image', format: 'heic' };
    return { kind: 'other', thai: 'ไฟล์วิดีโอหรือมัลติมีเดีย' };
  }
  if (startsWith(bytes, '504b0304')) {
    const names = bytes.subarray(0, 64 * 1024).toString('latin1');
    if (names.includes('word/')) return { kind: 'other', thai: 'เอกสาร Word (.docx)' };
    if (names.includes('xl/')) return { kind: 'other', thai: 'ไฟล์ Excel (.xlsx)' };
    if (names.includes('ppt/')) return { kind: 'other', thai: 'ไฟล์ PowerPoint (.pptx)' };
    return { kind: 'other', thai: 'ไฟล์บีบอัด ZIP ที่เปิดไม่ได้' };
  }
  if (startsWith(bytes, 'd0cf11e0a1b11ae1')) return { kind: 'other', thai: 'เอกสาร Word/Excel รุ่นเก่า (.doc/.xls)' };
  if (startsWith(bytes, '7b5c727466')) return { kind: 'other', thai: 'เอกสาร RTF' };
  if (startsWith(bytes, '4d5a')) return { kind: 'other', thai: 'โปรแกรม (.exe)' };
  // RAR and 7z are unpacked in parse: one that reaches here could not be opened.
  if (startsWith(bytes, '526172211a07')) return { kind: 'other', thai: 'ไฟล์บีบอัด RAR ที่เปิดไม่ได้' };
  if (startsWith(bytes, '377abcaf271c')) return { kind: 'other', thai: 'ไฟล์บีบอัด 7z ที่เปิดไม่ได้' };
  const text = bytes.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (/^<(!doctype html|html|head|body|meta|script)\b/.test(text)) return { kind: 'other', thai: 'หน้าเว็บ (HTML)' };
  if (text.startsWith('<?xml')) return { kind: 'other', thai: 'ไฟล์ XML' };
  return { kind: 'other', thai: 'ไฟล์ประเภทที่ระบบไม่รองรับ' };
}

/**
 * A PDF up to this size is read in one go and checked in memory: a check makes dozens of small reads (tail, xref,
 * every object), each a round trip to the file. Files are validated one at a time, so this bounds what is held.
 */
export const READ_WHOLE_PDF_BYTES = 1 << 20;

function fail(code: FileProblemCode, detail: string): { validation: Validation } {
  return { validation: { ok: false, code, detail } };
}

const PDF_DETAIL: Record<Exclude<PdfInspection, { ok: true }>['reason'], [FileProblemCode, string]> = {
  truncated: ['corrupt-pdf', 'ไฟล์ PDF ไม่สมบูรณ์ (อาจดาวน์โหลดหรือแนบไม่ครบ) กรุณาสแกนหรือบันทึกเป็น PDF ใหม่แล้วส่งอีกครั้ง'],
  unreadable: ['corrupt-pdf', 'ไฟล์ PDF เสียหาย เปิดอ่านไม่ได้ กรุณาสแกนหรือบันทึกเป็น PDF ใหม่แล้วส่งอีกครั้ง'],
  password: ['encrypted-pdf', 'ไฟล์ PDF มีรหัสผ่าน เปิดอ่านไม่ได้ กรุณาส่งไฟล์ที่ไม่มีรหัสผ่าน'],
  'no-pages': ['corrupt-pdf', 'ไฟล์ PDF เสียหายหรือไม่มีหน้าเอกสาร กรุณาสแกนเป็น PDF ใหม่แล้วส่งอีกครั้ง'],
};

/** Whether the PDF in `source` counts, reading only its structure (pdf-inspect.ts): the validation of a sniffed PDF. */
export async function validatePdf(source: RandomAccessSource): Promise<Validation> {
  const inspected = await inspectPdf(source);
  if (inspected.ok) return { ok: true, pages: inspected.pages };
  const [code, detail] = PDF_DETAIL[inspected.reason];
  return { ok: false, code, detail };
}

/** One page the size of the image (1 px = 1 pt), so nothing is scaled or cropped. */
async function imageToPdf(bytes: Buffer, format: 'jpeg' | 'png'): Promise<Buffer | undefined> {
  try {
    const doc = await PDFDocument.create();
    // A copy: pdf-lib's JPEG reader wraps `bytes.buffer` ignoring byteOffset, and small Buffers share a pool.
    const own = new Uint8Array(bytes);
    const image = format === 'jpeg' ? await doc.embedJpg(own) : await doc.embedPng(own);
    const page = doc.addPage([image.width, image.height]);
    page.drawImage(image, { x: 0, y: 0, width: image.width, height: image.height });
    return Buffer.from(await doc.save());
  } catch {
    return undefined;
  }
}

export async function validateFile(
  file: ExtractedFile,
  ctx: { images: 'reject' | 'convert' },
): Promise<{ validation: Validation; pdf?: Buffer }> {
  if (file.problem) return { validation: { ok: false, code: file.problem.code, detail: file.problem.detail } };
  const { body } = file;
  if (body.size === 0) return fail('empty-file', 'ไฟล์ว่างเปล่า (0 ไบต์) กรุณาแนบไฟล์ใหม่อีกครั้ง');

  // The head decides what it is; a large PDF is then read by ranges (never whole), an image whole only to convert it.
  const what = sniff(body.head);
  if (what.kind === 'pdf') return { validation: await validatePdf(body.size <= READ_WHOLE_PDF_BYTES ? bufferSource(await body.bytes()) : body) };

  const namedPdf = /\.pdf$/i.test(file.name.trim());
  if (what.kind === 'image') {
    const label = IMAGE_THAI[what.format];
    if (ctx.images === 'convert' && (what.format === 'jpeg' || what.format === 'png')) {
      const pdf = await imageToPdf(await body.bytes(), what.format);
      if (pdf) return { validation: { ok: true, pages: 1, converted: 'image' }, pdf };
      return fail('image-not-pdf', `ไฟล์เป็น${label}ที่เสียหาย แปลงเป็น PDF ไม่ได้ กรุณาสแกนเป็น PDF แล้วส่งใหม่`);
    }
    if (namedPdf) return fail('fake-pdf', `ชื่อไฟล์ลงท้าย .pdf แต่เนื้อไฟล์เป็น${label} ไม่ใช่ PDF กรุณาสแกนเป็น PDF แล้วส่งใหม่`);
    return fail('image-not-pdf', `ไฟล์เป็น${label} กรุณาสแกนเป็น PDF แล้วส่งใหม่`);
  }
  if (namedPdf) return fail('fake-pdf', `ชื่อไฟล์ลงท้าย .pdf แต่เนื้อไฟล์เป็น${what.thai} ไม่ใช่ PDF กรุณาบันทึกหรือสแกนเป็น PDF แล้วส่งใหม่`);
  return fail('unsupported-type', `ไฟล์เป็น${what.thai} ${what.todo ?? 'ระบบรับเฉพาะไฟล์ PDF กรุณาบันทึกหรือสแกนเป็น PDF แล้วส่งใหม่'}`);
}
