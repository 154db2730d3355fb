// Random MIME messages and chunkings for comparing the leaf-body splitter with plain mailsplit, from a seed, so
// that a failing message can be made again (SPLIT_FUZZ_SEED) and kept as a regression case.
import { Splitter, type MimeNode } from '@zone-eu/mailsplit';
import type { Transform } from 'node:stream';
import { LeafBodySplitter } from '../../pipelines/mail/leaf-body-splitter.ts';

export type SplitEvent =
  | { kind: 'node'; id: number; headers: string }
  | { kind: 'data' | 'body'; id: number; hex: string }
  | { kind: 'error'; message: string };

/** A small seeded generator (mulberry32): the same seed gives the same message and the same cuts. */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min));
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(0, list.length)];
  }
  chance(oneIn: number): boolean {
    return this.int(0, oneIn) === 0;
  }
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 256);
    return out;
  }
}

/** What a splitter emits, with consecutive data or body chunks joined (the spool pass only joins them). */
export async function splitEvents(splitter: Transform, chunks: Buffer[]): Promise<SplitEvent[]> {
  const ids = new Map<MimeNode, number>();
  const id = (node: MimeNode) => ids.get(node) ?? ids.set(node, ids.size).get(node)!;
  const out: SplitEvent[] = [];
  const done = new Promise<void>((resolve) => {
    splitter.on('data', (obj: MimeNode | { node: MimeNode; type: 'data' | 'body'; value: Buffer }) => {
      if (obj.type === 'node') {
        out.push({ kind: 'node', id: id(obj as MimeNode), headers: (obj as MimeNode).getHeaders().toString('latin1') });
        return;
      }
      const chunk = obj as { node: MimeNode; type: 'data' | 'body'; value: Buffer };
      const last = out.at(-1);
      const hex = chunk.value ? chunk.value.toString('hex') : '';
      // mailsplit names a run of data (preamble, delimiters, epilogue) after the node it started in, also past a
      // closing delimiter; the spool pass copies data as it comes, whatever node it names.
      const node = chunk.type === 'data' ? -1 : id(chunk.node);
      if (last && last.kind === chunk.type && last.id === node) last.hex += hex;
      else out.push({ kind: chunk.type, id: node, hex });
    });
    splitter.on('end', resolve);
    splitter.on('error', (err: Error) => {
      out.push({ kind: 'error', message: err.message });
      resolve();
    });
  });
  void (async () => {
    for (const c of chunks) if (!splitter.write(c)) await new Promise((r) => splitter.once('drain', r));
    splitter.end();
  })();
  await done;
  return out;
}

/** The message cut into pieces of 1 to maxPiece bytes. */
export function cuts(rng: Rng, raw: Buffer, maxPiece: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < raw.length;) {
    const size = rng.int(1, maxPiece + 1);
    out.push(raw.subarray(at, at + size));
    at += size;
  }
  return out;
}

/** Both splitters' events for one chunking: equal when the fast path is right. */
export async function bothSplits(chunks: Buffer[]): Promise<{ fast: SplitEvent[]; slow: SplitEvent[] }> {
  const opts = { ignoreEmbedded: true };
  const fast = await splitEvents(new LeafBodySplitter(opts) as unknown as Transform, chunks);
  const slow = await splitEvents(new Splitter(opts) as unknown as Transform, chunks);
  return { fast, slow };
}

const BOUNDARIES = ['b', 'b1', 'b12', 'b1-', '=_abc', '=_abc=', 'x-y-z', '----=_Part_1', '----=_Part_10', 'q'];

/**
 * A message as senders and broken software write them: nested multiparts with preambles and epilogues, parts closed
 * by an ancestor's delimiter or never, boundaries that are prefixes of one another, delimiter look-alikes, CR runs.
 */
export function fuzzMessage(rng: Rng): Buffer {
  const eol = rng.pick(['\r\n', '\n', '\r\n', '\r\n', '\r\r\n']);
  const open: string[] = [];
  const lines: string[] = [];
  const ending = (): string => (rng.chance(12) ? rng.pick(['\r\n', '\n', '\r\r\n', '\r', '']) : eol);
  const delimiter = (b: string, closing: boolean): string =>
    `${rng.chance(10) ? rng.pick(['\r', '\r\r']) : ''}--${b}${closing ? '--' : ''}${
      rng.chance(4) ? rng.pick([' ', '\t ', '  \t', ' '.repeat(rng.int(1, 40))]) : ''
    }`;
  // Half the messages are mostly plain base64 bodies, as real attachments: long runs the splitter takes past
  // mailsplit, ended by delimiters and header blocks in the middle of a write.
  const plain = rng.chance(2);
  const bodyLine = (): string => {
    const b = open.length ? rng.pick(open) : rng.pick(BOUNDARIES);
    if (plain && !rng.chance(30)) return rng.bytes(57).toString('base64');
    return rng.pick([
      rng.bytes(57).toString('base64'),
      rng.bytes(rng.int(0, 57)).toString('base64'),
      '',
      '',
      '-',
      '--',
      '---',
      `--${b}`,
      `--${b}--`,
      `--${b}x`,
      `--${b}-`,
      delimiter(b, rng.chance(2)),
      `\r--${b}`,
      `\r\r--${b}`,
      `\r`,
      `\r\r`,
      `-${b}`,
      ` --${b}`,
      'text with a bare \r carriage return',
      '=E0=B8=81 quoted=',
      'a'.repeat(rng.int(900, 1100)),
      rng.chance(100) ? 'b'.repeat(rng.int(65_000, 70_000)) : 'plain line',
    ]);
  };
  const someLines = (max: number): void => {
    for (let n = rng.int(0, max); n > 0; n--) lines.push(bodyLine());
  };
  const part = (depth: number): void => {
    if (depth < 4 && rng.chance(depth === 0 ? 2 : 3)) {
      const boundary = rng.chance(3) && open.length ? rng.pick(open) : rng.pick(BOUNDARIES) + (rng.chance(2) ? '' : depth);
      lines.push(`Content-Type: multipart/${rng.pick(['mixed', 'alternative', 'related'])};`, ` boundary="${boundary}"`);
      if (!rng.chance(15)) lines.push('');
      someLines(4);
      open.push(boundary);
      for (let n = rng.int(0, 4); n > 0; n--) {
        lines.push(delimiter(boundary, false));
        part(depth + 1);
      }
      const close = rng.int(0, 6);
      if (close > 1) lines.push(delimiter(boundary, true));
      else if (close === 1 && open.length > 1) lines.push(delimiter(rng.pick(open.slice(0, -1)), rng.chance(2)));
      open.pop();
      someLines(close > 0 ? 5 : 2);
      return;
    }
    if (rng.chance(8)) return; // a part with no header block at all
    const type = rng.pick(['application/pdf', 'text/plain', 'message/rfc822', 'image/jpeg', 'text/plain; boundary="b"']);
    lines.push(`Content-Type: ${type}`);
    if (type === 'message/rfc822' && rng.chance(2)) lines.push('Content-Disposition: inline');
    lines.push(`Content-Transfer-Encoding: ${rng.pick(['base64', '7bit', 'quoted-printable'])}`);
    if (rng.chance(10)) return; // headers, then straight a delimiter
    lines.push('');
    if (type === 'message/rfc822' && rng.chance(2)) {
      lines.push('From: b@example.org', 'Subject: inner');
      part(depth + 1);
      return;
    }
    someLines(rng.pick(plain ? [3, 60, 150, 400] : [3, 10, 60, 150]));
    if (type.includes('boundary') && rng.chance(2)) {
      // mailsplit splits a non-multipart part by its boundary parameter too, and returns to its body after "--b--"
      open.push('b');
      for (let n = rng.int(1, 3); n > 0; n--) {
        lines.push(delimiter('b', false));
        part(depth + 1);
      }
      if (!rng.chance(3)) lines.push(delimiter('b', true));
      open.pop();
      someLines(rng.pick([3, 60]));
    }
  };
  lines.push('From: a@example.org', 'Subject: fuzz');
  part(0);
  someLines(rng.chance(3) ? 4 : 1);
  const text = lines.map((line, i) => (i === lines.length - 1 ? line : line + ending())).join('') + rng.pick(['', eol, eol + eol]);
  return Buffer.from(rng.chance(4) ? `junk before${eol}${text}` : text, 'latin1');
}

/** Piece sizes to cut a message of this length into (1-byte pieces only for small messages: they are slow). */
export function pieceSizes(rng: Rng, length: number): number[] {
  const small = length < 4000 ? [1, 2, 3, 5, 7, 16] : length < 20_000 ? [5, 7, 16, 40] : [16, 40];
  return [rng.pick(small), rng.pick([40, 100, 300]), rng.pick([1000, 5000, 16_384]), rng.pick([70_000, 1 << 20])];
}
