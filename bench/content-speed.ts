// Issue 10's reading speed: pages per second per core of the whole content path (createPageEngine on a one-page
// PDF, as officers send scans: pdfinfo, pdftotext, pdfimages, tesseract with its second tries, the ink measure;
// then readContent) against bare `tesseract IMG - -l tha+eng --psm 11` on the same page image, in one process,
// one page at a time, the two alternating page by page so that the machine's load falls on both alike.
import { execFile as execFileCb } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { loadConfig } from '../config/load.ts';
import { readContent } from '../pipelines/content/index.ts';
import { createPageEngine } from '../adapters/content/index.ts';

const execFile = promisify(execFileCb);

export interface PathTotals {
  /** wall seconds over all pages */
  seconds: number;
  /** CPU seconds of this process and the tools it ran */
  cpuSeconds: number;
  pagesPerSec: number;
  /** pages per CPU second: pages per second on one core that does nothing else */
  pagesPerCpuSec: number;
}

export interface ContentSpeedResult {
  pages: number;
  content: PathTotals;
  bare: PathTotals;
  /** content path ÷ bare tesseract, per CPU second (the "per core") and by wall time */
  ratioPerCore: number;
  ratioWall: number;
  /**
   * The same ratio over the pages the fixtures did not turn (fed sideways or upside down): on a turned page the
   * engine also asks tesseract for the orientation and reads the page again upright; bare tesseract reads it as is
   * (and gets little right), so turned pages weigh on the ratio by how many the sample holds.
   */
  upright: { pages: number; ratioPerCore: number };
  perPage: Array<{ label: string; turned: boolean; contentMs: number; bareMs: number; contentCpuS: number; bareCpuS: number }>;
  loadAvg: number[];
}

export interface BenchPage {
  label: string;
  /** the fixture's look turns the paper (90°, 180°, 270°) */
  turned: boolean;
  jpeg: string;
  pdf: string;
}

const CLK_TCK = 100; // /proc's USER_HZ

/** CPU seconds of this process plus its finished children (each tool run is reaped before its promise settles). */
function cpuNow(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK; // utime stime cutime cstime
}

/**
 * The fixture pages (test/helpers/scans: rendered Thai documents, degraded as scanners and phones do), each as the
 * JPEG a scanner makes and as the one-page image-only PDF it sends, cycling through the catalog up to `count`.
 */
export async function benchPages(count: number, dir: string): Promise<BenchPage[]> {
  const { buildScanFixtures } = await import('../test/helpers/scans/build.ts');
  const { SCAN_FIXTURES } = await import('../test/helpers/scans/catalog.ts');
  const { RENDER_DPI } = await import('../test/helpers/scans/render.ts');
  const all = SCAN_FIXTURES.flatMap((f) => f.pages);
  const chosen = Array.from({ length: Math.min(count, all.length) }, (_, i) => all[i]);
  const built = await buildScanFixtures(
    chosen.map((page, i) => ({ name: `bench-page-${String(i + 1).padStart(2, '0')}.jpg`, format: 'jpg' as const, pages: [page] })),
  );
  await mkdir(dir, { recursive: true });
  return Promise.all(built.files.map(async (b, i) => {
    const doc = await PDFDocument.create();
    const image = await doc.embedJpg(await readFile(b.path));
    const dpi = chosen[i].look.dpi ?? RENDER_DPI;
    const w = (image.width / dpi) * 72;
    const h = (image.height / dpi) * 72;
    doc.addPage([w, h]).drawImage(image, { x: 0, y: 0, width: w, height: h });
    const pdf = join(dir, `page-${i + 1}.pdf`);
    await writeFile(pdf, await doc.save());
    return { label: chosen[i].label, turned: Boolean(chosen[i].look.rotate), jpeg: b.path, pdf };
  }));
}

async function timed(fn: () => Promise<unknown>): Promise<{ ms: number; cpu: number }> {
  const cpu0 = cpuNow();
  const t0 = performance.now();
  await fn();
  return { ms: performance.now() - t0, cpu: cpuNow() - cpu0 };
}

const totals = (pages: number, ms: number, cpu: number): PathTotals => ({
  seconds: ms / 1000,
  cpuSeconds: cpu,
  pagesPerSec: pages / (ms / 1000),
  pagesPerCpuSec: cpu > 0 ? pages / cpu : NaN,
});

export async function runContentSpeed(pages: BenchPage[], opts: { loadAvg: () => number[] }): Promise<ContentSpeedResult> {
  if (pages.length === 0) throw new Error('no pages to read');
  const config = loadConfig({ env: {} });
  const engine = createPageEngine(config);
  const limits = { maxPages: 1, pageTimeoutMs: config.content.pageTimeoutSeconds * 1000 };
  const contentPath = async (p: BenchPage) => {
    const { pages: read } = await engine.readPages(await readFile(p.pdf), limits);
    readContent(read);
  };
  // The engine runs tesseract with OMP_THREAD_LIMIT=1; so does the bare run, so both use one core per page.
  const bare = (p: BenchPage) =>
    execFile('tesseract', [p.jpeg, '-', '-l', 'tha+eng', '--psm', '11'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 16 * 1024 * 1024,
      timeout: limits.pageTimeoutMs });
  // warm-up: the language models into the page cache, tsx's and pdf-lib's first-call costs
  await contentPath(pages[0]);
  await bare(pages[0]);
  const perPage: ContentSpeedResult['perPage'] = [];
  const sum = { contentMs: 0, contentCpu: 0, bareMs: 0, bareCpu: 0 };
  for (const [i, p] of pages.entries()) {
    const order = i % 2 === 0 ? ['content', 'bare'] as const : ['bare', 'content'] as const;
    const r: Record<string, { ms: number; cpu: number }> = {};
    for (const which of order) r[which] = await timed(() => (which === 'content' ? contentPath(p) : bare(p)));
    sum.contentMs += r.content.ms;
    sum.contentCpu += r.content.cpu;
    sum.bareMs += r.bare.ms;
    sum.bareCpu += r.bare.cpu;
    perPage.push({
      label: p.label,
      turned: p.turned,
      contentMs: Math.round(r.content.ms),
      bareMs: Math.round(r.bare.ms),
      contentCpuS: Math.round(r.content.cpu * 100) / 100,
      bareCpuS: Math.round(r.bare.cpu * 100) / 100,
    });
  }
  const upright = perPage.filter((p) => !p.turned);
  const uprightCpu = (key: 'contentCpuS' | 'bareCpuS') => upright.reduce((n, p) => n + p[key], 0);
  const content = totals(pages.length, sum.contentMs, sum.contentCpu);
  const bareTotals = totals(pages.length, sum.bareMs, sum.bareCpu);
  return {
    pages: pages.length,
    content,
    bare: bareTotals,
    ratioPerCore: content.pagesPerCpuSec / bareTotals.pagesPerCpuSec,
    ratioWall: content.pagesPerSec / bareTotals.pagesPerSec,
    upright: { pages: upright.length, ratioPerCore: uprightCpu('contentCpuS') > 0 ? uprightCpu('bareCpuS') / uprightCpu('contentCpuS') : NaN },
    perPage,
    loadAvg: opts.loadAvg(),
  };
}
