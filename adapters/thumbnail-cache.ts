// The dashboard's first-page thumbnails, by the file's sha256 in the archive (`_state/thumbs/ab/<sha>.png`, mode
// 600: a thumbnail of an ID card is still personal data): rendered once, a few at a time, the same file never
// twice at once. A file that cannot be drawn (no poppler, not a scan, a broken PDF) gets a placeholder reason,
// never an exception: the page around it must still load. Drawing is adapters/content/thumbnail.ts's.
import { readFile } from 'node:fs/promises';
import { thumbnailPath } from '../pipelines/archive-paths.ts';
import type { ArchiveStore } from './archive-store.ts';
import { writeAtomic } from './atomic-fs.ts';
import { renderThumbnail, type ThumbnailOptions } from './content/thumbnail.ts';
import { classifyError } from './errors.ts';
import type { Logger } from './logger.ts';

export type PlaceholderReason = 'no-renderer' | 'unreadable' | 'missing' | 'busy';

export type Thumbnail = { kind: 'image'; png: Buffer } | { kind: 'placeholder'; reason: PlaceholderReason };

export interface ThumbnailCacheOptions extends ThumbnailOptions {
  /** pdftoppm processes at once per dashboard process (the machine also reads scans). */
  concurrency?: number;
  log?: Pick<Logger, 'warn'>;
}

/** Files known not to draw, so a broken PDF is not re-run on every page view; forgotten oldest first. */
const FAILED_MAX = 1000;

export class ThumbnailCache {
  private readonly inflight = new Map<string, Promise<Thumbnail>>();
  private readonly failed = new Map<string, PlaceholderReason>();
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private saidMissing = false;

  constructor(private readonly store: Pick<ArchiveStore, 'resolveInside'>, private readonly opts: ThumbnailCacheOptions = {}) {}

  /** The thumbnail of the stored file at `fileAbs` whose sha256 the manifest lists. */
  get(sha256: string, fileAbs: string): Promise<Thumbnail> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return Promise.resolve({ kind: 'placeholder', reason: 'missing' });
    const known = this.failed.get(sha256);
    if (known) return Promise.resolve({ kind: 'placeholder', reason: known });
    let pending = this.inflight.get(sha256);
    if (!pending) {
      pending = this.load(sha256, fileAbs).finally(() => this.inflight.delete(sha256));
      this.inflight.set(sha256, pending);
    }
    return pending;
  }

  private async load(sha256: string, fileAbs: string): Promise<Thumbnail> {
    const cacheAbs = this.store.resolveInside(thumbnailPath(sha256));
    const cached = await readFile(cacheAbs).catch(() => undefined);
    if (cached) return { kind: 'image', png: cached };
    let png: Buffer;
    try {
      png = await this.limited(() => renderThumbnail(fileAbs, this.opts));
    } catch (err) {
      return { kind: 'placeholder', reason: this.failure(sha256, err) };
    }
    await writeAtomic(cacheAbs, png, 0o600).catch((err: unknown) => {
      this.opts.log?.warn({ err, code: 'dashboard.thumbnail_not_cached', sha256 }, 'Thumbnail drawn but not cached');
    });
    return { kind: 'image', png };
  }

  private failure(sha256: string, err: unknown): PlaceholderReason {
    const { code, kind } = classifyError(err);
    if (code === 'ocr.tool-missing') {
      // Not remembered: once poppler is installed, thumbnails appear without a restart.
      if (!this.saidMissing) this.opts.log?.warn({ err, code: 'dashboard.thumbnail_no_renderer' }, 'pdftoppm is missing: thumbnails show a placeholder');
      this.saidMissing = true;
      return 'no-renderer';
    }
    if (code === 'fs.missing') return 'missing';
    if (kind === 'transient' || code === 'ocr.timeout') return 'busy';
    this.opts.log?.warn({ err, code: 'dashboard.thumbnail_failed', sha256 }, 'Thumbnail could not be drawn');
    if (this.failed.size >= FAILED_MAX) this.failed.delete(this.failed.keys().next().value!);
    this.failed.set(sha256, 'unreadable');
    return 'unreadable';
  }

  private async limited<T>(job: () => Promise<T>): Promise<T> {
    const limit = Math.max(1, this.opts.concurrency ?? 2);
    if (this.active >= limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await job();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
