// `<folder>/<unit id or safe name>/`: the folders of unit-scope campaigns (login-status, admin-appointment).
import { assertCampaignId, MANIFEST, safeSegment } from '../../pipelines/archive-paths.ts';
import { sha256 } from '../../pipelines/hash.ts';
import type { UnitFilingPlan, UnitManifest } from '../../pipelines/unit/index.ts';
import { readJson, subdirs } from '../atomic-fs.ts';
import { commitFolder, readFolder } from './folders.ts';
import type { ArchiveRoot } from './root.ts';

/** `<folder>/<unit id or safe name>`, relative to the root. */
export function unitDir(folder: string, unitKey: string): string {
  return `${assertCampaignId(folder)}/${safeSegment(unitKey, 'unit')}`;
}

export function readUnit(archive: ArchiveRoot, folder: string, unitKey: string): Promise<{ dir: string; manifest: UnitManifest } | undefined> {
  return readFolder<UnitManifest>(archive, unitDir(folder, unitKey));
}

/** Read-modify-write of one unit folder under a cross-process lock, as updatePerson does for a person. */
export function updateUnit(
  archive: ArchiveRoot,
  folder: string,
  unitKey: string,
  plan: (current: UnitManifest | undefined) => UnitFilingPlan | Promise<UnitFilingPlan>,
): Promise<UnitFilingPlan> {
  const dir = unitDir(folder, unitKey);
  const lock = `_state/locks/${assertCampaignId(folder)}/unit-${sha256(Buffer.from(dir)).slice(0, 24)}.lock`;
  return archive.withLock(lock, async (assertHeld) => {
    const result = { ...(await plan((await readFolder<UnitManifest>(archive, dir))?.manifest)), unitDir: dir };
    if (!result.changed) return result;
    await commitFolder(archive, dir, result, result.manifest.submissions, assertHeld);
    archive.log.debug({ code: 'archive.unit_updated', dir, writes: result.writes.length, moves: result.moves.length }, 'Unit folder updated');
    return result;
  });
}

export async function listUnits(archive: ArchiveRoot, folder: string): Promise<Array<{ dir: string; manifest: UnitManifest }>> {
  const base = assertCampaignId(folder);
  const out: Array<{ dir: string; manifest: UnitManifest }> = [];
  for (const name of await subdirs(archive.resolveInside(base))) {
    if (name.startsWith('_')) continue;
    const manifest = await readJson<UnitManifest>(archive.resolveInside(`${base}/${name}/${MANIFEST}`));
    if (manifest?.scope === 'unit') out.push({ dir: `${base}/${name}`, manifest });
  }
  return out;
}
