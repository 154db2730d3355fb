// The campaign folders for `seis-intake verify`: each person folder, unit folder and unmatched message against
// its manifest (files there with their sha256, originals linked, records present, nothing unlisted), and the
// person index. Reads only; what repair can do is named on each finding. The archive layout is the store's
// (adapters/archive-store.ts); the cross-check of message records against manifests is verify-archive.ts's.
import { MANIFEST, ORIGINALS_DIR } from '../pipelines/archive-paths.ts';
import { rawKeyOfPath } from '../pipelines/archive-layout.ts';
import type { UnitManifest } from '../pipelines/unit/index.ts';
import type { PersonManifest, UnmatchedRecord } from '../pipelines/types.ts';
import { folderKey, type FolderRef, type VerifyContext } from './verify-types.ts';

/** One folder's files, relative to the root, and the folder itself. */
export interface FolderGroup {
  ref: FolderRef;
  dir: string;
  files: string[];
}

/** A file its manifest lists with a hash: present, and those bytes. */
async function expectFile(ctx: VerifyContext, rel: string, sha256: string | undefined, ref: FolderRef): Promise<void> {
  if (!ctx.entries.has(rel)) {
    ctx.add({ severity: 'damage', code: 'missing-file', path: rel, repair: 'restore', folder: ref });
    return;
  }
  ctx.accounted.add(rel);
  const actual = await ctx.hash(rel);
  if (sha256 && actual !== sha256) {
    ctx.add({ severity: 'damage', code: 'hash-mismatch', path: rel, detail: `manifest ${sha256.slice(0, 12)}…, file ${actual?.slice(0, 12) ?? 'not a file'}…`,
      repair: 'restore', folder: ref });
  }
}

/** A folder's copy of an original: there, with the original's bytes; relinked from _messages/ when not. */
async function expectOriginalCopy(ctx: VerifyContext, rel: string, emlPath: string, ref: FolderRef): Promise<void> {
  const source = ctx.entries.has(emlPath) ? emlPath : undefined;
  if (!source)
    ctx.add({ severity: 'damage', code: 'original-missing', path: emlPath,
      detail: `named by ${ref.kind} folder ${ref.kind === 'person' ? ref.nationalId : ref.dir}` });
  else ctx.accounted.add(source);
  if (!ctx.entries.has(rel)) {
    ctx.add({ severity: 'damage', code: 'missing-link', path: rel, ...(source ? { repair: 'relink' as const, source } : {}), folder: ref });
    return;
  }
  ctx.accounted.add(rel);
  const expected = rawKeyOfPath(emlPath);
  const actual = await ctx.hash(rel);
  if (expected && actual !== expected) {
    ctx.add({ severity: 'damage', code: 'hash-mismatch', path: rel, detail: `not the bytes of ${emlPath}`,
      ...(source ? { repair: 'relink' as const, source } : {}), folder: ref });
  }
}

function expectRecord(ctx: VerifyContext, messageKey: string, where: string): void {
  if (!ctx.records.has(messageKey))
    ctx.add({ severity: 'damage', code: 'record-missing', path: `_state/messages/${messageKey}.json`, detail: `listed in ${where}` });
}

/** The manifest itself: missing or unreadable means the folder must be rebuilt from the records (if any). */
async function readManifest<T>(ctx: VerifyContext, group: FolderGroup, file: string, mentioned: boolean): Promise<T | undefined> {
  const rel = `${group.dir}/${file}`;
  if (!ctx.entries.has(rel)) {
    ctx.broken.add(folderKey(group.ref));
    ctx.add({ severity: 'damage', code: 'manifest-missing', path: rel,
      ...(mentioned ? { repair: 'rebuild' as const } : { detail: 'no message record names this folder' }), folder: group.ref });
    group.files.forEach((f) => ctx.accounted.add(f)); // one finding for the folder, not one per file
    return undefined;
  }
  ctx.accounted.add(rel);
  const { value, error } = await ctx.readJson<T>(rel);
  if (!value) {
    ctx.broken.add(folderKey(group.ref));
    ctx.add({ severity: 'damage', code: 'manifest-unreadable', path: rel, detail: error, ...(mentioned ? { repair: 'rebuild' as const } : {}),
      folder: group.ref });
    group.files.forEach((f) => ctx.accounted.add(f));
  }
  return value;
}

function leftovers(ctx: VerifyContext, group: FolderGroup): void {
  for (const rel of group.files) {
    if (!ctx.accounted.has(rel)) {
      ctx.accounted.add(rel);
      ctx.add({ severity: 'damage', code: 'unreferenced-file', path: rel, detail: 'not listed in the manifest', repair: 'quarantine', folder: group.ref });
    }
  }
}

/**
 * The messages a person or unit manifest lists: each one's copy of the original and its record; then the folder
 * is known to hold these messages, and any file no check accounted for is left over. (Findings are sorted later.)
 */
async function expectFiledMessages(ctx: VerifyContext, group: FolderGroup, messages: Array<{ messageKey: string; emlPath: string }>): Promise<void> {
  for (const m of messages) {
    await expectOriginalCopy(ctx, `${group.dir}/${ORIGINALS_DIR}/${m.messageKey}.eml`, m.emlPath, group.ref);
    expectRecord(ctx, m.messageKey, `${group.dir}/${MANIFEST}`);
  }
  ctx.filed.set(folderKey(group.ref), new Set(messages.map((m) => m.messageKey)));
  leftovers(ctx, group);
}

/** Whether any message record says it filed something into this folder (then it can be rebuilt). */
function mentioned(ctx: VerifyContext, ref: FolderRef): boolean {
  // Unmatched mail sits under the campaign's folder, which a unit campaign may name differently from its id.
  return ref.kind === 'unmatched' ? ctx.records.has(ref.messageKey) : ctx.mentioned.has(folderKey(ref));
}

export async function checkPersonFolder(ctx: VerifyContext, group: FolderGroup & { ref: { kind: 'person' } }): Promise<void> {
  const { ref, dir } = group;
  const key = `${ref.campaign}:${ref.nationalId}`;
  ctx.personDirs.set(key, [...(ctx.personDirs.get(key) ?? []), dir]);
  const manifest = await readManifest<PersonManifest>(ctx, group, MANIFEST, mentioned(ctx, ref));
  if (!manifest) return;
  if (manifest.person?.nationalId !== ref.nationalId || manifest.campaign !== ref.campaign) {
    ctx.add({ severity: 'damage', code: 'manifest-mismatch', path: `${dir}/${MANIFEST}`, detail: `about ${manifest.campaign}/${manifest.person?.nationalId}` });
  }
  for (const d of manifest.documents ?? []) await expectFile(ctx, `${dir}/${d.path}`, d.sha256, ref);
  for (const p of manifest.problems ?? []) await expectFile(ctx, `${dir}/${p.path}`, p.sha256, ref);
  for (const c of manifest.combined ?? []) await expectFile(ctx, `${dir}/${c.path}`, c.sha256, ref);
  await expectFiledMessages(ctx, group, manifest.messages ?? []);
}

export async function checkUnitFolder(ctx: VerifyContext, group: FolderGroup & { ref: { kind: 'unit' } }): Promise<void> {
  const { ref, dir } = group;
  const manifest = await readManifest<UnitManifest>(ctx, group, MANIFEST, mentioned(ctx, ref));
  if (!manifest) return;
  if (manifest.scope !== 'unit') ctx.add({ severity: 'damage', code: 'manifest-mismatch', path: `${dir}/${MANIFEST}`, detail: 'not a unit manifest' });
  for (const s of manifest.submissions ?? []) {
    for (const f of s.files ?? []) await expectFile(ctx, `${dir}/${f.path}`, f.sha256, ref);
  }
  await expectFiledMessages(ctx, group, manifest.submissions ?? []);
}

export async function checkUnmatched(ctx: VerifyContext, group: FolderGroup & { ref: { kind: 'unmatched' } }): Promise<void> {
  const { ref, dir } = group;
  const record = await readManifest<UnmatchedRecord>(ctx, group, 'record.json', mentioned(ctx, ref));
  if (!record) return;
  for (const f of record.files ?? []) {
    if (f.path?.startsWith(`${dir}/`)) await expectFile(ctx, f.path, f.sha256, ref);
  }
  if (record.emlPath) await expectOriginalCopy(ctx, `${dir}/original.eml`, record.emlPath, ref);
  expectRecord(ctx, ref.messageKey, `${dir}/record.json`);
  ctx.filed.set(folderKey(ref), new Set([ref.messageKey]));
  leftovers(ctx, group);
}

/** Every person folder against `_state/persons/<campaign>/<id>.json`, and every index against a folder. */
export async function checkPersonIndexes(ctx: VerifyContext): Promise<void> {
  for (const [key, dirs] of ctx.personDirs) {
    const [campaign, nationalId] = key.split(':');
    const rel = `_state/persons/${campaign}/${nationalId}.json`;
    if (dirs.length > 1) {
      ctx.add({ severity: 'damage', code: 'duplicate-folder', path: dirs[0], detail: `also ${dirs.slice(1).join(', ')}` });
      continue;
    }
    const { value } = ctx.entries.has(rel) ? await ctx.readJson<{ dir?: string }>(rel) : { value: undefined };
    if (value?.dir !== dirs[0]) {
      ctx.add({ severity: 'damage', code: 'index-missing', path: rel, detail: value?.dir ? `names ${value.dir}` : 'absent', repair: 'index', source: dirs[0],
        folder: { kind: 'person', campaign, nationalId, dir: dirs[0] } });
    }
  }
  for (const rel of ctx.entries.keys()) {
    const m = /^_state\/persons\/([^/]+)\/(\d{13})\.json$/.exec(rel);
    if (m && !ctx.personDirs.has(`${m[1]}:${m[2]}`))
      ctx.add({ severity: 'warning', code: 'index-orphan', path: rel, detail: 'no folder for this national ID' });
  }
}
