// Cuts one PDF into page ranges (one officer's "everything" scan → one PDF per document), copying pages with
// pdf-lib so every page keeps its scan as it was. It decides nothing about which ranges: content/ does.
import { PDFDocument } from 'pdf-lib';

export interface PageRange {
  /** 1-based page numbers in the source, in the order they go into the new PDF. */
  pages: number[];
}

export interface SplitPart {
  pages: number[];
  pdf: Buffer;
}

/**
 * One new PDF per range. Pages outside every range (blank separators) are left out; the caller keeps the
 * original beside the parts. Throws on a PDF pdf-lib cannot load: the caller validated it before.
 */
export async function splitPdf(source: Buffer, ranges: PageRange[]): Promise<SplitPart[]> {
  const doc = await PDFDocument.load(source, { ignoreEncryption: true, updateMetadata: false });
  const count = doc.getPageCount();
  const parts: SplitPart[] = [];
  for (const range of ranges) {
    const pages = range.pages.filter((p) => Number.isInteger(p) && p >= 1 && p <= count);
    if (pages.length === 0) continue;
    const out = await PDFDocument.create({ updateMetadata: false });
    const copied = await out.copyPages(doc, pages.map((p) => p - 1));
    for (const page of copied) out.addPage(page);
    parts.push({ pages, pdf: Buffer.from(await out.save({ useObjectStreams: true })) });
  }
  return parts;
}
