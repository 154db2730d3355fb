import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeHashedTemp } from '../../../adapters/hashed-temp-file.ts';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seis-hashed-temp-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function* pieces(chunks: Buffer[]): AsyncIterable<Buffer> {
  for (const chunk of chunks) yield chunk;
}

describe('writeHashedTemp: a download written in batches', () => {
  it('keeps every byte of thousands of small chunks (empty ones too), with their hash', async () => {
    const chunks = Array.from({ length: 3000 }, (_, i) => randomBytes(i % 7 === 0 ? 0 : 1000 + (i % 300)));
    const all = Buffer.concat(chunks);
    const written = await writeHashedTemp(pieces(chunks), dir);
    expect(written.bytes).toBe(all.length);
    expect(written.sha256).toBe(createHash('sha256').update(all).digest('hex'));
    expect((await fs.readFile(written.tmp)).equals(all)).toBe(true);
  });

  it('has each chunk on disk before onChunk hears of it', async () => {
    const chunks = [randomBytes(5000), randomBytes(0), randomBytes(7000)];
    const seen: number[] = [];
    const written = await writeHashedTemp(pieces(chunks), dir, {
      onChunk: async (n) => {
        const tmp = (await fs.readdir(dir))[0];
        seen.push(n, (await fs.stat(path.join(dir, tmp))).size);
      },
    });
    expect(seen).toEqual([5000, 5000, 5000, 5000, 12000, 12000]);
    expect(written.bytes).toBe(12000);
  });

  it('makes its folder when missing, and again when it was removed after a write', async () => {
    const month = path.join(dir, '_messages', '2026', '12');
    const first = await writeHashedTemp(pieces([Buffer.from('one')]), month);
    expect(await fs.readFile(first.tmp, 'utf8')).toBe('one');
    await fs.rm(path.join(dir, '_messages'), { recursive: true });
    const second = await writeHashedTemp(pieces([Buffer.from('two')]), month);
    expect(await fs.readFile(second.tmp, 'utf8')).toBe('two');
  });
});
