// Writes a list of chunks at the file's position in one gathering write (no copy into one buffer first); what a
// short write left goes again. Spool parts and streamed originals collect a decoder's or a download's small chunks
// into batches of about a megabyte and write each batch with this.
import type { promises as fs } from 'node:fs';

export async function writeChunks(handle: Pick<fs.FileHandle, 'writev'>, chunks: Buffer[]): Promise<void> {
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
