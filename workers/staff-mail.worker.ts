// The staff-mail queue's worker (role "reply" of `run`): delivers a mail a staff decision wrote to the outbox
// (revision request, updated acknowledgement) once, by the rules of usecases/deliver-once.ts, minus the hourly
// per-sender limit (usecases/staff-mail-delivery.ts says why). It records the send in Redis (the sending thread's
// marker) and in _state/staff-mail/<id>.result.json before completing; a failure is recorded there too.
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { AppConfig } from '../config/schema.ts';
import { classifyError, toJobError } from '../adapters/errors.ts';
import { holdForCredentials, jobLogger, startWorker } from './job-events.ts';
import { QUEUE_NAMES, staffMailPayload, type StaffMailPayload } from '../adapters/queues.ts';
import { markerKey, SentMarkers } from '../adapters/sent-markers.ts';
import type { ReplyWorkerDeps } from './reply.worker.ts';
import { createDeliverer } from '../usecases/deliver-once.ts';
import { deliverStaffMail, staffMailResultWriter } from '../usecases/staff-mail-delivery.ts';

/** The same dependencies as the reply worker: `run` builds them once for both. */
export type StaffMailWorkerDeps = ReplyWorkerDeps;

export type StaffMailJobResult =
  | { sent: true }
  | { sent: false; reason: 'already-sent' | 'suppressed' | 'no-smtp' };

export function staffSentMarkerKey(config: AppConfig, id: string): string {
  return markerKey(config, 'staff-sent', id);
}

export function processStaffMail(deps: StaffMailWorkerDeps) {
  const { config, store } = deps;
  const result = staffMailResultWriter(store, deps.now);
  const deliver = createDeliverer({
    from: config.reply.from,
    now: deps.now,
    mailer: deps.mailer,
    suppression: deps.suppression,
    markers: new SentMarkers(deps.redis, config, 'staff-sent'),
    exclusive: (mail, fn) => store.withDeliveryLock('staff-mail', mail.id, fn),
    onFailure: 'retry',
  });

  return async (job: Job<StaffMailPayload>, token?: string): Promise<StaffMailJobResult> => {
    const log = jobLogger(deps.log, QUEUE_NAMES.staffMail, job).child({ mailId: job.data?.id });
    let id: string | undefined;
    try {
      const payload = staffMailPayload.parse(job.data);
      id = payload.id;
      const delivery = await deliverStaffMail(deliver, deps, payload, log);
      switch (delivery.status) {
        case 'sent':
          deps.gate?.accept('smtp');
          return { sent: true };
        case 'outbox':
          return { sent: false, reason: 'no-smtp' };
        case 'already-sent':
        case 'suppressed':
          return { sent: false, reason: delivery.status };
        case 'unsent':
          throw new Error(`staff mail not sent (${delivery.code})`); // only a 'keep-in-outbox' deliverer says this
      }
    } catch (err) {
      const held = await holdForCredentials(err, job, token, deps.gate, 'smtp');
      if (held) throw held;
      const jobError = toJobError(err);
      const final = jobError instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (id) {
        await result(id, final ? 'failed' : 'retrying', { code: classifyError(err).code })
          .catch((e: Error) => log.warn({ code: 'staff_mail.result_failed', err: e }, 'staff mail result not written'));
      }
      throw jobError;
    }
  };
}

export function startStaffMailWorker(deps: StaffMailWorkerDeps): Worker<StaffMailPayload, StaffMailJobResult> {
  return startWorker(QUEUE_NAMES.staffMail, processStaffMail(deps), deps, 2);
}
