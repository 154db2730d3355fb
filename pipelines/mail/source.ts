// The message as the parse stage reads it: the stored bytes without an mbox postmark line, read in ranges
// and streams so a 60 MB message is never held whole.
import { createHash } from 'node:crypto';
import type { FileBody } from '../body.ts';

export interface Source {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  stream(): AsyncIterable<Buffer>;
}

/** An mbox postmark line ("From sender date") before the headers is not part of the message. */
export async function sourceOf(body: FileBody): Promise<Source> {
  let skip = 0;
  if (body.head.subarray(0, 5).toString('latin1') === 'From ') {
    const nl = await indexOf(body, 0, Buffer.from('\n'));
    if (nl !== undefined) skip = nl + 1;
  }
  return {
    size: body.size - skip,
    read: (offset, length) => body.read(skip + offset, length),
    stream: () => body.stream(skip),
  };
}

export function readSource(source: Source, offset: number, length: number): Promise<Buffer> {
  return source.read(offset, Math.max(0, Math.min(length, source.size - offset)));
}

async function indexOf(body: FileBody, start: number, needle: Buffer): Promise<number | undefined> {
  let at = start;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of body.stream(start)) {
    const window = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const hit = window.indexOf(needle);
    if (hit !== -1) return at - carry.length + hit;
    at += chunk.length;
    carry = window.subarray(Math.max(0, window.length - needle.length + 1));
  }
  return undefined;
}

/** Where the top-level header block ends (after its blank line), if it has one: the earlier of CRLFCRLF and LFLF. */
export async function headerEndOf(source: Source): Promise<number | undefined> {
  let at = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of source.stream()) {
    const window = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const base = at - carry.length;
    const crlf = window.indexOf('\r\n\r\n');
    const lf = window.indexOf('\n\n');
    const ends = [crlf === -1 ? -1 : crlf + 4, lf === -1 ? -1 : lf + 2].filter((n) => n > 0);
    if (ends.length > 0) return base + Math.min(...ends);
    at += chunk.length;
    carry = window.subarray(Math.max(0, window.length - 3));
  }
  return undefined;
}

/** SHA-256 of everything after the top-level header block (the whole input when there is no blank line). */
export async function bodyHashOf(source: Source): Promise<string> {
  const start = (await headerEndOf(source)) ?? 0;
  const hash = createHash('sha256');
  let at = 0;
  for await (const chunk of source.stream()) {
    if (at + chunk.length > start) hash.update(chunk.subarray(Math.max(0, start - at)));
    at += chunk.length;
  }
  return hash.digest('hex');
}
