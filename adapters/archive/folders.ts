// What person and unit folders share: manifest.json read, the plan's files applied, originals linked, manifest last.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MANIFEST, originalLinkPath } from '../../pipelines/archive-paths.ts';
import type { FilingPlan } from '../../pipelines/person/index.ts';
import type { ManifestMessage } from '../../pipelines/types.ts';
import { fileSha, inDir, isCode, json, publishBodies, readJson, syncDir, writeAtomic } from '../atomic-fs.ts';
import type { ArchiveRoot } from './root.ts';

/** A folder's manifest.json (person or unit), if the folder has one. */
export async function readFolder<M>(archive: ArchiveRoot, dir: string): Promise<{ dir: string; manifest: M } | undefined> {
  const manifest = await readJson<M>(archive.resolveInside(`${dir}/${MANIFEST}`));
  return manifest ? { dir, manifest } : undefined;
}

/**
 * The changed half of a folder's read-modify-write, under its lock: the plan's moves and writes, a link to each
 * original, `beforeManifest` (the person index), and manifest.json last, only while the lock is still held.
 */
export async function commitFolder(
  archive: ArchiveRoot,
  dir: string,
  plan: Pick<FilingPlan, 'moves' | 'writes'> & { manifest: unknown },
  originals: Array<Pick<ManifestMessage, 'messageKey' | 'emlPath'>>,
  assertHeld: () => void,
  beforeManifest?: () => Promise<void>,
): Promise<void> {
  await applyPlanFiles(archive, dir, plan);
  for (const o of originals) await linkOrCopy(archive, o.emlPath, archive.resolveInside(`${dir}/${originalLinkPath(o.messageKey)}`));
  await beforeManifest?.();
  assertHeld();
  await writeAtomic(archive.resolveInside(`${dir}/${MANIFEST}`), json(plan.manifest));
}

/** A hard link to a stored original (a copy when linking fails); nothing when the target exists. */
export async function linkOrCopy(archive: ArchiveRoot, sourceRel: string, target: string): Promise<void> {
  if (await fs.lstat(target).then(() => true, () => false)) return;
  const source = archive.resolveInside(sourceRel);
  try {
    await inDir(path.dirname(target), () => fs.link(source, target));
  } catch (err) {
    if (isCode(err, 'EEXIST')) return;
    if (isCode(err, 'ENOENT')) {
      archive.log.warn({ code: 'archive.original_missing', emlPath: sourceRel }, 'Original message missing');
      return;
    }
    await writeAtomic(target, await fs.readFile(source), 0o444);
  }
}

/**
 * Applies a plan's moves then writes inside one person folder. Safe to repeat after a crash: a move whose
 * target already holds the expected bytes is done; files not in the manifest are leftovers of an
 * attempt that never committed (its message is still pending) and may be replaced.
 * Call it only under the person's lock (ArchiveStore.updatePerson does).
 */
export async function applyPlanFiles(store: ArchiveRoot, dir: string, plan: Pick<FilingPlan, 'moves' | 'writes'>): Promise<void> {
  for (const move of plan.moves) {
    const from = store.resolveInside(`${dir}/${move.from}`);
    const to = store.resolveInside(`${dir}/${move.to}`);
    if (move.sha256 && (await fileSha(to)) === move.sha256) continue;
    const actual = await fileSha(from);
    if (actual === undefined || (move.sha256 && actual !== move.sha256)) continue;
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.rename(from, to);
    await syncDir(path.dirname(to));
    await syncDir(path.dirname(from));
  }
  await publishBodies(plan.writes.map((write) => ({ abs: store.resolveInside(`${dir}/${write.relPath}`), body: write.body })));
}
