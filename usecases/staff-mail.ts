// Mail that staff decisions on the dashboard send (a revision request when a document is returned, the updated
// acknowledgement after assigning unmatched mail): its id, its delivery record, and the queue that carries it
// from `serve` to `run`'s SMTP sender (staff-mail.worker.ts), so the dashboard never waits for SMTP. What the
// mail says is decided in dashboard/; the per-sender hourly limit does not apply to it (see docs/dashboard.md).
//
// <archive>/_state/staff-mail/<id>.json         StaffMailRecord, written by `serve` (one writer)
// <archive>/_state/staff-mail/<id>.result.json  StaffMailResult, written by the staff-mail worker (one writer)
import { readdir } from 'node:fs/promises';
import { Queue } from 'bullmq';
import type { AppConfig } from '../config/schema.ts';
import { sha256 } from '../pipelines/hash.ts';
import type { StaffDecision } from '../pipelines/types.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { json, readJson, writeAtomic } from '../adapters/atomic-fs.ts';
import { classifyError, WorkError } from '../adapters/errors.ts';
import type { Logger } from '../adapters/logger.ts';
import { defaultJobOptions, QUEUE_NAMES, staffMailJobId, type StaffMailPayload } from '../adapters/queues.ts';
import { bullProducerConnection } from '../adapters/redis-connection.ts';

/** content-correction: the one mail a message gets when reading its pages changed how it was filed. */
export type StaffMailKind = 'revision-request' | 'acknowledgement' | 'content-correction';
/** outbox: no SMTP configured for `serve`; queued: handed to `run`; not-queued: Redis did not take it. */
export type StaffMailDelivery = 'outbox' | 'queued' | 'not-queued';

export interface StaffMailRecord {
  id: string;
  kind: StaffMailKind;
  campaign: string;
  /** Empty for a mail to a unit (then `unit` says which). */
  nationalId: string;
  /** Unit folder key of a unit-scope campaign's revision request. */
  unit?: string;
  to: string;
  /** As ArchiveStore.writeOutbox returned it. */
  outboxPath: string;
  createdAt: string;
  by: string;
  delivery: StaffMailDelivery;
  /** not-queued: the error code and message. */
  queueError?: string;
  /** When it was (last) put on the queue. */
  queuedAt?: string;
}

export interface StaffMailResult {
  /** retrying: a transient failure, the job will try again; failed: for good (see `seis-intake jobs`). */
  state: 'sent' | 'retrying' | 'failed' | 'suppressed' | 'no-smtp';
  at: string;
  code?: string;
}

export type StaffMailState = StaffMailDelivery | StaffMailResult['state'];

export interface StaffMailStatus {
  id: string;
  state: StaffMailState;
  to: string;
  at: string;
  code?: string;
  outboxPath: string;
}

// ── ids: derived from the decision, so its page finds the mail and a repeated request is one job ─────────

const shortHash = (text: string) => sha256(text).slice(0, 10);
/** UTC to the millisecond: two decisions on one document in the same second are two mails. */
const stamp = (d: Date) => d.toISOString().replace(/[-:.TZ]/g, '');

export function revisionMailId(nationalId: string, docPath: string, sha256: string, at: Date): string {
  return `return-${nationalId}-${shortHash(docPath + sha256)}-${stamp(at)}`;
}

export function acknowledgementMailId(messageKey: string, at: Date): string {
  return `assign-${messageKey}-${stamp(at)}`;
}

/** The mail a decision in manifest.decisions sent, if it is of a kind that sends one. */
export function staffMailIdOf(nationalId: string, decision: StaffDecision): string | undefined {
  const d = decision.detail ?? {};
  const at = new Date(decision.at);
  if (Number.isNaN(at.getTime())) return undefined;
  if (decision.action === 'return-document' && typeof d.path === 'string' && typeof d.sha256 === 'string') {
    return revisionMailId(nationalId, d.path, d.sha256, at);
  }
  if (decision.action === 'assign-message' && typeof d.messageKey === 'string') return acknowledgementMailId(d.messageKey, at);
  return undefined;
}

// ── records ─────────────────────────────────────────────────────────────────────────────────────────────

const SAFE_ID = /^[a-z]+-[0-9a-zA-Z_-]{1,190}$/;
const recordFile = (store: ArchiveStore, id: string, suffix = '') => {
  if (!SAFE_ID.test(id)) throw new Error(`unsafe staff mail id ${JSON.stringify(id)}`);
  return store.resolveInside(`_state/staff-mail/${id}${suffix}.json`);
};

export const readStaffMailRecord = (store: ArchiveStore, id: string) => readJson<StaffMailRecord>(recordFile(store, id));
export const readStaffMailResult = (store: ArchiveStore, id: string) => readJson<StaffMailResult>(recordFile(store, id, '.result'));
export const writeStaffMailRecord = (store: ArchiveStore, record: StaffMailRecord) => writeAtomic(recordFile(store, record.id), json(record));
export const writeStaffMailResult = (store: ArchiveStore, id: string, result: StaffMailResult) => writeAtomic(recordFile(store, id, '.result'), json(result));

/** What happened to a mail as far as anyone knows: the worker's result wins over the dashboard's record. */
export async function staffMailStatus(store: ArchiveStore, id: string): Promise<StaffMailStatus | undefined> {
  const record = await readStaffMailRecord(store, id).catch(() => undefined);
  if (!record) return undefined;
  const result = await readStaffMailResult(store, id).catch(() => undefined);
  const base = { id, to: record.to, outboxPath: record.outboxPath };
  if (result) return { ...base, state: result.state, at: result.at, ...(result.code ? { code: result.code } : {}) };
  const code = record.queueError?.split(':')[0];
  return { ...base, state: record.delivery, at: record.queuedAt ?? record.createdAt, ...(code ? { code } : {}) };
}

// ── the queue, producer side (serve) ───────────────────────────────────────────────────────────────────

export interface StaffMailQueue {
  enqueue(payload: StaffMailPayload): Promise<void>;
  close(): Promise<void>;
}

/** A staff member is waiting for the page: give up on Redis after this long and say so. */
const ENQUEUE_TIMEOUT_MS = 3000;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WorkError(`${what}: Redis did not answer within ${ms} ms`, 'redis.unavailable', 'transient')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function openStaffMailQueue(config: AppConfig, log: Logger, opts: { timeoutMs?: number } = {}): StaffMailQueue {
  const queue = new Queue<StaffMailPayload>(QUEUE_NAMES.staffMail, {
    connection: bullProducerConnection(config.redis.url),
    prefix: config.redis.prefix,
    defaultJobOptions: defaultJobOptions(config),
  });
  let down = false;
  queue.on('error', (err) => {
    if (!down) log.warn({ code: 'staff_mail.queue_error', err }, 'staff mail queue: Redis connection error');
    down = true;
  });
  const timeoutMs = opts.timeoutMs ?? ENQUEUE_TIMEOUT_MS;
  return {
    async enqueue(payload) {
      await within(queue.add('staff-mail', payload, { jobId: staffMailJobId(payload.id) }), timeoutMs, 'queueing staff mail');
      down = false;
    },
    async close() {
      await within(queue.close(), timeoutMs, 'closing the staff mail queue').catch(() => queue.disconnect());
    },
  };
}

export interface DispatchDeps {
  store: ArchiveStore;
  queue?: StaffMailQueue;
  log: Logger;
  now: () => Date;
}

/**
 * Hands a mail already in the outbox to `run` (when `serve` has a queue, i.e. SMTP is configured) and writes
 * its record. Never throws for Redis: a mail that could not be queued is recorded as such, staff see it.
 */
export async function dispatchStaffMail(
  deps: DispatchDeps,
  mail: Omit<StaffMailRecord, 'delivery' | 'createdAt' | 'queueError' | 'queuedAt'> & { createdAt?: string },
): Promise<StaffMailRecord> {
  const now = deps.now().toISOString();
  const record: StaffMailRecord = { ...mail, createdAt: mail.createdAt ?? now, delivery: 'outbox' };
  if (deps.queue) {
    try {
      await deps.queue.enqueue({ id: mail.id, outboxPath: mail.outboxPath, to: mail.to });
      Object.assign(record, { delivery: 'queued', queuedAt: now });
    } catch (err) {
      const { code } = classifyError(err);
      Object.assign(record, { delivery: 'not-queued', queueError: `${code}: ${(err as Error).message}`.slice(0, 300) });
      deps.log.warn({ code: 'staff_mail.not_queued', errorCode: code, mailId: mail.id, err }, 'staff mail not queued: it stays in the outbox');
    }
  }
  await writeStaffMailRecord(deps.store, record);
  return record;
}

/**
 * Queues again the mails a Redis outage left in the outbox (records "not-queued" with no worker result), oldest
 * first; stops at the first one Redis still refuses. `serve` calls it at start and every half minute.
 */
export async function requeuePending(deps: DispatchDeps & { queue: StaffMailQueue }): Promise<{ queued: number; pending: number }> {
  const dir = deps.store.resolveInside('_state/staff-mail');
  const names = await readdir(dir).catch(() => [] as string[]);
  const pending: StaffMailRecord[] = [];
  for (const name of names) {
    if (!name.endsWith('.json') || name.endsWith('.result.json')) continue;
    const id = name.slice(0, -'.json'.length);
    const record = SAFE_ID.test(id) ? await readStaffMailRecord(deps.store, id).catch(() => undefined) : undefined;
    if (record?.delivery === 'not-queued' && !(await readStaffMailResult(deps.store, id).catch(() => undefined))) pending.push(record);
  }
  pending.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  let queued = 0;
  for (const record of pending) {
    const { delivery: _d, queueError: _e, queuedAt: _q, ...mail } = record;
    const again = await dispatchStaffMail(deps, mail);
    if (again.delivery !== 'queued') break;
    queued++;
    deps.log.info({ code: 'staff_mail.requeued', mailId: record.id }, 'staff mail queued after Redis came back');
  }
  return { queued, pending: pending.length - queued };
}
