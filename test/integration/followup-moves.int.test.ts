// The follow-up worker against Dovecot and Redis: jobs that wait for the IMAP command connection together are
// moved by one UID MOVE (counted in imapflow's command log), each with its own result, and a refused move fails
// only its own jobs.
import { Queue, type Worker } from 'bullmq';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { ImapSession } from '../../adapters/imap-session.ts';
import { followupJobId, QUEUE_NAMES, type FollowupPayload } from '../../adapters/queues.ts';
import { bullConnection } from '../../adapters/redis-connection.ts';
import { startFollowupWorker, type FollowupResult } from '../../workers/followup.worker.ts';
import { message, textPart } from '../helpers/eml.ts';
import { liveEnv, type LiveEnv } from '../helpers/live-run.ts';
import { appendMessages, folderMessageIds, uidValidityOf, waitFor, wipeMailbox, withImap } from '../helpers/services.ts';

let live: LiveEnv | undefined;
let imap: ImapSession | undefined;
let worker: Worker<FollowupPayload, FollowupResult> | undefined;
let queue: Queue<FollowupPayload> | undefined;
let tag: string;

beforeEach(() => {
  wipeMailbox();
  tag = `m${Date.now().toString(36)}`;
});
afterEach(async () => {
  await worker?.close();
  await queue?.close();
  await imap?.close();
  await live?.cleanup();
  worker =
    queue =
    imap =
    live =
      undefined;
});

const messageId = (i: number) => `move${i}-${tag}@example.test`;
const deliver = (n: number) => appendMessages(Array.from({ length: n }, (_, i) => message({ messageId: messageId(i), body: textPart('เอกสาร') })));

/**
 * A follow-up worker on its own Redis prefix, its connection's mailbox lock held until every job is active: then
 * all of them wait for the connection together, as jobs do behind a move under way. Settled jobs by UID.
 */
async function moveTogether(
  jobs: Array<{ uid: number; outcome: FollowupPayload['outcome'] }>,
  opts: { env?: Record<string, string>; knownFolders?: string[] } = {},
) {
  live = liveEnv('moves', opts.env);
  const config = loadConfig({ env: live.env });
  const logs: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const session = imap = new ImapSession(config, log);
  for (const folder of opts.knownFolders ?? []) session.knownFolders.add(folder);
  const connection = bullConnection(config.redis.url);
  queue = new Queue<FollowupPayload>(QUEUE_NAMES.followup, { connection, prefix: config.redis.prefix });

  let locked!: () => void;
  let release!: () => void;
  const hasLock = new Promise<void>((r) => (locked = r));
  const holding = session.withMailbox('INBOX', async () => {
    locked();
    await new Promise<void>((r) => (release = r));
  });
  await hasLock;

  const settled = new Map<number, FollowupResult | string>();
  let active = 0;
  worker = startFollowupWorker({ config, log, imap: session, connection });
  worker.on('active', () => active++);
  worker.on('completed', (job, result) => settled.set(job.data.uid, result));
  worker.on('failed', (job, err) => job && settled.set(job.data.uid, err.message));
  const uidValidity = String(uidValidityOf());
  for (const { uid, outcome } of jobs) {
    const payload: FollowupPayload = { mailbox: 'INBOX', uidValidity, uid, messageKey: `k${uid}-${tag}`, outcome };
    await queue.add('followup', payload, { jobId: followupJobId(payload), attempts: 1 });
  }
  await waitFor(() => active === jobs.length, { what: 'every job active' });
  await new Promise((r) => setTimeout(r, 200)); // the last one's processor reaches the batch
  release();
  await holding;
  await waitFor(() => settled.size === jobs.length, { what: 'every job settled' });
  const commands = logs.filter((l) => l.code === 'imap.client' && l.src === 'c').map((l) => String(l.msg).replace(/^\S+ /, ''));
  return { settled, commands, logs };
}

describe('follow-up moves against Dovecot', () => {
  it('moves jobs that wait together with one UID MOVE, each job with its own result, and finds the one already gone', async () => {
    const uids = await deliver(6);
    // The third message left the inbox before its job ran (moved by someone else, or by a run that crashed).
    await withImap(async (client) => {
      await client.mailboxCreate('Elsewhere').catch(() => undefined);
      const lock = await client.getMailboxLock('INBOX');
      try {
        await client.messageMove(String(uids[2]), 'Elsewhere', { uid: true });
      } finally {
        lock.release();
      }
    });
    const { settled, commands, logs } = await moveTogether(uids.map((uid) => ({ uid, outcome: 'accepted' as const })));

    expect(uids.map((uid) => settled.get(uid))).toEqual(
      uids.map((_, i) => (i === 2 ? { moved: false, reason: 'gone' } : { moved: true, folder: 'Processed' })),
    );
    const moves = commands.filter((c) => c.startsWith('UID MOVE'));
    expect(moves).toEqual([`UID MOVE ${uids[0]}:${uids[5]} Processed`]);
    expect(commands.filter((c) => c.startsWith('NOOP'))).toHaveLength(1);
    expect(commands.filter((c) => /SEARCH/.test(c))).toEqual([`UID SEARCH UID ${uids[2]}`]);
    expect(logs.filter((l) => l.code === 'followup.moved').map((l) => l.batch)).toEqual([6, 6, 6, 6, 6]);
    expect(logs.filter((l) => l.code === 'followup.gone')).toHaveLength(1);
    const folders = await folderMessageIds(['INBOX', 'Processed']);
    expect(folders.INBOX).toEqual([]);
    expect(folders.Processed.sort()).toEqual([0, 1, 3, 4, 5].map(messageId).sort());
  });

  it('fails only the jobs whose move the server refuses, and moves the others', async () => {
    const uids = await deliver(5);
    const nowhere = `Nowhere-${tag}`;
    // The session believes the folder exists, so no CREATE: Dovecot refuses the move (NO [TRYCREATE]).
    const { settled, commands } = await moveTogether(
      uids.map((uid, i) => ({ uid, outcome: i < 3 ? 'accepted' as const : 'rejected' as const })),
      { env: { IMAP_FOLDER_REJECTED: nowhere }, knownFolders: [nowhere] },
    );

    for (const uid of uids.slice(0, 3)) expect(settled.get(uid)).toEqual({ moved: true, folder: 'Processed' });
    for (const uid of uids.slice(3)) expect(settled.get(uid)).toMatch(/refused to move the message to Nowhere/);
    const moves = commands.filter((c) => c.startsWith('UID MOVE'));
    expect(moves).toContain(`UID MOVE ${uids[0]}:${uids[2]} Processed`);
    expect(moves.filter((c) => c.endsWith(nowhere))).toEqual([
      `UID MOVE ${uids[3]}:${uids[4]} ${nowhere}`,
      `UID MOVE ${uids[3]} ${nowhere}`,
      `UID MOVE ${uids[4]} ${nowhere}`,
    ]);
    const folders = await folderMessageIds(['INBOX', 'Processed']);
    expect(folders.INBOX.sort()).toEqual([3, 4].map(messageId).sort());
    expect(folders.Processed.sort()).toEqual([0, 1, 2].map(messageId).sort());
  });
});
