// The BullMQ queues, their payload schemas and job ids: the contract between watcher, dashboard and workers.
// Payloads carry references (mailbox, UIDVALIDITY, UID, archive path, message key), never message bytes.
import { FlowProducer, Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { z } from 'zod';
import type { AppConfig } from '../config/schema.ts';
import { sha256 } from '../pipelines/hash.ts';

export const QUEUE_NAMES = {
  ingest: 'ingest',
  reply: 'reply',
  followup: 'followup',
  staffMail: 'staff-mail',
  content: 'content',
  remind: 'remind',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Where a message sits on the IMAP server: RFC 3501 promises this triple never names another message. */
export const mailboxRef = z.object({
  mailbox: z.string().min(1),
  /** UIDVALIDITY as a decimal string (imapflow reports a bigint). */
  uidValidity: z.string().regex(/^\d+$/),
  uid: z.number().int().positive(),
});
export type MailboxRef = z.infer<typeof mailboxRef>;

export const ingestPayload = mailboxRef.extend({
  /** Original .eml, relative to the archive root, stored before the job was queued. */
  emlPath: z.string().min(1),
  internalDate: z.iso.datetime().optional(),
  size: z.number().int().nonnegative().optional(),
  /** The `content` queue has read this message's scans (as far as it could): decide now, never wait again. */
  contentDone: z.boolean().optional(),
});
export type IngestPayload = z.infer<typeof ingestPayload>;

/** One file of a stored message to read (OCR); the file is found again in the .eml by its sha256. */
export const contentPayload = z.object({
  emlPath: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  messageKey: z.string().regex(/^[0-9a-zA-Z_-]+$/),
});
export type ContentPayload = z.infer<typeof contentPayload>;

/** `verify`: check what a message filed by names, now that its pages are read (the parent of its reads). */
export const verifyPayload = z.object({ messageKey: z.string().regex(/^[0-9a-zA-Z_-]+$/) });
export type VerifyPayload = z.infer<typeof verifyPayload>;

export const replyPayload = z.object({
  messageKey: z.string().regex(/^[0-9a-zA-Z_-]+$/),
});
export type ReplyPayload = z.infer<typeof replyPayload>;

/** Mail a staff decision on the dashboard wrote to the outbox (revision request, updated acknowledgement). */
export const staffMailPayload = z.object({
  /** Derived from the decision (usecases/staff-mail.ts); also the outbox file name and the record name. */
  id: z.string().regex(/^[a-z]+-[0-9a-zA-Z_-]+$/).max(200),
  /** The outbox .eml: relative to the archive root, or absolute when the outbox is elsewhere. */
  outboxPath: z.string().min(1).regex(/\.eml$/),
  /** The envelope recipient (the mail's To). */
  to: z.string().min(3).max(320),
});
export type StaffMailPayload = z.infer<typeof staffMailPayload>;

/**
 * The remind queue carries two jobs: "check" (made by the job scheduler: which reminders are due now) and "send"
 * (one reminder, by id; `forced` when an operator chose the step).
 */
export const remindSendPayload = z.object({
  id: z.string().regex(/^remind-[a-z0-9-]+$/).max(200),
  forced: z.boolean().optional(),
});
export type RemindSendPayload = z.infer<typeof remindSendPayload>;
/** The job scheduler that makes "check" jobs (one for every process: upserting it again changes nothing). */
export const REMIND_SCHEDULER_ID = 'reminders-check';

export const followupPayload = mailboxRef.extend({
  messageKey: z.string().min(1),
  outcome: z.enum(['accepted', 'incomplete', 'rejected', 'ignored']),
});
export type FollowupPayload = z.infer<typeof followupPayload>;

/** Mailbox names may hold ':' or anything else; job ids get a short hash of it instead. */
export function mailboxTag(mailbox: string): string {
  return sha256(mailbox).slice(0, 10);
}

// BullMQ job ids may not contain ':' and may not be all digits: every id here starts with a word.
export function ingestJobId(ref: MailboxRef): string {
  return `ingest-${mailboxTag(ref.mailbox)}-${ref.uidValidity}-${ref.uid}`;
}
/**
 * The reply job of a message: `reply-<messageKey>`; as the child of a follow-up, one per location of the message
 * (a BullMQ job has one parent), `reply-<messageKey>-<follow-up id>`. Two reply jobs of one message never send
 * twice: usecases/deliver-once.ts delivers a mail once, under a lock.
 */
export function replyJobId(messageKey: string, followup?: MailboxRef): string {
  return followup ? `reply-${messageKey}-${followupJobId(followup)}` : `reply-${messageKey}`;
}
/** One send per staff decision, however often the dashboard asks. */
export function staffMailJobId(id: string): string {
  return `staff-${id}`;
}
/** The second run of a message whose scans had to be read first: the parent of its `content` jobs. */
export function ingestAfterContentJobId(ref: MailboxRef): string {
  return `${ingestJobId(ref)}-read`;
}
/** The check of a message filed by names, once its pages are read. */
export function verifyJobId(messageKey: string): string {
  return `verify-${messageKey}`;
}
/** One read per message and file; the cache makes the second message with the same file cheap. */
export function contentJobId(messageKey: string, sha256: string): string {
  return `read-${messageKey}-${sha256.slice(0, 16)}`;
}
/** One job per reminder (campaign, step, recipient), however many processes check at once. */
export function remindJobId(reminderId: string): string {
  return reminderId;
}
export function followupJobId(ref: MailboxRef): string {
  return `move-${mailboxTag(ref.mailbox)}-${ref.uidValidity}-${ref.uid}`;
}

export function redisConnectionOptions(url: string): ConnectionOptions {
  return { url };
}

export function defaultJobOptions(config: AppConfig): DefaultJobOptions {
  return {
    attempts: config.jobs.attempts,
    backoff: { type: 'exponential', delay: config.jobs.backoffMs, jitter: 0.5 },
    // Completed jobs stay a week so re-polling finds them; failed ones stay for the operator (`jobs`).
    removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
    removeOnFail: false,
  };
}

export interface Queues {
  ingest: Queue<IngestPayload>;
  reply: Queue<ReplyPayload>;
  followup: Queue<FollowupPayload>;
  content: Queue<ContentPayload | VerifyPayload>;
  /** Parents that wait for their children: a message run again once its scans are read; a follow-up and its reply. */
  flows: FlowProducer;
  /**
   * Queues the follow-up of one message at one location and, when a reply is due, the reply as its child (a BullMQ
   * flow): the follow-up is processed only once the reply job has completed. A reply that fails for good leaves its
   * follow-up waiting for children (and the original in the mailbox) until `seis-intake jobs --retry` sends it: the
   * child has no failParentOnFailure or ignoreDependencyOnFailure, on purpose. Idempotent by job ids, like every add.
   */
  addFollowup(payload: FollowupPayload, opts: { reply: boolean }): Promise<void>;
  close(): Promise<void>;
}

export function openQueues(config: AppConfig, connection: ConnectionOptions): Queues {
  const jobDefaults = defaultJobOptions(config);
  const opts = { connection, prefix: config.redis.prefix, defaultJobOptions: jobDefaults };
  const ingest = new Queue<IngestPayload>(QUEUE_NAMES.ingest, opts);
  const reply = new Queue<ReplyPayload>(QUEUE_NAMES.reply, opts);
  const followup = new Queue<FollowupPayload>(QUEUE_NAMES.followup, opts);
  const content = new Queue<ContentPayload | VerifyPayload>(QUEUE_NAMES.content, opts);
  // A flow producer does not know the queues' default job options: they are given with each flow.
  const flows = new FlowProducer({ connection, prefix: config.redis.prefix });
  const flowDefaults = { [QUEUE_NAMES.followup]: { defaultJobOptions: jobDefaults }, [QUEUE_NAMES.reply]: { defaultJobOptions: jobDefaults } };
  return {
    ingest,
    reply,
    followup,
    content,
    flows,
    async addFollowup(payload, { reply: withReply }) {
      const ref = { mailbox: payload.mailbox, uidValidity: payload.uidValidity, uid: payload.uid };
      if (!withReply) {
        await followup.add('followup', payload, { jobId: followupJobId(ref) });
        return;
      }
      await flows.add({
        name: 'followup',
        queueName: QUEUE_NAMES.followup,
        data: payload,
        opts: { jobId: followupJobId(ref) },
        children: [{
          name: 'reply',
          queueName: QUEUE_NAMES.reply,
          data: { messageKey: payload.messageKey } satisfies ReplyPayload,
          opts: { jobId: replyJobId(payload.messageKey, ref) },
        }],
      }, { queuesOptions: flowDefaults });
    },
    async close() {
      await Promise.all([ingest.close(), reply.close(), followup.close(), content.close(), flows.close()]);
    },
  };
}

/** Our own Redis keys sit beside BullMQ's, under the same prefix, in a namespace no queue uses. */
export function stateKey(config: AppConfig, ...parts: string[]): string {
  return [config.redis.prefix, 'seis-state', ...parts].join(':');
}
