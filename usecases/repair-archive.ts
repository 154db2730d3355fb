// `seis-intake verify --repair`: mends what can be derived and sets debris aside, never deleting anything.
// Derived: the person index, each folder's links to its originals, and manifests and their files, replayed from
// the originals and the message records (replay-folders.ts). Debris (temp leftovers, unlisted files, a corrupt
// manifest, a file with the wrong bytes) moves to _state/quarantine/<time>/. Originals and records are the
// source of truth: when one of those is lost, repair says so and leaves it to the operator.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MANIFEST, ORIGINALS_DIR, personIndexPath } from '../pipelines/archive-paths.ts';
import { quarantinePath, tempName } from '../pipelines/archive-layout.ts';
import type { PersonManifest, UnmatchedRecord } from '../pipelines/types.ts';
import type { UnitManifest } from '../pipelines/unit/index.ts';
import { hashFileStream } from '../adapters/archive-walk.ts';
import { json, readJson, syncDir, writeAtomic } from '../adapters/atomic-fs.ts';
import { rebuiltFiles, rebuiltMessages, replayFolders, type Rebuilt, type ReplayDeps } from './replay-folders.ts';
import { folderKey, type Finding, type FolderRef, type VerifyReport } from './verify-types.ts';
import type { MessageRecord } from '../pipelines/types.ts';

export interface RepairAction {
  action: 'relink' | 'index' | 'rebuild' | 'restore' | 'quarantine' | 'skipped';
  path: string;
  detail?: string;
}

export interface RepairResult {
  actions: RepairAction[];
  /** Where moved files went, relative to the root (when anything was moved). */
  quarantineDir?: string;
}

export type RepairDeps = ReplayDeps & { now?: () => Date };

class Repairer {
  readonly actions: RepairAction[] = [];
  readonly stamp: string;
  moved = false;

  constructor(readonly root: string, now: Date) {
    this.stamp = now.toISOString().replace(/[:.]/g, '-');
  }

  abs(rel: string): string {
    return path.join(this.root, rel);
  }

  async exists(rel: string): Promise<boolean> {
    return fs.lstat(this.abs(rel)).then(() => true, () => false);
  }

  /** Files now in a folder (relative to the root), leaving out its manifest, its originals and temp files. */
  async folderFiles(dir: string): Promise<string[]> {
    const names = await fs.readdir(this.abs(dir), { recursive: true, withFileTypes: true }).catch(() => []);
    return names.filter((e) => e.isFile() && !tempName(e.name))
      .map((e) => path.relative(this.root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
      .filter((rel) => ![`${dir}/${MANIFEST}`, `${dir}/record.json`, `${dir}/original.eml`].includes(rel) && !rel.startsWith(`${dir}/${ORIGINALS_DIR}/`));
  }

  /** Moves a file out of the way, keeping its path under the quarantine folder. */
  async quarantine(rel: string, why: string): Promise<void> {
    if (!(await this.exists(rel))) return;
    const target = this.abs(quarantinePath(this.stamp, rel));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(this.abs(rel), target);
    await syncDir(path.dirname(this.abs(rel)));
    this.moved = true;
    this.actions.push({ action: 'quarantine', path: rel, detail: why });
  }

  /** Puts `content` (or a link to `linkFrom`) at rel, setting aside whatever wrong file is there. */
  async place(rel: string, from: { file: string } | { link: string }, action: RepairAction['action'], why: string): Promise<void> {
    if (await this.exists(rel)) await this.quarantine(rel, `replaced: ${why}`);
    const target = this.abs(rel);
    await fs.mkdir(path.dirname(target), { recursive: true });
    if ('link' in from) {
      await fs.link(this.abs(from.link), target).catch(async () => writeAtomic(target, await fs.readFile(this.abs(from.link)), 0o444));
    } else {
      await writeAtomic(target, await fs.readFile(from.file));
    }
    this.actions.push({ action, path: rel, detail: why });
  }
}

async function indexFix(r: Repairer, f: Finding): Promise<void> {
  if (f.folder?.kind !== 'person' || !f.source) return;
  await writeAtomic(r.abs(personIndexPath(f.folder.campaign, f.folder.nationalId)), json({ dir: f.source }));
  r.actions.push({ action: 'index', path: f.path, detail: `→ ${f.source}` });
}

/** The real folder for a rebuilt one: the folder verify found, else the name the pipeline gives it. */
function realDir(ref: FolderRef, rebuilt: Rebuilt): string {
  return ref.kind === 'person' ? ref.dir ?? rebuilt.dir : ref.dir || rebuilt.dir;
}

/** Staff decisions live only in the manifest: keep them on a rebuilt one (reviews by document bytes). */
function merge(rebuilt: Rebuilt, old: PersonManifest | UnitManifest | UnmatchedRecord | undefined): Rebuilt {
  if (!old) return rebuilt;
  if (rebuilt.kind === 'person') {
    const o = old as PersonManifest;
    const reviews = new Map((o.documents ?? []).filter((d) => d.review).map((d) => [`${d.item}:${d.sha256}`, d.review]));
    const documents = rebuilt.manifest.documents.map((
      d,
    ) => (reviews.has(`${d.item}:${d.sha256}`) ? { ...d, review: reviews.get(`${d.item}:${d.sha256}`) } : d));
    return { ...rebuilt, manifest: { ...rebuilt.manifest, documents, decisions: o.decisions ?? [] } };
  }
  if (rebuilt.kind === 'unit') return { ...rebuilt, manifest: { ...rebuilt.manifest, decisions: (old as UnitManifest).decisions ?? [] } };
  const resolved = (old as UnmatchedRecord).resolved;
  return resolved ? { ...rebuilt, record: { ...rebuilt.record, resolved } } : rebuilt;
}

/** Files the manifest lists but lacks (or holds with other bytes): copied from the replay when it made those bytes. */
async function restoreFiles(r: Repairer, old: Rebuilt | undefined, rebuilt: Rebuilt, scratchRoot: string, files: Set<string>): Promise<void> {
  const expected = new Map((old ? rebuiltFiles(old) : []).map((f) => [f.rel, f.sha256]));
  const made = new Map(rebuiltFiles(rebuilt).map((f) => [f.sha256, path.join(scratchRoot, f.rel)]));
  for (const rel of files) {
    const source = made.get(expected.get(rel) ?? '');
    if (source) await r.place(rel, { file: source }, 'restore', 'made again from its original');
    else r.actions.push({ action: 'skipped', path: rel, detail: 'the replay did not make these bytes again' });
  }
}

function asRebuilt(kind: Rebuilt['kind'], dir: string, old: PersonManifest | UnitManifest | UnmatchedRecord | undefined): Rebuilt | undefined {
  if (!old) return undefined;
  if (kind === 'unmatched') return { kind, dir, record: old as UnmatchedRecord };
  return kind === 'person' ? { kind, dir, manifest: old as PersonManifest } : { kind, dir, manifest: old as UnitManifest };
}

async function rebuildFolder(
  r: Repairer,
  ref: FolderRef,
  rebuilt: Rebuilt,
  scratchRoot: string,
  onlyFiles: Set<string> | undefined,
  expected: string[],
): Promise<void> {
  const dir = realDir(ref, rebuilt);
  const file = rebuilt.kind === 'unmatched' ? 'record.json' : MANIFEST;
  const old = await readJson<PersonManifest | UnitManifest | UnmatchedRecord>(r.abs(`${dir}/${file}`)).catch(() => undefined);
  if (onlyFiles) return restoreFiles(r, asRebuilt(rebuilt.kind, dir, old), rebuilt, scratchRoot, onlyFiles);
  const oldKeys = old
    ? ('messages' in old ? old.messages.map((m) => m.messageKey) : 'submissions' in old ? old.submissions.map((s) => s.messageKey) : [old.messageKey])
    : [];
  const newKeys = new Set(rebuiltMessages(rebuilt));
  const unfiled = expected.filter((k) => !newKeys.has(k));
  if (unfiled.length) {
    r.actions.push({ action: 'skipped', path: `${dir}/${file}`,
      detail: `the replay does not file ${unfiled.length} message(s) here that the records do: give the same --roster, --units and --config` });
    return;
  }
  const made = new Map(
    rebuiltFiles(rebuilt).map((f) => [f.rel.startsWith(`${rebuilt.dir}/`) ? `${dir}/${f.rel.slice(rebuilt.dir.length + 1)}` : f.rel, f.sha256]),
  );
  if (!old) {
    // No manifest to go by: the files still in the folder are what was filed, and the replay must give exactly
    // those (a folder that is gone altogether is made again as the replay says).
    const present = await r.folderFiles(dir);
    const disagree = present.length ? [...made.keys()].filter((rel) => !present.includes(rel)) : [];
    // The folder's name carries the person as first filed (the roster's name): the replay must name them alike.
    if (path.posix.basename(dir) !== path.posix.basename(rebuilt.dir)) disagree.push(dir);
    for (const rel of present) if (made.get(rel) !== (await hashFileStream(r.abs(rel)).catch(() => ''))) disagree.push(rel);
    if (disagree.length) {
      r.actions.push({ action: 'skipped', path: `${dir}/${file}`,
        detail: `the replay does not give ${disagree.length} file(s) the folder holds: give the same --roster, --units and --config` });
      return;
    }
  }
  const lost = oldKeys.filter((k) => !newKeys.has(k));
  if (lost.length) {
    r.actions.push({ action: 'skipped', path: `${dir}/${file}`,
      detail: `the replay does not give back ${lost.length} message(s) the manifest lists (staff assignments?)` });
    return;
  }
  for (const f of rebuiltFiles(rebuilt)) {
    const rel = f.rel.startsWith(`${rebuilt.dir}/`) ? `${dir}/${f.rel.slice(rebuilt.dir.length + 1)}` : f.rel;
    const current = await hashFileStream(r.abs(rel)).catch(() => undefined);
    if (current === f.sha256) continue;
    await r.place(rel, { file: path.join(scratchRoot, f.rel) }, 'restore', current ? 'bytes differed' : 'was missing');
  }
  if (old === undefined && (await r.exists(`${dir}/${file}`))) await r.quarantine(`${dir}/${file}`, 'unreadable');
  const merged = merge(rebuilt, old);
  const content = merged.kind === 'unmatched' ? merged.record : merged.manifest;
  if (merged.kind !== 'unmatched') {
    const links = merged.kind === 'person' ? merged.manifest.messages : merged.manifest.submissions;
    for (const m of links) {
      const rel = `${dir}/${ORIGINALS_DIR}/${m.messageKey}.eml`;
      if (!(await r.exists(rel)) && (await r.exists(m.emlPath))) await r.place(rel, { link: m.emlPath }, 'relink', 'original linked again');
    }
  } else if (merged.record.emlPath && !(await r.exists(`${dir}/original.eml`)) && (await r.exists(merged.record.emlPath))) {
    await r.place(`${dir}/original.eml`, { link: merged.record.emlPath }, 'relink', 'original linked again');
  }
  await writeAtomic(r.abs(`${dir}/${file}`), json(content));
  if (ref.kind === 'person') await writeAtomic(r.abs(personIndexPath(ref.campaign, ref.nationalId)), json({ dir }));
  r.actions.push({ action: 'rebuild', path: `${dir}/${file}`, detail: `from ${newKeys.size} message(s)${old ? ', staff decisions kept' : ''}` });
}

export async function repairArchive(report: VerifyReport, deps: RepairDeps): Promise<RepairResult> {
  const r = new Repairer(report.root, (deps.now ?? (() => new Date()))());
  const todo = report.findings.filter((f) => f.severity === 'damage' && f.repair);

  // 1. Folders to replay: whole rebuilds, and folders that only lack files (restored one by one).
  const rebuild = new Map<string, FolderRef>();
  const restore = new Map<string, { ref: FolderRef; files: Set<string> }>();
  for (const f of todo) {
    if (!f.folder) continue;
    const key = folderKey(f.folder);
    if (f.repair === 'rebuild') rebuild.set(key, f.folder);
    else if (f.repair === 'restore') {
      const entry = restore.get(key) ?? { ref: f.folder, files: new Set<string>() };
      entry.files.add(f.path);
      restore.set(key, entry);
    }
  }
  const refs = [...rebuild.values(), ...[...restore.values()].map((e) => e.ref)];
  if (refs.length) {
    const records = new Map<string, MessageRecord>();
    for (const name of await fs.readdir(r.abs('_state/messages')).catch(() => [] as string[])) {
      const rec = await readJson<MessageRecord>(r.abs(`_state/messages/${name}`)).catch(() => undefined);
      if (rec?.messageKey) records.set(rec.messageKey, rec);
    }
    const replay = await replayFolders(report.root, records, refs, deps);
    try {
      for (const [key, ref] of [...rebuild, ...[...restore].map(([k, e]) => [k, e.ref] as const)]) {
        const rebuilt = replay.rebuilt.get(key);
        if (!rebuilt) {
          r.actions.push({ action: 'skipped', path: ref.kind === 'person' ? `${ref.campaign}/…/${ref.nationalId}` : ref.dir,
            detail: 'the replay filed nothing there (other roster or config?)' });
          continue;
        }
        await rebuildFolder(r, ref, rebuilt, replay.root, rebuild.has(key) ? undefined : restore.get(key)!.files, replay.expected.get(key) ?? []);
      }
    } finally {
      await replay.close();
    }
  }
  // 2. Links, indexes and debris (after the rebuilds, which may have mended some of them already).
  for (const f of todo) {
    if (f.repair === 'relink' && f.source) {
      const [have, want] = await Promise.all([hashFileStream(r.abs(f.path)).catch(() => ''), hashFileStream(r.abs(f.source)).catch(() => '-')]);
      if (have !== want) await r.place(f.path, { link: f.source }, 'relink', 'original linked again');
    }
    else if (f.repair === 'index') await indexFix(r, f);
    else if (f.repair === 'quarantine') await r.quarantine(f.path, f.code);
  }
  return { actions: r.actions, ...(r.moved ? { quarantineDir: `_state/quarantine/${r.stamp}` } : {}) };
}
