// One streaming pass over a message (mailsplit) that takes every large attachment body out into the sink, decoded
// and hashed as it flows, and leaves a small "skeleton" message for the parse stage: same headers byte for byte,
// same structure, the spooled parts with an empty body and a private header naming their spooled body.
import { randomBytes } from 'node:crypto';
import { Splitter, type MimeNode } from '@zone-eu/mailsplit';
import { BodyMeter, type BodySink, type BodyWriter, type FileBody } from '../body.ts';

/**
 * The private header of a spooled part in the skeleton: "<token>-<index into Skeleton.parts>". The token is new for
 * every pass, so a sender's own header of that name can never point at another part's body.
 */
export const SPOOLED_HEADER = 'x-seis-spooled';
/** Parts up to this many encoded bytes stay in the skeleton as they are (signature logos, small forms). */
export const INLINE_PART_BYTES = 256 * 1024;
/** What mailparser reads as body text rather than an attachment (with no disposition or "inline"). */
const TEXT_TYPES = new Set(['text/plain', 'text/html', 'message/delivery-status']);
/** Names and types that the parse stage may still open past maxFileBytes (archives, winmail.dat, forwarded mail). */
const OPENED_WHOLE = /zip|rar|7z|compress|winmail|tnef|rfc822/i;
const OPENED_MAGIC = ['504b0304', '526172211a07', '377abcaf271c', '789f3e22'].map((hex) => Buffer.from(hex, 'hex'));

export interface SpooledPart {
  /** The decoded content; only size, hash and head when it was over maxFileBytes and nothing could open it. */
  body: FileBody;
  /** False when the content was not kept (over maxFileBytes). */
  kept: boolean;
}

export interface Skeleton {
  raw: Buffer;
  parts: SpooledPart[];
  /** What this pass's spool headers start with. */
  token: string;
}

/** The spooled body a part's header value names, if it is one of this skeleton's. */
export function spooledPart(skeleton: Pick<Skeleton, 'parts' | 'token'>, header: unknown): SpooledPart | undefined {
  const m = /^([0-9a-f]+)-(\d+)$/.exec(String(header ?? '').trim());
  return m && m[1] === skeleton.token ? skeleton.parts[Number(m[2])] : undefined;
}

/** A write to the sink failed (disk full…): an I/O error to retry, not damage in the message. */
export class SpoolWriteError extends Error {
  constructor(readonly cause: unknown) {
    super(`spool write failed: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

interface Options {
  sink: BodySink;
  maxFileBytes: number;
  inlineBytes?: number;
}

function isInlineText(node: MimeNode): boolean {
  const disposition = node.disposition || '';
  return TEXT_TYPES.has(node.contentType || 'text/plain') && (disposition === '' || disposition === 'inline');
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

const drained = (stream: NodeJS.EventEmitter): Promise<void> =>
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

/** One leaf part being read: held as it came until it proves large, then decoded into the sink. */
class Part {
  private pending: Buffer[] = [];
  private pendingSize = 0;
  private decoder?: ReturnType<MimeNode['getDecoder']>;
  private drain?: Promise<void>;
  private meter = new BodyMeter();
  private writer?: BodyWriter;
  private keepWhole: boolean;

  constructor(readonly node: MimeNode, private readonly headers: Buffer, private readonly opts: Options) {
    this.keepWhole = OPENED_WHOLE.test(headers.toString('latin1')) || node.contentType === 'message/rfc822';
  }

  async add(chunk: Buffer): Promise<void> {
    if (!this.decoder) {
      this.pending.push(chunk);
      this.pendingSize += chunk.length;
      if (this.pendingSize <= (this.opts.inlineBytes ?? INLINE_PART_BYTES)) return;
      this.start();
      const held = this.pending;
      this.pending = [];
      for (const c of held) await this.feed(c);
      return;
    }
    await this.feed(chunk);
  }

  /** What the skeleton keeps of this part, and its spooled body when it has one. */
  async end(mark: string): Promise<{ skeleton: Buffer[]; spooled?: SpooledPart }> {
    if (!this.decoder) return { skeleton: [this.headers, ...this.pending] };
    this.decoder.end();
    await this.drain;
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
    this.decoder?.destroy();
    await this.writer?.abort();
    this.writer = undefined;
  }

  private start(): void {
    const decoder = this.node.getDecoder();
    this.decoder = decoder;
    this.writer = this.opts.sink.create();
    this.drain = (async () => {
      try {
        for await (const chunk of decoder as AsyncIterable<Buffer>) await this.take(chunk);
      } catch (err) {
        decoder.destroy();
        throw err;
      }
    })();
    this.drain.catch(() => undefined);
  }

  private async take(chunk: Buffer): Promise<void> {
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

  private async feed(chunk: Buffer): Promise<void> {
    const decoder = this.decoder as NonNullable<Part['decoder']>;
    if (!decoder.write(chunk)) await Promise.race([drained(decoder), this.drain]);
  }
}

/**
 * Reads the message once. Text bodies and small parts stay as they are; every other leaf part goes to the sink.
 * Throws SpoolWriteError when the sink fails, and mailsplit's error on input it cannot split.
 */
export async function spoolMessage(source: AsyncIterable<Buffer>, opts: Options): Promise<Skeleton> {
  const splitter = new Splitter({ ignoreEmbedded: true });
  const token = randomBytes(8).toString('hex');
  const feeding = (async () => {
    try {
      for await (const chunk of source) {
        if (splitter.destroyed) return;
        if (!splitter.write(chunk)) await drained(splitter);
      }
      splitter.end();
    } catch (err) {
      splitter.destroy(err as Error);
    }
  })();
  const out: Buffer[] = [];
  const parts: SpooledPart[] = [];
  let current: Part | undefined;
  const close = async (): Promise<void> => {
    if (!current) return;
    const part = current;
    current = undefined;
    const ended = await part.end(`${token}-${parts.length}`);
    out.push(...ended.skeleton);
    if (ended.spooled) parts.push(ended.spooled);
  };
  try {
    for await (const obj of splitter as AsyncIterable<MimeNode | { node: MimeNode; type: 'data' | 'body'; value: Buffer }>) {
      if (obj.type === 'node') {
        await close();
        const node = obj as MimeNode;
        if (node.multipart || isInlineText(node)) out.push(node.getHeaders());
        else current = new Part(node, node.getHeaders(), opts);
        continue;
      }
      const chunk = obj as { node: MimeNode; type: 'data' | 'body'; value: Buffer };
      if (chunk.type === 'body' && current && chunk.node === current.node) {
        await current.add(chunk.value);
        continue;
      }
      await close();
      if (chunk.value) out.push(chunk.value);
    }
    await close();
  } catch (err) {
    // Bodies already spooled belong to the sink, which removes them with its area.
    splitter.destroy();
    await current?.abort();
    throw err;
  } finally {
    await feeding;
  }
  return { raw: Buffer.concat(out), parts, token };
}
