// What poppler's and tesseract's command-line tools print, parsed (pdfinfo, pdfimages -list, tesseract TSV and
// OSD), and the size and resolution written in a JPEG's or PNG's header. Pure, so it is unit-tested on
// captured output; the processes are run by tools.ts.

export interface PdfInfo {
  pages: number;
  encrypted: boolean;
  /** Per page (1-based index - 1): size in points and the page's /Rotate. */
  pageSizes: Array<{ width: number; height: number; rotate: number }>;
}

export function parsePdfInfo(out: string): PdfInfo {
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)?.[1] ?? 0);
  const encrypted = /^Encrypted:\s+yes/m.test(out);
  const pageSizes: PdfInfo['pageSizes'] = [];
  for (const m of out.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/gm)) {
    pageSizes[Number(m[1]) - 1] = { width: Number(m[2]), height: Number(m[3]), rotate: 0 };
  }
  for (const m of out.matchAll(/^Page\s+(\d+) rot:\s+(-?\d+)/gm)) {
    const page = pageSizes[Number(m[1]) - 1];
    if (page) page.rotate = ((Number(m[2]) % 360) + 360) % 360;
  }
  return { pages, encrypted, pageSizes };
}

export interface PdfImage {
  page: number;
  /** image, smask, mask or stencil: only `image` rows are pictures of the page. */
  type: string;
  width: number;
  height: number;
  color: string;
  bpc: number;
  /** jpeg, jpx, jbig2, ccitt, image (raw) … */
  enc: string;
  xPpi: number;
  yPpi: number;
}

/** `pdfimages -list` rows (after the two header lines). */
export function parsePdfImagesList(out: string): PdfImage[] {
  const rows: PdfImage[] = [];
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14 || !/^\d+$/.test(f[0])) continue;
    rows.push({
      page: Number(f[0]),
      type: f[2],
      width: Number(f[3]),
      height: Number(f[4]),
      color: f[5],
      bpc: Number(f[7]),
      enc: f[8],
      xPpi: Number(f[12]),
      yPpi: Number(f[13]),
    });
  }
  return rows;
}

export interface TsvSummary {
  /** Words with a confidence (tesseract's "words" are letter clusters in Thai). */
  words: number;
  /** Of which tesseract is fairly sure (confidence ≥ 70): garbage from an upside-down page has few. */
  goodWords: number;
  /** Mean confidence 0..100 over those words; undefined when there are none. */
  confidence?: number;
}

/** Level-5 (word) rows of tesseract's TSV output: count and mean confidence of the non-empty ones. */
export function summariseTsv(tsv: string): TsvSummary {
  let words = 0;
  let goodWords = 0;
  let sum = 0;
  for (const line of tsv.split('\n')) {
    const f = line.split('\t');
    if (f.length < 12 || f[0] !== '5' || !f[11].trim()) continue;
    const conf = Number(f[10]);
    if (!Number.isFinite(conf) || conf < 0) continue;
    words++;
    if (conf >= 70) goodWords++;
    sum += conf;
  }
  return words ? { words, goodWords, confidence: Math.round((sum / words) * 10) / 10 } : { words: 0, goodWords: 0 };
}

export interface Osd {
  /** Clockwise degrees that make the page upright. */
  rotate: 0 | 90 | 180 | 270;
  confidence: number;
}

/** `tesseract --psm 0` output; undefined when it found too little text to tell. */
export function parseOsd(out: string): Osd | undefined {
  const rotate = /^Rotate:\s+(\d+)/m.exec(out)?.[1];
  const confidence = /^Orientation confidence:\s+([\d.]+)/m.exec(out)?.[1];
  if (rotate === undefined || confidence === undefined) return undefined;
  const r = Number(rotate);
  if (r !== 0 && r !== 90 && r !== 180 && r !== 270) return undefined;
  return { rotate: r, confidence: Number(confidence) };
}

export interface ImageHeader {
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  /** As written in the header (JFIF density, PNG pHYs); phones often write 72 whatever the picture. */
  dpi?: number;
}

export function sniffImage(bytes: Buffer): 'jpeg' | 'png' | undefined {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return undefined;
}

function jpegHeader(b: Buffer): ImageHeader | undefined {
  let dpi: number | undefined;
  for (let i = 2; i + 9 < b.length;) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    if (marker === 0xe0 && b.toString('latin1', i + 4, i + 9) === 'JFIF\0') {
      const units = b[i + 11];
      const x = b.readUInt16BE(i + 12);
      if (units === 1 && x > 1) dpi = x;
      else if (units === 2 && x > 1) dpi = Math.round(x * 2.54);
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): height then width
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { format: 'jpeg', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7), ...(dpi ? { dpi } : {}) };
    }
    i += 2 + len;
  }
  return undefined;
}

function pngHeader(b: Buffer): ImageHeader | undefined {
  if (b.length < 24) return undefined;
  const out: ImageHeader = { format: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  for (let i = 8; i + 12 <= b.length;) {
    const len = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    if (type === 'pHYs' && len >= 9 && b[i + 16] === 1) out.dpi = Math.round(b.readUInt32BE(i + 8) * 0.0254);
    if (type === 'IDAT' || type === 'IEND') break;
    i += 12 + len;
  }
  return out;
}

export function imageHeader(bytes: Buffer): ImageHeader | undefined {
  const format = sniffImage(bytes);
  return format === 'jpeg' ? jpegHeader(bytes) : format === 'png' ? pngHeader(bytes) : undefined;
}

/** A4's long side in inches: a photo or scan of a page with no trustworthy header is taken to be of A4. */
const A4_LONG_INCHES = 11.69;

/** What cameras and screen software write when they know nothing of paper. */
const PLACEHOLDER_DPI = new Set([72, 96]);

/**
 * The resolution to tell tesseract and to judge "low resolution" by: the header's, unless it is missing, absurd
 * or a placeholder (a phone's "72 dpi" on a 4000-pixel photo); then what the pixels give for an A4 page.
 */
export function effectiveDpi(h: { width: number; height: number; dpi?: number }): number {
  if (h.dpi && h.dpi >= 30 && h.dpi <= 2400 && !PLACEHOLDER_DPI.has(h.dpi)) return h.dpi;
  return Math.round(Math.max(h.width, h.height) / A4_LONG_INCHES);
}
