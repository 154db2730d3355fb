import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { message, textPart } from '../helpers/eml.ts';
import { ARRIVAL, liveEnv, messageRecords, person, startInProcess, submissionFor, type InProcessRun, type LiveEnv } from '../helpers/live-run.ts';
import { appendMessages, folderMessageIds, readSink, setUidValidity, startDovecot, stopDovecot, uidValidityOf, waitFor,
  wipeMailbox } from '../helpers/services.ts';

const FOLDERS = ['INBOX', 'Processed', 'Rejected', 'Ignored'];
let live: LiveEnv;
let run: InProcessRun | undefined;
let tag: string;

beforeEach(() => {
  wipeMailbox();
  tag = `t${Date.now().toString(36)}`;
});
afterEach(async (ctx) => {
  // A failure is easier to read with what the workers said.
  if (ctx.task.result?.state === 'fail' && run) {
    console.error(
      run.logs.filter((l) => Number(l.level) >= 40 || /^(watcher|ingest|reply|followup)\./.test(String(l.code))).slice(-60).map((l) => JSON.stringify(l)).join(
        '\n',
      ),
    );
  }
  await run?.close();
  run = undefined;
  await live?.cleanup();
});

const deliver = (raws: Buffer[]) => appendMessages(raws, { internalDate: ARRIVAL });
const repliesTo = (local: string) => readSink({ to: `${local}-${tag}@` });

describe('seis-intake run against Dovecot, the SMTP sink and Redis', () => {
  it('files a submission, answers it with the core reply headers and moves each original to its folder', async () => {
    live = liveEnv('basic');
    run = await startInProcess(live.env);
    const officer = person(1);
    const submissionId = `sub-${tag}@example.test`;
    await deliver([
      await submissionFor(officer, { from: `officer-${tag}@example.test`, messageId: submissionId }),
      message({ from: `nobody-${tag}@example.test`, messageId: `empty-${tag}@example.test`, subject: 'สอบถาม', body: textPart('ส่งอย่างไรครับ') }),
      message({ from: `ooo-${tag}@example.test`, messageId: `ooo-${tag}@example.test`, subject: 'Out of office', headers: ['Auto-Submitted: auto-replied'],
        body: textPart('ไม่อยู่') }),
    ]);

    const folders = await waitFor(async () => {
      const f = await folderMessageIds(FOLDERS);
      return f.INBOX.length === 0 && f.Processed.length + f.Rejected.length + f.Ignored.length === 3 ? f : undefined;
    }, { what: 'all three messages to leave the inbox' });
    expect(folders).toEqual({ INBOX: [], Processed: [submissionId], Rejected: [`empty-${tag}@example.test`], Ignored: [`ooo-${tag}@example.test`] });

    const [reply] = repliesTo('officer');
    expect(repliesTo('officer')).toHaveLength(1);
    expect(reply.headers['in-reply-to']).toBe(`<${submissionId}>`);
    expect(reply.headers.references).toContain(`<${submissionId}>`);
    expect(reply.headers['auto-submitted']).toBe('auto-replied');
    expect(reply.headers['x-seis-intake-status']).toBe('incomplete');
    expect(reply.headers['message-id']).toMatch(/^<reply-[0-9a-f]{32}@example\.test>$/);
    expect(repliesTo('nobody').map((m) => m.headers['x-seis-intake-status'])).toEqual(['rejected']);
    expect(repliesTo('ooo')).toHaveLength(0);

    const records = await messageRecords(live.archiveDir);
    const filed = records.find((r) => r.messageId === submissionId);
    expect(filed?.persons).toEqual([officer.nationalId]);
    expect(filed?.reply?.sentAt).toBeTruthy();
    expect(`<${filed?.reply?.messageId?.replace(/^<|>$/g, '')}>`).toBe(reply.headers['message-id']);
  });

  it('cannot start an auto-reply loop: auto-replies, our own reply and a header-less autoresponder are stopped', async () => {
    live = liveEnv('loop', { REPLY_MAX_PER_SENDER_PER_HOUR: '3' });
    run = await startInProcess(live.env);
    const officer = `loop-${tag}@example.test`;
    await deliver([await submissionFor(person(2), { from: officer, messageId: `loop0-${tag}@example.test` })]);
    const first = await waitFor(() => repliesTo('loop')[0], { what: 'the reply to the officer' });

    // A well-behaved autoresponder, and our own reply coming back into the mailbox (a forward rule, a loop).
    await deliver([
      message({ from: officer, messageId: `ooo1-${tag}@example.test`, subject: `Automatic reply: ${first.headers.subject}`,
        headers: ['Auto-Submitted: auto-replied', `In-Reply-To: ${first.headers['message-id']}`], body: textPart('I am away') }),
      first.raw.subarray(first.raw.indexOf('In-Reply-To:')),
    ]);
    // A naive autoresponder answers every mail without any header that marks it as automatic.
    for (let round = 1; round <= 6; round++) {
      const before = repliesTo('loop').length;
      await deliver([message({ from: officer, messageId: `naive${round}-${tag}@example.test`, subject: 'Re: ได้รับแล้ว', body: textPart('ขอบคุณค่ะ') })]);
      const arrived = await waitFor(async () => {
        const moved = (await folderMessageIds(FOLDERS)).INBOX.length === 0;
        return moved ? repliesTo('loop').length : undefined;
      }, { what: `round ${round} to be handled` });
      if (arrived === before) break;
    }
    const replies = repliesTo('loop');
    expect(replies).toHaveLength(3); // the submission's reply + 2 to the autoresponder, then the hourly limit
    const records = await messageRecords(live.archiveDir);
    expect(records.filter((r) => r.reply?.suppressed === 'rate-limited').length).toBeGreaterThanOrEqual(1);
    expect(records.find((r) => r.messageId === `ooo1-${tag}@example.test`)?.reply?.sentAt).toBeUndefined();
    expect(records.some((r) => r.messageId === first.headers['message-id'].replace(/^<|>$/g, '') && r.reply?.sentAt)).toBe(false);
  });

  it('stops replying to an address after one of our replies to it bounced, and keeps filing its mail', async () => {
    live = liveEnv('bounce');
    run = await startInProcess(live.env);
    const officer = `gone-${tag}@example.test`;
    await deliver([await submissionFor(person(3), { from: officer, messageId: `b1-${tag}@example.test` })]);
    const reply = await waitFor(() => repliesTo('gone')[0], { what: 'the first reply' });

    await deliver([message({
      from: 'Mail Delivery System <MAILER-DAEMON@mx.example.test>',
      messageId: `dsn-${tag}@mx.example.test`,
      subject: 'Undelivered Mail Returned to Sender',
      body: {
        headers: ['Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"'],
        body: Buffer.from([
          '--dsn',
          'Content-Type: text/plain',
          '',
          'Your message could not be delivered.',
          '',
          '--dsn',
          'Content-Type: message/delivery-status',
          '',
          'Reporting-MTA: dns; mx.example.test',
          '',
          `Final-Recipient: rfc822; ${officer}`,
          'Action: failed',
          'Status: 5.1.1',
          '',
          '--dsn',
          'Content-Type: text/rfc822-headers',
          '',
          `Message-ID: ${reply.headers['message-id']}`,
          `From: ${reply.headers.from}`,
          `To: ${officer}`,
          'Auto-Submitted: auto-replied',
          '',
          '--dsn--',
          '',
        ].join('\r\n')),
      },
    })]);
    await waitFor(async () => (await folderMessageIds(['Ignored'])).Ignored.includes(`dsn-${tag}@mx.example.test`), { what: 'the bounce to be filed' });

    await deliver([
      await submissionFor(person(7), { from: officer, messageId: `b2-${tag}@example.test` }),
      await submissionFor(person(4), { from: `other-${tag}@example.test`, messageId: `o1-${tag}@example.test` }),
    ]);
    await waitFor(async () => {
      const f = await folderMessageIds(['Processed']);
      return f.Processed.includes(`b2-${tag}@example.test`) && f.Processed.includes(`o1-${tag}@example.test`);
    }, { what: 'both later submissions to be filed and moved' });
    expect(repliesTo('gone')).toHaveLength(1);
    expect(repliesTo('other')).toHaveLength(1);
    const later = (await messageRecords(live.archiveDir)).find((r) => r.messageId === `b2-${tag}@example.test`);
    expect(later?.reply?.suppressed).toBe('bounced-address');
    expect(later?.persons).toEqual([person(7).nationalId]);
  });

  it('with REPLY_REQUIRE_AUTH answers only mail the receiving server authenticated, and files both', async () => {
    live = liveEnv('auth', { REPLY_REQUIRE_AUTH: 'true' });
    run = await startInProcess(live.env);
    await deliver([
      await submissionFor(person(5), { from: `real-${tag}@example.test`, messageId: `real-${tag}@example.test`,
        headers: ['Authentication-Results: mx.example.test; spf=pass smtp.mailfrom=example.test; dkim=pass header.d=example.test'] }),
      await submissionFor(person(6), { from: `forged-${tag}@example.test`, messageId: `forged-${tag}@example.test`,
        headers: ['Authentication-Results: mx.example.test; spf=fail smtp.mailfrom=example.test; dkim=none; dmarc=fail header.from=example.test'] }),
    ]);
    await waitFor(async () => (await folderMessageIds(['Processed'])).Processed.length === 2, { what: 'both to be filed and moved' });
    expect(repliesTo('real')).toHaveLength(1);
    expect(repliesTo('forged')).toHaveLength(0);
    const forged = (await messageRecords(live.archiveDir)).find((r) => r.messageId === `forged-${tag}@example.test`);
    expect(forged?.persons).toEqual([person(6).nationalId]);
    expect(forged?.reply?.suppressed).toBe('unauthenticated');
  });

  it('files nothing twice and answers nothing twice when UIDVALIDITY changes under it', async () => {
    live = liveEnv('uidvalidity');
    // No follow-up worker at first: the messages stay in the inbox, as when moves are failing.
    run = await startInProcess(live.env, { roles: ['watch', 'ingest', 'reply'] });
    const raws = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => submissionFor(person(10 + i), { from: `uv${i}-${tag}@example.test`, messageId: `uv${i}-${tag}@example.test` })),
    );
    await deliver(raws);
    const done = (duplicate: boolean) => run!.logs.filter((l) => l.code === 'ingest.done' && l.duplicate === duplicate).length;
    await waitFor(() => done(false) === 5 && readSink({ to: `-${tag}@` }).length === 5, { what: 'five messages filed and answered' });

    setUidValidity(uidValidityOf() + 1000);
    await waitFor(() => run!.logs.some((l) => l.code === 'watcher.uidvalidity_changed'), { what: 'the watcher to notice', timeoutMs: 15_000 });
    await waitFor(() => done(true) === 5, { what: 'the re-scan to reach every message' });
    expect(done(false)).toBe(5);

    const followups = await startInProcess(live.env, { roles: ['followup'] });
    try {
      await waitFor(async () => (await folderMessageIds(['Processed'])).Processed.length === 5, { what: 'the moves under the new UIDs' });
      expect(followups.logs.filter((l) => l.code === 'followup.stale-uidvalidity')).toHaveLength(5);
    } finally {
      await followups.close();
    }
    expect(readSink({ to: `-${tag}@` })).toHaveLength(5);
    const records = await messageRecords(live.archiveDir);
    expect(records).toHaveLength(5);
    expect(records.every((r) => r.rawKeys.length === 1)).toBe(true);
  });

  it('survives Dovecot stopping and starting again mid-run', async () => {
    live = liveEnv('dovecot');
    run = await startInProcess(live.env);
    const raws = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submissionFor(person(100 + i), { from: `dv${i}-${tag}@example.test`, messageId: `dv${i}-${tag}@example.test` })),
    );
    await deliver(raws);
    await waitFor(() => readSink({ to: `-${tag}@` }).length >= 3, { what: 'the first replies' });
    stopDovecot();
    await new Promise((r) => setTimeout(r, 2000));
    await startDovecot();
    await waitFor(async () => (await folderMessageIds(['Processed'])).Processed.length === 20, { what: 'all twenty moved', timeoutMs: 40_000 });
    const replies = readSink({ to: `-${tag}@` });
    expect(replies).toHaveLength(20);
    expect(new Set(replies.map((r) => r.headers['in-reply-to'])).size).toBe(20);
    expect(run.logs.some((l) => l.code === 'watcher.reconnect')).toBe(true);
  });

  it('answers two copies of one message once and moves both, each after the reply went out', async () => {
    live = liveEnv('copies');
    run = await startInProcess(live.env);
    const id = `twice-${tag}@example.test`;
    const raw = await submissionFor(person(9), { from: `twice-${tag}@example.test`, messageId: id });
    await deliver([raw, raw]); // one mail to two of our addresses: two copies in the mailbox, ingested side by side
    await waitFor(async () => (await folderMessageIds(['Processed'])).Processed.length === 2, { what: 'both copies to be moved' });
    expect(repliesTo('twice')).toHaveLength(1);
    const moves = run.logs.filter((l) => l.code === 'followup.moved');
    const sent = run.logs.find((l) => l.code === 'reply.sent');
    expect(moves).toHaveLength(2);
    // A follow-up is the flow parent of its reply: neither copy left the inbox before the reply was sent.
    expect(moves.every((m) => Number(m.time) >= Number(sent?.time))).toBe(true);
    const [record] = await messageRecords(live.archiveDir);
    expect(record.reply?.sentAt).toBeTruthy();
  });

  it('writes replies to the outbox when no SMTP server is configured, and still moves the original', async () => {
    live = liveEnv('outbox', { SMTP_HOST: '' });
    run = await startInProcess(live.env);
    await deliver([await submissionFor(person(8), { from: `box-${tag}@example.test`, messageId: `box-${tag}@example.test` })]);
    await waitFor(async () => (await folderMessageIds(['Processed'])).Processed.includes(`box-${tag}@example.test`), { what: 'the original to move' });
    const [record] = await messageRecords(live.archiveDir);
    expect(record.reply?.outboxPath).toBe(`_outbox/${record.messageKey}.eml`);
    const { readFile } = await import('node:fs/promises');
    const eml = await readFile(`${live.archiveDir}/${record.reply!.outboxPath}`, 'utf8');
    expect(eml).toContain(`In-Reply-To: <box-${tag}@example.test>`);
    expect(repliesTo('box')).toHaveLength(0);
  });
});
