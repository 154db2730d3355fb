// `_messages/YYYY/MM/<sha256-of-raw>.eml`: every original, stored first, idempotent by content hash.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { MESSAGES_DIR, messageEmlPath } from '../../pipelines/archive-paths.ts';
import { rawKeyOfPath } from '../../pipelines/archive-layout.ts';
import type { FileBody } from '../../pipelines/body.ts';
import { sha256 } from '../../pipelines/hash.ts';
import { subdirs, syncDir, writeAtomic } from '../atomic-fs.ts';
import { writeHashedTemp, type HashedTempOptions } from '../hashed-temp-file.ts';
import { recordArchiveWriteError } from '../metrics.ts';
import { openFileBody } from '../spool.ts';
import type { ArchiveRoot } from './root.ts';

export async function storeOriginal(archive: ArchiveRoot, raw: Buffer, receivedAt: Date): Promise<{ rawKey: string; emlPath: string }> {
  const rawKey = sha256(raw);
  const emlPath = (await findOriginal(archive, rawKey, receivedAt)) ?? messageEmlPath(rawKey, receivedAt);
  const abs = archive.resolveInside(emlPath);
  const exists = await fs.stat(abs).then(() => true, () => false);
  if (!exists) await writeAtomic(abs, raw, 0o444);
  return { rawKey, emlPath };
}

/**
 * storeOriginal for a message too large to hold in memory: the stream goes to a temp file in the month's folder
 * (hashed as it is written, fsynced), which is then renamed to the same `_messages/…/<sha256>.eml` storeOriginal
 * would write, or dropped when that content is already stored. The folder is fsynced after the rename. A source
 * that fails midway leaves no file and rejects. `onChunk` is HashedTempOptions' (tests cut a download with it).
 */
export async function storeOriginalStream(
  archive: ArchiveRoot,
  source: Readable | AsyncIterable<Buffer>,
  receivedAt: Date,
  opts: Pick<HashedTempOptions, 'onChunk'> = {},
): Promise<{ rawKey: string; emlPath: string; bytes: number }> {
  // The month folder of a zero hash: only its directory is used, the hash is not known yet.
  const dir = path.dirname(archive.resolveInside(messageEmlPath('0'.repeat(64), receivedAt)));
  const temp = await writeHashedTemp(source, dir, { mode: 0o444, onChunk: opts.onChunk });
  try {
    const rawKey = temp.sha256;
    const found = await findOriginal(archive, rawKey, receivedAt);
    const emlPath = found ?? messageEmlPath(rawKey, receivedAt);
    const abs = archive.resolveInside(emlPath);
    const exists = await fs.stat(abs).then(() => true, () => false);
    if (!exists) {
      await fs.rename(temp.tmp, abs).catch((err: unknown) => {
        recordArchiveWriteError(err);
        throw err;
      });
      await syncDir(path.dirname(abs));
    }
    return { rawKey, emlPath, bytes: temp.bytes };
  } finally {
    // Gone after the rename; still there when the content was stored already or the rename failed.
    await fs.unlink(temp.tmp).catch(() => undefined);
  }
}

/** The same bytes may come back with another arrival time (a re-scan): find the copy in any month. */
async function findOriginal(archive: ArchiveRoot, rawKey: string, receivedAt: Date): Promise<string | undefined> {
  const candidates = new Set([messageEmlPath(rawKey, receivedAt)]);
  for (const year of await subdirs(archive.resolveInside(MESSAGES_DIR))) {
    for (const month of await subdirs(archive.resolveInside(`${MESSAGES_DIR}/${year}`))) {
      candidates.add(`${MESSAGES_DIR}/${year}/${month}/${rawKey}.eml`);
    }
  }
  for (const rel of candidates) {
    if (await fs.stat(archive.resolveInside(rel)).then(() => true, () => false)) return rel;
  }
  return undefined;
}

/** The original as a body read in ranges and streams, never whole (its name is its hash). */
export function openOriginal(archive: ArchiveRoot, emlPath: string): Promise<FileBody> {
  return openFileBody(archive.resolveInside(emlPath), rawKeyOfPath(emlPath));
}
