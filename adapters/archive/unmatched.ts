// `<campaign>/_unmatched/<messageKey>/`: mail nobody could be identified for (record.json written last).
import { assertCampaignId, nextFreeName, numberedName, safeFileName, unmatchedDirPath, unmatchedLockPath } from '../../pipelines/archive-paths.ts';
import type { FileBody } from '../../pipelines/body.ts';
import type { UnmatchedRecord } from '../../pipelines/types.ts';
import { json, readJson, subdirs, writeAtomic } from '../atomic-fs.ts';
import { publishRecordLast, stageFiles, type StageSource } from '../staged-files.ts';
import { linkOrCopy } from './folders.ts';
import type { ArchiveRoot } from './root.ts';

/** Idempotent per message key: a second call returns the record already filed. File paths are root-relative. */
export function fileUnmatched(
  archive: ArchiveRoot,
  campaignId: string,
  record: UnmatchedRecord,
  files: Array<{ name: string; body: FileBody }>,
): Promise<UnmatchedRecord> {
  const dir = unmatchedDirPath(campaignId, record.messageKey);
  return archive.withLock(unmatchedLockPath(campaignId, record.messageKey), async (assertHeld) => {
    const existing = await readJson<UnmatchedRecord>(archive.resolveInside(`${dir}/record.json`));
    if (existing) return existing;
    const used = new Set(['record.json', 'original.eml']);
    const stored: UnmatchedRecord['files'] = [];
    const bodies: StageSource[] = [];
    for (const file of files) {
      const safe = safeFileName(file.name);
      const name = nextFreeName((n) => numberedName(safe, n), used, (x) => x.toLowerCase());
      used.add(name.toLowerCase());
      bodies.push({ abs: archive.resolveInside(`${dir}/${name}`), body: file.body });
      const code = record.files.find((f) => f.name === file.name)?.code;
      stored.push({
        name: file.name,
        path: `${dir}/${name}`,
        sha256: file.body.sha256,
        size: file.body.size,
        ...(code ? { code } : {}),
      });
    }
    const full: UnmatchedRecord = { ...record, files: files.length ? stored : record.files };
    // The attachments' and the record's temps fsynced together; record.json renamed once the rest is durable.
    const staged = await stageFiles([...bodies, { abs: archive.resolveInside(`${dir}/record.json`), content: json(full) }]);
    await publishRecordLast(staged, async () => {
      if (record.emlPath) await linkOrCopy(archive, record.emlPath, archive.resolveInside(`${dir}/original.eml`));
      assertHeld();
    });
    return full;
  });
}

/** For staff assigning unmatched mail (dashboard): `fn` returning undefined leaves the record as it is. */
export function updateUnmatched(
  archive: ArchiveRoot,
  campaignId: string,
  messageKey: string,
  fn: (r: UnmatchedRecord) => UnmatchedRecord | undefined,
): Promise<UnmatchedRecord | undefined> {
  const file = `${unmatchedDirPath(campaignId, messageKey)}/record.json`;
  return archive.withLock(unmatchedLockPath(campaignId, messageKey), async (assertHeld) => {
    const current = await readJson<UnmatchedRecord>(archive.resolveInside(file));
    const next = current && fn(current);
    if (!next) return current;
    assertHeld();
    await writeAtomic(archive.resolveInside(file), json({ ...next, messageKey }));
    return next;
  });
}

export async function listUnmatched(archive: ArchiveRoot, campaignId: string): Promise<UnmatchedRecord[]> {
  const base = `${assertCampaignId(campaignId)}/_unmatched`;
  const out: UnmatchedRecord[] = [];
  for (const key of await subdirs(archive.resolveInside(base))) {
    const record = await readJson<UnmatchedRecord>(archive.resolveInside(`${base}/${key}/record.json`));
    if (record) out.push(record);
  }
  return out.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.messageKey.localeCompare(b.messageKey));
}
