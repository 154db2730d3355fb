// Large mail written to disk as a stream: scan-like PDFs, ZIPs of them and base64 MIME never exist whole in the
// test process, so building a 60 MB message costs a few MB of memory. Deterministic: noise is a keystream of a label.
import { createCipheriv, createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { attachment, message, renderPart, textPart, type MessageSpec } from './eml.ts';

type Chunks = AsyncIterable<Buffer> | Iterable<Buffer>;

/** What a generated file turned out to be, for comparing with what the pipeline filed. */
export interface Written {
  size: number;
  sha256: string;
}

export const MB = 1024 * 1024;
const ZEROS = Buffer.alloc(MB);

/** AES-128-CTR keystream of a label: fast, deterministic, never compressible (a scanner's JPEG data barely is). */
function* noise(label: string, size: number): Generator<Buffer> {
  const key = createHash('sha256').update(label).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  for (let left = size; left > 0; left -= ZEROS.length) yield cipher.update(left >= ZEROS.length ? ZEROS : ZEROS.subarray(0, left));
}

/** SOI and an SOF0 header (3504 × 2480, 8 bit, RGB): all a PDF reader looks at without decoding the image. */
export const JPEG_HEAD = Buffer.from([
  0xff,
  0xd8,
  0xff,
  0xc0,
  0x00,
  0x11,
  0x08,
  0x0d,
  0xb0,
  0x09,
  0xb0,
  0x03,
  0x01,
  0x22,
  0x00,
  0x02,
  0x11,
  0x01,
  0x03,
  0x11,
  0x01,
]);
const JPEG_EOI = Buffer.from([0xff, 0xd9]);

/**
 * A scanned A4 document of about `bytes` bytes over `pages` pages: one full-page JPEG image each, as office
 * scanners write them, with a correct cross-reference table. Written by hand, not pdf-lib, so it streams.
 */
export function* scanPdf(label: string, bytes: number, pages = 1): Generator<Buffer> {
  let at = 0;
  const offsets: number[] = [];
  const out = (text: string | Buffer): Buffer => {
    const b = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    at += b.length;
    return b;
  };
  const obj = (n: number, body: string): Buffer => {
    offsets[n] = at;
    return out(`${n} 0 obj\n${body}\nendobj\n`);
  };
  const page = (i: number) => ({ page: 3 + 3 * i, contents: 4 + 3 * i, image: 5 + 3 * i });
  const imageBytes = Math.max(1024, Math.floor((bytes - 400 - pages * 420) / pages));
  yield out('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  yield obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  const kids = Array.from({ length: pages }, (_, i) => `${page(i).page} 0 R`).join(' ');
  yield obj(2, `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`);
  const draw = 'q 595 0 0 842 0 0 cm /Im0 Do Q';
  for (let i = 0; i < pages; i++) {
    const n = page(i);
    yield obj(n.page,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 ${n.image} 0 R >> >> /Contents ${n.contents} 0 R >>`);
    yield obj(n.contents, `<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`);
    offsets[n.image] = at;
    yield out(`${n.image} 0 obj\n<< /Type /XObject /Subtype /Image /Width 2480 /Height 3504 /ColorSpace /DeviceRGB `
      + `/BitsPerComponent 8 /Filter /DCTDecode /Length ${imageBytes} >>\nstream\n`);
    yield out(JPEG_HEAD);
    for (const chunk of noise(`${label}#${i}`, imageBytes - JPEG_HEAD.length - JPEG_EOI.length)) yield out(chunk);
    yield out(JPEG_EOI);
    yield out('\nendstream\nendobj\n');
  }
  const xrefAt = at;
  const entries = offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  yield out(`xref\n0 ${offsets.length}\n0000000000 65535 f \n${entries}`);
  yield out(`trailer\n<< /Size ${offsets.length} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`);
}

/** Passes chunks through, counting and hashing them; `done` gets the total at the end. */
export async function* measured(source: Chunks, done: (w: Written) => void): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    size += chunk.length;
    yield chunk;
  }
  done({ size, sha256: hash.digest('hex') });
}

export interface ZipSource {
  name: string;
  content: () => Chunks;
}

/**
 * A ZIP of the entries, deflated with data descriptors as macOS and Windows write them; each entry is opened only
 * when its turn comes. Level 1: noise does not compress at any level, and level 6 takes seconds longer on 50 MB.
 */
export function zipStream(entries: ZipSource[]): Readable {
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2023, 8, 1, 3, 0, 0));
  for (const e of entries) zip.addReadStreamLazy(e.name, { mtime, compress: true, compressionLevel: 1 }, (cb) => cb(null, Readable.from(e.content())));
  zip.end();
  return zip.outputStream as Readable;
}

/** base64 in 76-character lines; CRLF between lines, none after the last (the boundary's CRLF follows). */
async function* base64Lines(source: Chunks): AsyncGenerator<Buffer> {
  let rest = Buffer.alloc(0);
  let first = true;
  const lines = (block: Buffer): Buffer => {
    const b64 = Buffer.from(block.toString('base64'), 'latin1');
    const count = Math.ceil(b64.length / 76);
    const out = Buffer.allocUnsafe(b64.length + 2 * count);
    let at = 0;
    for (let i = 0; i < b64.length; i += 76) {
      if (!first || i > 0) at += out.write('\r\n', at, 'latin1');
      at += b64.copy(out, at, i, Math.min(i + 76, b64.length));
    }
    first = false;
    return out.subarray(0, at);
  };
  for await (const chunk of source) {
    const data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    const whole = data.length - (data.length % 57);
    if (whole > 0) yield lines(data.subarray(0, whole));
    rest = Buffer.from(data.subarray(whole));
  }
  if (rest.length) yield lines(rest);
}

export interface StreamedAttachment {
  name: string;
  contentType?: string;
  content: () => Chunks;
}

/** Top-level headers and a multipart/mixed body of a text part and the attachments, streamed. */
async function* messageChunks(spec: Omit<MessageSpec, 'body'> & { text: string; attachments: StreamedAttachment[] }): AsyncGenerator<Buffer> {
  const { text, attachments, ...headers } = spec;
  const boundary = `----=_Part_streamed_${createHash('sha256').update(spec.messageId ?? '').digest('hex').slice(0, 16)}`;
  yield message({ ...headers, body: { headers: [`Content-Type: multipart/mixed; boundary="${boundary}"`], body: Buffer.alloc(0) } });
  yield Buffer.from(`This is a multi-part message in MIME format.\r\n\r\n--${boundary}\r\n`);
  yield renderPart(textPart(text));
  for (const a of attachments) {
    const part = attachment({ name: a.name, contentType: a.contentType, content: Buffer.alloc(0) });
    yield Buffer.from(`\r\n--${boundary}\r\n`);
    yield renderPart({ headers: part.headers, body: Buffer.alloc(0) });
    yield* base64Lines(a.content());
  }
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

/** Writes the message to `path` (via a temporary name, so a cut-short run never leaves a plausible file). */
export async function writeStreamedMessage(
  path: string,
  spec: Omit<MessageSpec, 'body'> & { text: string; attachments: StreamedAttachment[] },
): Promise<Written> {
  let written: Written = { size: 0, sha256: '' };
  const tmp = `${path}.${process.pid}.tmp`;
  await pipeline(Readable.from(measured(messageChunks(spec), (w) => {
    written = w;
  })), createWriteStream(tmp));
  await rename(tmp, path);
  return written;
}
