// The reply queue's worker: delivers the reply the pipeline rendered (kept in the MessageRecord) once, by the rules
// of usecases/deliver-once.ts, over SMTP or into the outbox when no SMTP server is configured, with `run`'s guard
// rails (Redis sent markers, addresses that bounced, the per-sender hourly limit). A reply job is the child of its
// message's follow-up job (a BullMQ flow): the original leaves the mailbox only after this job completes.
import type { ConnectionOptions, Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/schema.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { holdForCredentials, jobLogger, startWorker } from './job-events.ts';
import type { CredentialGate } from '../adapters/credential-gate.ts';
import type { Logger } from '../adapters/logger.ts';
import { QUEUE_NAMES, replyPayload, stateKey, type ReplyPayload } from '../adapters/queues.ts';
import { markerThenSlots } from '../adapters/reply-limits.ts';
import { SentMarkers } from '../adapters/sent-markers.ts';
import type { SmtpMailer } from '../adapters/smtp-mailer.ts';
import type { SuppressionList } from '../adapters/suppression.ts';
import { createDeliverer } from '../usecases/deliver-once.ts';
import { deliverReply } from '../usecases/reply-delivery.ts';

export { replySettled } from '../usecases/reply-delivery.ts';

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
  /** receivedAt (the message's arrival) and sentAt: the reply latency metric's (workers/job-metrics.ts). */
  | { sent: true; via: 'smtp' | 'outbox'; receivedAt?: string; sentAt?: string }
  | { sent: false; reason: 'already-sent' | 'nothing-to-send' | 'suppressed'; suppressed?: string };

export function processReply(deps: ReplyWorkerDeps) {
  const { config, store, redis } = deps;
  const markers = new SentMarkers(redis, config, 'sent');
  const deliver = createDeliverer({
    from: config.reply.from,
    now: deps.now,
    mailer: deps.mailer,
    suppression: deps.suppression,
    markers,
    markerThenSlots: (id, to) =>
      markerThenSlots(redis, markers.key(id), to.map((t) => stateKey(config, 'rate', t)), id, config.reply.maxPerSenderPerHour, deps.now().getTime()),
    exclusive: (mail, fn) => store.withDeliveryLock('messages', mail.id, fn),
    onFailure: 'retry',
  });

  return async (job: Job<ReplyPayload>, token?: string): Promise<ReplyResult> => {
    const log = jobLogger(deps.log, QUEUE_NAMES.reply, job);
    try {
      const { messageKey } = replyPayload.parse(job.data);
      const result = await deliverReply(deliver, store, config.reply.from, messageKey, log);
      switch (result.status) {
        case 'sent':
          deps.gate?.accept('smtp');
          return { sent: true, via: 'smtp', receivedAt: result.receivedAt, sentAt: result.at };
        case 'outbox':
          return { sent: true, via: 'outbox', receivedAt: result.receivedAt };
        case 'suppressed':
          return { sent: false, reason: 'suppressed', suppressed: result.reason };
        case 'nothing-to-send':
        case 'already-sent':
          return { sent: false, reason: result.status };
        case 'unsent':
          throw new Error(`reply not sent (${result.code})`); // only a 'keep-in-outbox' deliverer says this
      }
    } catch (err) {
      throw (await holdForCredentials(err, job, token, deps.gate, 'smtp')) ?? err;
    }
  };
}

export function startReplyWorker(deps: ReplyWorkerDeps): Worker<ReplyPayload, ReplyResult> {
  return startWorker(QUEUE_NAMES.reply, processReply(deps), deps, 2);
}
