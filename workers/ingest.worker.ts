// The ingest queue's worker: runs the core pipeline (usecases/ingest-message.ts) on a stored original, then
// queues its mailbox follow-up with its reply as a child (one BullMQ flow). Sends nothing and moves nothing itself. A broken message is
// a rejected filing (a value), so only I/O trouble fails a job; permanent trouble is not retried.
import type { ConnectionOptions, Job, Worker } from 'bullmq';
import type { AppConfig } from '../config/schema.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import type { BounceAnalysis } from '../pipelines/mail/index.ts';
import type { UnitsDirectory } from '../pipelines/unit/index.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { bouncedReplyRecipients } from '../usecases/bounced-replies.ts';
import { ingestStored } from '../usecases/ingest-message.ts';
import { jobLogger, startWorker } from './job-events.ts';
import type { Logger } from '../adapters/logger.ts';
import { contentJobId, defaultJobOptions, verifyJobId, ingestAfterContentJobId, ingestPayload, QUEUE_NAMES, type IngestPayload,
  type Queues } from '../adapters/queues.ts';
import type { ContentReader } from '../usecases/content-step.ts';
import { reminderRecordById } from '../usecases/reminder-state.ts';
import { readStaffMailRecord } from '../usecases/staff-mail.ts';
import type { SuppressionList } from '../adapters/suppression.ts';

export interface IngestWorkerDeps {
  config: AppConfig;
  log: Logger;
  store: ArchiveStore;
  /** The current roster and units file (re-read by `run` when staff replace them). */
  roster: () => Promise<Roster | undefined>;
  units: () => Promise<UnitsDirectory | undefined>;
  queues: Pick<Queues, 'addFollowup' | 'flows'>;
  /** The archive's content cache (absent: content reading off). */
  content?: ContentReader;
  suppression: SuppressionList;
  connection: ConnectionOptions;
  now: () => Date;
}

export interface IngestResult {
  messageKey: string;
  outcome: string;
  duplicate: boolean;
  persons: number;
  replyQueued: boolean;
  /** The campaign it was routed to (absent for ignored and unclear mail): a metrics label. */
  campaign?: string;
}

export function processIngest(deps: IngestWorkerDeps) {
  return async (job: Job<IngestPayload>): Promise<IngestResult> => {
    let log = jobLogger(deps.log, QUEUE_NAMES.ingest, job);
    const payload = ingestPayload.parse(job.data);
    const internalDate = payload.internalDate ? new Date(payload.internalDate) : undefined;
    const outcome = await ingestStored(payload.emlPath, {
      config: deps.config,
      store: deps.store,
      roster: await deps.roster(),
      units: await deps.units(),
      now: deps.now,
      log,
      internalDate,
      content: deps.content,
      contentDone: payload.contentDone,
    });
    log = log.child({ messageKey: outcome.messageKey });
    if (outcome.deferred) {
      await readThenIngestAgain(deps, payload, outcome.messageKey, outcome.deferred);
      log.info({ code: 'ingest.deferred', files: outcome.deferred.length }, 'message waits for the content queue');
      return { messageKey: outcome.messageKey, outcome: 'deferred', duplicate: false, persons: 0, replyQueued: false };
    }

    // Reading off (no content reader): nothing is queued on `content`, where no worker would ever take it.
    if (deps.content && outcome.unread?.length && !outcome.duplicate) await readThenVerify(deps, payload, outcome.messageKey, outcome.unread);
    if (outcome.bounce && !outcome.duplicate) await recordBounce(deps, outcome.bounce, outcome.messageKey, log);
    // The pipeline hands back the rendered reply until it is recorded as sent: the follow-up waits for it.
    const ref = { mailbox: payload.mailbox, uidValidity: payload.uidValidity, uid: payload.uid };
    await deps.queues.addFollowup({ ...ref, messageKey: outcome.messageKey, outcome: outcome.outcome }, { reply: Boolean(outcome.reply) });
    log.info({
      code: 'ingest.done',
      outcome: outcome.outcome,
      duplicate: outcome.duplicate,
      persons: outcome.persons.length,
      replyQueued: Boolean(outcome.reply),
      suppressed: outcome.replySuppressed,
    }, 'message ingested');
    return {
      messageKey: outcome.messageKey,
      outcome: outcome.outcome,
      duplicate: outcome.duplicate,
      persons: outcome.persons.length,
      replyQueued: Boolean(outcome.reply),
      ...(outcome.campaign ? { campaign: outcome.campaign } : {}),
    };
  };
}

/**
 * A BullMQ flow: the message's second ingest run is the parent of one `content` job per file, so it runs once
 * they are all done. A file the engine cannot read does not hold the message back (its name decides then).
 */
async function readThenIngestAgain(
  deps: IngestWorkerDeps,
  payload: IngestPayload,
  messageKey: string,
  files: Array<{ sha256: string }>,
): Promise<void> {
  const opts = defaultJobOptions(deps.config);
  await deps.queues.flows.add({
    name: 'ingest',
    queueName: QUEUE_NAMES.ingest,
    data: { ...payload, contentDone: true },
    opts: { ...opts, jobId: ingestAfterContentJobId(payload) },
    children: files.map((f) => ({
      name: 'read',
      queueName: QUEUE_NAMES.content,
      data: { emlPath: payload.emlPath, sha256: f.sha256, messageKey },
      opts: { ...opts, jobId: contentJobId(messageKey, f.sha256), ignoreDependencyOnFailure: true },
    })),
  });
}

/**
 * BullMQ takes jobs without a priority first: the reads a waiting message (and its reply) needs come before these
 * checks of messages already answered.
 */
const VERIFY_READ_PRIORITY = 10;

/** Filed by names: read the pages now, and check the filing once all are read (a `verify` flow parent). */
async function readThenVerify(deps: IngestWorkerDeps, payload: IngestPayload, messageKey: string, unread: string[]): Promise<void> {
  const opts = defaultJobOptions(deps.config);
  await deps.queues.flows.add({
    name: 'verify',
    queueName: QUEUE_NAMES.content,
    data: { messageKey },
    opts: { ...opts, jobId: verifyJobId(messageKey) },
    children: unread.map((sha256) => ({
      name: 'read',
      queueName: QUEUE_NAMES.content,
      data: { emlPath: payload.emlPath, sha256, messageKey },
      opts: { ...opts, jobId: contentJobId(messageKey, sha256), ignoreDependencyOnFailure: true, priority: VERIFY_READ_PRIORITY },
    })),
  });
}

async function recordBounce(deps: IngestWorkerDeps, bounce: BounceAnalysis, messageKey: string, log: Logger): Promise<void> {
  const bounced = await bouncedReplyRecipients(
    bounce,
    (key) => deps.store.getMessageRecord(key),
    async (id) => (await readStaffMailRecord(deps.store, id).catch(() => undefined))?.to,
    async (id) => (await reminderRecordById(deps.store, deps.config.campaigns.map((c) => c.id), id))?.to,
  );
  for (const { address, replyMessageIds } of bounced) {
    await deps.suppression.add({ address, since: deps.now().toISOString(), bounceMessageKey: messageKey, replyMessageIds });
    // The address is personal data, but the operator needs it to lift the suppression; it is not a body.
    log.warn({ code: 'reply.bounced', address, replyMessageIds }, 'a reply of ours bounced: no more replies to this address');
  }
}

export function startIngestWorker(deps: IngestWorkerDeps): Worker<IngestPayload, IngestResult> {
  return startWorker(QUEUE_NAMES.ingest, processIngest(deps), deps, deps.config.ingestConcurrency);
}
