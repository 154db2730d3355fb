// The archive on disk: the only module that reads or writes it. Every write is atomic (temp file in the same
// folder, fsync, rename) and every read-modify-write runs under a cross-process lock (proper-lockfile).
// What to write is decided elsewhere (pipelines/person/file-plan.ts); names come from pipelines/archive-paths.ts.
//
// <archive>/
//   _messages/YYYY/MM/<sha256-of-raw>.eml      every original, stored FIRST, before parsing; idempotent by content
//                                              hash (month of arrival, Bangkok time, Common Era); read-only
//   _state/messages/<messageKey>.json          MessageRecord (processing + reply record; makes re-runs idempotent)
//   _state/persons/<campaign>/<nationalId>.json  index: national ID → person folder (found even after a rename)
//   _state/locks/…                             lock directories (proper-lockfile); stale after 10 s
//   _outbox/<messageKey>.eml                   replies when no SMTP server is configured (never overwritten)
//   <campaign>/<unit>/<nationalId> <prefix+first last>/      unit "ไม่ระบุสังกัด" when unknown
//       manifest.json                          PersonManifest, written last
//       id-card.pdf, child-id-2.pdf, appointment-education-degree.pdf …   current documents, named by checklist id
//       _superseded/<item>-<BE date-time>.pdf  older versions, never deleted
//       _problems/<safe original name>         invalid / unclassified files (kept, listed in manifest.problems)
//       _originals/<messageKey>.eml            hard link (copy if linking fails) of each message for this person
//   <campaign>/_unmatched/<messageKey>/        mail nobody could be identified for:
//       record.json (UnmatchedRecord, written last), original.eml, the attachments
//   <folder>/<unit id or safe name>/            unit-scope campaigns (login-status, admin-appointment):
//       manifest.json (UnitManifest, written last), appointment-order.pdf, login-status.xlsx …,
//       _superseded/, _problems/, _attachments/, _originals/ as for persons
import { promises as fs } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { assertCampaignId, assertKey, assertNationalId, deliveryLockPath, MANIFEST, MESSAGES_DIR, messageEmlPath, messageLockPath, messageRecordPath,
  nextFreeName, numberedName, originalLinkPath, outboxPath, personDirPath, personIndexPath, personLockPath, safeFileName, safeSegment, unmatchedDirPath,
  unmatchedLockPath } from '../pipelines/archive-paths.ts';
import type { UnitFilingPlan, UnitManifest } from '../pipelines/unit/index.ts';
import type { FilingPlan } from '../pipelines/person/index.ts';
import type { ManifestMessage, MessageRecord, Person, PersonManifest, UnmatchedRecord } from '../pipelines/types.ts';
import { contains, fileSha, isCode, json, publishBodies, publishBody, readJson, realPathOf, serialised, subdirs, syncDir, writeAtomic,
  writeVia } from './atomic-fs.ts';
import type { FileBody } from '../pipelines/body.ts';
import { rawKeyOfPath } from '../pipelines/archive-layout.ts';
import { openFileBody, SpoolArea } from './spool.ts';
import { sha256 } from '../pipelines/hash.ts';
import { silentLogger, type Logger } from './logger.ts';
import type { Readable } from 'node:stream';
import { writeHashedTemp, type HashedTempOptions } from './hashed-temp-file.ts';
import { recordArchiveWriteError } from './metrics.ts';

/** A holder that dies is taken over after this long; the holder refreshes the lock every STALE_MS / 2. */
const STALE_MS = 10_000;
/** Up to about two minutes of waiting behind other processes before giving up. */
const LOCK_RETRIES = { retries: 500, factor: 1.2, minTimeout: 10, maxTimeout: 250, randomize: true };

export interface ArchiveStoreOptions {
  logger?: Logger;
  /** Replies go here instead of <archive>/_outbox (the CLI's --outbox). */
  outboxDir?: string;
}

export class ArchiveStore {
  readonly root: string;
  private readonly log: Logger;
  private readonly outboxDir?: string;

  /** The root with symlinks resolved, found on first use (the archive folder may not exist before that). */
  private realRoot?: string;
  private spoolArea?: SpoolArea;

  constructor(root: string, opts: ArchiveStoreOptions = {}) {
    this.root = path.resolve(root);
    this.log = opts.logger ?? silentLogger;
    this.outboxDir = opts.outboxDir ? path.resolve(opts.outboxDir) : undefined;
  }

  /** Absolute path of a path relative to the root; throws when it escapes the root, through symlinks too. */
  resolveInside(relPath: string): string {
    if (typeof relPath !== 'string' || relPath.includes('\0')) throw new Error('unsafe archive path');
    const abs = path.resolve(this.root, relPath);
    this.realRoot ??= realPathOf(this.root);
    if (!contains(this.root, abs) || !contains(this.realRoot, realPathOf(abs))) {
      throw new Error(`path escapes the archive: ${JSON.stringify(relPath)}`);
    }
    return abs;
  }

  private async withLock<T>(lockRel: string, fn: (assertHeld: () => void) => Promise<T>): Promise<T> {
    const lockAbs = this.resolveInside(lockRel);
    return serialised(lockAbs, async () => {
      await fs.mkdir(path.dirname(lockAbs), { recursive: true });
      let compromised: Error | undefined;
      const release = await lockfile.lock(lockAbs, {
        lockfilePath: lockAbs,
        realpath: false,
        stale: STALE_MS,
        retries: LOCK_RETRIES,
        onCompromised: (err) => {
          compromised = err;
          this.log.error({ err, code: 'archive.lock_compromised', lock: lockRel }, 'Archive lock compromised');
        },
      });
      const assertHeld = () => {
        if (compromised) throw new Error(`lost the archive lock ${lockRel}`, { cause: compromised });
      };
      try {
        return await fn(assertHeld);
      } finally {
        await release().catch(() => undefined);
      }
    });
  }

  /**
   * Read-modify-write of a small state file (reminder settings, extensions) under a cross-process lock named
   * `name` (lower-case words, digits, "-" and "/"): `_state/locks/<name>.lock`. `fn` calls assertHeld() right
   * before its write.
   */
  underStateLock<T>(name: string, fn: (assertHeld: () => void) => Promise<T>): Promise<T> {
    if (!/^[a-z0-9][a-z0-9/-]{0,150}$/.test(name) || name.includes('..')) throw new Error(`unsafe lock name ${JSON.stringify(name)}`);
    return this.withLock(`_state/locks/${name}.lock`, fn);
  }

  // ── originals ────────────────────────────────────────────────────────────────────────────────────────────

  async storeOriginal(raw: Buffer, receivedAt: Date): Promise<{ rawKey: string; emlPath: string }> {
    const rawKey = sha256(raw);
    const emlPath = (await this.findOriginal(rawKey, receivedAt)) ?? messageEmlPath(rawKey, receivedAt);
    const abs = this.resolveInside(emlPath);
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
  async storeOriginalStream(
    source: Readable | AsyncIterable<Buffer>,
    receivedAt: Date,
    opts: Pick<HashedTempOptions, 'onChunk'> = {},
  ): Promise<{ rawKey: string; emlPath: string; bytes: number }> {
    // The month folder of a zero hash: only its directory is used, the hash is not known yet.
    const dir = path.dirname(this.resolveInside(messageEmlPath('0'.repeat(64), receivedAt)));
    const temp = await writeHashedTemp(source, dir, { mode: 0o444, onChunk: opts.onChunk });
    try {
      const rawKey = temp.sha256;
      const found = await this.findOriginal(rawKey, receivedAt);
      const emlPath = found ?? messageEmlPath(rawKey, receivedAt);
      const abs = this.resolveInside(emlPath);
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
  private async findOriginal(rawKey: string, receivedAt: Date): Promise<string | undefined> {
    const first = messageEmlPath(rawKey, receivedAt);
    const candidates = [first];
    for (const year of await subdirs(this.resolveInside(MESSAGES_DIR))) {
      for (const month of await subdirs(this.resolveInside(`${MESSAGES_DIR}/${year}`))) {
        candidates.push(`${MESSAGES_DIR}/${year}/${month}/${rawKey}.eml`);
      }
    }
    for (const rel of candidates) {
      if (await fs.stat(this.resolveInside(rel)).then(() => true, () => false)) return rel;
    }
    return undefined;
  }

  readOriginal(emlPath: string): Promise<Buffer> {
    return fs.readFile(this.resolveInside(emlPath));
  }

  /** The original as a body read in ranges and streams, never whole (its name is its hash). */
  openOriginal(emlPath: string): Promise<FileBody> {
    return openFileBody(this.resolveInside(emlPath), rawKeyOfPath(emlPath));
  }

  /** The spool of this archive (same file system, so filing links from it). */
  get spool(): SpoolArea {
    this.spoolArea ??= new SpoolArea(this.root);
    return this.spoolArea;
  }

  // ── message records ──────────────────────────────────────────────────────────────────────────────────────

  getMessageRecord(messageKey: string): Promise<MessageRecord | undefined> {
    return readJson<MessageRecord>(this.resolveInside(messageRecordPath(messageKey)));
  }

  putMessageRecord(record: MessageRecord): Promise<void> {
    return writeAtomic(this.resolveInside(messageRecordPath(record.messageKey)), json(record));
  }

  /** `fn` sees the stored record (or undefined); returning undefined leaves it as it is. */
  updateMessageRecord(
    messageKey: string,
    fn: (r: MessageRecord | undefined) => MessageRecord | undefined,
  ): Promise<MessageRecord | undefined> {
    return this.withLock(messageLockPath(messageKey), async (assertHeld) => {
      const current = await this.getMessageRecord(messageKey);
      const next = fn(current);
      if (next === undefined) return current;
      if (next.messageKey !== messageKey) throw new Error('updateMessageRecord may not change the message key');
      assertHeld();
      await this.putMessageRecord(next);
      return next;
    });
  }

  // ── persons ──────────────────────────────────────────────────────────────────────────────────────────────

  /** The person's folder, relative to the root: from the index, else by scanning the units for the ID. */
  private async findPersonDir(campaignId: string, nationalId: string): Promise<string | undefined> {
    const index = await readJson<{ dir?: string }>(this.resolveInside(personIndexPath(campaignId, nationalId)));
    if (index?.dir?.startsWith(`${campaignId}/`)) {
      if (await readJson(this.resolveInside(`${index.dir}/${MANIFEST}`))) return index.dir;
    }
    const campaignDir = this.resolveInside(assertCampaignId(campaignId));
    for (const unit of await subdirs(campaignDir)) {
      if (unit.startsWith('_')) continue;
      const match = (await subdirs(path.join(campaignDir, unit)))
        .find((name) => name === nationalId || name.startsWith(`${nationalId} `));
      if (match) return `${campaignId}/${unit}/${match}`;
    }
    return index?.dir?.startsWith(`${campaignId}/`) ? index.dir : undefined;
  }

  /** A folder's manifest.json (person or unit), if the folder has one. */
  private async readFolder<M>(dir: string): Promise<{ dir: string; manifest: M } | undefined> {
    const manifest = await readJson<M>(this.resolveInside(`${dir}/${MANIFEST}`));
    return manifest ? { dir, manifest } : undefined;
  }

  async readPerson(campaignId: string, nationalId: string): Promise<{ dir: string; manifest: PersonManifest } | undefined> {
    const dir = await this.findPersonDir(campaignId, assertNationalId(nationalId));
    return dir ? this.readFolder<PersonManifest>(dir) : undefined;
  }

  /**
   * Read-modify-write of one person's folder under a cross-process lock: the manifest is re-read inside the
   * lock, the plan's moves and writes applied, originals linked, and manifest.json written last.
   * `dir` in the result (plan.personDir) is relative to the archive root.
   */
  updatePerson(
    campaignId: string,
    person: Person,
    plan: (current: PersonManifest | undefined) => FilingPlan | Promise<FilingPlan>,
  ): Promise<FilingPlan> {
    assertNationalId(person.nationalId);
    return this.withLock(personLockPath(campaignId, person.nationalId), async (assertHeld) => {
      const found = await this.findPersonDir(campaignId, person.nationalId);
      const dir = found ?? personDirPath(campaignId, person);
      const result = { ...(await plan((await this.readFolder<PersonManifest>(dir))?.manifest)), personDir: dir };
      if (!result.changed) return result;
      await this.commitFolder(dir, result, result.manifest.messages, assertHeld, async () => {
        const indexAbs = this.resolveInside(personIndexPath(campaignId, person.nationalId));
        if ((await readJson<{ dir?: string }>(indexAbs))?.dir !== dir) await writeAtomic(indexAbs, json({ dir }));
      });
      this.log.debug({ code: 'archive.person_updated', dir, writes: result.writes.length, moves: result.moves.length }, 'Person folder updated');
      return result;
    });
  }

  /**
   * The changed half of a folder's read-modify-write, under its lock: the plan's moves and writes, a link to each
   * original, `beforeManifest` (the person index), and manifest.json last, only while the lock is still held.
   */
  private async commitFolder(
    dir: string,
    plan: Pick<FilingPlan, 'moves' | 'writes'> & { manifest: unknown },
    originals: Array<Pick<ManifestMessage, 'messageKey' | 'emlPath'>>,
    assertHeld: () => void,
    beforeManifest?: () => Promise<void>,
  ): Promise<void> {
    await applyPlanFiles(this, dir, plan);
    for (const o of originals) await this.linkOrCopy(o.emlPath, this.resolveInside(`${dir}/${originalLinkPath(o.messageKey)}`));
    await beforeManifest?.();
    assertHeld();
    await writeAtomic(this.resolveInside(`${dir}/${MANIFEST}`), json(plan.manifest));
  }

  private async linkOrCopy(sourceRel: string, target: string): Promise<void> {
    if (await fs.lstat(target).then(() => true, () => false)) return;
    const source = this.resolveInside(sourceRel);
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.link(source, target);
    } catch (err) {
      if (isCode(err, 'EEXIST')) return;
      if (isCode(err, 'ENOENT')) {
        this.log.warn({ code: 'archive.original_missing', emlPath: sourceRel }, 'Original message missing');
        return;
      }
      await writeAtomic(target, await fs.readFile(source), 0o444);
    }
  }

  async listPersons(campaignId: string): Promise<Array<{ dir: string; manifest: PersonManifest }>> {
    const campaignDir = this.resolveInside(assertCampaignId(campaignId));
    const out: Array<{ dir: string; manifest: PersonManifest }> = [];
    for (const unit of await subdirs(campaignDir)) {
      if (unit.startsWith('_')) continue;
      for (const name of await subdirs(path.join(campaignDir, unit))) {
        const dir = `${campaignId}/${unit}/${name}`;
        const manifest = await readJson<PersonManifest>(this.resolveInside(`${dir}/${MANIFEST}`));
        if (manifest) out.push({ dir, manifest });
      }
    }
    return out;
  }

  // ── unmatched mail ───────────────────────────────────────────────────────────────────────────────────────

  /** Idempotent per message key: a second call returns the record already filed. File paths are root-relative. */
  fileUnmatched(
    campaignId: string,
    record: UnmatchedRecord,
    files: Array<{ name: string; body: FileBody }>,
  ): Promise<UnmatchedRecord> {
    const dir = unmatchedDirPath(campaignId, record.messageKey);
    return this.withLock(unmatchedLockPath(campaignId, record.messageKey), async (assertHeld) => {
      const existing = await readJson<UnmatchedRecord>(this.resolveInside(`${dir}/record.json`));
      if (existing) return existing;
      const used = new Set(['record.json', 'original.eml']);
      const stored: UnmatchedRecord['files'] = [];
      for (const file of files) {
        const safe = safeFileName(file.name);
        const name = nextFreeName((n) => numberedName(safe, n), used, (x) => x.toLowerCase());
        used.add(name.toLowerCase());
        await publishBody(this.resolveInside(`${dir}/${name}`), file.body);
        const code = record.files.find((f) => f.name === file.name)?.code;
        stored.push({
          name: file.name,
          path: `${dir}/${name}`,
          sha256: file.body.sha256,
          size: file.body.size,
          ...(code ? { code } : {}),
        });
      }
      if (record.emlPath) await this.linkOrCopy(record.emlPath, this.resolveInside(`${dir}/original.eml`));
      const full: UnmatchedRecord = { ...record, files: files.length ? stored : record.files };
      assertHeld();
      await writeAtomic(this.resolveInside(`${dir}/record.json`), json(full));
      return full;
    });
  }

  /** For staff assigning unmatched mail (dashboard): `fn` returning undefined leaves the record as it is. */
  updateUnmatched(
    campaignId: string,
    messageKey: string,
    fn: (r: UnmatchedRecord) => UnmatchedRecord | undefined,
  ): Promise<UnmatchedRecord | undefined> {
    const file = `${unmatchedDirPath(campaignId, messageKey)}/record.json`;
    return this.withLock(unmatchedLockPath(campaignId, messageKey), async (assertHeld) => {
      const current = await readJson<UnmatchedRecord>(this.resolveInside(file));
      const next = current && fn(current);
      if (!next) return current;
      assertHeld();
      await writeAtomic(this.resolveInside(file), json({ ...next, messageKey }));
      return next;
    });
  }

  async listUnmatched(campaignId: string): Promise<UnmatchedRecord[]> {
    const base = `${assertCampaignId(campaignId)}/_unmatched`;
    const out: UnmatchedRecord[] = [];
    for (const key of await subdirs(this.resolveInside(base))) {
      const record = await readJson<UnmatchedRecord>(this.resolveInside(`${base}/${key}/record.json`));
      if (record) out.push(record);
    }
    return out.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.messageKey.localeCompare(b.messageKey));
  }

  // ── units (unit-scope campaigns) ─────────────────────────────────────────────────────────────────────────

  /** `<folder>/<unit id or safe name>`, relative to the root. */
  unitDir(folder: string, unitKey: string): string {
    return `${assertCampaignId(folder)}/${safeSegment(unitKey, 'unit')}`;
  }

  readUnit(folder: string, unitKey: string): Promise<{ dir: string; manifest: UnitManifest } | undefined> {
    return this.readFolder<UnitManifest>(this.unitDir(folder, unitKey));
  }

  /** Read-modify-write of one unit folder under a cross-process lock, as updatePerson does for a person. */
  updateUnit(
    folder: string,
    unitKey: string,
    plan: (current: UnitManifest | undefined) => UnitFilingPlan | Promise<UnitFilingPlan>,
  ): Promise<UnitFilingPlan> {
    const dir = this.unitDir(folder, unitKey);
    const lock = `_state/locks/${assertCampaignId(folder)}/unit-${sha256(Buffer.from(dir)).slice(0, 24)}.lock`;
    return this.withLock(lock, async (assertHeld) => {
      const result = { ...(await plan((await this.readFolder<UnitManifest>(dir))?.manifest)), unitDir: dir };
      if (!result.changed) return result;
      await this.commitFolder(dir, result, result.manifest.submissions, assertHeld);
      this.log.debug({ code: 'archive.unit_updated', dir, writes: result.writes.length, moves: result.moves.length }, 'Unit folder updated');
      return result;
    });
  }

  async listUnits(folder: string): Promise<Array<{ dir: string; manifest: UnitManifest }>> {
    const base = assertCampaignId(folder);
    const out: Array<{ dir: string; manifest: UnitManifest }> = [];
    for (const name of await subdirs(this.resolveInside(base))) {
      if (name.startsWith('_')) continue;
      const manifest = await readJson<UnitManifest>(this.resolveInside(`${base}/${name}/${MANIFEST}`));
      if (manifest?.scope === 'unit') out.push({ dir: `${base}/${name}`, manifest });
    }
    return out;
  }

  // ── outbox ───────────────────────────────────────────────────────────────────────────────────────────────

  /** The outbox file of a mail: absolute, and the path to report (relative to the root unless the outbox is elsewhere). */
  private outboxFile(id: string, outboxDir?: string): { abs: string; reported: string } {
    const rel = outboxPath(assertKey(id, 'message key'));
    const dir = outboxDir ? path.resolve(outboxDir) : this.outboxDir;
    const abs = dir ? path.join(dir, path.basename(rel)) : this.resolveInside(rel);
    return { abs, reported: dir ? abs : rel };
  }

  /**
   * Publishes the reply with link(2), which fails rather than overwrite: a second write for the same message
   * keeps the first file. Returns the path relative to the root (absolute when the outbox is elsewhere:
   * `outboxDir` here, else the constructor's, else <archive>/_outbox).
   */
  async writeOutbox(messageKey: string, eml: Buffer, outboxDir?: string): Promise<string> {
    const { abs, reported } = this.outboxFile(messageKey, outboxDir);
    await writeVia(abs, eml, async (tmp) => {
      try {
        await fs.link(tmp, abs);
      } catch (err) {
        if (isCode(err, 'EEXIST')) {
          this.log.info({ code: 'archive.outbox_exists', messageKey }, 'Reply already in the outbox, kept');
          return;
        }
        throw err;
      }
    });
    return reported;
  }

  /** Removes a mail's outbox copy (one a failed send left for the next run); nothing when there is none. */
  async removeOutbox(messageKey: string): Promise<void> {
    await fs.rm(this.outboxFile(messageKey).abs, { force: true });
  }

  /** Runs `fn` while no other process holds the delivery lock of this mail (see usecases/deliver-once.ts). */
  withDeliveryLock<T>(scope: 'messages' | 'staff-mail' | 'reminders', id: string, fn: () => Promise<T>): Promise<T> {
    return this.withLock(deliveryLockPath(scope, id), () => fn());
  }
}

/**
 * Applies a plan's moves then writes inside one person folder. Safe to repeat after a crash: a move whose
 * target already holds the expected bytes is done; files not in the manifest are leftovers of an
 * attempt that never committed (its message is still pending) and may be replaced.
 * Call it only under the person's lock (ArchiveStore.updatePerson does).
 */
export async function applyPlanFiles(store: ArchiveStore, dir: string, plan: Pick<FilingPlan, 'moves' | 'writes'>): Promise<void> {
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
