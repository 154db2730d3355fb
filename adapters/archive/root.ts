// The archive root and its locks: every archive module resolves paths and takes cross-process locks through here.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { contains, realPathOf, serialised } from '../atomic-fs.ts';
import type { Logger } from '../logger.ts';
import { RealPaths } from './real-paths.ts';

/** A holder that dies is taken over after this long; the holder refreshes the lock every STALE_MS / 2. */
const STALE_MS = 10_000;
/** Up to about two minutes of waiting behind other processes before giving up. */
const LOCK_RETRIES = { retries: 500, factor: 1.2, minTimeout: 10, maxTimeout: 250, randomize: true };

export class ArchiveRoot {
  readonly root: string;
  readonly log: Logger;

  /** The root with symlinks resolved, found on first use (the archive folder may not exist before that). */
  private realPaths?: RealPaths;

  constructor(root: string, log: Logger) {
    this.root = path.resolve(root);
    this.log = log;
  }

  /** Absolute path of a path relative to the root; throws when it escapes the root, through symlinks too. */
  resolveInside(relPath: string): string {
    if (typeof relPath !== 'string' || relPath.includes('\0')) throw new Error('unsafe archive path');
    const abs = path.resolve(this.root, relPath);
    this.realPaths ??= new RealPaths(this.root, realPathOf(this.root));
    if (!contains(this.root, abs) || !contains(this.realPaths.realRoot, this.realPaths.of(abs))) {
      throw new Error(`path escapes the archive: ${JSON.stringify(relPath)}`);
    }
    return abs;
  }

  /** Runs `fn` under the cross-process lock at `lockRel` (root-relative); `fn` calls assertHeld() right before its write. */
  withLock<T>(lockRel: string, fn: (assertHeld: () => void) => Promise<T>): Promise<T> {
    const lockAbs = this.resolveInside(lockRel);
    return serialised(lockAbs, async () => {
      await fs.mkdir(path.dirname(lockAbs), { recursive: true });
      let compromised: Error | undefined;
      const release = await lockfile.lock(lockAbs, {
        lockfilePath: lockAbs,
        realpath: false,
        stale: STALE_MS,
        retries: LOCK_RETRIES,
        onCompromised: (err) => {
          compromised = err;
          this.log.error({ err, code: 'archive.lock_compromised', lock: lockRel }, 'Archive lock compromised');
        },
      });
      const assertHeld = () => {
        if (compromised) throw new Error(`lost the archive lock ${lockRel}`, { cause: compromised });
      };
      try {
        return await fn(assertHeld);
      } finally {
        await release().catch(() => undefined);
      }
    });
  }

  /**
   * Read-modify-write of a small state file (reminder settings, extensions) under a cross-process lock named
   * `name` (lower-case words, digits, "-" and "/"): `_state/locks/<name>.lock`. `fn` calls assertHeld() right
   * before its write.
   */
  underStateLock<T>(name: string, fn: (assertHeld: () => void) => Promise<T>): Promise<T> {
    if (!/^[a-z0-9][a-z0-9/-]{0,150}$/.test(name) || name.includes('..')) throw new Error(`unsafe lock name ${JSON.stringify(name)}`);
    return this.withLock(`_state/locks/${name}.lock`, fn);
  }
}
