// The archive on disk: only this module and adapters/archive/ (one file per area) read or write it. Every write
// is atomic (temp file in the same folder, fsync, rename; a folder's new files fsynced together, adapters/staged-files.ts;
// the derived person index without fsync) and every read-modify-write runs under a cross-process lock (proper-lockfile).
// What to write is decided elsewhere (pipelines/person/file-plan.ts); names come from pipelines/archive-paths.ts.
//
// <archive>/
//   _messages/YYYY/MM/<sha256-of-raw>.eml      every original, stored FIRST, before parsing; idempotent by content
//                                              hash (month of arrival, Bangkok time, Common Era); read-only
//   _state/messages/<messageKey>.json          MessageRecord (processing + reply record; makes re-runs idempotent)
//   _state/persons/<campaign>/<nationalId>.json  index: national ID → person folder (found even after a rename);
//                                              derived, not fsynced (the folder names and verify --repair rebuild it)
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
import type { Readable } from 'node:stream';
import { deliveryLockPath } from '../pipelines/archive-paths.ts';
import type { FileBody } from '../pipelines/body.ts';
import type { FilingPlan } from '../pipelines/person/index.ts';
import type { MessageRecord, Person, PersonManifest, UnmatchedRecord } from '../pipelines/types.ts';
import type { UnitFilingPlan, UnitManifest } from '../pipelines/unit/index.ts';
import { getMessageRecord, putMessageRecord, updateMessageRecord } from './archive/message-records.ts';
import { openOriginal, storeOriginal, storeOriginalStream } from './archive/originals.ts';
import { outboxFile, writeOutbox } from './archive/outbox.ts';
import { listPersons, readPerson, updatePerson } from './archive/persons.ts';
import { ArchiveRoot } from './archive/root.ts';
import { listUnits, readUnit, unitDir, updateUnit } from './archive/units.ts';
import { fileUnmatched, listUnmatched, updateUnmatched } from './archive/unmatched.ts';
import type { HashedTempOptions } from './hashed-temp-file.ts';
import { silentLogger, type Logger } from './logger.ts';
import { SpoolArea } from './spool.ts';

export { applyPlanFiles } from './archive/folders.ts';

export interface ArchiveStoreOptions {
  logger?: Logger;
  /** Replies go here instead of <archive>/_outbox (the CLI's --outbox). */
  outboxDir?: string;
}

/** The one face of the archive: each area's reads and writes live in adapters/archive/, named after the area. */
export class ArchiveStore extends ArchiveRoot {
  private readonly outboxDir?: string;
  private spoolArea?: SpoolArea;

  constructor(root: string, opts: ArchiveStoreOptions = {}) {
    super(root, opts.logger ?? silentLogger);
    this.outboxDir = opts.outboxDir ? path.resolve(opts.outboxDir) : undefined;
  }

  // ── originals ────────────────────────────────────────────────────────────────────────────────────────────

  storeOriginal(raw: Buffer, receivedAt: Date): Promise<{ rawKey: string; emlPath: string }> {
    return storeOriginal(this, raw, receivedAt);
  }

  /** storeOriginal for a message too large to hold in memory (see adapters/archive/originals.ts). */
  storeOriginalStream(
    source: Readable | AsyncIterable<Buffer>,
    receivedAt: Date,
    opts: Pick<HashedTempOptions, 'onChunk'> = {},
  ): Promise<{ rawKey: string; emlPath: string; bytes: number }> {
    return storeOriginalStream(this, source, receivedAt, opts);
  }

  readOriginal(emlPath: string): Promise<Buffer> {
    return fs.readFile(this.resolveInside(emlPath));
  }

  /** The original as a body read in ranges and streams, never whole (its name is its hash). */
  openOriginal(emlPath: string): Promise<FileBody> {
    return openOriginal(this, emlPath);
  }

  /** The spool of this archive (same file system, so filing links from it). */
  get spool(): SpoolArea {
    this.spoolArea ??= new SpoolArea(this.root);
    return this.spoolArea;
  }

  // ── message records ──────────────────────────────────────────────────────────────────────────────────────

  getMessageRecord(messageKey: string): Promise<MessageRecord | undefined> {
    return getMessageRecord(this, messageKey);
  }

  putMessageRecord(record: MessageRecord): Promise<void> {
    return putMessageRecord(this, record);
  }

  /** `fn` sees the stored record (or undefined); returning undefined leaves it as it is. */
  updateMessageRecord(messageKey: string, fn: (r: MessageRecord | undefined) => MessageRecord | undefined): Promise<MessageRecord | undefined> {
    return updateMessageRecord(this, messageKey, fn);
  }

  // ── persons ──────────────────────────────────────────────────────────────────────────────────────────────

  readPerson(campaignId: string, nationalId: string): Promise<{ dir: string; manifest: PersonManifest } | undefined> {
    return readPerson(this, campaignId, nationalId);
  }

  /** Read-modify-write of one person's folder under its lock; manifest.json written last. `dir` is root-relative. */
  updatePerson(
    campaignId: string,
    person: Person,
    plan: (current: PersonManifest | undefined) => FilingPlan | Promise<FilingPlan>,
  ): Promise<FilingPlan> {
    return updatePerson(this, campaignId, person, plan);
  }

  listPersons(campaignId: string): Promise<Array<{ dir: string; manifest: PersonManifest }>> {
    return listPersons(this, campaignId);
  }

  // ── unmatched mail ───────────────────────────────────────────────────────────────────────────────────────

  /** Idempotent per message key: a second call returns the record already filed. File paths are root-relative. */
  fileUnmatched(campaignId: string, record: UnmatchedRecord, files: Array<{ name: string; body: FileBody }>): Promise<UnmatchedRecord> {
    return fileUnmatched(this, campaignId, record, files);
  }

  /** For staff assigning unmatched mail (dashboard): `fn` returning undefined leaves the record as it is. */
  updateUnmatched(campaignId: string, messageKey: string, fn: (r: UnmatchedRecord) => UnmatchedRecord | undefined): Promise<UnmatchedRecord | undefined> {
    return updateUnmatched(this, campaignId, messageKey, fn);
  }

  listUnmatched(campaignId: string): Promise<UnmatchedRecord[]> {
    return listUnmatched(this, campaignId);
  }

  // ── units (unit-scope campaigns) ─────────────────────────────────────────────────────────────────────────

  /** `<folder>/<unit id or safe name>`, relative to the root. */
  unitDir(folder: string, unitKey: string): string {
    return unitDir(folder, unitKey);
  }

  readUnit(folder: string, unitKey: string): Promise<{ dir: string; manifest: UnitManifest } | undefined> {
    return readUnit(this, folder, unitKey);
  }

  /** Read-modify-write of one unit folder under a cross-process lock, as updatePerson does for a person. */
  updateUnit(
    folder: string,
    unitKey: string,
    plan: (current: UnitManifest | undefined) => UnitFilingPlan | Promise<UnitFilingPlan>,
  ): Promise<UnitFilingPlan> {
    return updateUnit(this, folder, unitKey, plan);
  }

  listUnits(folder: string): Promise<Array<{ dir: string; manifest: UnitManifest }>> {
    return listUnits(this, folder);
  }

  // ── outbox ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Publishes the reply with link(2), which fails rather than overwrite: a second write for the same message
   * keeps the first file. Returns the path relative to the root (absolute when the outbox is elsewhere:
   * `outboxDir` here, else the constructor's, else <archive>/_outbox).
   */
  writeOutbox(messageKey: string, eml: Buffer, outboxDir?: string): Promise<string> {
    return writeOutbox(this, messageKey, eml, outboxDir || this.outboxDir);
  }

  /** Removes a mail's outbox copy (one a failed send left for the next run); nothing when there is none. */
  async removeOutbox(messageKey: string): Promise<void> {
    await fs.rm(outboxFile(this, messageKey, this.outboxDir).abs, { force: true });
  }

  /** Runs `fn` while no other process holds the delivery lock of this mail (see usecases/deliver-once.ts). */
  withDeliveryLock<T>(scope: 'messages' | 'staff-mail' | 'reminders', id: string, fn: () => Promise<T>): Promise<T> {
    return this.withLock(deliveryLockPath(scope, id), () => fn());
  }
}
