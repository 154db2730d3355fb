// Streams person folders as one ZIP (yazl): entries are added while the walk goes on and each file is read
// only when its turn comes, so a unit of thousands of scans never sits in memory. Symlinks and temp files
// are skipped: only regular files inside the given folders leave the archive.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

/** Scans are already compressed; deflating them again costs CPU and saves nothing. */
const STORED = /\.(pdf|jpe?g|png|heic|gif|zip|rar|7z|docx|xlsx)$/i;

async function addTree(zip: ZipFile, abs: string, name: string): Promise<number> {
  let entries;
  try {
    entries = await fs.readdir(abs, { withFileTypes: true });
  } catch {
    return 0;
  }
  let count = 0;
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const childAbs = path.join(abs, entry.name);
    const childName = `${name}/${entry.name}`;
    if (entry.isDirectory()) {
      count += await addTree(zip, childAbs, childName);
    } else if (entry.isFile()) {
      const stat = await fs.stat(childAbs).catch(() => undefined);
      if (!stat) continue;
      zip.addReadStreamLazy(childName, { mtime: stat.mtime, mode: 0o100644, size: stat.size, compress: !STORED.test(entry.name) }, (cb) =>
        cb(null, createReadStream(childAbs)));
      count++;
    }
  }
  return count;
}

/** `folders`: absolute paths (already resolved inside the archive) and the folder name each gets in the ZIP. */
export function streamZip(folders: Array<{ abs: string; name: string }>): Readable {
  const zip = new ZipFile();
  const out = zip.outputStream as Readable;
  zip.on('error', (err: Error) => out.destroy(err));
  (async () => {
    for (const folder of folders) await addTree(zip, folder.abs, folder.name);
    zip.end();
  })().catch((err: Error) => out.destroy(err));
  return out;
}
