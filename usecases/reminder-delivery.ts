// Delivers one reminder at most once, by the rules replies and staff mail follow: a Redis claim so two processes
// never send it together, the sent marker the SMTP thread writes on "250", the archive record written before the
// job completes, bounced addresses suppressed, the per-address hourly limit, the outbox when no SMTP server is
// configured. This is the seam to the single deliver-once module of issue 9: `ReminderMailer` is all it needs.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/schema.ts';
import { bareAddress, normaliseAddress } from '../pipelines/mail/index.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import { stateKey } from '../adapters/queues.ts';
import { reserveReplySlot } from '../adapters/reply-limits.ts';
import type { SmtpMailer } from '../adapters/smtp-mailer.ts';
import type { SuppressionList } from '../adapters/suppression.ts';
import type { RenderedReminder } from '../templates/reminder-mail.ts';
import { formFile } from '../templates/forms.ts';
import { isSettled, readReminderRecord, writeReminderRecord, type ReminderRecord } from './reminder-state.ts';

/** Sent markers and claims: the same lifetime as the reply's marker. */
export const REMINDER_MARKER_TTL_S = 180 * 24 * 3600;
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
  | { state: 'sent' | 'outbox'; record: ReminderRecord }
  | { state: 'already-sent'; record?: ReminderRecord }
  | { state: 'suppressed'; record: ReminderRecord }
  | { state: 'busy' }
  | { state: 'rate-limited'; address: string };

export const reminderMarkerKey = (config: AppConfig, id: string) => stateKey(config, 'remind-sent', id);
const claimKey = (config: AppConfig, id: string) => stateKey(config, 'remind-claim', id);

/** The bytes of a reminder: the same bytes go to the outbox or over SMTP; the Message-ID is the reminder's. */
export async function composeReminder(mail: RenderedReminder, from: string, date: Date): Promise<Buffer> {
  const attachments = await Promise.all((mail.attachments ?? []).map((a) => formFile(a.form, a.format)));
  const composer = new MailComposer({
    from, to: mail.to.join(', '), subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId,
    headers: mail.headers, date, ...(attachments.length ? { attachments } : {}),
  });
  return composer.compile().build();
}

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";

/**
 * Runs `fn` holding this reminder's claim; undefined when another process holds it. The claim lives as long as a
 * job lock (jobs.lockMs) and is renewed while `fn` runs, as BullMQ renews its locks: a process that died frees it
 * as soon as BullMQ would take its job back.
 */
export async function withClaim<T>(deps: DeliveryDeps, id: string, fn: () => Promise<T>): Promise<T | undefined> {
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const key = claimKey(deps.config, id);
  const ttl = deps.config.jobs.lockMs;
  if ((await deps.redis.set(key, token, 'PX', ttl, 'NX')) !== 'OK') return undefined;
  const renew = setInterval(() => void deps.redis.eval(RENEW, 1, key, token, String(ttl)).catch(() => undefined), Math.floor(ttl / 2));
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    // Only our own claim is released (it may have expired and been taken by another process meanwhile).
    await deps.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}

export type PriorDelivery = { delivered: true; record?: ReminderRecord } | { delivered: false; pending?: ReminderRecord };

/** Settled already, or sent but not recorded (the process died after "250"): then the record is repaired. */
export async function priorDelivery(deps: DeliveryDeps, id: string, where: { campaign: string; step: string; key: string }): Promise<PriorDelivery> {
  const record = await readReminderRecord(deps.store, where.campaign, where.step, where.key);
  if (isSettled(record)) return { delivered: true, record };
  const marker = await deps.redis.get(reminderMarkerKey(deps.config, id));
  if (!marker) return { delivered: false, ...(record ? { pending: record } : {}) };
  if (!record) return { delivered: true };
  const repaired: ReminderRecord = { ...record, state: 'sent', sentAt: marker };
  await writeReminderRecord(deps.store, repaired);
  deps.log.info({ code: 'remind.already_sent', reminder: id }, 'reminder was already sent; record repaired, not sending again');
  return { delivered: true, record: repaired };
}

/**
 * Sends a decided reminder once. `record` carries who and what (state pending); call it holding the claim, after
 * priorDelivery() said no. Suppressed addresses are dropped; a full hourly window defers (nothing recorded).
 */
export async function deliverReminder(deps: DeliveryDeps, record: ReminderRecord, mail: RenderedReminder): Promise<DeliveryOutcome> {
  const { config } = deps;
  const live = [];
  for (const to of mail.to) if (!(await deps.suppression.get(normaliseAddress(to)))) live.push(to);
  if (!live.length) {
    const suppressed: ReminderRecord = { ...record, state: 'suppressed', suppressed: 'bounced-address' };
    await writeReminderRecord(deps.store, suppressed);
    return { state: 'suppressed', record: suppressed };
  }
  const limit = Math.max(1, config.reply.maxPerSenderPerHour - REPLY_HEADROOM);
  for (const to of live) {
    const address = normaliseAddress(to);
    if (!(await reserveReplySlot(deps.redis, stateKey(config, 'rate', address), record.id, limit, deps.now().getTime()))) {
      return { state: 'rate-limited', address };
    }
  }
  const final = { ...mail, to: live };
  // Recorded before sending: the dashboard shows it as under way; the marker or this record's update settles it.
  await writeReminderRecord(deps.store, { ...record, to: live, state: 'pending', subject: final.subject });
  const sentAt = deps.now();
  const eml = await composeReminder(final, config.reply.from, sentAt);
  let done: ReminderRecord;
  if (deps.mailer) {
    const result = await deps.mailer.send(
      { from: bareAddress(config.reply.from), to: live.map(bareAddress) }, eml,
      { key: reminderMarkerKey(config, record.id), value: sentAt.toISOString(), ttlSeconds: REMINDER_MARKER_TTL_S },
    );
    if (result.markerError) deps.log.warn({ code: 'remind.marker_failed', err: result.markerError }, 'sent marker not written to Redis');
    done = { ...record, to: live, state: 'sent', sentAt: sentAt.toISOString() };
  } else {
    const outboxPath = await deps.store.writeOutbox(record.id, eml, config.outboxDir);
    done = { ...record, to: live, state: 'outbox', outboxPath, sentAt: sentAt.toISOString() };
  }
  // If this write fails the job is retried; the Redis marker (or the outbox file) turns the retry into bookkeeping.
  await writeReminderRecord(deps.store, done);
  return { state: done.state as 'sent' | 'outbox', record: done };
}
