import { randomBytes, randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Transform } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Base64Decoder } from '../../../pipelines/mail/base64-decoder.ts';

// The decoder mailsplit hands out for base64 parts (what the spool pass used before), resolved where mailsplit finds it.
const fromMailsplit = createRequire(import.meta.resolve('@zone-eu/mailsplit'));
const { Decoder } = fromMailsplit('libbase64') as { Decoder: new() => Transform };

async function reference(chunks: Buffer[]): Promise<Buffer> {
  const decoder = new Decoder();
  const out: Buffer[] = [];
  decoder.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((resolve) => decoder.on('end', resolve));
  for (const c of chunks) decoder.write(c);
  decoder.end();
  await done;
  return Buffer.concat(out);
}

function ours(chunks: Buffer[]): Buffer {
  const decoder = new Base64Decoder();
  return Buffer.concat([...chunks.map((c) => decoder.write(c)), decoder.end()]);
}

/** Cut into pieces of random sizes (empty ones included), so chunk edges fall anywhere: inside quartets, CRLF, padding. */
function cuts(raw: Buffer, maxPiece: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < raw.length;) {
    const size = randomInt(0, maxPiece + 1);
    out.push(raw.subarray(at, at + size));
    at += size;
  }
  return out;
}

const wrap = (text: string, width: number, eol: string) => text.replace(new RegExp(`.{1,${width}}`, 'g'), (l) => l + eol);
const JUNK = [' ', '\t', '\r', '\n', '=', '-', '_', '*', '.', '\u00e9', '\u00ff', '\u0000', '!', '~'];

/** Base64 text as mail clients and broken senders write it: wrapped lines, and sometimes junk, padding mid-stream. */
function sample(): Buffer {
  const data = randomBytes(randomInt(0, 3000));
  const eol = ['\r\n', '\n', '\r'][randomInt(0, 3)];
  let text = wrap(data.toString('base64'), [76, 64, 75, 1, 3][randomInt(0, 5)], eol);
  const kind = randomInt(0, 4);
  if (kind === 1) {
    // padding mid-stream: several base64 runs glued together, each padded on its own
    text = [0, 1, 2].map(() => wrap(randomBytes(randomInt(0, 200)).toString('base64'), 76, eol)).join('');
  } else if (kind === 2) {
    const chars = [...text];
    for (let n = randomInt(1, 20); n > 0; n--) chars.splice(randomInt(0, chars.length + 1), 0, JUNK[randomInt(0, JUNK.length)]);
    text = chars.join('');
  } else if (kind === 3) {
    text = text.slice(0, randomInt(0, text.length + 1)); // cut anywhere: an incomplete last quartet
  }
  return Buffer.from(text, 'latin1');
}

describe('base64 decoder of the spool pass', () => {
  it('decodes wrapped base64 exactly as Buffer does, whatever the chunking', () => {
    const data = randomBytes(30_000);
    for (const eol of ['\r\n', '\n']) {
      const raw = Buffer.from(wrap(data.toString('base64'), 76, eol), 'latin1');
      for (const max of [1, 5, 77, 4096, 300_000]) expect(ours(cuts(raw, max)).equals(data)).toBe(true);
    }
  });

  it('gives libbase64\'s bytes on random input: junk characters, url-safe digits, padding mid-stream, cut quartets', async () => {
    for (let round = 0; round < 400; round++) {
      const raw = sample();
      const chunks = cuts(raw, [1, 3, 80, 2000][round % 4]);
      const expected = await reference(cuts(raw, 100));
      expect(ours(chunks).toString('hex'), raw.toString('latin1')).toBe(expected.toString('hex'));
      expect(ours([raw]).equals(expected)).toBe(true);
    }
  });

  it('handles the edge cases one by one', async () => {
    for (const text of ['', '=', 'Q', 'QQ', 'QQ=', 'QQ==QUJD', 'QUJDQ', 'QU\r\nJD\r\n', '-_-_', 'QU=JD=', '====QUJD', 'QUJD\u00ffQUJD']) {
      const raw = Buffer.from(text, 'latin1');
      const expected = await reference([raw]);
      for (let at = 0; at <= raw.length; at++) expect(ours([raw.subarray(0, at), raw.subarray(at)]).equals(expected), text).toBe(true);
    }
  });
});
