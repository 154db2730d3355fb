// `<campaign>/<unit>/<nationalId> <name>/`: person folders, found through `_state/persons/…` even after a rename.
import path from 'node:path';
import { assertCampaignId, assertNationalId, MANIFEST, personDirPath, personIndexPath, personLockPath } from '../../pipelines/archive-paths.ts';
import type { FilingPlan } from '../../pipelines/person/index.ts';
import type { Person, PersonManifest } from '../../pipelines/types.ts';
import { json, readJson, subdirs } from '../atomic-fs.ts';
import { commitFolder, readFolder } from './folders.ts';
import { listedPersonDir, notePersonDir } from './person-listing.ts';
import type { ArchiveRoot } from './root.ts';

interface Found {
  dir?: string;
  /** Its manifest, when it was read on the way (the index's folder). */
  manifest?: PersonManifest;
  /** What the index file says now. */
  indexDir?: string;
}

/** The person's folder, relative to the root: from the index, else from the unit folders' listing. */
async function findPersonDir(archive: ArchiveRoot, campaignId: string, nationalId: string): Promise<Found> {
  const index = await readIndex(archive, campaignId, nationalId);
  const indexed = index?.dir?.startsWith(`${campaignId}/`) ? index.dir : undefined;
  if (indexed) {
    const manifest = await readJson<PersonManifest>(archive.resolveInside(`${indexed}/${MANIFEST}`));
    if (manifest) return { dir: indexed, manifest, indexDir: index?.dir };
  }
  // An index without its folder: renamed or moved by hand, so look again rather than trust the listing.
  const listed = await listedPersonDir(archive, campaignId, nationalId, { rescan: Boolean(indexed) });
  return { dir: listed ?? indexed, indexDir: index?.dir };
}

/** The person index entry; an unreadable one (left empty or torn by a crash: it is not fsynced) counts as none. */
async function readIndex(archive: ArchiveRoot, campaignId: string, nationalId: string): Promise<{ dir?: string } | undefined> {
  const abs = archive.resolveInside(personIndexPath(campaignId, nationalId));
  try {
    return await readJson<{ dir?: string }>(abs);
  } catch (err) {
    if (!((err as Error).cause instanceof SyntaxError)) throw err;
    archive.log.warn({ code: 'archive.index_unreadable', path: personIndexPath(campaignId, nationalId) }, 'Person index unreadable: looking for the folder');
    return undefined;
  }
}

/** The folder's manifest: the one findPersonDir read, else read now. */
async function manifestOf(archive: ArchiveRoot, found: Found & { dir: string }): Promise<PersonManifest | undefined> {
  return found.manifest ?? (await readFolder<PersonManifest>(archive, found.dir))?.manifest;
}

export async function readPerson(
  archive: ArchiveRoot,
  campaignId: string,
  nationalId: string,
): Promise<{ dir: string; manifest: PersonManifest } | undefined> {
  const found = await findPersonDir(archive, campaignId, assertNationalId(nationalId));
  if (!found.dir) return undefined;
  const manifest = await manifestOf(archive, { ...found, dir: found.dir });
  return manifest ? { dir: found.dir, manifest } : undefined;
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
    const dir = found.dir ?? personDirPath(campaignId, person);
    const result = { ...(await plan(await manifestOf(archive, { ...found, dir }))), personDir: dir };
    if (!result.changed) return result;
    notePersonDir(archive, campaignId, person.nationalId, dir);
    // The index was read above under this lock: its other writer, verify --repair, runs only on a quiet archive.
    // The index is derived (verify --repair rebuilds it; findPersonDir falls back to the folders' listing), so it is
    // not fsynced: a crash may lose it or leave it empty, and the next filing for this person writes it again.
    const index = found.indexDir === dir
      ? []
      : [{ abs: archive.resolveInside(personIndexPath(campaignId, person.nationalId)), content: json({ dir }), derived: true }];
    await commitFolder(archive, dir, result, result.manifest.messages, assertHeld, index);
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
