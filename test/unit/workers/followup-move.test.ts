import type { Job } from 'bullmq';
import type { ImapFlow } from 'imapflow';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import type { ImapSession } from '../../../adapters/imap-session.ts';
import type { FollowupPayload } from '../../../adapters/queues.ts';
import { processFollowup } from '../../../workers/followup.worker.ts';

const config = loadConfig({ env: {} });
const UID = 42;

const tick = () => new Promise((r) => setTimeout(r, 1));
const uidsOf = (range: string) =>
  range.split(',').flatMap((part) => {
    const [from, to = from] = part.split(':').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });

/**
 * An IMAP command connection that records its commands, each taking a moment, one sequence at a time (imapflow's
 * mailbox lock); `inbox` holds the UIDs still in the watched mailbox; a move that names a `refuse` UID is refused.
 */
function fakeImap(opts: { uidplus: boolean; inbox: number[]; refuse?: boolean | number[] }) {
  const commands: string[] = [];
  const inbox = new Set(opts.inbox);
  const client = {
    mailbox: { path: 'INBOX', uidValidity: 7n },
    capabilities: new Map(opts.uidplus ? [['UIDPLUS', true]] : []),
    async mailboxCreate(folder: string) {
      commands.push(`CREATE ${folder}`);
    },
    async noop() {
      commands.push('NOOP');
      await tick();
    },
    async search(query: { uid: string }) {
      commands.push(`SEARCH ${query.uid}`);
      return inbox.has(Number(query.uid)) ? [Number(query.uid)] : [];
    },
    async messageMove(range: string, destination: string) {
      commands.push(`MOVE ${range}`);
      await tick();
      const refused = opts.refuse === true || uidsOf(range).some((uid) => Array.isArray(opts.refuse) && opts.refuse.includes(uid));
      if (refused) return false;
      const moved = uidsOf(range).filter((uid) => inbox.delete(uid));
      // Dovecot sends no COPYUID when nothing moved.
      return { path: 'INBOX', destination, ...(moved.length && opts.uidplus ? { uidMap: new Map(moved.map((uid, i) => [uid, 100 + i])) } : {}) };
    },
  };
  let lock: Promise<unknown> = Promise.resolve();
  const session = {
    knownFolders: new Set(['Processed']),
    withMailbox(_mailbox: string, fn: (c: ImapFlow) => Promise<unknown>) {
      const turn = lock.then(() => fn(client as unknown as ImapFlow));
      lock = turn.catch(() => undefined);
      return turn;
    },
  } as unknown as ImapSession;
  return { session, commands, inbox };
}

function job(uid: number, outcome: FollowupPayload['outcome'] = 'accepted', uidValidity = '7'): Job<FollowupPayload> {
  const data: FollowupPayload = { mailbox: 'INBOX', uidValidity, uid, messageKey: `k${uid}`, outcome };
  return { id: `move-${uid}`, data, attemptsMade: 0 } as unknown as Job<FollowupPayload>;
}

function run(session: ImapSession) {
  return processFollowup({ config, log: pino({ level: 'silent' }), imap: session, connection: {} })(job(UID));
}

/** Settled results of jobs given to one processor: `first` start at once, `later` once the first command is out. */
async function runMany(session: ImapSession, first: Array<Job<FollowupPayload>>, later: Array<Job<FollowupPayload>> = []) {
  const logs: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const process = processFollowup({ config, log, imap: session, connection: {} });
  const running = first.map((j) => process(j));
  if (later.length) await new Promise((r) => setTimeout(r, 0));
  running.push(...later.map((j) => process(j)));
  const settled = await Promise.allSettled(running);
  return { logs, results: settled.map((s) => (s.status === 'fulfilled' ? s.value : String((s.reason as Error).message))) };
}

describe('the follow-up move', () => {
  it('takes NOOP and UID MOVE when the server reports what moved (UIDPLUS)', async () => {
    const imap = fakeImap({ uidplus: true, inbox: [UID] });
    expect(await run(imap.session)).toEqual({ moved: true, folder: 'Processed' });
    expect(imap.commands).toEqual(['NOOP', `MOVE ${UID}`]);
    expect(imap.inbox.has(UID)).toBe(false);
  });

  it('says gone when nothing moved and the message is not there (moved before)', async () => {
    const imap = fakeImap({ uidplus: true, inbox: [] });
    expect(await run(imap.session)).toEqual({ moved: false, reason: 'gone' });
    expect(imap.commands).toEqual(['NOOP', `MOVE ${UID}`, `SEARCH ${UID}`]);
  });

  it('looks first on a server without UIDPLUS, as before', async () => {
    const imap = fakeImap({ uidplus: false, inbox: [UID] });
    expect(await run(imap.session)).toEqual({ moved: true, folder: 'Processed' });
    expect(imap.commands).toEqual(['NOOP', `SEARCH ${UID}`, `MOVE ${UID}`]);
    const gone = fakeImap({ uidplus: false, inbox: [] });
    expect(await run(gone.session)).toEqual({ moved: false, reason: 'gone' });
    expect(gone.commands).toEqual(['NOOP', `SEARCH ${UID}`]);
  });

  it('fails the job (to be retried) when the server refuses the move, instead of reporting it moved', async () => {
    const imap = fakeImap({ uidplus: true, inbox: [UID], refuse: true });
    await expect(run(imap.session)).rejects.toThrow(/refused to move/);
    expect(imap.inbox.has(UID)).toBe(true);
  });
});

describe('follow-up moves that wait together', () => {
  const moved = { moved: true, folder: 'Processed' };

  it('go out as one NOOP and one UID MOVE, each job with its own result', async () => {
    const imap = fakeImap({ uidplus: true, inbox: [1, 2, 3, 4, 7] });
    // Job 1 starts alone; 2, 3, 4 and 7 arrive while its move is under way and share the next one.
    const { results, logs } = await runMany(imap.session, [job(1)], [job(3), job(2), job(7), job(4)]);
    expect(results).toEqual([moved, moved, moved, moved, moved]);
    expect(imap.commands).toEqual(['NOOP', 'MOVE 1', 'NOOP', 'MOVE 2:4,7']);
    expect(imap.inbox.size).toBe(0);
    expect(logs.filter((l) => l.code === 'followup.moved').map((l) => [l.uid, l.batch])).toEqual([[1, 1], [3, 4], [2, 4], [7, 4], [4, 4]]);
  });

  it('look alone at a UID the COPYUID does not name: gone, while the others moved', async () => {
    const imap = fakeImap({ uidplus: true, inbox: [1, 3] });
    const { results } = await runMany(imap.session, [job(1), job(2), job(3)]);
    expect(results).toEqual([moved, { moved: false, reason: 'gone' }, moved]);
    expect(imap.commands).toEqual(['NOOP', 'MOVE 1:3', 'SEARCH 2']);
  });

  it('share a command only with the same folder and UIDVALIDITY', async () => {
    const imap = fakeImap({ uidplus: true, inbox: [1, 2, 3, 4] });
    const { results } = await runMany(imap.session, [job(1), job(2, 'rejected'), job(3, 'accepted', '6'), job(4, 'incomplete')]);
    expect(results).toEqual([moved, { moved: true, folder: 'Rejected' }, { moved: false, reason: 'stale-uidvalidity' }, moved]);
    expect(imap.commands).toEqual(['NOOP', 'MOVE 1,4', 'CREATE Rejected', 'NOOP', 'MOVE 2']);
  });

  it('fail only the job whose message the server refuses to move; the others move one by one', async () => {
    const imap = fakeImap({ uidplus: true, inbox: [1, 2, 3], refuse: [2] });
    const { results } = await runMany(imap.session, [job(1), job(2), job(3)]);
    expect(results).toEqual([moved, 'the server refused to move the message to Processed', moved]);
    expect(imap.commands).toEqual(['NOOP', 'MOVE 1:3', 'SEARCH 1', 'MOVE 1', 'SEARCH 2', 'MOVE 2', 'SEARCH 3', 'MOVE 3']);
    expect([...imap.inbox]).toEqual([2]);
  });
});
