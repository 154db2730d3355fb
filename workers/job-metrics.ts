// Turns what BullMQ reports about our jobs into metrics, from the outside of the processors: attempt durations
// for every queue, ingest outcomes by campaign, reply and staff-mail outcomes, and the APPEND-to-reply latency.
// The processors stay as they are; this reads their results (IngestResult, ReplyResult, StaffMailJobResult).
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { classifyError } from '../adapters/errors.ts';
import { metrics, type MessageOutcome } from '../adapters/metrics.ts';
import { QUEUE_NAMES } from '../adapters/queues.ts';

interface JobResultShape {
  outcome?: string;
  duplicate?: boolean;
  campaign?: string;
  sent?: boolean;
  via?: string;
  reason?: string;
  suppressed?: string;
  receivedAt?: string;
  sentAt?: string;
}

const OUTCOMES = new Set(['accepted', 'incomplete', 'rejected', 'ignored', 'deferred']);

function attemptSeconds(job: Job, now: number): number | undefined {
  const started = job.processedOn;
  if (!started) return undefined;
  const ended = job.finishedOn && job.finishedOn >= started ? job.finishedOn : now;
  return Math.max(0, (ended - started) / 1000);
}

/** The ingest outcome label: duplicates apart, unknown values folded so labels stay a small set. */
export function ingestOutcome(result: JobResultShape): MessageOutcome {
  if (result.duplicate) return 'duplicate';
  return OUTCOMES.has(result.outcome ?? '') ? (result.outcome as MessageOutcome) : 'rejected';
}

export interface JobMetricsDeps {
  store: ArchiveStore;
  now?: () => number;
}

export function attachJobMetrics(worker: Worker, deps: JobMetricsDeps): void {
  const queue = worker.name;
  const now = deps.now ?? Date.now;
  const mail = queue === QUEUE_NAMES.reply || queue === QUEUE_NAMES.staffMail;

  worker.on('completed', (job: Job, value: unknown) => {
    const seconds = attemptSeconds(job, now());
    if (seconds !== undefined) metrics.jobDuration.observe({ queue, result: 'completed' }, seconds);
    const result = (value ?? {}) as JobResultShape;
    if (queue === QUEUE_NAMES.ingest) {
      metrics.messagesProcessed.inc({ campaign: result.campaign ?? 'none', outcome: ingestOutcome(result) });
    } else if (mail && result.sent) {
      metrics.replies.inc({ queue, outcome: 'sent', detail: result.via ?? 'smtp' });
      if (queue === QUEUE_NAMES.reply) void observeLatency(deps.store, job, result, now());
    } else if (mail && result.reason === 'suppressed') {
      metrics.replies.inc({ queue, outcome: 'suppressed', detail: result.suppressed ?? 'bounced-address' });
    }
  });

  worker.on('failed', (job: Job | undefined, err: Error) => {
    if (!job) return;
    const seconds = attemptSeconds(job, now());
    if (seconds !== undefined) metrics.jobDuration.observe({ queue, result: 'failed' }, seconds);
    if (!mail) return;
    // attemptsMade already counts this failure when the event fires (as in job-events.ts).
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    metrics.replies.inc({ queue, outcome: final ? 'failed' : 'retried', detail: classifyError(err).code });
  });
}

/**
 * The record's arrival time is the IMAP INTERNALDATE for mail `run` fetched (usecases/ingest-message.ts). The reply job
 * returns it with the send time (both read or made by the worker); a result without them (a job of an older version)
 * has the record read again.
 */
async function observeLatency(store: ArchiveStore, job: Job, result: JobResultShape, sentAt: number): Promise<void> {
  let times: { receivedAt?: string; sentAt?: string } | undefined = result.receivedAt ? result : undefined;
  const key = (job.data as { messageKey?: string } | undefined)?.messageKey;
  if (!times && key) {
    const record = await store.getMessageRecord(key).catch(() => undefined);
    times = record && { receivedAt: record.receivedAt, sentAt: record.reply?.sentAt };
  }
  if (!times?.receivedAt) return;
  const received = Date.parse(times.receivedAt);
  // The recorded send time shares the worker's clock with its arrival time; the event time is the fallback.
  const sent = times.sentAt ? Date.parse(times.sentAt) : sentAt;
  if (Number.isFinite(received) && Number.isFinite(sent) && sent >= received) metrics.replyLatency.observe((sent - received) / 1000);
}
