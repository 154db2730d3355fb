// mailsplit's Splitter, but the lines of a leaf part's body that cannot be a delimiter pass as one body chunk
// instead of line by line: a 2 MB base64 attachment is ~27,000 lines that mailsplit scans byte by byte in JS,
// slices and wraps one by one. Every line that might be a delimiter (starts with "--" or CR "--", the only lines
// mailsplit's checkBoundary ever accepts), every header, preamble and epilogue still goes through mailsplit itself.
// It reads mailsplit's private state, so the version is pinned in package.json and the tests compare both splitters.
//
// mailsplit does not read a write that starts with a pending line (a body line's ending it kept for a delimiter) as
// it reads the middle of a write: the next line gets that line ending in front, and after a delimiter read first the
// header lines of a part closed by an ancestor's closing delimiter ("--b" "Header: x" "--outer--") are not repeated in
// the epilogue data, as they are in the middle of a write (the failure of 5ad0fea). So this splitter starts a
// write of its own only where mailsplit keeps nothing pending (after a header block or a data line), or with the
// pending line mailsplit would keep had the write been cut there (handBack), never after a blank body line.
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
  delimiterOwner: MimeNode | false;
  checkBoundary(line: Buffer): 1 | 2 | 3 | 4 | false;
}

/** mailsplit's private fields of a node. */
type OwnedNode = MimeNode & { _boundary: Buffer | false; _parentBoundaryOwner: MimeNode | false };

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
 * Where in `chunk` the run of body lines that cannot delimit ends: the start of the first line that may, or of the
 * unfinished last line. `lineStart`: the first bytes of the line `chunk` continues or starts.
 */
export function safeBodyEnd(lineStart: Buffer, chunk: Buffer): number {
  return mayDelimit(lineStart) ? 0 : firstDashLine(chunk, chunk.lastIndexOf(LF) + 1);
}

/** Just after the first blank line that starts at or after `from` (a line start after the first), if there is one. */
function afterBlankLine(chunk: Buffer, from: number): number | undefined {
  const crlf = chunk.indexOf('\n\r\n', from - 1);
  const lf = chunk.indexOf('\n\n', from - 1);
  const blank = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 3 : lf >= 0 ? lf + 2 : -1;
  return blank > 0 && blank < chunk.length ? blank : undefined;
}

/**
 * The start of the first line from `from` (a line start after the first) and before `end` that starts with "--" or
 * CR "--", else `end` (one byte search: base64 has no "-").
 */
function firstDashLine(chunk: Buffer, end: number, from = 1): number {
  for (let at = chunk.indexOf(DASH, from); at >= 0 && at < end; at = chunk.indexOf(DASH, at + 1)) {
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
 * Where a write that starts in a header block, a preamble or an epilogue may end and the next start without a
 * difference: after its first blank line, which ends a header block or is preamble or epilogue data, as a body only
 * starts after a header block. mailsplit keeps nothing of such a line pending, so the next write reads on as the
 * middle of this one would. Not when a closing delimiter could move mailsplit into a body without a header block
 * (an open non-multipart part with a boundary parameter): that first blank line could be a body line.
 */
function restartAt(self: SplitterState, lineStart: Buffer, chunk: Buffer): number | undefined {
  // A blank line at the very start is one the search below cannot see: the next one found could be in a body.
  if (lineStart.length === 0 || lineStart[0] === CR || lineStart[0] === LF) return undefined;
  for (let node: MimeNode | false = self.node; node; node = (node as OwnedNode)._parentBoundaryOwner) {
    if ((node as OwnedNode)._boundary && !node.multipart) return undefined;
  }
  return afterBlankLine(chunk, 1);
}

/**
 * Where a write in a leaf body may end: after the header block of the next part, when the line at `limit` (the
 * first that may delimit, read by mailsplit as it stands) is a delimiter that starts one and no line of that header
 * block may be a delimiter. mailsplit has kept nothing pending there, as after any header block.
 */
function afterNextHeaders(self: SplitterState, chunk: Buffer, limit: number): number | undefined {
  const lineEnd = chunk.indexOf(LF, limit) + 1;
  if (lineEnd === 0) return undefined;
  const owner = self.delimiterOwner;
  const kind = self.checkBoundary(chunk.subarray(limit, lineEnd));
  self.delimiterOwner = owner;
  if (kind !== 1 && kind !== 3) return undefined;
  const end = afterBlankLine(chunk, lineEnd);
  return end !== undefined && firstDashLine(chunk, end, lineEnd) === end ? end : undefined;
}

export class LeafBodySplitter extends Splitter {
  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    const self = this as unknown as SplitterState;
    if (chunk.length === 0 || self.hasFailed || !Array.isArray(self.lineChunks)) {
      super._transform(chunk, encoding, callback);
      return;
    }
    const lineStart = Buffer.concat([...self.lineChunks, chunk.subarray(0, 8)], Math.min(8, self.lineLength + chunk.length));
    if (self.state === BODY && !self.node?.multipart) {
      this.leafBody(lineStart, chunk, encoding, callback);
      return;
    }
    this.inTwo(chunk, 0, restartAt(self, lineStart, chunk), encoding, callback);
  }

  /** chunk from `from` to mailsplit, as two writes when `cut` is given; the second one starts over here. */
  private inTwo(chunk: Buffer, from: number, cut: number | undefined, encoding: BufferEncoding, callback: TransformCallback): void {
    if (cut === undefined) {
      super._transform(chunk.subarray(from), encoding, callback);
      return;
    }
    super._transform(chunk.subarray(from, cut), encoding, (err) => {
      if (err) callback(err);
      else this._transform(chunk.subarray(cut), encoding, callback);
    });
  }

  /** A write that starts in a leaf body: its safe lines out as one chunk, the rest to mailsplit up to the next body. */
  private leafBody(lineStart: Buffer, chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    const self = this as unknown as SplitterState;
    if (self.pendingLineTruncated || self.nodeCounter > self.maxChildNodes) {
      super._transform(chunk, encoding, callback);
      return;
    }
    const limit = safeBodyEnd(lineStart, chunk);
    const at = handBack(chunk, limit);
    // mailsplit reads the line at `limit` as it stands unless it is a write's first line with a pending line, or the
    // line after that (see handBack): then it is not worth the trouble.
    const asItStands = at !== undefined || self.lineLength === 0 || limit > chunk.indexOf(LF) + 1;
    if (at !== undefined) this.skipBody(chunk, at);
    this.inTwo(chunk, at ?? 0, asItStands ? afterNextHeaders(self, chunk, limit) : undefined, encoding, callback);
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
