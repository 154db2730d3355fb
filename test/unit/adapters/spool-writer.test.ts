import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpoolArea } from '../../../adapters/spool.ts';
import { BodyMeter } from '../../../pipelines/body.ts';
import { writeChunks } from '../../../adapters/write-chunks.ts';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seis-spool-writer-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('spool writer: chunks gathered into large writes', () => {
  it('keeps every byte of many small and large chunks, in order, with their hash and head', async () => {
    const chunks = [0, 1, 77, 65_536, 300_000, 0, 1_200_000, 5].map((n) => randomBytes(n));
    const all = Buffer.concat(chunks);
    const spool = await new SpoolArea(dir).open();
    const writer = spool.create();
    for (const chunk of chunks) await writer.write(chunk);
    const body = await writer.finish();
    expect(body.size).toBe(all.length);
    expect(body.sha256).toBe(createHash('sha256').update(all).digest('hex'));
    expect(body.head.equals(all.subarray(0, 64 * 1024))).toBe(true);
    expect((await fs.readFile(body.path!)).equals(all)).toBe(true);
    await spool.remove();
  });

  it('takes size, hash and head from the caller\'s meter, which it does not feed again', async () => {
    const chunks = [randomBytes(70_000), randomBytes(1_100_000), randomBytes(3)];
    const all = Buffer.concat(chunks);
    const spool = await new SpoolArea(dir).open();
    const meter = new BodyMeter();
    const writer = spool.create(undefined, meter);
    for (const chunk of chunks) {
      meter.add(chunk);
      await writer.write(chunk);
    }
    const body = await writer.finish();
    expect([body.size, meter.size]).toEqual([all.length, all.length]);
    expect(body.sha256).toBe(createHash('sha256').update(all).digest('hex'));
    expect(body.head.equals(all.subarray(0, 64 * 1024))).toBe(true);
    expect((await fs.readFile(body.path!)).equals(all)).toBe(true);
    await spool.remove();
  });

  it('writes again what a short write left', async () => {
    const written: Buffer[] = [];
    const handle = {
      writev: async (buffers: readonly NodeJS.ArrayBufferView[]) => {
        const whole = Buffer.concat(buffers as Buffer[]);
        const taken = whole.subarray(0, 1000);
        written.push(Buffer.from(taken));
        return { bytesWritten: taken.length, buffers };
      },
    };
    const chunks = [randomBytes(700), randomBytes(2500), randomBytes(10)];
    await writeChunks(handle as never, chunks);
    expect(Buffer.concat(written).equals(Buffer.concat(chunks))).toBe(true);
    expect(written.length).toBe(4);
  });
});
