// Reading the whole archive for `seis-intake verify`: every entry below the root without following symlinks,
// and streaming sha256 of files (a 70 MB scan is never held in memory), hard links hashed once. Read-only.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';

export interface WalkEntry {
  /** Relative to the root, POSIX separators. */
  rel: string;
  type: 'file' | 'symlink' | 'other';
  size: number;
  mtimeMs: number;
  /** dev:ino, to hash hard links once. */
  inode: string;
}

/** Folders whose content belongs to someone else (lock library) or is already set aside (quarantine). */
const OPAQUE = new Set(['_state/locks', '_state/quarantine']);

export async function walkArchive(root: string): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  const visit = async (relDir: string): Promise<void> => {
    const abs = relDir ? path.join(root, relDir) : root;
    let entries;
    try {
      entries = await fs.readdir(abs, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!OPAQUE.has(rel)) await visit(rel);
        continue;
      }
      const stat = await fs.lstat(path.join(root, rel)).catch(() => undefined);
      if (!stat) continue; // gone while we looked (a live process renamed it)
      out.push({
        rel,
        type: stat.isSymbolicLink() ? 'symlink' : stat.isFile() ? 'file' : 'other',
        size: stat.size,
        mtimeMs: stat.mtimeMs,
        inode: `${stat.dev}:${stat.ino}`,
      });
    }
  };
  await visit('');
  return out;
}

export function hashFileStream(abs: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(abs).on('error', reject).on('data', (chunk) => hash.update(chunk)).on('end', () => resolve(hash.digest('hex')));
  });
}

/** sha256 per inode: `_originals/*.eml` are hard links of `_messages/` files and cost nothing extra. */
export class HashCache {
  private readonly byInode = new Map<string, Promise<string>>();

  constructor(private readonly root: string) {}

  get(entry: Pick<WalkEntry, 'rel' | 'inode'>): Promise<string> {
    let hash = this.byInode.get(entry.inode);
    if (!hash) {
      hash = hashFileStream(path.join(this.root, entry.rel));
      this.byInode.set(entry.inode, hash);
    }
    return hash;
  }
}

/** Whether a process with this id is running on this machine (EPERM: it is, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
