// mailsplit's Splitter, but the lines of a leaf part's body that cannot be a delimiter pass as one body chunk
// instead of line by line: a 2 MB base64 attachment is ~27,000 lines that mailsplit scans byte by byte in JS,
// slices and wraps one by one. Every line that might be a delimiter (starts with "--" or CR "--", the only lines
// mailsplit's checkBoundary ever accepts), every header, preamble and epilogue still goes through mailsplit itself.
// It reads mailsplit's private state, so the version is pinned in package.json and the tests compare both splitters.
import { Splitter } from '@zone-eu/mailsplit';
import type { MimeNode } from '@zone-eu/mailsplit';
import type { TransformCallback } from 'node:stream';

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
/** mailsplit's state number for "reading a body". */
const BODY = 2;

/** The fields of mailsplit 5.4.30's MessageSplitter this relies on. */
interface SplitterState {
  state: number;
  node: MimeNode;
  lineLength: number;
  pendingLineTruncated: boolean;
  hasFailed: boolean;
  nodeCounter: number;
  maxChildNodes: number;
  takePendingLine(): Buffer | false;
  appendPendingLine(chunk: Buffer): void;
  lineChunks: Buffer[];
}

/**
 * Whether a line may be a delimiter to mailsplit: "--" after the line endings it may carry in front (checkBoundary
 * skips one; a line ending kept pending can come in front of that). Unknown bytes count as dashes.
 */
function mayDelimit(lineStart: Buffer): boolean {
  let at = 0;
  while (at < lineStart.length && (lineStart[at] === CR || lineStart[at] === LF)) at += 1;
  return at + 2 > lineStart.length || (lineStart[at] === DASH && lineStart[at + 1] === DASH);
}

/**
 * Where in `chunk` the run of body lines that cannot delimit ends: the start of the first line that may (`candidate`),
 * or of the unfinished last line. `lineStart`: the first bytes of the line `chunk` continues or starts.
 */
export function safeBodyEnd(lineStart: Buffer, chunk: Buffer): { limit: number; candidate: boolean } {
  if (mayDelimit(lineStart)) return { limit: 0, candidate: true };
  const tail = chunk.lastIndexOf(LF) + 1;
  const limit = firstDashLine(chunk, tail);
  return { limit, candidate: limit < tail };
}

/** The start of the first line before `end` that starts with "--" or CR "--" (one byte search: base64 has no "-"). */
function firstDashLine(chunk: Buffer, end: number): number {
  for (let at = chunk.indexOf(DASH, 1); at >= 0 && at < end; at = chunk.indexOf(DASH, at + 1)) {
    if (chunk[at + 1] !== DASH) continue;
    if (chunk[at - 1] === LF) return at;
    if (chunk[at - 1] === CR && at >= 2 && chunk[at - 2] === LF) return at - 1;
  }
  return end;
}

/**
 * Where to hand the chunk back to mailsplit, as if it had been cut there: one byte into the second-last safe line.
 * mailsplit reads the first line of a chunk that has a pending line apart, and glues its line ending to the next
 * line; that next line, and the one after it (which mailsplit then reads as it would in the middle of a chunk),
 * must be safe lines. Undefined when there is no such place (a short run, a blank line there).
 */
function handBack(chunk: Buffer, limit: number): number | undefined {
  if (limit < 2) return undefined;
  const last = chunk.lastIndexOf(LF, limit - 2) + 1;
  if (last < 2) return undefined;
  const secondLast = chunk.lastIndexOf(LF, last - 2) + 1;
  if (secondLast < 1 || chunk[secondLast] === CR || chunk[secondLast] === LF) return undefined;
  return secondLast + 1;
}

/**
 * Where mailsplit may stop and start again without a difference: after the first blank line from `from` on, which
 * ends a header block (or is a blank line in a body: then the two lines after it must not start with CR, the only
 * lines mailsplit reads differently after a chunk edge, as "\r\n\r--b" is no delimiter but "\r--b" is).
 */
function restartAt(chunk: Buffer, from: number): number | undefined {
  const crlf = chunk.indexOf('\n\r\n', from);
  const lf = chunk.indexOf('\n\n', from);
  const blank = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 3 : lf >= 0 ? lf + 2 : -1;
  if (blank < 0 || blank >= chunk.length || chunk[blank] === CR) return undefined;
  const next = chunk.indexOf(LF, blank) + 1;
  return next > 0 && (next >= chunk.length || chunk[next] === CR) ? undefined : blank;
}

export class LeafBodySplitter extends Splitter {
  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    const self = this as unknown as SplitterState;
    if (chunk.length === 0 || self.hasFailed || !Array.isArray(self.lineChunks)) {
      super._transform(chunk, encoding, callback);
      return;
    }
    let rest = chunk;
    const lineStart = Buffer.concat([...self.lineChunks, chunk.subarray(0, 8)], Math.min(8, self.lineLength + chunk.length));
    // A blank line at the start is one the search below cannot see; the next one found could be in a body.
    let from = lineStart[0] === CR || lineStart[0] === LF ? rest.length : 0;
    const inLeafBody = self.state === BODY && !self.node?.multipart;
    if (inLeafBody && !self.pendingLineTruncated && self.nodeCounter <= self.maxChildNodes) {
      const { limit, candidate } = safeBodyEnd(lineStart, chunk);
      const at = handBack(chunk, limit);
      if (at !== undefined) {
        this.skipBody(chunk, at);
        rest = chunk.subarray(at);
      }
      from = candidate ? limit - (at ?? 0) : rest.length;
    } else if (inLeafBody) from = rest.length;
    const cut = from < rest.length ? restartAt(rest, from) : undefined;
    if (cut === undefined) {
      super._transform(rest, encoding, callback);
      return;
    }
    super._transform(rest.subarray(0, cut), encoding, (err) => {
      if (err) callback(err);
      else this._transform(rest.subarray(cut), encoding, callback);
    });
  }

  /** Body up to `at` (one byte into a safe line) out as one chunk, left as mailsplit leaves a chunk cut there. */
  private skipBody(chunk: Buffer, at: number): void {
    const self = this as unknown as SplitterState;
    // The line ending before the partial line stays pending with it (a delimiter would take it), except in a
    // top-level body, which no delimiter ends.
    let end = at - 1;
    if (self.node.parentNode) end -= end >= 2 && chunk[end - 2] === CR ? 2 : 1;
    const pending = self.takePendingLine();
    const body = chunk.subarray(0, end);
    this.push({ node: self.node, type: 'body', value: pending ? Buffer.concat([pending, body]) : body });
    self.appendPendingLine(chunk.subarray(end, at));
  }
}
