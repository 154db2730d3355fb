// One leaf part of the spool pass: held as it came until it proves large, then decoded into the sink and hashed.
// Base64 (nearly every attachment) and plain bodies are decoded in place, chunk by chunk; quoted-printable keeps
// mailsplit's own decoder stream.
import type { MimeNode } from '@zone-eu/mailsplit';
import { BodyMeter, memoryBody, type BodySink, type BodyWriter, type FileBody } from '../body.ts';
import { Base64Decoder } from './base64-decoder.ts';

/**
 * Parts up to this many encoded bytes are not spooled to a file (signature logos, small forms, most scans): base64
 * ones are decoded here into memory, the rest stay in the skeleton as they are.
 */
export const INLINE_PART_BYTES = 256 * 1024;
/** Names and types that the parse stage may still open past maxFileBytes (archives, winmail.dat, forwarded mail). */
const OPENED_WHOLE = /zip|rar|7z|compress|winmail|tnef|rfc822/i;
/**
 * Decoded in pieces of this size: Node makes a string over ~1 MB (a latin1 copy of a 1 MiB read) outside V8's heap,
 * with a malloc and page faults each time, which cost more than the decoding.
 */
const DECODE_PIECE = 256 * 1024;
const OPENED_MAGIC = ['504b0304', '526172211a07', '377abcaf271c', '789f3e22'].map((hex) => Buffer.from(hex, 'hex'));

export interface SpooledPart {
  /** The decoded content; only size, hash and head when it was over maxFileBytes and nothing could open it. */
  body: FileBody;
  /** False when the content was not kept (over maxFileBytes). */
  kept: boolean;
}

/** A write to the sink failed (disk full…): an I/O error to retry, not damage in the message. */
export class SpoolWriteError extends Error {
  constructor(readonly cause: unknown) {
    super(`spool write failed: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

export interface PartOptions {
  sink: BodySink;
  maxFileBytes: number;
  inlineBytes?: number;
}

function notKept(meter: BodyMeter): FileBody {
  const { size, sha256, head } = meter.digest();
  const gone = async (): Promise<never> => {
    throw new Error('content over maxFileBytes was not kept');
  };
  return { size, sha256, head, bytes: gone, read: gone, stream: () => ({ [Symbol.asyncIterator]: () => ({ next: gone }) }) };
}

/** The part's header block with the private header first, in the block's own line ending. */
function markedHeaders(headers: Buffer, mark: string): Buffer {
  const eol = headers.includes('\r\n') || headers.length === 0 ? '\r\n' : '\n';
  return Buffer.concat([Buffer.from(`X-Seis-Spooled: ${mark}${eol}`, 'latin1'), headers]);
}

export const drained = (stream: NodeJS.EventEmitter): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });

/** Decoding chunk by chunk, as mailsplit's getDecoder() would for the part's transfer encoding. */
interface InPlaceDecoder {
  write(chunk: Buffer): Buffer;
  end(): Buffer;
}

const asIs: InPlaceDecoder = { write: (chunk) => chunk, end: () => Buffer.alloc(0) };

function inPlaceDecoder(node: MimeNode): InPlaceDecoder | undefined {
  if (node.encoding === 'base64') return new Base64Decoder();
  return node.encoding === 'quoted-printable' ? undefined : asIs;
}

export class Part {
  /**
   * Body lines not yet decoded (mailsplit hands a body over line by line): the whole part while it may still stay
   * in the skeleton, then up to DECODE_PIECE at a time.
   */
  private held: Buffer[] = [];
  private heldSize = 0;
  private started = false;
  private inPlace?: InPlaceDecoder;
  private stream?: ReturnType<MimeNode['getDecoder']>;
  private drain?: Promise<void>;
  private meter = new BodyMeter();
  private writer?: BodyWriter;
  private keepWhole: boolean;

  constructor(readonly node: MimeNode, private readonly headers: Buffer, private readonly opts: PartOptions) {
    this.keepWhole = OPENED_WHOLE.test(headers.toString('latin1')) || node.contentType === 'message/rfc822';
  }

  async add(chunk: Buffer): Promise<void> {
    this.held.push(chunk);
    this.heldSize += chunk.length;
    if (!this.started) {
      if (this.heldSize <= (this.opts.inlineBytes ?? INLINE_PART_BYTES)) return;
      this.start();
    }
    if (this.heldSize >= DECODE_PIECE) await this.feedHeld();
  }

  /** What the skeleton keeps of this part, and its spooled body when it has one. */
  async end(mark: string): Promise<{ skeleton: Buffer[]; spooled?: SpooledPart }> {
    if (!this.started) {
      const body = this.decodedInMemory();
      if (body) return { skeleton: [markedHeaders(this.headers, mark)], spooled: { body, kept: true } };
      return { skeleton: [this.headers, ...this.held] };
    }
    await this.feedHeld();
    if (this.inPlace) await this.take(this.inPlace.end());
    else {
      this.stream?.end();
      await this.drain;
    }
    const writer = this.writer;
    this.writer = undefined;
    const spooled = writer
      ? { body: await writer.finish().catch((err: unknown) => {
        throw new SpoolWriteError(err);
      }), kept: true }
      : { body: notKept(this.meter), kept: false };
    return { skeleton: [markedHeaders(this.headers, mark)], spooled };
  }

  async abort(): Promise<void> {
    this.stream?.destroy();
    await this.writer?.abort();
    this.writer = undefined;
  }

  /**
   * A small base64 part decoded at once into memory: left in the skeleton, mailparser would scan its lines a
   * second time and decode it with libbase64's slower string path, to the same bytes.
   */
  private decodedInMemory(): FileBody | undefined {
    if (this.node.encoding !== 'base64' || this.heldSize === 0) return undefined;
    const decoder = new Base64Decoder();
    const head = decoder.write(this.held.length === 1 ? this.held[0] : Buffer.concat(this.held, this.heldSize));
    const tail = decoder.end();
    const bytes = tail.length === 0 ? head : Buffer.concat([head, tail]);
    // Over maxFileBytes (a tiny limit) it stays as it was: the parse stage reports it too large.
    if (bytes.length > this.opts.maxFileBytes) return undefined;
    return memoryBody(bytes);
  }

  private start(): void {
    this.started = true;
    // The meter sees every decoded byte first (size limit, magic numbers): the writer takes its hash from it.
    this.writer = this.opts.sink.create(undefined, this.meter);
    this.inPlace = inPlaceDecoder(this.node);
    if (this.inPlace) return;
    const stream = this.node.getDecoder();
    this.stream = stream;
    this.drain = (async () => {
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) await this.take(chunk);
      } catch (err) {
        stream.destroy();
        throw err;
      }
    })();
    this.drain.catch(() => undefined);
  }

  private async take(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.meter.add(chunk);
    if (this.writer && this.meter.size > this.opts.maxFileBytes && !this.opensWhole()) {
      await this.writer.abort();
      this.writer = undefined;
    }
    if (this.writer)
      await Promise.resolve(this.writer.write(chunk)).catch((err: unknown) => {
        throw new SpoolWriteError(err);
      });
  }

  private opensWhole(): boolean {
    const head = this.meter.head;
    return this.keepWhole || OPENED_MAGIC.some((magic) => head.subarray(0, magic.length).equals(magic));
  }

  private async feedHeld(): Promise<void> {
    if (this.heldSize === 0) return;
    const chunk = this.held.length === 1 ? this.held[0] : Buffer.concat(this.held, this.heldSize);
    this.held = [];
    this.heldSize = 0;
    await this.feed(chunk);
  }

  private async feed(chunk: Buffer): Promise<void> {
    if (this.inPlace) {
      for (let at = 0; at < chunk.length; at += DECODE_PIECE) await this.take(this.inPlace.write(chunk.subarray(at, at + DECODE_PIECE)));
      return;
    }
    const stream = this.stream as NonNullable<Part['stream']>;
    if (!stream.write(chunk)) await Promise.race([drained(stream), this.drain]);
  }
}
