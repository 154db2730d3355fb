// Makes the scan fixtures: render each page (Chromium), degrade it (ImageMagick), wrap pages in image-only PDFs
// (pdf-lib, one JPEG per page as office scanners do) or keep them as JPEG/PNG files. Rendered and degraded pages
// are cached under test/.cache/scans (git-ignored) by a hash of the HTML and the look, so reruns take seconds.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import type { FixtureFile, FixturePage } from './catalog.ts';
import { degrade } from './degrade.ts';
import { PageRenderer, RENDER_DPI } from './render.ts';

/** Bump when render.ts or degrade.ts change what they produce for the same inputs. */
const VERSION = 'scans-1';
export const SCAN_CACHE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.cache/scans');

export interface BuiltFixture {
  file: FixtureFile;
  path: string;
}
export interface BuildStats {
  ms: number;
  rendered: number;
  degraded: number;
  pages: number;
}

const sha = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);

async function writeAtomic(file: string, bytes: Buffer | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}

/** At most `limit` degrade jobs at once (the machine has two cores; rendering is the other stream). */
function limiter(limit: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export async function buildScanFixtures(files: FixtureFile[], opts: { concurrency?: number } = {}): Promise<{
  dir: string;
  files: BuiltFixture[];
  stats: BuildStats;
}> {
  const started = Date.now();
  const dirs = { render: path.join(SCAN_CACHE, 'render'), pages: path.join(SCAN_CACHE, 'pages'), files: path.join(SCAN_CACHE, 'files') };
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
  const renderer = new PageRenderer();
  const limit = limiter(opts.concurrency ?? 2);
  const stats: BuildStats = { ms: 0, rendered: 0, degraded: 0, pages: 0 };
  let renderChain: Promise<unknown> = Promise.resolve();

  const pageImage = (p: FixturePage, out: 'jpg' | 'png'): Promise<Buffer> => {
    stats.pages++;
    const renderKey = sha(VERSION, p.html);
    const pageFile = path.join(dirs.pages, `${sha(VERSION, renderKey, JSON.stringify(p.look), out)}.${out}`);
    if (existsSync(pageFile)) return readFile(pageFile);
    const pngFile = path.join(dirs.render, `${renderKey}.png`);
    // Chromium renders one page at a time; degrading runs beside it.
    const rendered = renderChain.then(async () => {
      if (existsSync(pngFile)) return readFile(pngFile);
      const png = await renderer.render(p.html);
      stats.rendered++;
      await writeAtomic(pngFile, png);
      return png;
    });
    renderChain = rendered.catch(() => undefined);
    return rendered.then((png) =>
      limit(async () => {
        const bytes = await degrade(png, p.look, out);
        stats.degraded++;
        await writeAtomic(pageFile, bytes);
        return bytes;
      })
    );
  };

  try {
    const built = await Promise.all(files.map(async (file): Promise<BuiltFixture> => {
      const images = await Promise.all(file.pages.map((p) => pageImage(p, file.format === 'png' ? 'png' : 'jpg')));
      const target = path.join(dirs.files, file.name);
      if (file.format !== 'pdf') {
        await writeAtomic(target, images[0]);
        return { file, path: target };
      }
      const doc = await PDFDocument.create();
      doc.setProducer('fixture scanner');
      doc.setCreationDate(new Date('2023-09-14T02:32:00Z'));
      doc.setModificationDate(new Date('2023-09-14T02:32:00Z'));
      for (const [i, jpeg] of images.entries()) {
        const image = await doc.embedJpg(jpeg);
        const dpi = file.pages[i].look.dpi ?? RENDER_DPI;
        const w = (image.width / dpi) * 72;
        const h = (image.height / dpi) * 72;
        doc.addPage([w, h]).drawImage(image, { x: 0, y: 0, width: w, height: h });
      }
      await writeAtomic(target, await doc.save());
      return { file, path: target };
    }));
    stats.ms = Date.now() - started;
    return { dir: dirs.files, files: built, stats };
  } finally {
    await renderer.close();
  }
}
