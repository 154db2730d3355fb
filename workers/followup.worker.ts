// The follow-up queue's worker: once a message is filed and its reply settled (sent, suppressed or none due),
// moves the original out of the watched mailbox into Processed, Rejected or Ignored (created when missing).
// A follow-up is the parent of its message's reply job (a BullMQ flow, adapters/queues.ts): BullMQ runs it only
// after the reply job completed, so the inbox always shows what is not yet handled. It never sends anything.
import type { ConnectionOptions, Job, Worker } from 'bullmq';
import type { AppConfig } from '../config/schema.ts';
import type { CredentialGate } from '../adapters/credential-gate.ts';
import type { ImapSession } from '../adapters/imap-session.ts';
import { holdForCredentials, jobLogger, startWorker } from './job-events.ts';
import type { Logger } from '../adapters/logger.ts';
import { followupPayload, QUEUE_NAMES, type FollowupPayload } from '../adapters/queues.ts';

export interface FollowupWorkerDeps {
  config: AppConfig;
  log: Logger;
  imap: ImapSession;
  connection: ConnectionOptions;
  /** Refused IMAP credentials hold the move (the original stays in the inbox) instead of failing it. */
  gate?: CredentialGate;
}

export type FollowupResult = { moved: true; folder: string } | { moved: false; reason: 'gone' | 'stale-uidvalidity' };

export function folderFor(config: AppConfig, outcome: FollowupPayload['outcome']): string {
  const { processed, rejected, ignored } = config.imap.folders;
  return outcome === 'ignored' ? ignored : outcome === 'rejected' ? rejected : processed;
}

export function processFollowup(deps: FollowupWorkerDeps) {
  return async (job: Job<FollowupPayload>, token?: string): Promise<FollowupResult> => {
    const log = jobLogger(deps.log, QUEUE_NAMES.followup, job);
    try {
      const payload = followupPayload.parse(job.data);
      const folder = folderFor(deps.config, payload.outcome);
      const result = await deps.imap.withMailbox(payload.mailbox, async (client) => {
        const selected = client.mailbox;
        if (!selected || String(selected.uidValidity) !== payload.uidValidity) return { moved: false, reason: 'stale-uidvalidity' } as const;
        if (!deps.imap.knownFolders.has(folder)) {
          await client.mailboxCreate(folder); // an existing folder is not an error in imapflow
          deps.imap.knownFolders.add(folder);
        }
        // A command connection only learns of newer messages when it syncs: NOOP before looking.
        await client.noop();
        // Moved already (a retry after a crash) or by someone else: nothing left to do.
        const present = await client.search({ uid: String(payload.uid) }, { uid: true });
        if (!present || !present.includes(payload.uid)) return { moved: false, reason: 'gone' } as const;
        await client.messageMove(String(payload.uid), folder, { uid: true });
        return { moved: true, folder } as const;
      });
      deps.gate?.accept('imap');
      if (result.moved) log.info({ code: 'followup.moved', folder }, 'original moved out of the mailbox');
      // Stale: the mailbox was rebuilt (new UIDVALIDITY); the watcher re-queues the message under its new UID.
      else log.info({ code: `followup.${result.reason}` }, 'nothing to move');
      return result;
    } catch (err) {
      throw (await holdForCredentials(err, job, token, deps.gate, 'imap')) ?? err;
    }
  };
}

export function startFollowupWorker(deps: FollowupWorkerDeps): Worker<FollowupPayload, FollowupResult> {
  // One IMAP command connection per process: moves run one after another.
  return startWorker(QUEUE_NAMES.followup, processFollowup(deps), deps, 1);
}
