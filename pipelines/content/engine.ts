// What the content stage needs from an OCR engine (adapters/ocr/ is the real one): each page's text, within a
// page budget and a per-page time limit. An interface only, so stages and use-cases never import the engine.
import type { PageText } from './types.ts';

export interface PageEngine {
  /** Engine and languages, recorded with every reading ("tesseract 5 tha+eng"). */
  readonly name: string;
  readPages(bytes: Buffer, opts: { maxPages: number; pageTimeoutMs: number }): Promise<{ pages: PageText[]; skippedPages: number }>;
}
