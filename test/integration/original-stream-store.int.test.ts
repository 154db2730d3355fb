// ArchiveStore.storeOriginalStream on a real disk: the same file, path, mode and dedupe as storeOriginal, and nothing
// left behind when the source fails midway.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { messageEmlPath } from '../../pipelines/archive-paths.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const AUGUST = new Date('2023-08-20T03:00:00Z');
const SEPTEMBER = new Date('2023-09-01T03:00:00Z');
let dir: string;

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The message in 64 KiB pieces, as a download delivers it. */
function pieces(raw: Buffer): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < raw.length; i += 65_536) parts.push(raw.subarray(i, i + 65_536));
  return Readable.from(parts);
}

const files = (month: string) => readdirSync(join(dir, '_messages', month)).sort();

describe('storing an original from a stream', () => {
  it('writes the same read-only file storeOriginal would, and finds content it already has in another month', async () => {
    dir = mkdtempSync(join(tmpdir(), 'seis-stream-store-'));
    const store = new ArchiveStore(dir);
    const raw = randomBytes(3 * 1024 * 1024 + 17);
    const stored = await store.storeOriginalStream(pieces(raw), AUGUST);
    expect(stored).toEqual({ rawKey: sha(raw), emlPath: messageEmlPath(sha(raw), AUGUST), bytes: raw.length });
    expect(readFileSync(join(dir, stored.emlPath)).equals(raw)).toBe(true);
    expect(statSync(join(dir, stored.emlPath)).mode & 0o777).toBe(0o444);

    // A re-scan brings the same bytes with another arrival time: the August copy is the one.
    expect(await store.storeOriginalStream(pieces(raw), SEPTEMBER)).toEqual(stored);
    expect(await store.storeOriginal(raw, SEPTEMBER)).toEqual({ rawKey: stored.rawKey, emlPath: stored.emlPath });
    expect(files('2023/08')).toEqual([`${sha(raw)}.eml`]);
    expect(files('2023/09')).toEqual([]); // the September temp file is gone too
  });

  it('leaves no file behind when the source fails midway, and stores it whole the next time', async () => {
    dir = mkdtempSync(join(tmpdir(), 'seis-stream-store-'));
    const store = new ArchiveStore(dir);
    const raw = randomBytes(1024 * 1024);
    async function* broken() {
      yield raw.subarray(0, 300_000);
      throw Object.assign(new Error('connection closed'), { code: 'NoConnection' });
    }
    await expect(store.storeOriginalStream(broken(), AUGUST)).rejects.toThrow('connection closed');
    expect(files('2023/08')).toEqual([]);

    const chunks: number[] = [];
    await expect(store.storeOriginalStream(pieces(raw), AUGUST, { onChunk: (n) => {
      if (n > 500_000) throw new Error('cut');
      chunks.push(n);
    } }))
      .rejects.toThrow('cut');
    expect(files('2023/08')).toEqual([]);
    expect(chunks.length).toBeGreaterThan(1);

    const stored = await store.storeOriginalStream(pieces(raw), AUGUST);
    expect(files('2023/08')).toEqual([`${sha(raw)}.eml`]);
    expect(sha(readFileSync(join(dir, stored.emlPath)))).toBe(sha(raw));
  });
});
