// One page image through tesseract: text and mean word confidence in one run (txt + tsv outputs), one process
// per page with OMP_THREAD_LIMIT=1 (tesseract's own threads gain nothing on a page: run pages side by side
// instead), and orientation only when the text looks wrong — a page read upside down comes out as confident-
// less garbage, while `--psm 0` on every page would cost ~0.6 s each.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseOsd, summariseTsv, type Osd } from './tool-output.ts';
import { runTool, type ToolPaths } from './tools.ts';

export interface TesseractOptions {
  tools: ToolPaths;
  languages: string;
  /**
   * Page segmentation: 11 ("sparse text") keeps what 3 (automatic layout) drops on forms: boxed fields,
   * stamps, text beside photos. Measured on the fixtures: 3 lost the certification stamp on two thirds of
   * the pages and whole lines of ท.ร.14, 11 lost neither and was as fast.
   */
  psm: number;
}

export interface TesseractText {
  text: string;
  words: number;
  goodWords: number;
  confidence?: number;
  ms: number;
}

/**
 * Binarisation: Sauvola (local thresholds, tesseract's thresholding_method=2) first, Otsu (0, one threshold for
 * the page, tesseract's default) as the second try for a page where Sauvola found next to nothing. Measured on
 * the 40 fixture pages: Otsu lost the headings of three phone photos with a shadow across them (one it read
 * as ten words) and a blurred card's holder ID; Sauvola lost one stamp on a 72-dpi page, for ~10 % more time.
 * (1, adaptive Otsu, took 75 s on one page.)
 */
export type Threshold = 'otsu' | 'sauvola';
const THRESHOLDING: Record<Threshold, string> = { otsu: '0', sauvola: '2' };

const env = (): NodeJS.ProcessEnv => ({ ...process.env, OMP_THREAD_LIMIT: '1' });

export async function recognise(
  opts: TesseractOptions,
  image: string,
  dpi: number,
  timeoutMs: number,
  threshold: Threshold = 'sauvola',
): Promise<TesseractText> {
  const base = `${image}.${threshold}`;
  const run = await runTool('tesseract', opts.tools, [
    image,
    base,
    '-l',
    opts.languages,
    '--psm',
    String(opts.psm),
    '--dpi',
    String(dpi),
    '-c',
    `thresholding_method=${THRESHOLDING[threshold]}`,
    'txt',
    'tsv',
  ], { timeoutMs, env: env(), cwd: path.dirname(image) });
  const [text, tsv] = await Promise.all([readFile(`${base}.txt`, 'utf8'), readFile(`${base}.tsv`, 'utf8')]);
  return { text, ...summariseTsv(tsv), ms: run.ms };
}

/** Tesseract's orientation and script detection; undefined when the page has too little text to tell. */
export async function detectOrientation(opts: TesseractOptions, image: string, dpi: number, timeoutMs: number): Promise<Osd | undefined> {
  try {
    const run = await runTool('tesseract', opts.tools, [image, '-', '--psm', '0', '--dpi', String(dpi)], { timeoutMs, env: env() });
    return parseOsd(run.stdout.toString('utf8'));
  } catch (err) {
    // "Too few characters" exits non-zero: no orientation, not a failure of the page
    if ((err as { code?: string }).code === 'ocr.failed') return undefined;
    throw err;
  }
}

/** Below this mean confidence a page with text is checked for orientation (upright pages measured 85–95). */
export const ORIENTATION_CHECK_CONFIDENCE = 75;
/** Fewer words than this: nothing to orient, and maybe a page one binarisation lost (try the other). */
export const FEW_WORDS = 15;
/** OSD's own confidence below which its answer is ignored (it said 180° at 0.5 on a blurred upright page). */
export const OSD_MIN_CONFIDENCE = 2;

export function needsOrientation(t: { words: number; confidence?: number }): boolean {
  return t.words >= FEW_WORDS && (t.confidence ?? 0) < ORIENTATION_CHECK_CONFIDENCE;
}

export function needsOtherThreshold(t: { words: number }): boolean {
  return t.words < FEW_WORDS;
}

/** Of two readings of one page, the one with clearly more words tesseract is sure of, else the more confident. */
export function better(a: TesseractText, b: TesseractText): TesseractText {
  if (a.goodWords > b.goodWords * 1.2 + 2) return a;
  if (b.goodWords > a.goodWords * 1.2 + 2) return b;
  return (a.confidence ?? 0) >= (b.confidence ?? 0) ? a : b;
}
