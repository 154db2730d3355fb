// The bytes of one file as the stages pass them on: size, hash and first bytes at hand, the rest read on demand,
// so a 50 MB scan can live in a file (adapters/spool.ts) and stages read only what they need. Tests and small
// made-up files (converted images, split PDFs) live in memory behind the same interface.
import { createHash } from 'node:crypto';

/** Enough for every magic-number sniff (PDF, ZIP, RAR, 7z, TNEF, images) and a PDF header check. */
export const HEAD_BYTES = 64 * 1024;

export interface FileBody {
  readonly size: number;
  /** Lower-case hex SHA-256 of the whole content. */
  readonly sha256: string;
  /** The first min(size, HEAD_BYTES) bytes. */
  readonly head: Buffer;
  /** The whole content: only where a library truly needs it (one file at a time). */
  bytes(): Promise<Buffer>;
  /** Random access (ZIP central directory, PDF trailer): fewer bytes than asked only at the end. */
  read(offset: number, length: number): Promise<Buffer>;
  /** The content from `start` (default 0) to the end, in chunks. */
  stream(start?: number): AsyncIterable<Buffer>;
  /** Set when the content lives in a file: adapters link or rename from it instead of copying bytes. */
  readonly path?: string;
}

/** Where stages put the bytes they produce (decoded attachments, unpacked entries). */
export interface BodySink {
  /**
   * With `meter`, the caller adds every chunk to it before writing it (it counts and hashes anyway): the body's
   * size, hash and head may then come from it, so the bytes are hashed once. A writer may also ignore it.
   */
  create(hint?: string, meter?: BodyMeter): BodyWriter;
}

export interface BodyWriter {
  write(chunk: Buffer): void | Promise<void>;
  /** The body written; nothing is written to it after this. */
  finish(): Promise<FileBody>;
  /** Drops what was written. */
  abort(): Promise<void>;
}

const STREAM_CHUNK = 256 * 1024;

export function memoryBody(buf: Buffer, knownSha256?: string): FileBody {
  let hash = knownSha256;
  return {
    size: buf.length,
    // Hashed when first asked: a message parsed from memory is not hashed whole unless someone needs it.
    get sha256() {
      return (hash ??= createHash('sha256').update(buf).digest('hex'));
    },
    head: buf.subarray(0, HEAD_BYTES),
    bytes: async () => buf,
    read: async (offset, length) => buf.subarray(offset, Math.min(buf.length, offset + length)),
    stream: async function*(start = 0) {
      for (let at = start; at < buf.length; at += STREAM_CHUNK) yield buf.subarray(at, at + STREAM_CHUNK);
    },
  };
}

export const EMPTY_BODY: FileBody = memoryBody(Buffer.alloc(0));

export const memorySink: BodySink = {
  create: (_hint, meter) => {
    const chunks: Buffer[] = [];
    return {
      write: (chunk) => {
        chunks.push(chunk);
      },
      finish: async () => memoryBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), meter?.digest().sha256),
      abort: async () => {
        chunks.length = 0;
      },
    };
  },
};

/** Copies a body through a sink (a memory body into a file, say); the hash is the source's. */
export async function copyBody(body: FileBody, sink: BodySink, hint?: string): Promise<FileBody> {
  const writer = sink.create(hint);
  try {
    for await (const chunk of body.stream()) await writer.write(chunk);
    return await writer.finish();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/** Counts, hashes and keeps the first HEAD_BYTES of what goes through: what every writer computes while writing. */
export class BodyMeter {
  size = 0;
  private readonly hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private headSize = 0;
  private digested?: { size: number; sha256: string; head: Buffer };

  add(chunk: Buffer): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    if (this.headSize < HEAD_BYTES) {
      const take = chunk.subarray(0, HEAD_BYTES - this.headSize);
      this.headChunks.push(Buffer.from(take));
      this.headSize += take.length;
    }
  }

  /** The first bytes seen so far. */
  get head(): Buffer {
    return this.headChunks.length === 1 ? this.headChunks[0] : Buffer.concat(this.headChunks);
  }

  /** What went through; the meter takes nothing more after the first call. */
  digest(): { size: number; sha256: string; head: Buffer } {
    return (this.digested ??= { size: this.size, sha256: this.hash.digest('hex'), head: Buffer.concat(this.headChunks) });
  }
}

/**
 * Bodies in memory while all of them together stay under `budget` bytes; a body that would pass it goes to
 * `overflow` (a file spool) from then on, what it had in memory included. Lets a caller keep small messages whole.
 */
export function budgetSink(budget: number, overflow: BodySink): BodySink {
  let used = 0;
  return {
    create: (hint, meter) => {
      const chunks: Buffer[] = [];
      let spilled: BodyWriter | undefined;
      return {
        write: async (chunk) => {
          if (!spilled && used + chunk.length <= budget) {
            used += chunk.length;
            chunks.push(chunk);
            return;
          }
          if (!spilled) {
            spilled = overflow.create(hint, meter);
            for (const held of chunks.splice(0)) await spilled.write(held);
          }
          await spilled.write(chunk);
        },
        finish: async () => spilled ? spilled.finish() : memoryBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), meter?.digest().sha256),
        abort: async () => {
          chunks.length = 0;
          await spilled?.abort();
        },
      };
    },
  };
}
