// Logs what BullMQ does with our jobs the same way for every queue: a retry at warn, the final failure at
// error (the operator's cue to run `seis-intake jobs`), worker connection trouble at warn.
import { DelayedError, UnrecoverableError, WaitingChildrenError, Worker, type ConnectionOptions, type Job, type WorkerOptions } from 'bullmq';
import type { AppConfig } from '../config/schema.ts';
import { classifyError, toJobError } from '../adapters/errors.ts';
import { isCredentialError, type CredentialGate, type CredentialUser } from '../adapters/credential-gate.ts';
import type { Logger } from '../adapters/logger.ts';

export function jobLogger(log: Logger, queue: string, job: Job): Logger {
  const data = (job.data ?? {}) as { uid?: number; messageKey?: string };
  return log.child({ queue, jobId: job.id, attempt: job.attemptsMade + 1, uid: data.uid, messageKey: data.messageKey });
}

export function attachJobLogging(worker: Worker, queue: string, log: Logger): void {
  worker.on('failed', (job, err) => {
    if (!job) return;
    const { kind, code } = classifyError(err);
    const attempts = job.opts.attempts ?? 1;
    // attemptsMade already counts this failure when the event fires.
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
    const fields = { queue, jobId: job.id, attempt: job.attemptsMade, attempts, kind, err };
    if (final) log.error({ ...fields, code: `job.failed.${code}` }, 'job failed for good: see `seis-intake jobs`');
    else log.warn({ ...fields, code: `job.retry.${code}` }, 'job failed; will retry');
  });
  worker.on('error', (err) => {
    log.warn({ queue, code: 'job.worker_error', err }, 'queue worker error');
  });
}

/**
 * The options every worker of `run` shares: a job whose process died is picked up again after
 * `jobs.lockMs`, and only a job that kills its process again and again (3 times) fails.
 */
export function workerOptions(deps: { config: AppConfig; connection: ConnectionOptions }, concurrency: number): WorkerOptions {
  return {
    connection: deps.connection,
    prefix: deps.config.redis.prefix,
    concurrency,
    lockDuration: deps.config.jobs.lockMs,
    stalledInterval: Math.max(1000, Math.floor(deps.config.jobs.lockMs / 2)),
    maxStalledCount: 3,
  };
}

/**
 * A job whose mailbox credentials were refused is not failed: it waits gate.retryMs (no attempt used) and tries
 * again, so nothing is lost and the operator sees the gate's one error instead of a failed job per message.
 * Returns the DelayedError to throw, or undefined when `err` is something else.
 */
export async function holdForCredentials(
  err: unknown,
  job: Job,
  token: string | undefined,
  gate: CredentialGate | undefined,
  user: CredentialUser,
): Promise<DelayedError | undefined> {
  if (!gate || !token || !isCredentialError(err)) return undefined;
  gate.refuse(user, err);
  await job.moveToDelayed(Date.now() + gate.retryMs, token);
  return new DelayedError();
}

/**
 * A worker of `run` for one queue: the shared options and logging, and whatever the processor throws turned into
 * a job error (permanent ones unrecoverable, every failed reason starting with its code). A job the processor put
 * back to wait (DelayedError, WaitingChildrenError) is left as BullMQ expects.
 */
export function startWorker<D, R>(
  queue: string,
  processor: (job: Job<D>, token?: string) => Promise<R>,
  deps: { config: AppConfig; connection: ConnectionOptions; log: Logger },
  concurrency: number,
): Worker<D, R> {
  const worker = new Worker<D, R>(queue, async (job: Job<D>, token?: string) => {
    try {
      return await processor(job, token);
    } catch (err) {
      if (err instanceof DelayedError || err instanceof WaitingChildrenError) throw err;
      throw toJobError(err);
    }
  }, workerOptions(deps, concurrency));
  attachJobLogging(worker as Worker, queue, deps.log);
  return worker;
}
