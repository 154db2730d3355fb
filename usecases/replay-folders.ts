// Rebuilds folders from what the archive keeps for ever: the originals and the message records. The messages
// that filed into the wanted folders are run again, in arrival order and with their recorded clocks, through
// the same pipeline (ingest-message.ts) into a scratch archive; nothing is sent and the real archive is not
// touched here. What staff decided on the dashboard (reviews, assignments) is not in the mail and cannot come back.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../config/schema.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import type { PersonManifest, UnmatchedRecord } from '../pipelines/types.ts';
import type { UnitManifest, UnitsDirectory } from '../pipelines/unit/index.ts';
import { ArchiveStore } from '../adapters/archive-store.ts';
import { ContentCache } from '../adapters/content-cache.ts';
import { readJson } from '../adapters/atomic-fs.ts';
import type { Logger } from '../adapters/logger.ts';
import { cachedContentReader } from './content-reader.ts';
import { ingestStored } from './ingest-message.ts';
import type { FolderRef, VerifyContext } from './verify-types.ts';
import { folderKey } from './verify-types.ts';

export interface ReplayDeps {
  config: AppConfig;
  log: Logger;
  roster?: Roster;
  units?: UnitsDirectory;
}

export type Rebuilt =
  | { kind: 'person'; dir: string; manifest: PersonManifest }
  | { kind: 'unit'; dir: string; manifest: UnitManifest }
  | { kind: 'unmatched'; dir: string; record: UnmatchedRecord };

export interface Replay {
  /** The scratch archive: rebuilt files are read from here. */
  root: string;
  rebuilt: Map<string, Rebuilt>;
  /** Message keys that were replayed. */
  replayed: string[];
  /** Per folder (folderKey): the messages the records say were filed there, whose originals could be replayed. */
  expected: Map<string, string[]>;
  close(): Promise<void>;
}

function wants(ref: FolderRef, record: { campaign: string; persons: string[]; unit?: string; messageKey: string }): boolean {
  if (ref.kind === 'person') return record.campaign === ref.campaign && record.persons.includes(ref.nationalId);
  if (ref.kind === 'unit') return record.campaign === ref.campaign && record.unit === ref.unitKey;
  return record.messageKey === ref.messageKey;
}

export async function replayFolders(archiveRoot: string, records: VerifyContext['records'], refs: FolderRef[], deps: ReplayDeps): Promise<Replay> {
  const root = await mkdtemp(path.join(tmpdir(), 'seis-verify-replay-'));
  const scratch = new ArchiveStore(root);
  const messages = [...records.values()]
    .filter((r) => refs.some((ref) => wants(ref, r)))
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.processedAt.localeCompare(b.processedAt) || a.messageKey.localeCompare(b.messageKey));
  const log = deps.log.child({ component: 'verify-replay' }, { level: 'warn' });
  const config = { ...deps.config, archiveDir: root, outboxDir: undefined };
  const replayed: string[] = [];
  // What the pages said when the mail was filed: the real archive's reading cache (by sha256, never emptied),
  // read-only; with it the replay decides as the first run did, and never waits for a reading.
  const content = cachedContentReader(new ContentCache(new ArchiveStore(archiveRoot)));
  for (const record of messages) {
    const target = path.join(root, record.emlPath);
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await copyFile(path.join(archiveRoot, record.emlPath), target);
    } catch {
      continue; // its original is lost: verify reports that, and the folder is rebuilt without it
    }
    await ingestStored(record.emlPath, {
      config,
      store: scratch,
      roster: deps.roster,
      units: deps.units,
      log,
      content,
      contentDone: true,
      now: () => new Date(record.processedAt),
      internalDate: new Date(record.receivedAt),
    });
    replayed.push(record.messageKey);
  }
  const rebuilt = new Map<string, Rebuilt>();
  const expected = new Map(
    refs.map((ref) => [folderKey(ref), messages.filter((m) => wants(ref, m) && replayed.includes(m.messageKey)).map((m) => m.messageKey)]),
  );
  for (const ref of refs) {
    if (ref.kind === 'person') {
      const found = await scratch.readPerson(ref.campaign, ref.nationalId);
      if (found) rebuilt.set(folderKey(ref), { kind: 'person', ...found });
    } else if (ref.kind === 'unit') {
      const folder = deps.config.campaigns.find((c) => c.id === ref.campaign)?.folder ?? ref.campaign;
      const found = await scratch.readUnit(folder, ref.unitKey);
      if (found) rebuilt.set(folderKey(ref), { kind: 'unit', ...found });
    } else {
      const record = await readJson<UnmatchedRecord>(path.join(root, ref.dir, 'record.json'));
      if (record) rebuilt.set(folderKey(ref), { kind: 'unmatched', dir: ref.dir, record });
    }
  }
  return { root, rebuilt, replayed, expected, close: () => rm(root, { recursive: true, force: true }) };
}

/** Files of a rebuilt folder, relative to the archive root, with their sha256. */
export function rebuiltFiles(r: Rebuilt): Array<{ rel: string; sha256: string }> {
  if (r.kind === 'person') {
    return [...r.manifest.documents, ...r.manifest.problems, ...(r.manifest.combined ?? [])].map((f) => ({ rel: `${r.dir}/${f.path}`, sha256: f.sha256 }));
  }
  if (r.kind === 'unit') return r.manifest.submissions.flatMap((s) => s.files.map((f) => ({ rel: `${r.dir}/${f.path}`, sha256: f.sha256 })));
  return r.record.files.map((f) => ({ rel: f.path, sha256: f.sha256 }));
}

/** The message keys a rebuilt folder lists. */
export function rebuiltMessages(r: Rebuilt): string[] {
  if (r.kind === 'person') return r.manifest.messages.map((m) => m.messageKey);
  if (r.kind === 'unit') return r.manifest.submissions.map((s) => s.messageKey);
  return [r.record.messageKey];
}
