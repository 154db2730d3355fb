// Reading one file's pages once: the archive's cache first, else the engine (text layer or OCR), within the
// per-file page budget, then the cache. The `content` queue's worker and the inline CLI both read through here.
import { readContent, type PageEngine } from '../pipelines/content/index.ts';
import type { CachedPages, ContentCache } from '../adapters/content-cache.ts';
import type { Logger } from '../adapters/logger.ts';
import { recordOcr } from '../adapters/metrics.ts';
import type { ContentReader } from './content-step.ts';

export type { PageEngine };

export interface ReadLimits {
  maxPagesPerFile: number;
  pageTimeoutSeconds: number;
}

export async function readAndCache(
  file: { sha256: string; content: Buffer },
  deps: { engine: PageEngine; cache: ContentCache; now: () => Date; limits: ReadLimits },
  maxPages = deps.limits.maxPagesPerFile,
): Promise<CachedPages> {
  const known = await deps.cache.get(file.sha256);
  if (known) return known;
  const started = Date.now();
  const { pages, skippedPages } = await deps.engine.readPages(file.content, {
    maxPages: Math.min(maxPages, deps.limits.maxPagesPerFile),
    pageTimeoutMs: deps.limits.pageTimeoutSeconds * 1000,
  }).catch((err: unknown) => {
    recordOcr('failed', 0, (Date.now() - started) / 1000);
    throw err;
  });
  // seis_ocr_pages_total / seis_ocr_seconds_total (docs/operations.md): pages read, and those the budgets skipped.
  recordOcr('read', pages.length, (Date.now() - started) / 1000);
  if (skippedPages) recordOcr('skipped', skippedPages, 0);
  const entry: CachedPages = {
    sha256: file.sha256,
    readAt: deps.now().toISOString(),
    engine: deps.engine.name,
    pages,
    ...(skippedPages ? { skippedPages } : {}),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  await deps.cache.put(entry);
  return entry;
}

/** A reader over the cache alone (the `run` ingest workers: the `content` queue does the reading). */
export function cachedContentReader(cache: ContentCache): ContentReader {
  return { cached: async (sha256) => readingOf(await cache.get(sha256)) };
}

/** A reader that reads inline (the CLI's `ingest` and `demo`); engine trouble leaves the file to its name. */
export function inlineContentReader(deps: { engine: PageEngine; cache: ContentCache; now: () => Date; limits: ReadLimits; log: Logger }): ContentReader {
  return {
    cached: async (sha256) => readingOf(await deps.cache.get(sha256)),
    async read(file, maxPages) {
      try {
        const entry = await readAndCache(file, deps, maxPages);
        return { reading: readContent(entry.pages), pages: entry.pages.length };
      } catch (err) {
        deps.log.warn({ err, code: 'content.read_failed', sha256: file.sha256 }, 'could not read a file\'s pages: its name decides');
        return undefined;
      }
    },
  };
}

function readingOf(entry: CachedPages | undefined) {
  return entry ? readContent(entry.pages) : undefined;
}
