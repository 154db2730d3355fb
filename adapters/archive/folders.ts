// What person and unit folders share: manifest.json read, the plan's files applied, originals linked, manifest last.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MANIFEST, originalLinkPath } from '../../pipelines/archive-paths.ts';
import type { FilingPlan } from '../../pipelines/person/index.ts';
import type { ManifestMessage } from '../../pipelines/types.ts';
import { fileSha, inDir, isCode, json, readJson, syncDirs, writeAtomic } from '../atomic-fs.ts';
import { publishRecordLast, publishStaged, stageFiles, type StagedFile, type StageSource } from '../staged-files.ts';
import type { ArchiveRoot } from './root.ts';

/** A folder's manifest.json (person or unit), if the folder has one. */
export async function readFolder<M>(archive: ArchiveRoot, dir: string): Promise<{ dir: string; manifest: M } | undefined> {
  const manifest = await readJson<M>(archive.resolveInside(`${dir}/${MANIFEST}`));
  return manifest ? { dir, manifest } : undefined;
}

/**
 * The changed half of a folder's read-modify-write, under its lock: the plan's moves, its writes with `alongside`
 * (the person index), a link to each original, and manifest.json last, only while the lock is still held. The temps
 * of the new files and of the manifest are written and fsynced together; the manifest is renamed only once every
 * other name is durable (its directory fsynced), and its own directory is fsynced before this returns.
 */
export async function commitFolder(
  archive: ArchiveRoot,
  dir: string,
  plan: Pick<FilingPlan, 'moves' | 'writes'> & { manifest: unknown },
  originals: Array<Pick<ManifestMessage, 'messageKey' | 'emlPath'>>,
  assertHeld: () => void,
  alongside: StageSource[] = [],
): Promise<void> {
  const manifestAbs = archive.resolveInside(`${dir}/${MANIFEST}`);
  const files: StageSource[] = [...planWrites(archive, dir, plan), ...alongside, { abs: manifestAbs, content: json(plan.manifest) }];
  await publishRecordLast(await stageAfterMoves(archive, dir, plan, files), async () => {
    for (const o of originals) await linkOrCopy(archive, o.emlPath, archive.resolveInside(`${dir}/${originalLinkPath(o.messageKey)}`));
    assertHeld();
  });
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
  await publishStaged(await stageAfterMoves(store, dir, plan, planWrites(store, dir, plan)));
}

const planWrites = (store: ArchiveRoot, dir: string, plan: Pick<FilingPlan, 'writes'>): StageSource[] =>
  plan.writes.map((write) => ({ abs: store.resolveInside(`${dir}/${write.relPath}`), body: write.body }));

/**
 * The plan's moves (renames), then `files` staged while the moves' directories are fsynced: a write may take a moved
 * file's old name, so nothing staged is published before the moves are durable (the caller publishes after this).
 */
async function stageAfterMoves(store: ArchiveRoot, dir: string, plan: Pick<FilingPlan, 'moves'>, files: StageSource[]): Promise<StagedFile[]> {
  const movedDirs: string[] = [];
  for (const move of plan.moves) {
    const from = store.resolveInside(`${dir}/${move.from}`);
    const to = store.resolveInside(`${dir}/${move.to}`);
    if (move.sha256 && (await fileSha(to)) === move.sha256) continue;
    const actual = await fileSha(from);
    if (actual === undefined || (move.sha256 && actual !== move.sha256)) continue;
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.rename(from, to);
    movedDirs.push(path.dirname(to), path.dirname(from));
  }
  const [staged] = await Promise.all([stageFiles(files), syncDirs(movedDirs)]);
  return staged;
}
