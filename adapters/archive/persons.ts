// `<campaign>/<unit>/<nationalId> <name>/`: person folders, found through `_state/persons/…` even after a rename.
import path from 'node:path';
import { assertCampaignId, assertNationalId, MANIFEST, personDirPath, personIndexPath, personLockPath } from '../../pipelines/archive-paths.ts';
import type { FilingPlan } from '../../pipelines/person/index.ts';
import type { Person, PersonManifest } from '../../pipelines/types.ts';
import { json, readJson, subdirs, writeAtomic } from '../atomic-fs.ts';
import { commitFolder, readFolder } from './folders.ts';
import type { ArchiveRoot } from './root.ts';

/** The person's folder, relative to the root: from the index, else by scanning the units for the ID. */
async function findPersonDir(archive: ArchiveRoot, campaignId: string, nationalId: string): Promise<string | undefined> {
  const index = await readJson<{ dir?: string }>(archive.resolveInside(personIndexPath(campaignId, nationalId)));
  if (index?.dir?.startsWith(`${campaignId}/`)) {
    if (await readJson(archive.resolveInside(`${index.dir}/${MANIFEST}`))) return index.dir;
  }
  const campaignDir = archive.resolveInside(assertCampaignId(campaignId));
  for (const unit of await subdirs(campaignDir)) {
    if (unit.startsWith('_')) continue;
    const match = (await subdirs(path.join(campaignDir, unit)))
      .find((name) => name === nationalId || name.startsWith(`${nationalId} `));
    if (match) return `${campaignId}/${unit}/${match}`;
  }
  return index?.dir?.startsWith(`${campaignId}/`) ? index.dir : undefined;
}

export async function readPerson(
  archive: ArchiveRoot,
  campaignId: string,
  nationalId: string,
): Promise<{ dir: string; manifest: PersonManifest } | undefined> {
  const dir = await findPersonDir(archive, campaignId, assertNationalId(nationalId));
  return dir ? readFolder<PersonManifest>(archive, dir) : undefined;
}

/**
 * Read-modify-write of one person's folder under a cross-process lock: the manifest is re-read inside the
 * lock, the plan's moves and writes applied, originals linked, and manifest.json written last.
 * `dir` in the result (plan.personDir) is relative to the archive root.
 */
export function updatePerson(
  archive: ArchiveRoot,
  campaignId: string,
  person: Person,
  plan: (current: PersonManifest | undefined) => FilingPlan | Promise<FilingPlan>,
): Promise<FilingPlan> {
  assertNationalId(person.nationalId);
  return archive.withLock(personLockPath(campaignId, person.nationalId), async (assertHeld) => {
    const found = await findPersonDir(archive, campaignId, person.nationalId);
    const dir = found ?? personDirPath(campaignId, person);
    const result = { ...(await plan((await readFolder<PersonManifest>(archive, dir))?.manifest)), personDir: dir };
    if (!result.changed) return result;
    await commitFolder(archive, dir, result, result.manifest.messages, assertHeld, async () => {
      const indexAbs = archive.resolveInside(personIndexPath(campaignId, person.nationalId));
      if ((await readJson<{ dir?: string }>(indexAbs))?.dir !== dir) await writeAtomic(indexAbs, json({ dir }));
    });
    archive.log.debug({ code: 'archive.person_updated', dir, writes: result.writes.length, moves: result.moves.length }, 'Person folder updated');
    return result;
  });
}

export async function listPersons(archive: ArchiveRoot, campaignId: string): Promise<Array<{ dir: string; manifest: PersonManifest }>> {
  const campaignDir = archive.resolveInside(assertCampaignId(campaignId));
  const out: Array<{ dir: string; manifest: PersonManifest }> = [];
  for (const unit of await subdirs(campaignDir)) {
    if (unit.startsWith('_')) continue;
    for (const name of await subdirs(path.join(campaignDir, unit))) {
      const dir = `${campaignId}/${unit}/${name}`;
      const manifest = await readJson<PersonManifest>(archive.resolveInside(`${dir}/${MANIFEST}`));
      if (manifest) out.push({ dir, manifest });
    }
  }
  return out;
}
