// A staff mail (revision request, acknowledgement) as an OutgoingMail for deliver-once.ts: its bytes are the outbox
// file the dashboard wrote, its record is _state/staff-mail/<id>.result.json. Used by the staff-mail worker of `run`.
// The hourly per-sender limit does not apply: each mail is one staff member's click, not an answer a loop could trigger.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../config/schema.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { contains } from '../adapters/atomic-fs.ts';
import { WorkError } from '../adapters/errors.ts';
import type { Logger } from '../adapters/logger.ts';
import type { StaffMailPayload } from '../adapters/queues.ts';
import type { Deliver, DeliveryRecord, DeliveryResult } from './deliver-once.ts';
import { readStaffMailResult, writeStaffMailResult, type StaffMailResult } from './staff-mail.ts';

/** The outbox file the payload names, only if it is this mail's file inside the archive or the outbox dir. */
export function staffOutboxFile(store: ArchiveStore, config: Pick<AppConfig, 'outboxDir'>, payload: StaffMailPayload): string {
  if (path.basename(payload.outboxPath) !== `${payload.id}.eml`) {
    throw new WorkError('staff mail payload names another file than its own', 'payload.invalid', 'permanent');
  }
  if (!path.isAbsolute(payload.outboxPath)) return store.resolveInside(payload.outboxPath);
  const abs = path.resolve(payload.outboxPath);
  const outbox = config.outboxDir ? path.resolve(config.outboxDir) : undefined;
  if (contains(store.root, abs) || (outbox && contains(outbox, abs))) return abs;
  throw new WorkError('staff mail outside the archive and this process\'s outbox (OUTBOX_DIR differs between serve and run?)', 'payload.invalid', 'permanent');
}

/** Writes the worker's result for a staff mail (sent, suppressed, no-smtp, retrying, failed). */
export function staffMailResultWriter(store: ArchiveStore, now: () => Date) {
  return (id: string, state: StaffMailResult['state'], extra: Partial<StaffMailResult> = {}) =>
    writeStaffMailResult(store, id, { state, at: now().toISOString(), ...extra });
}

function staffMailRecord(store: ArchiveStore, now: () => Date, payload: StaffMailPayload): DeliveryRecord {
  const result = staffMailResultWriter(store, now);
  return {
    // Only a send settles a staff mail: one suppressed or left for want of SMTP may go once that changes.
    settled: async () => (await readStaffMailResult(store, payload.id))?.state === 'sent',
    sent: (at) => result(payload.id, 'sent', { at }),
    suppressed: (code) => result(payload.id, 'suppressed', { code }),
    leftInOutbox: async () => {
      await result(payload.id, 'no-smtp');
      return payload.outboxPath;
    },
    keptUnsent: async () => payload.outboxPath,
    clearUnsent: async () => undefined,
  };
}

/** Delivers the staff mail a payload names, once. */
export function deliverStaffMail(
  deliver: Deliver,
  deps: { store: ArchiveStore; config: Pick<AppConfig, 'outboxDir'>; now: () => Date },
  payload: StaffMailPayload,
  log: Logger,
): Promise<DeliveryResult> {
  return deliver({
    kind: 'staff_mail',
    id: payload.id,
    to: payload.to,
    eml: () => readFile(staffOutboxFile(deps.store, deps.config, payload)),
    record: staffMailRecord(deps.store, deps.now, payload),
  }, log);
}
