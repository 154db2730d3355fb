// One mail delivered at most once, by the same rules whoever sends it: the reply worker, the staff-mail worker,
// `seis-intake ingest` and reminders (run's remind worker, `seis-intake remind --send`). The rules, in order: a mail its record already settles is not sent; a Redis sent
// marker finishes the bookkeeping only; an address that bounced is suppressed; the per-sender hourly limit (where
// there is one: `run`'s replies) suppresses; without SMTP the mail waits in the outbox (no sent time); with SMTP it
// is sent (the marker written by the sending thread), its sent time recorded, and a leftover outbox copy removed.
// It leaves out what a mail says (templates/) and what its record is (the caller's DeliveryRecord).
import { bareAddress, normaliseAddress } from '../pipelines/mail/index.ts';
import { classifyError, type ErrorCode } from '../adapters/errors.ts';
import type { Logger } from '../adapters/logger.ts';
import type { SentMarkers } from '../adapters/sent-markers.ts';
import type { SmtpMailer } from '../adapters/smtp-mailer.ts';
import type { SuppressionList } from '../adapters/suppression.ts';

export type MailKind = 'reply' | 'staff_mail' | 'reminder';
export type SuppressionReason = 'bounced-address' | 'rate-limited';

/** The durable record of one mail (a MessageRecord's reply, a staff mail's result file). */
export interface DeliveryRecord {
  /** True when the record already says nothing more will be sent. */
  settled(): Promise<boolean>;
  sent(at: string): Promise<void>;
  suppressed(reason: SuppressionReason): Promise<void>;
  /** No SMTP server: the mail waits in the outbox (written there now, or already there). Returns its path. */
  leftInOutbox(eml: () => Promise<Buffer>): Promise<string>;
  /** A send that failed in a run over files: an outbox copy the record does NOT mention, for the next run. */
  keptUnsent(eml: Buffer): Promise<string>;
  /** After a send: removes such a copy, if any. */
  clearUnsent(): Promise<void>;
}

export interface OutgoingMail {
  kind: MailKind;
  /** The message key of a reply, the id of a staff mail: names its marker and its lock. */
  id: string;
  /** The To of the mail (display name allowed). */
  to: string;
  /**
   * The recipients when there are several (a reminder digest to a unit's contacts): each is checked against the
   * addresses that bounced (and the hourly limit, where there is one) and the mail goes to the others. Default [to].
   */
  envelope?: string[];
  eml(): Promise<Buffer>;
  record: DeliveryRecord;
}

export type DeliveryResult =
  | { status: 'sent'; at: string }
  | { status: 'outbox'; path: string }
  | { status: 'already-sent' }
  | { status: 'suppressed'; reason: SuppressionReason }
  | { status: 'unsent'; code: ErrorCode; path: string };

export interface DeliverOnceDeps {
  /** The From of every mail we send (config.reply.from); the envelope takes its bare address. */
  from: string;
  now: () => Date;
  /** Undefined: no SMTP server configured, mail waits in the outbox. */
  mailer?: Pick<SmtpMailer, 'send'>;
  suppression: Pick<SuppressionList, 'get'>;
  /** Redis sent markers (`run`); the `ingest` CLI has none and relies on the record alone. */
  markers?: Pick<SentMarkers, 'get' | 'marker'>;
  /**
   * markers.get and a slot of each sender's hourly allowance in one call (`run`'s replies only: one Redis round
   * trip), in that order: the marker, then a slot for each recipient that did not bounce (`to`, normalised); it
   * takes markers.get's place when given. Without it no allowance is counted.
   */
  markerThenSlots?: (id: string, to: string[]) => Promise<{ sentAt: string } | { allowed: boolean }>;
  /** Runs `fn` while no other process delivers the same mail (two copies of one message, two reply jobs). */
  exclusive: <T>(mail: OutgoingMail, fn: () => Promise<T>) => Promise<T>;
  /**
   * After a failed send: 'retry' rethrows (a queue retries the job); 'keep-in-outbox' keeps an unrecorded outbox
   * copy and goes on, and once the server looks unusable (connection, auth, TLS, OAuth) skips SMTP for the rest.
   */
  onFailure: 'retry' | 'keep-in-outbox';
}

/** Failures that say the server (not this one mail) is unusable. */
const SERVER_DOWN = new Set<ErrorCode>(['smtp.connection', 'smtp.auth', 'smtp.tls', 'oauth.unavailable', 'oauth.refused']);

const OUTBOX_LOG: Record<MailKind, { level: 'info' | 'warn'; code: string; msg: string }> = {
  reply: { level: 'info', code: 'reply.outbox', msg: 'reply written to the outbox (no SMTP server configured)' },
  staff_mail: { level: 'warn', code: 'staff_mail.no_smtp', msg: 'no SMTP server configured: staff mail stays in the outbox' },
  reminder: { level: 'info', code: 'reminder.outbox', msg: 'reminder written to the outbox (no SMTP server configured)' },
};

/** A deliverer keeps one piece of state: in a 'keep-in-outbox' run, the server found unusable. */
export function createDeliverer(deps: DeliverOnceDeps) {
  let down: ErrorCode | undefined;

  async function send(mail: OutgoingMail, to: string[], eml: Buffer, mailer: Pick<SmtpMailer, 'send'>, log: Logger): Promise<DeliveryResult> {
    const code = (event: string) => `${mail.kind}.${event}`;
    if (down) {
      log.warn({ code: code('not_sent'), errorCode: down, skipped: true }, 'SMTP unusable in this run; mail kept in the outbox');
      return { status: 'unsent', code: down, path: await mail.record.keptUnsent(eml) };
    }
    const sentAt = deps.now().toISOString();
    let result;
    try {
      result = await mailer.send(
        { from: bareAddress(deps.from), to: to.map(bareAddress) },
        eml,
        deps.markers?.marker(mail.id, sentAt),
      );
    } catch (err) {
      if (deps.onFailure === 'retry') throw err;
      const errorCode = classifyError(err).code;
      if (SERVER_DOWN.has(errorCode)) down = errorCode;
      log.warn({ code: code('not_sent'), errorCode, err }, 'mail not sent over SMTP; kept in the outbox');
      return { status: 'unsent', code: errorCode, path: await mail.record.keptUnsent(eml) };
    }
    // The marker (if any) is written; now the record. Either one stops a resend; only when both fail can a
    // retry send again, and that is logged as such.
    if (result.markerError) log.warn({ code: code('marker_failed'), err: result.markerError }, 'sent marker not written to Redis');
    const resendRisk = !deps.markers || Boolean(result.markerError);
    try {
      await mail.record.sent(sentAt);
    } catch (err) {
      log[resendRisk ? 'error' : 'warn']({ code: code('record_failed'), err, resendRisk }, 'sent time not written to the record');
      throw err; // with the marker in place a retry only repairs the record
    }
    await mail.record.clearUnsent();
    log.info({ code: code('sent'), size: eml.length, smtp: result.response.slice(0, 80) }, 'mail sent');
    return { status: 'sent', at: sentAt };
  }

  async function deliverUnlocked(mail: OutgoingMail, log: Logger): Promise<DeliveryResult> {
    const code = (event: string) => `${mail.kind}.${event}`;
    if (await mail.record.settled()) return { status: 'already-sent' };
    const live: string[] = [];
    for (const to of mail.envelope ?? [mail.to]) if (!(await deps.suppression.get(normaliseAddress(to)))) live.push(to);
    const checked = await deps.markerThenSlots?.(mail.id, live.map(normaliseAddress));
    const marker = checked ? ('sentAt' in checked ? checked.sentAt : undefined) : await deps.markers?.get(mail.id);
    if (marker) {
      // Sent, but the process died before the record was written: finish the bookkeeping only.
      await mail.record.sent(marker);
      log.info({ code: code('already_sent') }, 'mail was already sent; not sending again');
      return { status: 'already-sent' };
    }
    let reason: SuppressionReason | undefined = live.length ? undefined : 'bounced-address';
    if (checked && 'allowed' in checked && !checked.allowed) reason ??= 'rate-limited';
    if (reason) {
      await mail.record.suppressed(reason);
      log.warn({ code: code(reason) }, reason === 'bounced-address' ? 'not sent: mail to this address bounced' : 'not sent: hourly limit for this sender');
      return { status: 'suppressed', reason };
    }
    if (!deps.mailer) {
      const path = await mail.record.leftInOutbox(() => mail.eml());
      const { level, code: outboxCode, msg } = OUTBOX_LOG[mail.kind];
      log[level]({ code: outboxCode, outboxPath: path }, msg);
      return { status: 'outbox', path };
    }
    return send(mail, live, await mail.eml(), deps.mailer, log);
  }

  return function deliver(mail: OutgoingMail, log: Logger): Promise<DeliveryResult> {
    return deps.exclusive(mail, () => deliverUnlocked(mail, log));
  };
}

export type Deliver = ReturnType<typeof createDeliverer>;
