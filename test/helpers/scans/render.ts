// HTML page → PNG at 200 dpi in Debian's headless Chromium (playwright-core), which shapes Thai with HarfBuzz and
// the TLWG fonts. One browser for all pages, launched only when a page is not already in the cache.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** A4 at CSS 96 px per inch: 210 × 297 mm. */
const A4_CSS = { width: 794, height: 1123 };
export const RENDER_DPI = 200;

export class PageRenderer {
  private browser?: Promise<Browser>;
  private page?: Promise<Page>;

  private async open(): Promise<Page> {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/test.sh installs Debian's chromium`);
    this.browser ??= chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--font-render-hinting=none'],
    });
    this.page ??= this.browser.then(async (b) => {
      const context = await b.newContext({ viewport: A4_CSS, deviceScaleFactor: RENDER_DPI / 96 });
      return context.newPage();
    });
    return this.page;
  }

  /** One A4 page (1654 × 2339 px). Pages render one at a time: screenshots of one tab are sequential anyway. */
  async render(html: string): Promise<Buffer> {
    const page = await this.open();
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate('document.fonts.ready.then(() => true)'); // no DOM types here: a string
    return page.screenshot({ type: 'png', clip: { x: 0, y: 0, ...A4_CSS } });
  }

  async close(): Promise<void> {
    if (this.browser) await (await this.browser).close();
    this.browser = undefined;
    this.page = undefined;
  }
}
