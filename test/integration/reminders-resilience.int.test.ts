// Reminders go out at most once when things go wrong: `seis-intake run` killed with SIGKILL in the middle of a
// round of sends and started again, two `run` processes checking and sending together, a process that died between
// the SMTP server's "250" and the archive record, and a Redis that restarts empty (scheduler, markers and jobs lost).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGNS } from '../../config/default-campaigns.ts';
import { loadConfig } from '../../config/load.ts';
import { recipientKey, reminderId } from '../../pipelines/reminders/index.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';
import { silentLogger } from '../../adapters/logger.ts';
import { SuppressionList } from '../../adapters/suppression.ts';
import { stateKey } from '../../adapters/queues.ts';
import { reserveReplySlot } from '../../adapters/reply-limits.ts';
import { reminderMarkerKey } from '../../usecases/reminder-delivery.ts';
import { listReminderRecords, setPaused, writeReminderRecord } from '../../usecases/reminder-state.ts';
import { sendReminder } from '../../usecases/reminders.ts';
import { duplicates, liveEnv, logCodes, spawnRun, type LiveEnv, type RunProcess } from '../helpers/live-run.ts';
import { bkk, CM, rosterPerson, sinkMails, startClockedRun, writeReferenceFiles, type ClockedRun } from '../helpers/reminders.ts';
import { PrivateRedis, readSink, waitFor } from '../helpers/services.ts';

let live: LiveEnv | undefined;
let dir: string | undefined;
let run: ClockedRun | undefined;
let redis: PrivateRedis | undefined;
const procs: RunProcess[] = [];

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    for (const p of procs) console.error(p.logs.filter((l) => Number(l.level) >= 40 || l.unparsed).slice(-30).map((l) => JSON.stringify(l)).join('\n'));
  }
  await Promise.all(procs.splice(0).map((p) => p.stop('SIGKILL')));
  await run?.close();
  await live?.cleanup();
  await redis?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
  run =
    live =
    dir =
    redis =
      undefined;
});

/** A Bangkok date "YYYY-MM-DD" `days` from today. */
const bangkokDate = (days: number) => new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

/**
 * `n` roster persons who sent nothing, and a config whose only reminder step is due all day today in real time:
 * for tests that run `seis-intake run` as a real process (its own clock).
 */
function dueToday(name: string, n: number, tag: string, extra: Record<string, string> = {}) {
  dir = mkdtempSync(join(tmpdir(), 'seis-remind-'));
  const persons = Array.from({ length: n }, (_, i) => rosterPerson(100 + i, CM, `p${i}.${tag}@example.test`));
  const files = writeReferenceFiles(dir, persons, []);
  const campaigns = DEFAULT_CAMPAIGNS.map((c) => (c.scope === 'unit' ?
    { ...c, reminders: { enabled: false } }
    : { ...c, deadline: bangkokDate(1), reminders: { steps: [{ id: 'now', daysBefore: 1, at: '00:00' }] } })
  );
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ campaigns, calendar: { weekend: [], hours: { start: '00:00', end: '24:00' } } }));
  live = liveEnv(name, { ROSTER_FILE: files.roster, CONFIG_FILE: config, REMINDER_CHECK_PATTERN: '* * * * * *', ...extra });
  return { persons, env: live.env };
}

const reminders = (tag: string) => readSink({ to: `.${tag}@` }).filter((m) => m.headers['x-seis-intake-reminder']);

async function expectEachOnce(tag: string, n: number) {
  await waitFor(async () =>
    reminders(tag).length >= n && (await listReminderRecords(new ArchiveStore(live!.archiveDir), 'seis-certification'))
        .filter((r) => r.state === 'sent').length === n, { what: `${n} reminders sent and recorded`, timeoutMs: 60_000, intervalMs: 300 });
  const sent = reminders(tag);
  expect(duplicates(sent.flatMap((m) => m.rcptTo))).toEqual([]);
  expect(sent).toHaveLength(n);
}

describe('reminders under failure', () => {
  it('sends each reminder once when run is killed mid-round and started again', async () => {
    const tag = `k${Date.now().toString(36)}`;
    const { env } = dueToday('remind-kill', 40, tag);
    procs.push(spawnRun(env, ['--roles', 'remind']));
    await waitFor(() => reminders(tag).length >= 5, { what: 'the first reminders', intervalMs: 20, timeoutMs: 30_000 });
    await procs[0].stop('SIGKILL');
    const before = reminders(tag).length;
    expect(before).toBeLessThan(40);
    procs.push(spawnRun(env, ['--roles', 'remind']));
    await expectEachOnce(tag, 40);
  }, 90_000);

  it('sends each reminder once with two run processes checking and sending at the same time', async () => {
    const tag = `t${Date.now().toString(36)}`;
    const { env } = dueToday('remind-two', 40, tag);
    // Paused until both processes are up and checking, so that both compete for the round.
    const store = new ArchiveStore(live!.archiveDir);
    await setPaused(store, 'seis-certification', { by: 'test', at: new Date().toISOString() });
    procs.push(spawnRun(env, ['--roles', 'remind']), spawnRun(env, ['--roles', 'remind']));
    await waitFor(() => procs.every((p) => logCodes(p, 'remind.check').length > 0), { what: 'checks in both processes', timeoutMs: 30_000 });
    await setPaused(store, 'seis-certification', undefined);
    await expectEachOnce(tag, 40);
    expect(procs.reduce((n, p) => n + logCodes(p, 'remind.sent').length, 0)).toBe(40);
  }, 60_000);

  it('does not send again when the process died after the server accepted the reminder but before the record', async () => {
    const tag = `m${Date.now().toString(36)}`;
    const { persons, env } = dueToday('remind-marker', 1, tag);
    const config = loadConfig({ env });
    const store = new ArchiveStore(config.archiveDir);
    const key = recipientKey('person', persons[0].nationalId);
    const id = reminderId('seis-certification', 'now', key);
    // What a death right after "250" leaves: the pending record, and the marker the SMTP thread wrote.
    await writeReminderRecord(store, {
      id,
      campaign: 'seis-certification',
      step: 'now',
      kind: 'person',
      recipientKey: key,
      nationalId: persons[0].nationalId,
      name: 'x',
      to: [persons[0].email!],
      messageId: `<${id}@example.test>`,
      state: 'pending',
      createdAt: new Date().toISOString(),
      by: 'schedule',
    });
    const client = new Redis(config.redis.url);
    await client.set(reminderMarkerKey(config, id), '2023-09-20T02:00:00.000Z');
    const { loadRosterFile } = await import('../../adapters/reference-files.ts');
    const roster = await loadRosterFile(config.rosterFile!, silentLogger);
    try {
      const outcome = await sendReminder({
        config,
        store,
        redis: client,
        suppression: new SuppressionList(config.archiveDir),
        log: silentLogger,
        now: () => new Date(),
        roster: async () => roster,
        units: async () => undefined,
      }, id, { by: 'schedule' });
      expect(outcome.state).toBe('already-sent');
    } finally {
      client.disconnect();
    }
    expect(reminders(tag)).toEqual([]);
    expect((await listReminderRecords(store, 'seis-certification'))[0]).toMatchObject({ state: 'sent', sentAt: '2023-09-20T02:00:00.000Z' });
  });

  it('defers a reminder while its address has used the hourly allowance, leaving room for replies', async () => {
    const tag = `h${Date.now().toString(36)}`;
    const { persons, env } = dueToday('remind-rate', 1, tag, { REPLY_MAX_PER_SENDER_PER_HOUR: '4' });
    const config = loadConfig({ env });
    const store = new ArchiveStore(config.archiveDir);
    const id = reminderId('seis-certification', 'now', recipientKey('person', persons[0].nationalId));
    const client = new Redis(config.redis.url);
    const { loadRosterFile } = await import('../../adapters/reference-files.ts');
    const roster = await loadRosterFile(config.rosterFile!, silentLogger);
    const deps = {
      config,
      store,
      redis: client,
      suppression: new SuppressionList(config.archiveDir),
      log: silentLogger,
      now: () => new Date(),
      roster: async () => roster,
      units: async () => undefined,
    };
    try {
      // Two replies this hour: with 4 an hour and 2 kept for replies, the reminder has no room.
      for (const key of ['reply-a', 'reply-b']) await reserveReplySlot(client, stateKey(config, 'rate', persons[0].email!), key, 4, Date.now());
      expect(await sendReminder(deps, id, { by: 'schedule' })).toMatchObject({ state: 'rate-limited' });
      expect(await listReminderRecords(store, 'seis-certification')).toEqual([]);
      expect(reminders(tag)).toEqual([]);
      // A reply still fits: the hourly window kept two slots for answers.
      expect(await reserveReplySlot(client, stateKey(config, 'rate', persons[0].email!), 'reply-c', 4, Date.now())).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  it('keeps every reminder once across a Redis that restarts empty, and sets its scheduler again', async () => {
    const tag = `r${Date.now().toString(36)}`;
    redis = new PrivateRedis(26379 + (process.pid % 1000));
    await redis.start();
    dir = mkdtempSync(join(tmpdir(), 'seis-remind-'));
    const persons = [rosterPerson(201, CM, `a.${tag}@example.test`), rosterPerson(202, CM, `b.${tag}@example.test`)];
    const files = writeReferenceFiles(dir, persons, []);
    const campaigns = DEFAULT_CAMPAIGNS.map((c) => (c.scope === 'unit' ? { ...c, reminders: { enabled: false } } : c));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ campaigns }));
    live = liveEnv('remind-redis', { REDIS_URL: redis.url, ROSTER_FILE: files.roster, CONFIG_FILE: join(dir, 'config.json'),
      REMINDER_CHECK_PATTERN: '* * * * * *' });
    run = await startClockedRun(live.env, bkk('2023-09-15T09:00'), ['remind']);
    await run.checkAt(bkk('2023-09-15T09:05'));
    await waitFor(() => reminders(tag).length === 2, { what: 'the d-7 reminders' });

    await redis.stop(); // everything Redis held is gone: the scheduler, the markers, the finished jobs
    await redis.start();
    // The scheduler is set again once the connection is back; its checks find the d-7 reminders recorded in the archive.
    expect(await run.checkAt(bkk('2023-09-15T10:00'), { timeoutMs: 30_000 })).toEqual({ due: 0 });
    await run.checkAt(bkk('2023-09-19T09:00'));
    const mails = await sinkMails((m) => m.rcptTo.some((r) => r.includes(tag)));
    expect(mails.map((m) => `${m.step} ${m.rcptTo.join()}`).sort()).toEqual([
      `d-3 a.${tag}@example.test`,
      `d-3 b.${tag}@example.test`,
      `d-7 a.${tag}@example.test`,
      `d-7 b.${tag}@example.test`,
    ]);
    const queue = new Queue('remind', { connection: { url: redis.url }, prefix: live.prefix });
    try {
      expect(await queue.getJobScheduler('reminders-check')).toMatchObject({ pattern: '* * * * * *', tz: 'Asia/Bangkok' });
    } finally {
      await queue.close();
    }
  });
});
