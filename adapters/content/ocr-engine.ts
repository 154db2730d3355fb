// The text of every page of a scan (PDF, JPEG or PNG): the PDF's own text layer where a page has one, else
// OCR of the page image (the embedded scan as is, or poppler's rendering), turned upright when needed.
// Time-boxed per page and per file: a page over budget is marked timed out, never a crash. Temporary files
// live in a private mkdtemp folder removed afterwards. Deciding what the text says is pipelines/content/.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { meaningfulChars, THRESHOLDS, type PageText } from '../../pipelines/content/index.ts';
import { classifyError, WorkError, type ErrorCode } from '../errors.ts';
import { extractEmbedded, measureInk, renderPage, rotateImage, singleScan, type ImageContext, type PageImage } from './page-image.ts';
import { better, detectOrientation, needsOrientation, needsOtherThreshold, OSD_MIN_CONFIDENCE, recognise, type TesseractOptions,
  type Threshold } from './tesseract.ts';
import { effectiveDpi, imageHeader, parsePdfImagesList, parsePdfInfo, sniffImage, type PdfImage, type PdfInfo } from './tool-output.ts';
import { runTool, type ToolPaths } from './tools.ts';

export interface OcrOptions {
  /** Tesseract languages (Debian's tesseract-ocr-tha and -eng). */
  languages?: string;
  pageTimeoutMs?: number;
  fileTimeoutMs?: number;
  /** Pages after this many are not read (flagged timed out). */
  maxPages?: number;
  /** Pages read at once, one tesseract process each. */
  concurrency?: number;
  /** Resolution for pages that are not one embedded scan. */
  renderDpi?: number;
  psm?: number;
  tools?: ToolPaths;
  tmpRoot?: string;
}

export const OCR_DEFAULTS = {
  languages: 'tha+eng',
  pageTimeoutMs: 60_000,
  fileTimeoutMs: 300_000,
  maxPages: 60,
  concurrency: 1,
  renderDpi: 200,
  psm: 11,
};

export interface OcrPage extends PageText {
  rotation: 0 | 90 | 180 | 270;
  /** Pixels of the image read. */
  width?: number;
  height?: number;
  image?: PageImage['source'];
  words?: number;
  ms: number;
  error?: { code: ErrorCode; message: string };
}

export interface ScanText {
  format: 'pdf' | 'jpeg' | 'png';
  pageCount: number;
  pages: OcrPage[];
  ms: number;
}

/** A page's text layer counts when it says this much (a scanner's stray "Page 1" is not a text layer). */
const TEXT_LAYER_MIN_CHARS = 40;

export function sniffScan(bytes: Buffer): ScanText['format'] | undefined {
  if (bytes.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  return sniffImage(bytes);
}

interface FileContext {
  dir: string;
  opts: typeof OCR_DEFAULTS & { tools: ToolPaths };
  deadline: number;
}

async function readImagePage(ctx: FileContext, page: number, getImage: (c: ImageContext) => Promise<PageImage>): Promise<OcrPage> {
  const started = Date.now();
  const pageDeadline = Math.min(ctx.deadline, started + ctx.opts.pageTimeoutMs);
  const timeLeft = (): number => Math.max(1, pageDeadline - Date.now());
  const ic: ImageContext = { dir: ctx.dir, tools: ctx.opts.tools, renderDpi: ctx.opts.renderDpi, timeLeft };
  const t: TesseractOptions = { tools: ctx.opts.tools, languages: ctx.opts.languages, psm: ctx.opts.psm };
  let image: PageImage | undefined;
  try {
    if (Date.now() >= ctx.deadline) throw new WorkError('file time budget spent', 'ocr.timeout', 'permanent');
    image = await getImage(ic);
    let threshold: Threshold = 'sauvola';
    let read = await recognise(t, image.file, image.dpi, timeLeft(), threshold);
    let rotation: OcrPage['rotation'] = 0;
    if (needsOtherThreshold(read)) {
      const global = await recognise(t, image.file, image.dpi, timeLeft(), 'otsu');
      if (better(global, read) === global) {
        read = global;
        threshold = 'otsu';
      }
    }
    if (needsOrientation(read)) {
      const osd = await detectOrientation(t, image.file, image.dpi, timeLeft());
      if (osd && osd.rotate !== 0 && osd.confidence >= OSD_MIN_CONFIDENCE) {
        const upright = await rotateImage(ic, image, osd.rotate, `p${page}-turn`);
        const again = await recognise(t, upright.file, upright.dpi, timeLeft(), threshold);
        if (better(again, read) === again) {
          read = again;
          rotation = osd.rotate;
        }
      }
    }
    // Next to no text: blank paper, or ink OCR could not read? Only the picture can tell.
    const ink = meaningfulChars(read.text) < THRESHOLDS.unreadableChars ? await measureInk(ic, image, `p${page}-ink`) : undefined;
    return {
      page,
      source: 'ocr',
      text: read.text,
      ...(read.confidence !== undefined ? { confidence: read.confidence } : {}),
      words: read.words,
      ...(ink !== undefined ? { ink } : {}),
      dpi: image.dpi,
      width: image.width,
      height: image.height,
      rotation,
      image: image.source,
      ms: Date.now() - started,
    };
  } catch (err) {
    const { kind, code } = classifyError(err);
    // A missing tool or a busy machine is the file's failure (retry later, or an operator installs it).
    if (code === 'ocr.tool-missing' || kind === 'transient') throw err;
    return {
      page,
      source: 'none',
      text: '',
      rotation: 0,
      ms: Date.now() - started,
      ...(image ? { dpi: image.dpi } : {}),
      ...(code === 'ocr.timeout' ? { timedOut: true } : { failed: true }),
      error: { code, message: (err as Error).message },
    };
  }
}

/** Runs `jobs` with at most `limit` at once, keeping their order. */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
  return out;
}

async function readPdf(ctx: FileContext, pdf: string): Promise<Omit<ScanText, 'ms'>> {
  const quick = { timeoutMs: Math.min(30_000, Math.max(1, ctx.deadline - Date.now())) };
  const info: PdfInfo = parsePdfInfo((await runTool('pdfinfo', ctx.opts.tools, ['-f', '1', '-l', '100000', pdf], quick)).stdout.toString('utf8'));
  if (info.pages < 1) throw new WorkError('the PDF has no pages', 'pdf.unreadable', 'permanent');
  // Both are hints: without them every page is rendered and OCRed.
  const layers = await runTool('pdftotext', ctx.opts.tools, ['-layout', '-enc', 'UTF-8', pdf, '-'], quick)
    .then((r) => r.stdout.toString('utf8').split('\f')).catch(() => [] as string[]);
  const images: PdfImage[] = await runTool('pdfimages', ctx.opts.tools, ['-list', pdf], quick)
    .then((r) => parsePdfImagesList(r.stdout.toString('utf8'))).catch(() => []);
  const jobs = Array.from({ length: info.pages }, (_, i) => i + 1).map((n) => async (): Promise<OcrPage> => {
    const layer = layers[n - 1] ?? '';
    if (meaningfulChars(layer) >= TEXT_LAYER_MIN_CHARS) return { page: n, source: 'text-layer', text: layer, rotation: 0, ms: 0 };
    if (n > ctx.opts.maxPages) {
      return { page: n, source: 'none', text: '', rotation: 0, ms: 0, timedOut: true, error: { code: 'ocr.timeout', message: 'over the page budget' } };
    }
    const size = info.pageSizes[n - 1];
    return readImagePage(ctx, n, async (ic) => {
      const scan = singleScan(images, n, size);
      return (scan && await extractEmbedded(ic, pdf, n, scan).catch(() => undefined)) ?? renderPage(ic, pdf, n, size);
    });
  });
  return { format: 'pdf', pageCount: info.pages, pages: await pool(jobs, ctx.opts.concurrency) };
}

/** Reads a scan given by path or bytes. Throws WorkError for the file as a whole (unsupported, encrypted, tool missing). */
export async function readScan(input: { path: string } | { bytes: Buffer }, options: OcrOptions = {}): Promise<ScanText> {
  const started = Date.now();
  const opts = { ...OCR_DEFAULTS, ...options, tools: options.tools ?? {} };
  const dir = await mkdtemp(path.join(options.tmpRoot ?? tmpdir(), 'seis-ocr-'));
  try {
    const bytes = 'bytes' in input ? input.bytes : await readFile(input.path);
    const format = sniffScan(bytes);
    if (!format) throw new WorkError('not a PDF, JPEG or PNG', 'scan.unsupported', 'permanent');
    const file = path.join(dir, `input.${format === 'jpeg' ? 'jpg' : format}`);
    await writeFile(file, bytes, { mode: 0o600 });
    const ctx: FileContext = { dir, opts, deadline: started + opts.fileTimeoutMs };
    if (format === 'pdf') return { ...(await readPdf(ctx, file)), ms: Date.now() - started };
    const header = imageHeader(bytes);
    if (!header) throw new WorkError(`the ${format} header is unreadable`, 'scan.unsupported', 'permanent');
    const page = await readImagePage(ctx, 1, async () => ({
      file,
      format,
      dpi: effectiveDpi(header),
      width: header.width,
      height: header.height,
      source: 'file',
    }));
    return { format, pageCount: 1, pages: [page], ms: Date.now() - started };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
