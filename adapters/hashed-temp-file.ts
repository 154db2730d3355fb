// A stream written to a temp file while its sha256 is computed, then fsynced: the first half of storing a large
// original without holding it in memory. Where the file ends up (rename, dedupe) is archive-store.ts's business.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import { inDir, tempPathIn } from './atomic-fs.ts';
import { recordArchiveWriteError } from './metrics.ts';
import { ChunkBatch } from './write-chunks.ts';

export interface HashedTempFile {
  /** Absolute path of the fsynced temp file: the caller renames or removes it. */
  tmp: string;
  sha256: string;
  bytes: number;
}

export interface HashedTempOptions {
  mode?: number;
  /**
   * Called after each chunk is on disk (not yet fsynced) with the bytes so far; the next chunk is read only once it
   * resolves. A throw fails the write as a broken source would: tests cut a download midway through it.
   */
  onChunk?: (bytesSoFar: number) => void | Promise<void>;
}

/**
 * Copies `source` into a new temp file in `dir`, hashing as it writes, and fsyncs it. On any failure (the source
 * errors, the disk is full) the temp file is removed, the source destroyed (a download stops fetching) and the
 * error thrown: no half file is ever left behind by a live process.
 */
export async function writeHashedTemp(source: Readable | AsyncIterable<Buffer>, dir: string, opts: HashedTempOptions = {}): Promise<HashedTempFile> {
  const tmp = tempPathIn(dir);
  const hash = createHash('sha256');
  let bytes = 0;
  let handle: fs.FileHandle | undefined;
  // A failing source (the download) is not an archive write error; everything else here is, for the metric.
  let diskWork = true;
  try {
    handle = await inDir(dir, () => fs.open(tmp, 'wx', opts.mode ?? 0o644));
    const open = handle;
    diskWork = false;
    // A download's chunks (often 16–64 KiB) are written a batch at a time, unless onChunk watches each one.
    const batch = new ChunkBatch();
    const flush = async (): Promise<void> => {
      diskWork = true;
      await batch.writeTo(open);
      diskWork = false;
    };
    for await (const chunk of source) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      hash.update(buf);
      bytes += buf.length;
      const full = batch.add(buf);
      if (opts.onChunk) {
        await flush();
        await opts.onChunk(bytes);
      } else if (full) {
        await flush();
      }
    }
    await flush();
    diskWork = true;
    await handle.sync();
    await handle.close();
    handle = undefined;
    return { tmp, sha256: hash.digest('hex'), bytes };
  } catch (err) {
    if (diskWork) recordArchiveWriteError(err);
    if ('destroy' in source && typeof source.destroy === 'function') source.destroy();
    await handle?.close().catch(() => undefined);
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
}
