import { randomBytes, randomInt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Splitter, type MimeNode } from '@zone-eu/mailsplit';
import type { Transform } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LeafBodySplitter } from '../../../pipelines/mail/leaf-body-splitter.ts';
import * as E from '../../helpers/eml.ts';

type Event = { kind: 'node'; id: number; headers: string } | { kind: 'data' | 'body'; id: number; hex: string } | { kind: 'error'; message: string };

/** What a splitter emits, with consecutive data or body chunks joined (the spool pass only joins them). */
async function events(splitter: Transform, chunks: Buffer[]): Promise<Event[]> {
  const ids = new Map<MimeNode, number>();
  const id = (node: MimeNode) => ids.get(node) ?? ids.set(node, ids.size).get(node)!;
  const out: Event[] = [];
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
  (async () => {
    for (const c of chunks) if (!splitter.write(c)) await new Promise((r) => splitter.once('drain', r));
    splitter.end();
  })();
  await done;
  return out;
}

function cuts(raw: Buffer, maxPiece: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < raw.length;) {
    const size = randomInt(1, maxPiece + 1);
    out.push(raw.subarray(at, at + size));
    at += size;
  }
  return out;
}

async function expectSameSplit(raw: Buffer, maxPiece: number): Promise<void> {
  const chunks = cuts(raw, maxPiece);
  const opts = { ignoreEmbedded: true };
  const fast = await events(new LeafBodySplitter(opts) as unknown as Transform, chunks);
  const slow = await events(new Splitter(opts) as unknown as Transform, chunks);
  if (process.env.SPLIT_FUZZ_DUMP && JSON.stringify(fast) !== JSON.stringify(slow))
    (await import('node:fs')).writeFileSync(process.env.SPLIT_FUZZ_DUMP, JSON.stringify({ raw: raw.toString('hex'), sizes: chunks.map((c) => c.length) }));
  expect(fast).toEqual(slow);
}

const pick = <T>(list: T[]): T => list[randomInt(0, list.length)];

/** A message as senders and broken software write them: any line may look like a delimiter, or be one. */
function fuzzMessage(): Buffer {
  const eol = pick(['\r\n', '\n', '\r\n', '\r\n']);
  const open: string[] = [];
  const lines: string[] = [];
  const bodyLine = (): string => {
    const b = open.length ? pick(open) : 'x';
    return pick([
      randomBytes(57).toString('base64'),
      randomBytes(randomInt(0, 57)).toString('base64'),
      '',
      '-',
      '--',
      '---',
      `--${b}`,
      `--${b}--`,
      `--${b}x`,
      `--${b} \t`,
      `\r--${b}`,
      `-${b}`,
      ` --${b}`,
      'text with a bare \r carriage return',
      '=E0=B8=81 quoted=',
      'a'.repeat(randomInt(900, 1100)),
      randomInt(0, 100) === 0 ? 'b'.repeat(70_000) : 'plain line',
    ]);
  };
  const part = (depth: number): void => {
    if (depth < 3 && randomInt(0, 3) === 0) {
      const boundary = pick(['b', '----=_Part_1', '=_abc', 'x-y-z']) + depth + randomInt(0, 9);
      lines.push(`Content-Type: multipart/${pick(['mixed', 'alternative'])};`, ` boundary="${boundary}"`, '');
      for (let n = randomInt(0, 3); n > 0; n--) lines.push(bodyLine());
      open.push(boundary);
      for (let n = randomInt(1, 4); n > 0; n--) {
        lines.push(`--${boundary}${pick(['', '', ' ', '\t '])}`);
        part(depth + 1);
      }
      if (randomInt(0, 4) > 0) lines.push(`--${boundary}--`);
      open.pop();
      for (let n = randomInt(0, 3); n > 0; n--) lines.push(bodyLine());
      return;
    }
    lines.push(`Content-Type: ${pick(['application/pdf', 'text/plain', 'message/rfc822', 'image/jpeg'])}`);
    lines.push(`Content-Transfer-Encoding: ${pick(['base64', '7bit', 'quoted-printable'])}`, '');
    for (let n = randomInt(0, 120); n > 0; n--) lines.push(bodyLine());
  };
  lines.push('From: a@example.org', 'Subject: fuzz');
  part(0);
  const text = lines.join(eol) + pick(['', eol, eol + eol]);
  return Buffer.from(randomInt(0, 2) ? text : `junk before${eol}${text}`, 'latin1');
}

describe('leaf body splitter: mailsplit\'s split, without splitting a leaf body line by line', () => {
  it('emits what mailsplit emits for random messages, cut into chunks of any size', { timeout: 120_000 }, async () => {
    for (let round = 0; round < Number(process.env.SPLIT_FUZZ_ROUNDS ?? 60); round++) {
      const raw = fuzzMessage();
      await expectSameSplit(raw, pick(raw.length < 50_000 ? [1, 7, 100, 5000, 1 << 20] : [7, 100, 5000, 70_000, 1 << 20]));
    }
  });

  it('emits what mailsplit emits for the committed client fixtures and generated submissions', async () => {
    const dir = new URL('../../fixtures/mail/', import.meta.url);
    const raws: Buffer[] = readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(new URL(f, dir)));
    raws.push(
      E.submission({ attachments: [{ name: 'a.pdf', content: randomBytes(300_000) }] }),
      E.message({ body: E.multipart('mixed', [E.textPart('x'), E.attachment({ name: 'b.pdf', content: randomBytes(5000) })], { unterminated: true }) }),
    );
    for (const raw of raws) for (const max of [13, 4096, 1 << 20]) await expectSameSplit(raw, max);
  });
});
