// The follow-up queue's worker: once a message is filed and its reply settled (sent, suppressed or none due),
// moves the original out of the watched mailbox into Processed, Rejected or Ignored (created when missing).
// A follow-up is the parent of its message's reply job (a BullMQ flow, adapters/queues.ts): BullMQ runs it only
// after the reply job completed, so the inbox always shows what is not yet handled. It never sends anything.
import type { ConnectionOptions, Job, Worker } from 'bullmq';
import type { ImapFlow } from 'imapflow';
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

/**
 * One UID MOVE, its COPYUID saying what moved (UIDPLUS: Dovecot, Gmail, Exchange): two commands a message with the
 * NOOP. Without a COPYUID (moved already by a retry after a crash or by someone else, a server without UIDPLUS, a
 * refused move) a SEARCH decides: gone, or still here and moved (again); a refused move fails the job (retried).
 */
async function moveOne(client: ImapFlow, uid: number, folder: string): Promise<FollowupResult> {
  if (client.capabilities.has('UIDPLUS')) {
    const moved = await client.messageMove(String(uid), folder, { uid: true });
    if (moved && moved.uidMap?.has(uid)) return { moved: true, folder };
  }
  const present = await client.search({ uid: String(uid) }, { uid: true });
  if (!present || !present.includes(uid)) return { moved: false, reason: 'gone' };
  if (!(await client.messageMove(String(uid), folder, { uid: true }))) {
    throw Object.assign(new Error(`the server refused to move the message to ${folder}`), { responseStatus: 'NO' });
  }
  return { moved: true, folder };
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
        // A command connection only learns of newer messages when it syncs: NOOP before moving (a UID MOVE of a UID
        // the session has not seen yet moves nothing).
        await client.noop();
        return moveOne(client, payload.uid, folder);
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
