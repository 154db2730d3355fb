// The OCR engine against the real tools on small files: a text layer is used as it is, a drawn page is rendered,
// budgets flag pages instead of failing, bad input and missing tools fail with their codes, and nothing is
// left in the temporary folder.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readContent } from '../../pipelines/content/index.ts';
import { classifyError } from '../../adapters/errors.ts';
import { readScan } from '../../adapters/content/ocr-engine.ts';
import { encryptedPdf, garbledPdf, HTML_PAGE } from '../helpers/pdf.ts';

let tmpRoot: string;

beforeAll(async () => {
  tmpRoot = await mkdtemp(path.join(tmpdir(), 'ocr-engine-int-'));
});
afterAll(async () => {
  await rm(tmpRoot, { recursive: true, force: true });
});

/** A transcript typed in a word processor: a real text layer, no scan. */
async function typedTranscript(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  ['TRANSCRIPT OF RECORDS', 'Name Mr. Somchai Jaideethodsob   Student ID 46122345', 'Degree Bachelor of Science', 'Course No  Course Title  Credits  Grade',
    '204111  Fundamentals of Programming  3  A', 'Cumulative GPA 3.42  Registrar', 'Certified true copy'].forEach((line, i) =>
      page.drawText(line, { x: 50, y: 780 - i * 20, size: 11, font })
    );
  return Buffer.from(await doc.save());
}

/** A page of drawings only (no text layer, no embedded image): rendered by pdftoppm, OCR finds nothing. */
async function drawnPages(n: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < n; i++) doc.addPage([595, 842]).drawRectangle({ x: 100, y: 100, width: 200, height: 80, color: rgb(0.9, 0.9, 0.9) });
  return Buffer.from(await doc.save());
}

const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (err) => classifyError(err).code);

describe('OCR engine', () => {
  it('uses a PDF\'s own text layer, without OCR', async () => {
    const scan = await readScan({ bytes: await typedTranscript() }, { tmpRoot });
    expect(scan).toMatchObject({ format: 'pdf', pageCount: 1 });
    expect(scan.pages[0]).toMatchObject({ source: 'text-layer', rotation: 0 });
    expect(readContent(scan.pages).pages[0]).toMatchObject({ kind: 'transcript', level: 'bachelor', flags: [] });
  });

  it('renders a page that is not one embedded scan, and calls it blank when there is nothing on it', async () => {
    const scan = await readScan({ bytes: await drawnPages(1) }, { tmpRoot });
    expect(scan.pages[0]).toMatchObject({ source: 'ocr', image: 'rendered', dpi: 200 });
    expect(readContent(scan.pages).pages[0].flags).toEqual(['blank']);
  });

  it('flags pages over the time or page budget instead of failing the file', async () => {
    const slow = await readScan({ bytes: await drawnPages(1) }, { tmpRoot, pageTimeoutMs: 1 });
    expect(slow.pages[0]).toMatchObject({ source: 'none', timedOut: true, error: { code: 'ocr.timeout' } });
    expect(readContent(slow.pages).pages[0].flags).toEqual(['unreadable']);
    const many = await readScan({ bytes: await drawnPages(3) }, { tmpRoot, maxPages: 1 });
    expect(many.pages.map((p) => p.timedOut ?? false)).toEqual([false, true, true]);
  });

  it('fails the file with a code for what cannot be read at all', async () => {
    expect(await codeOf(readScan({ bytes: HTML_PAGE }, { tmpRoot }))).toBe('scan.unsupported');
    expect(await codeOf(readScan({ bytes: encryptedPdf('aes256-user') }, { tmpRoot }))).toBe('pdf.encrypted');
    expect(await codeOf(readScan({ bytes: garbledPdf() }, { tmpRoot }))).toBe('pdf.unreadable');
    expect(await codeOf(readScan({ bytes: await drawnPages(1) }, { tmpRoot, tools: { tesseract: '/nonexistent/tesseract' } })))
      .toBe('ocr.tool-missing');
  });

  it('leaves nothing behind in its temporary folder', async () => {
    expect(await readdir(tmpRoot)).toEqual([]);
  });
});
