// The follow-up queue's worker: once a message is filed and its reply settled (sent, suppressed or none due),
// moves the original out of the watched mailbox into Processed, Rejected or Ignored (created when missing).
// A follow-up is the parent of its message's reply job (a BullMQ flow, adapters/queues.ts): BullMQ runs it only
// after the reply job completed, so the inbox always shows what is not yet handled. It never sends anything.
// Jobs that wait for the IMAP command connection together are moved by one UID MOVE (move-batch.ts).
import type { ConnectionOptions, Job, Worker } from 'bullmq';
import type { ImapFlow } from 'imapflow';
import type { AppConfig } from '../config/schema.ts';
import type { CredentialGate } from '../adapters/credential-gate.ts';
import type { ImapSession } from '../adapters/imap-session.ts';
import { holdForCredentials, jobLogger, startWorker } from './job-events.ts';
import type { Logger } from '../adapters/logger.ts';
import { followupPayload, QUEUE_NAMES, type FollowupPayload } from '../adapters/queues.ts';
import { coalescer, movedByCopyUid, moveKey, uidSet, type MoveTarget, type Outcome } from './move-batch.ts';

/**
 * Follow-up jobs a process holds at once (BullMQ concurrency): while one UID MOVE runs, the others wait and share
 * the next. 16 keeps a UID set and the held jobs' lock renewals small; a batch rarely reaches it.
 */
export const FOLLOWUP_CONCURRENCY = 16;

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

/** One job's move: its message's place and where it goes. */
interface MoveItem extends MoveTarget {
  uid: number;
}
/** A job's result, and how many jobs the UID MOVE served (logged with `followup.moved`). */
interface BatchShare {
  result: FollowupResult;
  batch: number;
}

/**
 * Without a COPYUID naming the UID (moved already by a retry after a crash or by someone else, a server without
 * UIDPLUS, a refused move) a SEARCH decides: gone, or still here and moved (again); a refused move fails the job
 * (retried).
 */
async function lookAndMove(client: ImapFlow, uid: number, folder: string): Promise<FollowupResult> {
  const present = await client.search({ uid: String(uid) }, { uid: true });
  if (!present || !present.includes(uid)) return { moved: false, reason: 'gone' };
  if (!(await client.messageMove(String(uid), folder, { uid: true }))) {
    throw Object.assign(new Error(`the server refused to move the message to ${folder}`), { responseStatus: 'NO' });
  }
  return { moved: true, folder };
}

/**
 * The moves of every job that joined the batch (move-batch.ts): one NOOP and one UID MOVE of their UID set, its
 * COPYUID saying what moved (UIDPLUS: Dovecot, Gmail, Exchange); each UID it does not name is looked at alone.
 * One job's failure there is that job's; a failure of the shared commands is every job's.
 */
async function moveBatch(deps: FollowupWorkerDeps, first: MoveItem, take: () => MoveItem[]): Promise<Array<Outcome<BatchShare>>> {
  const { folder } = first;
  return deps.imap.withMailbox(first.mailbox, async (client) => {
    const uids = take().map((item) => item.uid);
    const share = (result: FollowupResult): Outcome<BatchShare> => ({ ok: true, value: { result, batch: uids.length } });
    const selected = client.mailbox;
    if (!selected || String(selected.uidValidity) !== first.uidValidity) return uids.map(() => share({ moved: false, reason: 'stale-uidvalidity' }));
    if (!deps.imap.knownFolders.has(folder)) {
      await client.mailboxCreate(folder); // an existing folder is not an error in imapflow
      deps.imap.knownFolders.add(folder);
    }
    // A command connection only learns of newer messages when it syncs: NOOP before moving (a UID MOVE of a UID
    // the session has not seen yet moves nothing).
    await client.noop();
    const moved = client.capabilities.has('UIDPLUS') ? await client.messageMove(uidSet(uids), folder, { uid: true }) : undefined;
    const named = movedByCopyUid(uids, moved ? moved.uidMap : undefined);
    const outcomes: Array<Outcome<BatchShare>> = [];
    for (const [i, uid] of uids.entries()) {
      if (named[i]) outcomes.push(share({ moved: true, folder }));
      else outcomes.push(await lookAndMove(client, uid, folder).then(share, (error: unknown) => ({ ok: false, error }) as const));
    }
    return outcomes;
  });
}

export function processFollowup(deps: FollowupWorkerDeps) {
  // One batcher per worker: jobs of this process waiting for its one command connection.
  const move = coalescer<MoveItem, BatchShare>((first, take) => moveBatch(deps, first, take));
  return async (job: Job<FollowupPayload>, token?: string): Promise<FollowupResult> => {
    const log = jobLogger(deps.log, QUEUE_NAMES.followup, job);
    try {
      const payload = followupPayload.parse(job.data);
      const item = { mailbox: payload.mailbox, uidValidity: payload.uidValidity, folder: folderFor(deps.config, payload.outcome), uid: payload.uid };
      const { result, batch } = await move(moveKey(item), item);
      deps.gate?.accept('imap');
      if (result.moved) log.info({ code: 'followup.moved', folder: result.folder, batch }, 'original moved out of the mailbox');
      // Stale: the mailbox was rebuilt (new UIDVALIDITY); the watcher re-queues the message under its new UID.
      else log.info({ code: `followup.${result.reason}` }, 'nothing to move');
      return result;
    } catch (err) {
      throw (await holdForCredentials(err, job, token, deps.gate, 'imap')) ?? err;
    }
  };
}

export function startFollowupWorker(deps: FollowupWorkerDeps): Worker<FollowupPayload, FollowupResult> {
  // Several jobs at once, yet one IMAP command at a time: withMailbox holds imapflow's mailbox lock.
  return startWorker(QUEUE_NAMES.followup, processFollowup(deps), deps, FOLLOWUP_CONCURRENCY);
}
