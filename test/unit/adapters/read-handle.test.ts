import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReadHandle, ReadHandles } from '../../../adapters/read-handle.ts';
import { SpoolArea } from '../../../adapters/spool.ts';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seis-read-handle-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(dir, { recursive: true, force: true });
});

const IDLE_MS = 20;
const idle = () => new Promise((resolve) => setTimeout(resolve, IDLE_MS * 5));

describe('ReadHandle: one open file for a burst of ranged reads', () => {
  it('reads what the file holds at any offset, fewer bytes only at the end', async () => {
    const bytes = randomBytes(200_000);
    const file = path.join(dir, 'a');
    await fs.writeFile(file, bytes);
    const reader = new ReadHandle(file);
    for (const [offset, length] of [[0, 10], [123_456, 70_000], [199_990, 100], [200_000, 5], [5, 0]]) {
      expect((await reader.read(offset, length)).equals(bytes.subarray(offset, offset + length))).toBe(true);
    }
    await reader.close();
  });

  it('opens the file once for reads in a row, and closes it once they stop', async () => {
    const file = path.join(dir, 'a');
    await fs.writeFile(file, randomBytes(10_000));
    const open = vi.spyOn(fs, 'open');
    const reader = new ReadHandle(file, undefined, IDLE_MS);
    await Promise.all([reader.read(0, 10), reader.read(100, 10)]);
    for (let i = 0; i < 20; i++) await reader.read(i * 100, 100);
    expect(open).toHaveBeenCalledTimes(1);
    expect(reader.isOpen).toBe(true);
    await idle();
    expect(reader.isOpen).toBe(false);
    await reader.read(0, 1);
    expect(open).toHaveBeenCalledTimes(2);
    await reader.close();
    expect(reader.isOpen).toBe(false);
  });

  it('passes a failed open on and tries again on the next read', async () => {
    const file = path.join(dir, 'later');
    const reader = new ReadHandle(file);
    await expect(reader.read(0, 1)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(reader.isOpen).toBe(false);
    await fs.writeFile(file, 'x');
    expect((await reader.read(0, 1)).toString()).toBe('x');
    await reader.close();
  });

  it('a spool run closes the handles of its bodies before it removes its directory', async () => {
    const handles = new ReadHandles();
    const files = ['a', 'b'].map((name) => path.join(dir, name));
    for (const file of files) await fs.writeFile(file, 'abc');
    const readers = files.map((file) => handles.for(file));
    await Promise.all(readers.map((reader) => reader.read(0, 3)));
    expect(handles.openCount).toBe(2);
    await handles.closeAll();
    expect([handles.openCount, ...readers.map((reader) => reader.isOpen)]).toEqual([0, false, false]);

    const spool = await new SpoolArea(dir).open();
    const writer = spool.create();
    await writer.write(Buffer.from('%PDF-1.4 spooled'));
    const body = await writer.finish();
    expect((await body.read(1, 3)).toString()).toBe('PDF');
    const close = vi.spyOn(ReadHandle.prototype, 'close');
    await spool.remove();
    expect(close).toHaveBeenCalled();
    await expect(fs.stat(spool.dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('ReadHandle: the handle that wrote a file, kept for its first reads', () => {
  it('reads a spooled part through the handle that wrote it, without opening the file again', async () => {
    const spool = await new SpoolArea(dir).open();
    const writer = spool.create();
    const bytes = randomBytes(300_000);
    await writer.write(bytes);
    const body = await writer.finish();
    const open = vi.spyOn(fs, 'open');
    expect((await body.bytes()).equals(bytes)).toBe(true);
    expect((await body.read(299_990, 100)).equals(bytes.subarray(299_990))).toBe(true);
    expect(open).not.toHaveBeenCalled();
    await spool.remove();
  });

  it('a spool run keeps only so many files open, the least recently used closing first', async () => {
    const handles = new ReadHandles(2, IDLE_MS);
    const files = ['a', 'b', 'c'].map((name) => path.join(dir, name));
    for (const file of files) await fs.writeFile(file, 'abc');
    const [a, b, c] = files.map((file) => handles.for(file));
    await a.read(0, 1);
    await b.read(0, 1);
    await a.read(0, 1);
    await c.read(0, 1);
    expect([a.isOpen, b.isOpen, c.isOpen, handles.openCount]).toEqual([true, false, true, 2]);
    await idle();
    expect(handles.openCount).toBe(0);
  });
});
