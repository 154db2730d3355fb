// Writes a list of chunks at the file's position in one gathering write (no copy into one buffer first); what a
// short write left goes again. Spool parts and streamed originals collect a decoder's or a download's small chunks
// into a ChunkBatch of about a megabyte and write each batch with this.
import type { promises as fs } from 'node:fs';

type Writable = Pick<fs.FileHandle, 'writev'>;

/** Batches are written once they reach this many bytes. */
const BATCH_BYTES = 1024 * 1024;

export async function writeChunks(handle: Writable, chunks: Buffer[]): Promise<void> {
  let pending = chunks.filter((chunk) => chunk.length > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await handle.writev(pending);
    if (bytesWritten === 0) throw new Error('file write made no progress');
    const rest: Buffer[] = [];
    for (const chunk of pending) {
      if (bytesWritten >= chunk.length) bytesWritten -= chunk.length;
      else {
        rest.push(chunk.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    pending = rest;
  }
}

/** Chunks held until there are about a megabyte of them, then written in one writeChunks. */
export class ChunkBatch {
  private chunks: Buffer[] = [];
  /** Bytes held. */
  size = 0;

  /** Holds `chunk`; true once the batch is full and should be written. */
  add(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.size += chunk.length;
    return this.size >= BATCH_BYTES;
  }

  /** Writes what is held (nothing when empty) and empties the batch. */
  async writeTo(handle: Writable): Promise<void> {
    const chunks = this.chunks;
    this.chunks = [];
    this.size = 0;
    if (chunks.length > 0) await writeChunks(handle, chunks);
  }

  clear(): void {
    this.chunks = [];
    this.size = 0;
  }
}
