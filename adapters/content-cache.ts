// The archive's cache of what each file's pages said, by the file's sha256 (`_state/content/ab/<sha>.json`):
// the engine's page text, never the decisions, so better lexicons apply to files read long ago. Mode 600:
// it is the text of ID cards.
import { contentCachePath } from '../pipelines/archive-paths.ts';
import type { PageText } from '../pipelines/content/index.ts';
import type { ArchiveStore } from './archive-store.ts';
import { json, readJson, writeAtomic } from './atomic-fs.ts';

export interface CachedPages {
  sha256: string;
  readAt: string;
  /** The engine and its languages, so a later engine can tell old readings. */
  engine: string;
  pages: PageText[];
  /** Pages past the per-file budget, not read. */
  skippedPages?: number;
  seconds: number;
}

export class ContentCache {
  constructor(private readonly store: Pick<ArchiveStore, 'resolveInside'>) {}

  get(sha256: string): Promise<CachedPages | undefined> {
    return readJson<CachedPages>(this.store.resolveInside(contentCachePath(sha256)));
  }

  async put(entry: CachedPages): Promise<void> {
    await writeAtomic(this.store.resolveInside(contentCachePath(entry.sha256)), json(entry), 0o600);
  }
}
