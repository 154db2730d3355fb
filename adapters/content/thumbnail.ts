// The first page of a stored file as a small PNG, for the dashboard: poppler's pdftoppm renders page 1 of a PDF
// (a JPEG or PNG scan is put on a one-page PDF first, as page-image.ts does), with an argument array, a deadline
// and a private mkdtemp folder removed afterwards. Caching and placeholders: adapters/thumbnail-cache.ts.
import { open, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { WorkError } from '../errors.ts';
import { sniffImage } from './tool-output.ts';
import { runTool, type ToolPaths } from './tools.ts';

export interface ThumbnailOptions {
  /** Longest side in pixels (pdftoppm -scale-to): 240 shows a page's layout, not its words. */
  size?: number;
  timeoutMs?: number;
  tools?: ToolPaths;
  tmpRoot?: string;
}

export const THUMBNAIL_DEFAULTS = { size: 240, timeoutMs: 15_000 };

/** What the file is, from its first bytes (the archive keeps original names, which may say anything). */
export async function sniffFile(abs: string): Promise<'pdf' | 'jpeg' | 'png' | undefined> {
  const handle = await open(abs, 'r');
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    return bytes.includes('%PDF-') ? 'pdf' : sniffImage(bytes);
  } finally {
    await handle.close();
  }
}

/** A JPEG or PNG on one PDF page at 72 dpi (only the proportions matter: pdftoppm scales it to `size`). */
async function imageAsPdf(abs: string, format: 'jpeg' | 'png', out: string): Promise<string> {
  const doc = await PDFDocument.create();
  const bytes = await readFile(abs);
  const image = format === 'jpeg' ? await doc.embedJpg(bytes) : await doc.embedPng(bytes);
  doc.addPage([image.width, image.height]).drawImage(image, { x: 0, y: 0, width: image.width, height: image.height });
  await writeFile(out, await doc.save(), { mode: 0o600 });
  return out;
}

/**
 * Page 1 of the file at `abs` as PNG bytes. Throws WorkError: `scan.unsupported` (not a PDF, JPEG or PNG),
 * `ocr.tool-missing` (no poppler), `pdf.unreadable`/`pdf.encrypted`, `ocr.timeout`, `ocr.busy`.
 */
export async function renderThumbnail(abs: string, options: ThumbnailOptions = {}): Promise<Buffer> {
  const opts = { ...THUMBNAIL_DEFAULTS, ...options };
  const started = Date.now();
  const format = await sniffFile(abs);
  if (!format) throw new WorkError('not a PDF, JPEG or PNG', 'scan.unsupported', 'permanent');
  const dir = await mkdtemp(path.join(opts.tmpRoot ?? tmpdir(), 'seis-thumb-'));
  try {
    const pdf = format === 'pdf' ? abs : await imageAsPdf(abs, format, path.join(dir, 'image.pdf')).catch((err: unknown) => {
      throw new WorkError(`the ${format} could not be read: ${(err as Error).message}`, 'scan.unsupported', 'permanent');
    });
    const base = path.join(dir, 'thumb');
    await runTool('pdftoppm', opts.tools ?? {}, ['-f', '1', '-l', '1', '-png', '-scale-to', String(opts.size), '-singlefile', pdf, base], {
      timeoutMs: Math.max(1, opts.timeoutMs - (Date.now() - started)),
      maxOutput: 1024 * 1024,
    });
    // pdftoppm may exit 0 and draw nothing for a PDF it could not make sense of.
    return await readFile(`${base}.png`).catch(() => {
      throw new WorkError('pdftoppm drew no page', 'pdf.unreadable', 'permanent');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
