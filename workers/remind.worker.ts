// The remind queue's worker (role "remind" of `run`). A BullMQ job scheduler (cron pattern, Asia/Bangkok) makes a
// "check" job every few minutes: it asks which reminders are due now and queues one "send" job per reminder, its
// id derived from campaign, step and recipient, so any number of processes checking at once queue it once. A send
// re-checks and delivers once (usecases/reminders.ts). A full hourly window for an address delays the send.
import { DelayedError, Queue, type ConnectionOptions, type Job, type Worker } from 'bullmq';
import { defaultJobOptions, QUEUE_NAMES, REMIND_SCHEDULER_ID, remindJobId, remindSendPayload, type RemindSendPayload } from '../adapters/queues.ts';
import { bullProducerConnection } from '../adapters/redis-connection.ts';
import { dueNow, sendReminder, type RemindDeps, type SendOutcome } from '../usecases/reminders.ts';
import type { CredentialGate } from '../adapters/credential-gate.ts';
import { holdForCredentials, jobLogger, startWorker } from './job-events.ts';

export interface RemindWorkerDeps extends RemindDeps {
  connection: ConnectionOptions;
  /** Refused SMTP credentials hold the send (as for replies) instead of failing it. */
  gate?: CredentialGate;
}

export type RemindJobResult = { due: number } | SendOutcome['state'];

/** A send that found its recipient's hourly window full tries again this much later. */
export const RATE_DEFER_MS = 15 * 60_000;
/** Kept briefly after completing: a second process's check in the same minutes queues nothing twice. */
const SEND_KEEP = { age: 3600 };

export function processRemind(deps: RemindWorkerDeps, queue: Queue) {
  return async (job: Job, token?: string): Promise<RemindJobResult> => {
    const log = jobLogger(deps.log, QUEUE_NAMES.remind, job);
    try {
      if (job.name === 'check') {
        const now = deps.now();
        const plans = await dueNow(deps, { now });
        let due = 0;
        for (const plan of plans) {
          for (const item of plan.due) {
            await queue.add('send', { id: item.id } satisfies RemindSendPayload, { jobId: remindJobId(item.id), removeOnComplete: SEND_KEEP });
            due++;
          }
        }
        log.info({ code: 'remind.check', at: now.toISOString(), due, paused: plans.filter((p) => p.off === 'paused').map((p) => p.campaign) },
          'reminders checked');
        return { due };
      }
      const payload = remindSendPayload.parse(job.data);
      const outcome = await sendReminder(deps, payload.id, { forced: payload.forced, by: payload.forced ? 'command' : 'schedule' });
      const fields = { reminder: payload.id, state: outcome.state };
      if (outcome.state === 'sent') deps.gate?.accept('smtp');
      if (outcome.state === 'rate-limited') {
        log.warn({ ...fields, code: 'remind.rate_limited', deferMs: RATE_DEFER_MS }, 'reminder deferred: the address had its hourly allowance');
        await job.moveToDelayed(Date.now() + RATE_DEFER_MS, token);
        throw new DelayedError();
      }
      const level = outcome.state === 'suppressed' ? 'warn' : 'info';
      log[level]({ ...fields, code: `remind.${outcome.state}`, ...('reason' in outcome && outcome.reason ? { reason: outcome.reason } : {}) },
        'reminder handled');
      return outcome.state;
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      throw (await holdForCredentials(err, job, token, deps.gate, 'smtp')) ?? err;
    }
  };
}

export interface RemindHandle {
  worker: Worker;
  queue: Queue;
  /** Creates or refreshes the job scheduler (again after Redis lost it). */
  ensureScheduler(): Promise<void>;
  close(): Promise<void>;
}

export function startRemindWorker(deps: RemindWorkerDeps): RemindHandle {
  const { config, log } = deps;
  const queue = new Queue(QUEUE_NAMES.remind, {
    connection: bullProducerConnection(config.redis.url),
    prefix: config.redis.prefix,
    defaultJobOptions: defaultJobOptions(config),
  });
  queue.on('error', (err) => log.warn({ code: 'queue.error', queue: queue.name, err }, 'queue connection error'));
  const worker = startWorker(QUEUE_NAMES.remind, processRemind(deps, queue), deps, 2);

  const ensureScheduler = async () => {
    await queue.upsertJobScheduler(REMIND_SCHEDULER_ID, { pattern: config.reminders.checkPattern, tz: 'Asia/Bangkok' }, {
      name: 'check',
      data: {},
      opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 }, attempts: 1 },
    });
    // One check right away: a step missed while no process ran goes out now, not at the next pattern time.
    await queue.add('check', {}, { jobId: `check-start-${Math.floor(Date.now() / 60_000)}`, removeOnComplete: { count: 50 }, attempts: 1 });
  };
  const ensure = () => ensureScheduler().catch((err: Error) => log.warn({ code: 'remind.scheduler_failed', err }, 'reminder scheduler not set (Redis?)'));
  void ensure();
  // A Redis that restarted without its data lost the scheduler with it: set it again when the connection is back.
  const onReady = () => void ensure();
  deps.redis.on('ready', onReady);

  return {
    worker,
    queue,
    ensureScheduler,
    async close() {
      deps.redis.off('ready', onReady);
      await worker.close();
      await queue.close();
    },
  };
}
