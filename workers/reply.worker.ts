// The reply queue's worker: sends the reply the pipeline rendered (kept in the MessageRecord) over SMTP,
// or into the outbox when no SMTP server is configured. It records the send in Redis AND in the record
// before the job completes, so a retried or repeated job never sends twice; it applies the stateful guard
// rails (addresses that bounced, the per-sender hourly limit). What to say was decided by the pipeline.
import { DelayedError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/schema.ts';
import { normaliseAddress } from '../pipelines/mail/index.ts';
import type { MessageRecord } from '../pipelines/types.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { toJobError } from '../adapters/errors.ts';
import { composeReplyMail } from '../usecases/ingest-message.ts';
import { attachJobLogging, holdForCredentials, jobLogger, workerOptions } from './job-events.ts';
import type { CredentialGate } from '../adapters/credential-gate.ts';
import type { Logger } from '../adapters/logger.ts';
import { QUEUE_NAMES, replyPayload, stateKey, type ReplyPayload } from '../adapters/queues.ts';
import { reserveReplySlot } from '../adapters/reply-limits.ts';
import { bareAddress, type SmtpMailer } from '../adapters/smtp-mailer.ts';
import type { SuppressionList } from '../adapters/suppression.ts';

export interface ReplyWorkerDeps {
  config: AppConfig;
  log: Logger;
  store: ArchiveStore;
  redis: Redis;
  /** Undefined: write replies to the outbox instead (no SMTP server configured). */
  mailer?: SmtpMailer;
  suppression: SuppressionList;
  connection: ConnectionOptions;
  now: () => Date;
  /** Refused SMTP credentials hold the job (and pause the others) instead of failing it. */
  gate?: CredentialGate;
}

export type ReplyResult =
  | { sent: true; via: 'smtp' | 'outbox' }
  | { sent: false; reason: 'already-sent' | 'nothing-to-send' | 'suppressed'; suppressed?: string };

/** Sent markers outlive any retry or re-delivery we care about. */
export const SENT_MARKER_TTL_S = 180 * 24 * 3600;

export function sentMarkerKey(config: AppConfig, messageKey: string): string {
  return stateKey(config, 'sent', messageKey);
}

/** True when nothing more will be sent for this message: sent, written to the outbox, suppressed, or none due. */
export function replySettled(record: MessageRecord | undefined): boolean {
  const reply = record?.reply;
  return !reply?.rendered || Boolean(reply.sentAt || reply.outboxPath || reply.suppressed);
}

export function processReply(deps: ReplyWorkerDeps) {
  const { config, store, redis } = deps;
  const setReply = (messageKey: string, patch: Partial<NonNullable<MessageRecord['reply']>>) =>
    store.updateMessageRecord(messageKey, (r) => (r?.reply ? { ...r, reply: { ...r.reply, ...patch } } : undefined));

  return async (job: Job<ReplyPayload>, token?: string): Promise<ReplyResult> => {
    const log = jobLogger(deps.log, QUEUE_NAMES.reply, job);
    try {
      const { messageKey } = replyPayload.parse(job.data);
      const record = await store.getMessageRecord(messageKey);
      const rendered = record?.reply?.rendered;
      if (!rendered) return { sent: false, reason: 'nothing-to-send' };
      if (replySettled(record)) return { sent: false, reason: 'already-sent' };
      const marker = await redis.get(sentMarkerKey(config, messageKey));
      if (marker) {
        // Sent, but the process died before the record was updated: finish the bookkeeping only.
        await setReply(messageKey, { sentAt: marker });
        log.info({ code: 'reply.already_sent' }, 'reply was already sent; not sending again');
        return { sent: false, reason: 'already-sent' };
      }

      const to = normaliseAddress(rendered.to);
      const suppressed = await deps.suppression.get(to)
        ? 'bounced-address'
        : !(await reserveReplySlot(redis, stateKey(config, 'rate', to), messageKey, config.reply.maxPerSenderPerHour, deps.now().getTime()))
          ? 'rate-limited'
          : undefined;
      if (suppressed) {
        await setReply(messageKey, { suppressed });
        log.warn({ code: `reply.${suppressed}`, limit: config.reply.maxPerSenderPerHour }, 'reply suppressed');
        return { sent: false, reason: 'suppressed', suppressed };
      }

      const eml = await composeReplyMail(rendered, config.reply.from);
      let via: 'smtp' | 'outbox';
      if (deps.mailer) {
        const sentAt = deps.now().toISOString();
        const result = await deps.mailer.send(
          { from: bareAddress(config.reply.from), to: [bareAddress(rendered.to)] }, eml,
          { key: sentMarkerKey(config, messageKey), value: sentAt, ttlSeconds: SENT_MARKER_TTL_S },
        );
        via = 'smtp';
        deps.gate?.accept('smtp');
        await recordSent(messageKey, sentAt, result.markerError, setReply, log);
        log.info({ code: 'reply.sent', size: eml.length, smtp: result.response.slice(0, 80) }, 'reply sent');
      } else {
        const outboxPath = await store.writeOutbox(messageKey, eml, config.outboxDir);
        via = 'outbox';
        await setReply(messageKey, { outboxPath, sentAt: deps.now().toISOString() });
        log.info({ code: 'reply.outbox', outboxPath }, 'reply written to the outbox (no SMTP server configured)');
      }
      return { sent: true, via };
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      throw (await holdForCredentials(err, job, token, deps.gate, 'smtp')) ?? toJobError(err);
    }
  };
}

/**
 * The sending thread already wrote the Redis marker; this writes the record in the archive. Either one stops
 * a resend. Only when both failed can a retried job send again (and it is logged as such).
 */
async function recordSent(
  messageKey: string, sentAt: string, markerError: Error | undefined,
  setReply: (key: string, patch: { sentAt: string }) => Promise<unknown>, log: Logger,
): Promise<void> {
  if (markerError) log.warn({ code: 'reply.marker_failed', err: markerError.message }, 'sent marker not written to Redis');
  try {
    await setReply(messageKey, { sentAt });
  } catch (err) {
    log[markerError ? 'error' : 'warn']({ code: 'reply.record_failed', err: (err as Error).message, resendRisk: Boolean(markerError) },
      'sent time not written to the record');
    throw err; // retried: with the Redis marker in place the retry only repairs the record
  }
}

export function startReplyWorker(deps: ReplyWorkerDeps): Worker<ReplyPayload, ReplyResult> {
  const worker = new Worker<ReplyPayload, ReplyResult>(QUEUE_NAMES.reply, processReply(deps), workerOptions(deps, 2));
  attachJobLogging(worker, QUEUE_NAMES.reply, deps.log);
  return worker;
}
