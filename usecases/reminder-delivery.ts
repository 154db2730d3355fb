// One reminder as an OutgoingMail for deliver-once.ts (the rules every mail of ours follows: the record settles it,
// the Redis sent marker, bounced addresses, the outbox without SMTP, one sender at a time). Its record is the
// reminder's file under _state/reminders/; its bytes are composed here. What is reminder-specific stays here: the
// hourly limit leaves room for replies and, when an address used it up, the reminder waits (nothing is recorded).
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/schema.ts';
import { normaliseAddress } from '../pipelines/mail/index.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import { stateKey } from '../adapters/queues.ts';
import { reserveReplySlot } from '../adapters/reply-limits.ts';
import { markerKey, SentMarkers } from '../adapters/sent-markers.ts';
import type { SmtpMailer } from '../adapters/smtp-mailer.ts';
import type { SuppressionList } from '../adapters/suppression.ts';
import type { RenderedReminder } from '../templates/reminder-mail.ts';
import { formFile } from '../templates/forms.ts';
import { createDeliverer, type DeliveryRecord } from './deliver-once.ts';
import { isSettled, readReminderRecord, writeReminderRecord, type ReminderRecord } from './reminder-state.ts';

/**
 * Reminders leave this many of an address's hourly slots to replies: an officer answering a reminder must still get
 * the answer to their submission, even when their address also takes reminders for a whole unit.
 */
export const REPLY_HEADROOM = 2;

export interface DeliveryDeps {
  config: AppConfig;
  store: ArchiveStore;
  redis: Redis;
  /** Undefined: write to the outbox instead (no SMTP server configured). */
  mailer?: SmtpMailer;
  suppression: SuppressionList;
  log: Logger;
  now: () => Date;
}

export type DeliveryOutcome =
  | { state: 'sent' | 'outbox' | 'suppressed'; record?: ReminderRecord }
  | { state: 'already-sent'; record?: ReminderRecord }
  | { state: 'rate-limited'; address: string };

export const reminderMarkerKey = (config: AppConfig, id: string) => markerKey(config, 'remind-sent', id);

/** The bytes of a reminder: the same bytes go to the outbox or over SMTP; the Message-ID is the reminder's. */
export async function composeReminder(mail: RenderedReminder, from: string, date: Date): Promise<Buffer> {
  const attachments = await Promise.all((mail.attachments ?? []).map((a) => formFile(a.form, a.format)));
  const composer = new MailComposer({
    from,
    to: mail.to.join(', '),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: mail.headers,
    date,
    ...(attachments.length ? { attachments } : {}),
  });
  return composer.compile().build();
}

/** A reminder's record as deliver-once.ts writes it: `base` says who and what; each outcome settles it. */
function reminderRecord(deps: DeliveryDeps, base: ReminderRecord): DeliveryRecord {
  const write = (patch: Partial<ReminderRecord>) => writeReminderRecord(deps.store, { ...base, ...patch });
  return {
    settled: async () => isSettled(await readReminderRecord(deps.store, base.campaign, base.step, base.recipientKey)),
    sent: (sentAt) => write({ state: 'sent', sentAt }),
    suppressed: (suppressed) => write({ state: 'suppressed', suppressed }),
    leftInOutbox: async (eml) => {
      const outboxPath = await deps.store.writeOutbox(base.id, await eml(), deps.config.outboxDir);
      await write({ state: 'outbox', outboxPath, sentAt: deps.now().toISOString() });
      return outboxPath;
    },
    keptUnsent: (eml) => deps.store.writeOutbox(base.id, eml, deps.config.outboxDir),
    clearUnsent: () => deps.store.removeOutbox(base.id),
  };
}

/** Takes an hourly slot for every address, leaving REPLY_HEADROOM to replies; the address that had none, if any. */
async function reserveSlots(deps: DeliveryDeps, id: string, to: string[]): Promise<string | undefined> {
  const limit = Math.max(1, deps.config.reply.maxPerSenderPerHour - REPLY_HEADROOM);
  for (const address of to.map(normaliseAddress)) {
    if (!(await reserveReplySlot(deps.redis, stateKey(deps.config, 'rate', address), id, limit, deps.now().getTime()))) return address;
  }
  return undefined;
}

/**
 * Sends a decided reminder once through deliver-once.ts. `record` carries who and what (state pending); it is
 * written before sending so the dashboard shows a send under way and a death after "250" is repaired by the marker.
 */
export async function deliverReminder(deps: DeliveryDeps, record: ReminderRecord, mail: RenderedReminder): Promise<DeliveryOutcome> {
  const live = [];
  for (const to of mail.to) if (!(await deps.suppression.get(normaliseAddress(to)))) live.push(to);
  const full = live.length ? await reserveSlots(deps, record.id, live) : undefined;
  if (full) return { state: 'rate-limited', address: full };
  const base: ReminderRecord = { ...record, to: live.length ? live : mail.to };
  if (live.length) await writeReminderRecord(deps.store, { ...base, state: 'pending' });
  const deliver = createDeliverer({
    from: deps.config.reply.from,
    now: deps.now,
    mailer: deps.mailer,
    suppression: deps.suppression,
    markers: new SentMarkers(deps.redis, deps.config, 'remind-sent'),
    exclusive: (m, fn) => deps.store.withDeliveryLock('reminders', m.id, fn),
    onFailure: 'retry',
  });
  const result = await deliver({
    kind: 'reminder',
    id: record.id,
    to: base.to.join(', '),
    envelope: base.to,
    record: reminderRecord(deps, base),
    eml: () => composeReminder({ ...mail, to: base.to }, deps.config.reply.from, deps.now()),
  }, deps.log.child({ reminder: record.id }));
  const settled = await readReminderRecord(deps.store, record.campaign, record.step, record.recipientKey);
  switch (result.status) {
    case 'sent':
      return { state: 'sent', ...(settled ? { record: settled } : {}) };
    case 'outbox':
      return { state: 'outbox', ...(settled ? { record: settled } : {}) };
    case 'suppressed':
      return { state: 'suppressed', ...(settled ? { record: settled } : {}) };
    case 'already-sent':
      return { state: 'already-sent', ...(settled ? { record: settled } : {}) };
    // onFailure 'retry' throws instead; kept for the type's sake.
    case 'unsent':
      throw new Error(`reminder ${record.id} not sent: ${result.code}`);
  }
}
