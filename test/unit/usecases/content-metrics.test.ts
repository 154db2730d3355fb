// The content reader reports its work on /metrics: pages read and skipped and the seconds spent, once per file
// (a second read of the same bytes is a cache hit and costs nothing), and a failed reading.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PageEngine } from '../../../pipelines/content/index.ts';
import { ArchiveStore } from '../../../adapters/archive-store.ts';
import { ContentCache } from '../../../adapters/content-cache.ts';
import { metrics } from '../../../adapters/metrics.ts';
import { readAndCache } from '../../../usecases/content-reader.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'content-metrics-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => metrics.registry.resetMetrics());

/** An engine that reads `pages` pages of text and leaves `skipped` unread, or fails. */
function engine(pages: number, skipped: number, fail = false): PageEngine {
  return {
    name: 'test engine',
    async readPages() {
      if (fail) throw Object.assign(new Error('engine crashed'), { code: 'ENGINE' });
      return { pages: Array.from({ length: pages }, (_, i) => ({ page: i + 1, text: 'บัตรประจำตัวประชาชน', source: 'ocr' as const })), skippedPages: skipped };
    },
  };
}

async function sample(name: string, outcome: string): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values.find((v) => v.labels.outcome === outcome)?.value;
}

describe('content reader metrics', () => {
  const limits = { maxPagesPerFile: 10, pageTimeoutSeconds: 5 };
  const deps = (e: PageEngine) => ({ engine: e, cache: new ContentCache(new ArchiveStore(root)), now: () => new Date(), limits });

  it('counts the pages read and skipped once per file, not again for a cache hit', async () => {
    const file = { sha256: 'a'.repeat(64), content: Buffer.from('%PDF-1.4 scan') };
    await readAndCache(file, deps(engine(3, 2)));
    await readAndCache(file, deps(engine(3, 2)));
    expect(await sample('seis_ocr_pages_total', 'read')).toBe(3);
    expect(await sample('seis_ocr_pages_total', 'skipped')).toBe(2);
    expect(await sample('seis_ocr_seconds_total', 'read')).toBeGreaterThanOrEqual(0);
  });

  it('counts a reading the engine gave up on, and still throws', async () => {
    const file = { sha256: 'b'.repeat(64), content: Buffer.from('%PDF-1.4 broken') };
    await expect(readAndCache(file, deps(engine(0, 0, true)))).rejects.toThrow('engine crashed');
    expect(await sample('seis_ocr_pages_total', 'failed')).toBe(0);
    expect(await sample('seis_ocr_seconds_total', 'failed')).toBeGreaterThanOrEqual(0);
    expect(await sample('seis_ocr_pages_total', 'read')).toBeUndefined();
  });
});
