// What the archive keeps about reminders: one record per reminder sent (like a reply's record: what was decided,
// to whom, when it went), and what staff set per campaign (paused, who is excused). The archive outlives Redis,
// so these records are what makes a reminder go out at most once across restarts and Redis losses.
//
// <archive>/_state/reminders/<campaign>/control.json          ReminderControl (dashboard; audited there)
// <archive>/_state/reminders/<campaign>/<step>/<key>.json     ReminderRecord
import { readdir } from 'node:fs/promises';
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

function recordPath(store: ArchiveStore, campaign: string, step: string, key: string): string {
  if (!STEP.test(step) || !KEY.test(key)) throw new Error(`unsafe reminder record name ${JSON.stringify(`${step}/${key}`)}`);
  return store.resolveInside(`${base(campaign)}/${step}/${key}.json`);
}

/** Settled: nothing more will be sent for this reminder. */
export const isSettled = (r: ReminderRecord | undefined) => r !== undefined && r.state !== 'pending';

export const readReminderRecord = (store: ArchiveStore, campaign: string, step: string, key: string) =>
  readJson<ReminderRecord>(recordPath(store, campaign, step, key));

export const writeReminderRecord = (store: ArchiveStore, record: ReminderRecord) =>
  writeAtomic(recordPath(store, record.campaign, record.step, record.recipientKey), json(record));

/** The record of a reminder by its id (an answer or a bounce quotes the id), if it is one of ours. */
export async function reminderRecordById(store: ArchiveStore, campaigns: string[], id: string): Promise<ReminderRecord | undefined> {
  const where = parseReminderId(id.toLowerCase(), campaigns);
  if (!where) return undefined;
  const record = await readReminderRecord(store, where.campaign, where.step, where.key).catch(() => undefined);
  return record?.id === id.toLowerCase() ? record : undefined;
}

/** Every record of a campaign (history, and the "already settled" set of the planner). */
export async function listReminderRecords(store: ArchiveStore, campaign: string): Promise<ReminderRecord[]> {
  const dir = store.resolveInside(base(campaign));
  const steps = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory() && STEP.test(e.name));
  const out: ReminderRecord[] = [];
  for (const step of steps) {
    const names = (await readdir(`${dir}/${step.name}`).catch(() => [] as string[])).filter((n) => KEY.test(n.replace(/\.json$/, '')));
    const records = await Promise.all(names.map((n) => readJson<ReminderRecord>(`${dir}/${step.name}/${n}`).catch(() => undefined)));
    out.push(...records.filter((r): r is ReminderRecord => Boolean(r)));
  }
  return out.sort((a, b) => (a.sentAt ?? a.createdAt).localeCompare(b.sentAt ?? b.createdAt) || a.id.localeCompare(b.id));
}

export function settledKeys(records: ReminderRecord[]): Set<string> {
  return new Set(records.filter(isSettled).map((r) => `${r.step}/${r.recipientKey}`));
}

// ── staff settings ────────────────────────────────────────────────────────────────────────────────────────

const controlPath = (store: ArchiveStore, campaign: string) => store.resolveInside(`${base(campaign)}/control.json`);

export async function readReminderControl(store: ArchiveStore, campaign: string): Promise<ReminderControl> {
  const stored = await readJson<ReminderControl>(controlPath(store, campaign));
  return { excused: {}, ...stored };
}

/** Read-modify-write of a campaign's settings under its lock; returns the new settings. */
export function updateReminderControl(
  store: ArchiveStore, campaign: string, fn: (current: ReminderControl) => ReminderControl,
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
