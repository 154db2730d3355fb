// The picture of one page to OCR: the scan embedded in the PDF taken out as it is (pdfimages; office scanners
// put one JPEG per page), else the page rendered by pdftoppm at 200 dpi in grey; and a page turned upright
// (pdf-lib sets the page's rotation, pdftoppm renders it), so no image library is needed; and how much ink it has.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { degrees, PDFDocument } from 'pdf-lib';
import { inkRatio, parsePgm } from './ink.ts';
import type { PdfImage, PdfInfo } from './tool-output.ts';
import { runTool, type ToolPaths } from './tools.ts';

export interface PageImage {
  file: string;
  format: 'jpeg' | 'png';
  dpi: number;
  width: number;
  height: number;
  /** embedded: taken from the PDF as is; rendered: drawn by pdftoppm; file: the JPEG/PNG sent; rotated: turned upright. */
  source: 'embedded' | 'rendered' | 'file' | 'rotated';
}

export interface ImageContext {
  dir: string;
  tools: ToolPaths;
  renderDpi: number;
  /** Milliseconds left for this page. */
  timeLeft: () => number;
}

/** A page holds one scan when one picture, square pixels, covers at least 80 % of it and the page is not /Rotated. */
export function singleScan(rows: PdfImage[], page: number, size: PdfInfo['pageSizes'][number] | undefined): PdfImage | undefined {
  const pictures = rows.filter((r) => r.page === page && r.type === 'image');
  if (pictures.length !== 1 || !size || size.rotate !== 0) return undefined;
  const [img] = pictures;
  if (!(img.xPpi > 0) || !(img.yPpi > 0) || Math.abs(img.xPpi - img.yPpi) > Math.max(2, img.xPpi * 0.05)) return undefined;
  const w = (img.width / img.xPpi) * 72;
  const h = (img.height / img.yPpi) * 72;
  return w >= size.width * 0.8 && h >= size.height * 0.8 ? img : undefined;
}

async function firstOutput(dir: string, prefix: string, ext: string): Promise<string | undefined> {
  const names = (await readdir(dir)).filter((n) => n.startsWith(`${prefix}-`) && n.endsWith(ext)).sort();
  return names[0] ? path.join(dir, names[0]) : undefined;
}

/** The scan embedded in the page, extracted without re-encoding when it is a grey or colour JPEG. */
export async function extractEmbedded(ctx: ImageContext, pdf: string, page: number, img: PdfImage): Promise<PageImage | undefined> {
  const asJpeg = img.enc === 'jpeg' && (img.color === 'gray' || img.color === 'rgb');
  const prefix = `p${page}-embedded`;
  await runTool('pdfimages', ctx.tools, ['-f', String(page), '-l', String(page), asJpeg ? '-j' : '-png', pdf, path.join(ctx.dir, prefix)], {
    timeoutMs: ctx.timeLeft(),
  });
  const file = await firstOutput(ctx.dir, prefix, asJpeg ? '.jpg' : '.png');
  if (!file) return undefined;
  return { file, format: asJpeg ? 'jpeg' : 'png', dpi: Math.round(img.xPpi), width: img.width, height: img.height, source: 'embedded' };
}

/** The page drawn by poppler in grey (text, vector drawings, several images, /Rotate honoured). */
export async function renderPage(ctx: ImageContext, pdf: string, page: number, size?: PdfInfo['pageSizes'][number]): Promise<PageImage> {
  const base = path.join(ctx.dir, `p${page}-rendered`);
  await runTool('pdftoppm', ctx.tools, ['-f', String(page), '-l', String(page), '-r', String(ctx.renderDpi), '-gray', '-png', '-singlefile', pdf, base], {
    timeoutMs: ctx.timeLeft(),
  });
  const quarter = size && size.rotate % 180 !== 0;
  const w = size ? Math.round(((quarter ? size.height : size.width) / 72) * ctx.renderDpi) : 0;
  const h = size ? Math.round(((quarter ? size.width : size.height) / 72) * ctx.renderDpi) : 0;
  return { file: `${base}.png`, format: 'png', dpi: ctx.renderDpi, width: w, height: h, source: 'rendered' };
}

/** The image on one pdf-lib page at its own resolution, turned `clockwise` degrees by the page's /Rotate. */
async function imageAsPdf(ctx: ImageContext, image: PageImage, clockwise: 0 | 90 | 180 | 270, tag: string): Promise<string> {
  const doc = await PDFDocument.create();
  const bytes = await readFile(image.file);
  const embedded = image.format === 'jpeg' ? await doc.embedJpg(bytes) : await doc.embedPng(bytes);
  const w = (embedded.width / image.dpi) * 72;
  const h = (embedded.height / image.dpi) * 72;
  const page = doc.addPage([w, h]);
  page.drawImage(embedded, { x: 0, y: 0, width: w, height: h });
  if (clockwise) page.setRotation(degrees(clockwise));
  const pdf = path.join(ctx.dir, `${tag}.pdf`);
  await writeFile(pdf, await doc.save());
  return pdf;
}

/** The image turned `clockwise` degrees, rendered back at its own dpi: no image library needed. */
export async function rotateImage(ctx: ImageContext, image: PageImage, clockwise: 90 | 180 | 270, tag: string): Promise<PageImage> {
  const pdf = await imageAsPdf(ctx, image, clockwise, tag);
  const base = path.join(ctx.dir, `${tag}-upright`);
  await runTool('pdftoppm', ctx.tools, ['-r', String(image.dpi), '-gray', '-png', '-singlefile', pdf, base], { timeoutMs: ctx.timeLeft() });
  const quarter = clockwise !== 180;
  return {
    file: `${base}.png`,
    format: 'png',
    dpi: image.dpi,
    source: 'rotated',
    width: quarter ? image.height : image.width,
    height: quarter ? image.width : image.height,
  };
}

/** Resolution of the small grey copy ink is measured on: an A4 page is 248 × 351 pixels. */
const INK_DPI = 30;

/** Share of the page that is ink (ink.ts), for pages OCR found next to nothing on. */
export async function measureInk(ctx: ImageContext, image: PageImage, tag: string): Promise<number | undefined> {
  const pdf = await imageAsPdf(ctx, image, 0, tag);
  const base = path.join(ctx.dir, `${tag}-small`);
  await runTool('pdftoppm', ctx.tools, ['-r', String(INK_DPI), '-gray', '-singlefile', pdf, base], { timeoutMs: ctx.timeLeft() });
  const grey = parsePgm(await readFile(`${base}.pgm`));
  return grey ? Math.round(inkRatio(grey) * 10_000) / 10_000 : undefined;
}
