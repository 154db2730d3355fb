import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlanFiles, ArchiveStore } from '../../adapters/archive-store.ts';
import { openFileBody, SPOOL_HOST } from '../../adapters/spool.ts';
import { memoryBody } from '../../pipelines/body.ts';
import { classifySystemPath, SPOOL_DIR } from '../../pipelines/archive-layout.ts';
import { parseMessageStream } from '../../pipelines/mail/index.ts';
import { configSchema } from '../../config/schema.ts';
import * as E from '../helpers/eml.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let root: string;
let store: ArchiveStore;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'seis-spool-'));
  store = new ArchiveStore(root);
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('spool: attachment bodies in files of the archive, filed by hard link', () => {
  it('writes a spooled body once and files it by hard link: same inode, readable by all, no temp file left', async () => {
    const bytes = randomBytes(300_000);
    const spool = await store.spool.open();
    const writer = spool.create();
    await writer.write(bytes.subarray(0, 100_000));
    await writer.write(bytes.subarray(100_000));
    const body = await writer.finish();
    expect([body.size, body.sha256, body.head.equals(bytes.subarray(0, 64 * 1024))]).toEqual([bytes.length, sha(bytes), true]);
    expect(((await fs.stat(body.path!)).mode & 0o777).toString(8)).toBe('600');

    await applyPlanFiles(store, 'campaign/person', { moves: [],
      writes: [{ relPath: 'doc.pdf', body }, { relPath: 'small.pdf', body: memoryBody(Buffer.from('x')) }] });
    const filed = path.join(root, 'campaign/person/doc.pdf');
    const [a, b] = await Promise.all([fs.stat(filed), fs.stat(body.path!)]);
    expect(a.ino).toBe(b.ino);
    expect((a.mode & 0o777).toString(8)).toBe('644');
    expect(await fs.readdir(path.dirname(filed))).toEqual(['doc.pdf', 'small.pdf']);

    await spool.remove();
    expect(sha(await fs.readFile(filed))).toBe(sha(bytes));
    expect((await fs.stat(filed)).nlink).toBe(1);
    expect(await fs.readdir(path.join(root, SPOOL_DIR))).toEqual([]);
  });

  it('parses a stored original from its file into the spool, and removes the spool with the run', async () => {
    const pdf = Buffer.concat([E.fakePdf(), randomBytes(400_000)]);
    const { emlPath } = await store.storeOriginal(E.submission({ attachments: [{ name: 'บัตร.pdf', content: pdf }] }), new Date('2023-09-01T03:00:00Z'));
    const limits = configSchema.parse({}).limits;
    const seen = await store.spool.with(async (sink) => {
      const parsed = await parseMessageStream(await store.openOriginal(emlPath), { limits, sink });
      const file = parsed.files[0];
      expect([file.name, file.sha256, path.dirname(file.body.path ?? '')]).toEqual(['บัตร.pdf', sha(pdf), (sink as { dir: string }).dir]);
      return file.body.path!;
    });
    await expect(fs.stat(seen)).rejects.toThrow();
    const original = await openFileBody(path.join(root, emlPath));
    expect(original.sha256).toBe(path.basename(emlPath, '.eml'));
  });

  it('names its directories and files as verify expects a spool in use', async () => {
    const spool = await store.spool.open();
    const writer = spool.create();
    await writer.write(Buffer.from('part'));
    const body = await writer.finish();
    const rel = path.relative(root, body.path!).split(path.sep).join('/');
    expect(classifySystemPath(rel)).toEqual({ kind: 'state' });
    expect(classifySystemPath(path.posix.dirname(rel))).toEqual({ kind: 'state' });
    await spool.remove();
  });

  it('sweeps the spool directories of processes of this host that are gone, and other hosts\' only once a day old', async () => {
    const spoolRoot = path.join(root, SPOOL_DIR);
    const dead = path.join(spoolRoot, `999999999-0123456789ab.${SPOOL_HOST}`);
    const mine = path.join(spoolRoot, `${process.pid}-0123456789ab.${SPOOL_HOST}`);
    // Another machine or container sharing the archive: its pids say nothing here.
    const otherBusy = path.join(spoolRoot, '999999999-0123456789ab.other-host');
    const otherStale = path.join(spoolRoot, '999999998-0123456789ab.other-host');
    for (const dir of [dead, mine, otherBusy, otherStale]) {
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, '1.part'), 'left behind');
    }
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await fs.utimes(otherStale, twoDaysAgo, twoDaysAgo);
    expect(await store.spool.sweep()).toBe(2);
    await expect(fs.stat(dead)).rejects.toThrow();
    await expect(fs.stat(otherStale)).rejects.toThrow();
    expect((await fs.stat(mine)).isDirectory()).toBe(true);
    expect((await fs.stat(otherBusy)).isDirectory()).toBe(true);
  });
});
