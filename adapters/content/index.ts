// adapters/content: the real page engine: PDF text layers (poppler) and Tesseract OCR of page images, as the
// content stage's PageEngine. Once a tool is found missing, every later file is refused at once (and said once).
import type { AppConfig } from '../../config/schema.ts';
import type { PageEngine } from '../../pipelines/content/index.ts';
import { classifyError } from '../errors.ts';
import { readScan, OCR_DEFAULTS } from './ocr-engine.ts';

export function createPageEngine(config: Pick<AppConfig, 'content'>, opts: { tmpRoot?: string } = {}): PageEngine {
  let missingTool: unknown;
  return {
    name: `tesseract ${OCR_DEFAULTS.languages}`,
    async readPages(bytes, { maxPages, pageTimeoutMs }) {
      if (missingTool) throw missingTool;
      const scan = await readScan({ bytes }, {
        maxPages,
        pageTimeoutMs,
        fileTimeoutMs: Math.max(pageTimeoutMs, pageTimeoutMs * Math.min(maxPages, config.content.maxPagesPerFile)),
        ...(opts.tmpRoot ? { tmpRoot: opts.tmpRoot } : {}),
      }).catch((err: unknown) => {
        if (classifyError(err).code === 'ocr.tool-missing') missingTool = err;
        throw err;
      });
      // Only what the stage reads (PageText) goes to the cache: not OCR timings, image sizes or errors.
      const pages = scan.pages.map(({ rotation: _r, width: _w, height: _h, image: _i, words: _wo, ms: _m, error: _e, ...text }) => text);
      return { pages, skippedPages: Math.max(0, scan.pageCount - pages.length) };
    },
  };
}
