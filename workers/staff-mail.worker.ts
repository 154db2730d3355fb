// The staff-mail queue's worker (role "reply" of `run`): sends a mail a staff decision wrote to the outbox
// (revision request, updated acknowledgement) over SMTP, once. Same guard rails as replies, minus the hourly
// per-sender limit: each mail is one staff member's click, not an answer a loop could trigger. It records the
// send in Redis (the sending thread's marker) and in _state/staff-mail/<id>.result.json before completing.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AppConfig } from '../config/schema.ts';
import { normaliseAddress } from '../pipelines/mail/index.ts';
import { contains } from '../adapters/atomic-fs.ts';
import { classifyError, toJobError, WorkError } from '../adapters/errors.ts';
import { attachJobLogging, holdForCredentials, jobLogger, workerOptions } from './job-events.ts';
import { QUEUE_NAMES, stateKey, staffMailPayload, type StaffMailPayload } from '../adapters/queues.ts';
import { SENT_MARKER_TTL_S, type ReplyWorkerDeps } from './reply.worker.ts';
import { bareAddress } from '../adapters/smtp-mailer.ts';
import { readStaffMailResult, writeStaffMailResult, type StaffMailResult } from '../usecases/staff-mail.ts';

/** The same dependencies as the reply worker: `run` builds them once for both. */
export type StaffMailWorkerDeps = ReplyWorkerDeps;

export type StaffMailJobResult =
  | { sent: true }
  | { sent: false; reason: 'already-sent' | 'suppressed' | 'no-smtp' };

export function staffSentMarkerKey(config: AppConfig, id: string): string {
  return stateKey(config, 'staff-sent', id);
}

/** The outbox file the payload names, only if it is this mail's file inside the archive or the outbox dir. */
function outboxFile(deps: StaffMailWorkerDeps, payload: StaffMailPayload): string {
  if (path.basename(payload.outboxPath) !== `${payload.id}.eml`) {
    throw new WorkError('staff mail payload names another file than its own', 'payload.invalid', 'permanent');
  }
  if (!path.isAbsolute(payload.outboxPath)) return deps.store.resolveInside(payload.outboxPath);
  const abs = path.resolve(payload.outboxPath);
  const outbox = deps.config.outboxDir ? path.resolve(deps.config.outboxDir) : undefined;
  if (contains(deps.store.root, abs) || (outbox && contains(outbox, abs))) return abs;
  throw new WorkError('staff mail outside the archive and this process\'s outbox (OUTBOX_DIR differs between serve and run?)', 'payload.invalid', 'permanent');
}

export function processStaffMail(deps: StaffMailWorkerDeps) {
  const { config, store, redis } = deps;
  const result = (id: string, state: StaffMailResult['state'], extra: Partial<StaffMailResult> = {}) =>
    writeStaffMailResult(store, id, { state, at: deps.now().toISOString(), ...extra });

  return async (job: Job<StaffMailPayload>, token?: string): Promise<StaffMailJobResult> => {
    const log = jobLogger(deps.log, QUEUE_NAMES.staffMail, job).child({ mailId: job.data?.id });
    let id: string | undefined;
    try {
      const payload = staffMailPayload.parse(job.data);
      id = payload.id;
      if ((await readStaffMailResult(store, id))?.state === 'sent') return { sent: false, reason: 'already-sent' };
      const marker = await redis.get(staffSentMarkerKey(config, id));
      if (marker) {
        // Sent, but the process died before the result was written: finish the bookkeeping only.
        await result(id, 'sent', { at: marker });
        log.info({ code: 'staff_mail.already_sent' }, 'staff mail was already sent; not sending again');
        return { sent: false, reason: 'already-sent' };
      }
      if (!deps.mailer) {
        await result(id, 'no-smtp');
        log.warn({ code: 'staff_mail.no_smtp' }, 'no SMTP_HOST for run: staff mail stays in the outbox');
        return { sent: false, reason: 'no-smtp' };
      }
      if (await deps.suppression.get(normaliseAddress(payload.to))) {
        await result(id, 'suppressed', { code: 'bounced-address' });
        log.warn({ code: 'staff_mail.bounced-address' }, 'staff mail suppressed: mail to this address bounced');
        return { sent: false, reason: 'suppressed' };
      }
      const eml = await readFile(outboxFile(deps, payload));
      const sentAt = deps.now().toISOString();
      const sent = await deps.mailer.send(
        { from: bareAddress(config.reply.from), to: [bareAddress(payload.to)] }, eml,
        { key: staffSentMarkerKey(config, id), value: sentAt, ttlSeconds: SENT_MARKER_TTL_S },
      );
      deps.gate?.accept('smtp');
      if (sent.markerError) log.warn({ code: 'staff_mail.marker_failed', err: sent.markerError.message }, 'sent marker not written to Redis');
      // If this write fails the job is retried; with the marker in place the retry only repairs the result.
      await result(id, 'sent', { at: sentAt });
      log.info({ code: 'staff_mail.sent', size: eml.length, smtp: sent.response.slice(0, 80) }, 'staff mail sent');
      return { sent: true };
    } catch (err) {
      const held = await holdForCredentials(err, job, token, deps.gate, 'smtp');
      if (held) throw held;
      const jobError = toJobError(err);
      const final = jobError instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (id) {
        await result(id, final ? 'failed' : 'retrying', { code: classifyError(err).code })
          .catch((e: Error) => log.warn({ code: 'staff_mail.result_failed', err: e.message }, 'staff mail result not written'));
      }
      throw jobError;
    }
  };
}

export function startStaffMailWorker(deps: StaffMailWorkerDeps): Worker<StaffMailPayload, StaffMailJobResult> {
  const worker = new Worker<StaffMailPayload, StaffMailJobResult>(QUEUE_NAMES.staffMail, processStaffMail(deps), workerOptions(deps, 2));
  attachJobLogging(worker, QUEUE_NAMES.staffMail, deps.log);
  return worker;
}
