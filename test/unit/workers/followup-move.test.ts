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

/** An IMAP command connection that records its commands; `inbox` holds the UIDs still in the watched mailbox. */
function fakeImap(opts: { uidplus: boolean; inbox: number[]; refuse?: boolean }) {
  const commands: string[] = [];
  const inbox = new Set(opts.inbox);
  const client = {
    mailbox: { path: 'INBOX', uidValidity: 7n },
    capabilities: new Map(opts.uidplus ? [['UIDPLUS', true]] : []),
    async mailboxCreate() {
      commands.push('CREATE');
    },
    async noop() {
      commands.push('NOOP');
    },
    async search(query: { uid: string }) {
      commands.push('SEARCH');
      return inbox.has(Number(query.uid)) ? [Number(query.uid)] : [];
    },
    async messageMove(range: string, destination: string) {
      commands.push('MOVE');
      if (opts.refuse) return false;
      const uid = Number(range);
      const moved = inbox.delete(uid);
      return { path: 'INBOX', destination, ...(moved && opts.uidplus ? { uidMap: new Map([[uid, 1]]) } : {}) };
    },
  };
  const session = {
    knownFolders: new Set(['Processed']),
    withMailbox: (_mailbox: string, fn: (c: ImapFlow) => Promise<unknown>) => fn(client as unknown as ImapFlow),
  } as unknown as ImapSession;
  return { session, commands, inbox };
}

function run(session: ImapSession) {
  const data: FollowupPayload = { mailbox: 'INBOX', uidValidity: '7', uid: UID, messageKey: 'k1', outcome: 'accepted' };
  const job = { id: 'move-1', data, attemptsMade: 0 } as unknown as Job<FollowupPayload>;
  return processFollowup({ config, log: pino({ level: 'silent' }), imap: session, connection: {} })(job);
}

describe('the follow-up move', () => {
  it('takes NOOP and UID MOVE when the server reports what moved (UIDPLUS)', async () => {
    const imap = fakeImap({ uidplus: true, inbox: [UID] });
    expect(await run(imap.session)).toEqual({ moved: true, folder: 'Processed' });
    expect(imap.commands).toEqual(['NOOP', 'MOVE']);
    expect(imap.inbox.has(UID)).toBe(false);
  });

  it('says gone when nothing moved and the message is not there (moved before)', async () => {
    const imap = fakeImap({ uidplus: true, inbox: [] });
    expect(await run(imap.session)).toEqual({ moved: false, reason: 'gone' });
    expect(imap.commands).toEqual(['NOOP', 'MOVE', 'SEARCH']);
  });

  it('looks first on a server without UIDPLUS, as before', async () => {
    const imap = fakeImap({ uidplus: false, inbox: [UID] });
    expect(await run(imap.session)).toEqual({ moved: true, folder: 'Processed' });
    expect(imap.commands).toEqual(['NOOP', 'SEARCH', 'MOVE']);
    const gone = fakeImap({ uidplus: false, inbox: [] });
    expect(await run(gone.session)).toEqual({ moved: false, reason: 'gone' });
    expect(gone.commands).toEqual(['NOOP', 'SEARCH']);
  });

  it('fails the job (to be retried) when the server refuses the move, instead of reporting it moved', async () => {
    const imap = fakeImap({ uidplus: true, inbox: [UID], refuse: true });
    await expect(run(imap.session)).rejects.toThrow(/refused to move/);
    expect(imap.inbox.has(UID)).toBe(true);
  });
});
