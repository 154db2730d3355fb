// Real paths below the archive root without a realpath(3) per call (it reads every component of the path, ~300
// readlink calls per message): each directory level is lstat-ed and remembered as "not a symlink" for a short
// while, so a path usually costs one lstat, of its last component. Any symlink on the way falls back to
// realPathOf, the full resolution (with its dangling-symlink error), so an escape is caught as before.
import { lstatSync, type Stats } from 'node:fs';
import path from 'node:path';
import { isCode, realPathOf } from '../atomic-fs.ts';

/**
 * How long a checked directory is trusted not to have been swapped for a symlink. The check was never atomic with
 * the use that follows it; this widens that window from microseconds to seconds for directories only.
 */
export const TRUST_MS = 2_000;
/** Forget everything past this many directories (a long-running daemon touches every person folder in time). */
const MAX_DIRS = 20_000;

export class RealPaths {
  private readonly dirs = new Map<string, { real: string; at: number }>();

  constructor(readonly root: string, readonly realRoot: string, private readonly now: () => number = Date.now) {}

  /** realPathOf(abs) for a path lexically inside the root. */
  of(abs: string): string {
    return this.walk(abs, this.now())?.real ?? realPathOf(abs);
  }

  /** undefined when a symlink is on the way; `missing` when the path does not exist (nor anything below it). */
  private walk(abs: string, now: number): { real: string; missing: boolean } | undefined {
    if (abs === this.root) return { real: this.realRoot, missing: false };
    const known = this.dirs.get(abs);
    if (known && now - known.at < TRUST_MS) return { real: known.real, missing: false };
    const parent = this.walk(path.dirname(abs), now);
    if (!parent) return undefined;
    const real = path.join(parent.real, path.basename(abs));
    if (parent.missing) return { real, missing: true };
    const stat = lstatOrMissing(abs);
    if (!stat) return { real, missing: true };
    if (stat.isSymbolicLink()) return undefined;
    if (stat.isDirectory()) {
      if (this.dirs.size >= MAX_DIRS) this.dirs.clear();
      this.dirs.set(abs, { real, at: now });
    }
    return { real, missing: false };
  }
}

function lstatOrMissing(abs: string): Stats | undefined {
  try {
    return lstatSync(abs, { throwIfNoEntry: false });
  } catch (err) {
    // A file where a directory was expected: nothing below it exists (realPathOf goes up the same way).
    if (isCode(err, 'ENOTDIR')) return undefined;
    throw err;
  }
}
