// What the archive keeps about reminders: one record per reminder sent (like a reply's record: what was decided,
// to whom, when it went), and what staff set per campaign (paused, who is excused). The archive outlives Redis,
// so these records are what makes a reminder go out at most once across restarts and Redis losses.
//
// <archive>/_state/reminders/<campaign>/control.json          ReminderControl (dashboard; audited there)
// <archive>/_state/reminders/<campaign>/<step>/<key>.json     ReminderRecord
import { readdir, stat, unlink } from 'node:fs/promises';
import { assertCampaignId } from '../pipelines/archive-paths.ts';
import { parseReminderId, type RecipientKind, type ReminderControl, type StaffExcuse } from '../pipelines/reminders/index.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { json, readJson, writeAtomic } from '../adapters/atomic-fs.ts';

export type ReminderState = 'pending' | 'sent' | 'outbox' | 'suppressed';

export interface ReminderRecord {
  id: string;
  campaign: string;
  step: string;
  kind: RecipientKind;
  recipientKey: string;
  /** Persons: their national ID; units: their units-file id. */
  nationalId?: string;
  unitId?: string;
  name: string;
  to: string[];
  messageId: string;
  state: ReminderState;
  createdAt: string;
  /** `remind --send` (an operator), or the schedule. */
  by: 'schedule' | 'command';
  sentAt?: string;
  outboxPath?: string;
  suppressed?: string;
  subject?: string;
}

const STEP = /^[a-z0-9][a-z0-9-]{0,23}$/;
const KEY = /^[pu][0-9a-f]{20}$/;
const base = (campaign: string) => `_state/reminders/${assertCampaignId(campaign)}`;

function recordPath(store: ArchiveStore, campaign: string, step: string, key: string, pending = false): string {
  if (!STEP.test(step) || !KEY.test(key)) throw new Error(`unsafe reminder record name ${JSON.stringify(`${step}/${key}`)}`);
  return store.resolveInside(`${base(campaign)}/${step}/${key}${pending ? '.pending' : ''}.json`);
}

/** Settled: nothing more will be sent for this reminder. */
export const isSettled = (r: ReminderRecord | undefined) => r !== undefined && r.state !== 'pending';

/** The settled record, else the pending one (a send under way, or one that died before its answer). */
export async function readReminderRecord(store: ArchiveStore, campaign: string, step: string, key: string): Promise<ReminderRecord | undefined> {
  return (await readJson<ReminderRecord>(recordPath(store, campaign, step, key)))
    ?? readJson<ReminderRecord>(recordPath(store, campaign, step, key, true));
}

/**
 * A pending record is kept beside the settled name (<key>.pending.json), so that which reminders are settled is
 * known from the file names alone: the check that runs every few minutes reads no record at all.
 */
export async function writeReminderRecord(store: ArchiveStore, record: ReminderRecord): Promise<void> {
  const pending = recordPath(store, record.campaign, record.step, record.recipientKey, true);
  if (record.state === 'pending') return writeAtomic(pending, json(record));
  await writeAtomic(recordPath(store, record.campaign, record.step, record.recipientKey), json(record));
  await unlink(pending).catch(() => undefined);
}

/** The record of a reminder by its id (an answer or a bounce quotes the id), if it is one of ours. */
export async function reminderRecordById(store: ArchiveStore, campaigns: string[], id: string): Promise<ReminderRecord | undefined> {
  const where = parseReminderId(id.toLowerCase(), campaigns);
  if (!where) return undefined;
  const record = await readReminderRecord(store, where.campaign, where.step, where.key).catch(() => undefined);
  return record?.id === id.toLowerCase() ? record : undefined;
}

/** Every record file of a campaign: step, recipient key, pending or settled. Names only. */
async function recordFiles(store: ArchiveStore, campaign: string) {
  const dir = store.resolveInside(base(campaign));
  const steps = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory() && STEP.test(e.name));
  const out: Array<{ step: string; key: string; pending: boolean; abs: string }> = [];
  for (const step of steps) {
    for (const name of await readdir(`${dir}/${step.name}`).catch(() => [] as string[])) {
      const m = /^([pu][0-9a-f]{20})(\.pending)?\.json$/.exec(name);
      if (m) out.push({ step: step.name, key: m[1], pending: Boolean(m[2]), abs: `${dir}/${step.name}/${name}` });
    }
  }
  return out;
}

/** "<step>/<recipient key>" of every settled reminder of a campaign, from file names. */
export async function settledKeys(store: ArchiveStore, campaign: string): Promise<Set<string>> {
  return new Set((await recordFiles(store, campaign)).filter((f) => !f.pending).map((f) => `${f.step}/${f.key}`));
}

export interface ReminderHistory {
  total: number;
  latest: ReminderRecord[];
}

/** The latest `limit` records (newest first, by file time) and how many there are: the dashboard's history. */
export async function reminderHistory(store: ArchiveStore, campaign: string, limit: number): Promise<ReminderHistory> {
  const files = await recordFiles(store, campaign);
  const timed = await Promise.all(files.map(async (f) => ({ f, t: (await stat(f.abs).catch(() => undefined))?.mtimeMs ?? 0 })));
  timed.sort((a, b) => b.t - a.t);
  const latest = await Promise.all(timed.slice(0, limit).map(({ f }) => readJson<ReminderRecord>(f.abs).catch(() => undefined)));
  return { total: files.length, latest: latest.filter((r): r is ReminderRecord => Boolean(r)) };
}

/** Every record of a campaign, oldest first (tests and small campaigns; the dashboard reads reminderHistory). */
export async function listReminderRecords(store: ArchiveStore, campaign: string): Promise<ReminderRecord[]> {
  const records = await Promise.all((await recordFiles(store, campaign)).map((f) => readJson<ReminderRecord>(f.abs).catch(() => undefined)));
  return records.filter((r): r is ReminderRecord => Boolean(r))
    .sort((a, b) => (a.sentAt ?? a.createdAt).localeCompare(b.sentAt ?? b.createdAt) || a.id.localeCompare(b.id));
}

/** Settled reminders per step (sent, in the outbox, or not sent for a bounced address), from file names. */
export async function settledPerStep(store: ArchiveStore, campaign: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const f of await recordFiles(store, campaign)) if (!f.pending) counts.set(f.step, (counts.get(f.step) ?? 0) + 1);
  return counts;
}

// ── staff settings ────────────────────────────────────────────────────────────────────────────────────────

const controlPath = (store: ArchiveStore, campaign: string) => store.resolveInside(`${base(campaign)}/control.json`);

export async function readReminderControl(store: ArchiveStore, campaign: string): Promise<ReminderControl> {
  const stored = await readJson<ReminderControl>(controlPath(store, campaign));
  return { excused: {}, ...stored };
}

/** Read-modify-write of a campaign's settings under its lock; returns the new settings. */
export function updateReminderControl(
  store: ArchiveStore,
  campaign: string,
  fn: (current: ReminderControl) => ReminderControl,
): Promise<ReminderControl> {
  return store.underStateLock(`reminders/${assertCampaignId(campaign)}`, async (assertHeld) => {
    const next = fn(await readReminderControl(store, campaign));
    assertHeld();
    await writeAtomic(controlPath(store, campaign), json(next));
    return next;
  });
}

export function setPaused(store: ArchiveStore, campaign: string, paused: { by: string; at: string } | undefined) {
  return updateReminderControl(store, campaign, ({ paused: _old, ...rest }) => (paused ? { ...rest, paused } : rest));
}

/** `excuse` undefined lifts an excuse. `target` is a national ID or "unit:<id>". */
export function setExcused(store: ArchiveStore, campaign: string, target: string, excuse: StaffExcuse | undefined) {
  return updateReminderControl(store, campaign, (c) => {
    const excused = { ...c.excused };
    if (excuse) excused[target] = excuse;
    else delete excused[target];
    return { ...c, excused };
  });
}
