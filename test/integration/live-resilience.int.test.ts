import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';
import { silentLogger } from '../../adapters/logger.ts';
import { repairArchive } from '../../usecases/repair-archive.ts';
import { ARRIVAL, duplicates, labelledPdf, liveEnv, logCodes, messageRecords, person, spawnRun, startInProcess, submissionFor, verifyLiveArchive,
  type InProcessRun, type LiveEnv, type RunProcess } from '../helpers/live-run.ts';
import { appendMessages, folderMessageIds, PrivateRedis, readSink, waitFor, wipeMailbox } from '../helpers/services.ts';

let live: LiveEnv | undefined;
let tag: string;
const procs: RunProcess[] = [];
let inProcess: InProcessRun | undefined;
let redis: PrivateRedis | undefined;

beforeEach(() => {
  wipeMailbox();
  tag = `r${Date.now().toString(36)}`;
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    for (const p of procs) {
      console.error(`--- run pid ${p.proc.pid}`);
      console.error(p.logs.filter((l) => Number(l.level) >= 40 || l.unparsed).slice(-40).map((l) => JSON.stringify(l)).join('\n'));
    }
  }
  await Promise.all(procs.splice(0).map((p) => p.stop('SIGKILL')));
  await inProcess?.close();
  inProcess = undefined;
  await live?.cleanup(); // needs the private Redis still running
  live = undefined;
  await redis?.cleanup();
  redis = undefined;
});

async function burst(n: number, from = 0) {
  const raws = await Promise.all(Array.from({ length: n }, (_, i) =>
    submissionFor(person(1000 + from + i), {
      from: `m${from + i}-${tag}@example.test`,
      messageId: `m${from + i}-${tag}@example.test`,
    })));
  return appendMessages(raws, { internalDate: ARRIVAL });
}

const replies = () => readSink({ to: `-${tag}@` });

/** Everything handled: out of the inbox, one record each with its reply recorded, one reply each, none twice. */
async function expectAllHandledOnce(n: number, timeoutMs: number) {
  const ours = async () => (await messageRecords(live!.archiveDir)).filter((r) => r.messageId.endsWith(`-${tag}@example.test`));
  await waitFor(async () => {
    const f = await folderMessageIds(['INBOX', 'Processed']);
    if (f.INBOX.length > 0 || f.Processed.length !== n || replies().length < n) return false;
    // A reply sent just before a kill is marked in Redis at once; its record is completed by the retried job.
    return (await ours()).filter((r) => r.reply?.sentAt).length === n;
  }, { what: `${n} messages filed, answered and moved`, timeoutMs, intervalMs: 500 });
  const sent = replies();
  expect(duplicates(sent.map((r) => r.headers['in-reply-to']))).toEqual([]);
  expect(sent).toHaveLength(n);
  expect(await ours()).toHaveLength(n);
}

/**
 * `seis-intake verify` once every process has stopped. A write cut off by SIGKILL leaves its unpublished temp
 * file (never a half-written file under its real name): verify names it and --repair sets it aside. Nothing
 * else may be wrong.
 */
async function expectArchiveWhole(killedPids: number[]) {
  const { findings, report } = await verifyLiveArchive(live!.archiveDir);
  const killed = killedPids.map((pid) => new RegExp(`^damage temp-leftover .*/\\.tmp-${pid}-[0-9a-f]{12}$`));
  expect(findings.filter((f) => !killed.some((k) => k.test(f)))).toEqual([]);
  if (findings.length) await repairArchive(report, { config: loadConfig({ env: live!.env }), log: silentLogger });
  expect((await verifyLiveArchive(live!.archiveDir)).findings).toEqual([]);
}

describe('seis-intake run under failure', () => {
  it('loses nothing and sends no reply twice when killed with SIGKILL mid-burst and started again', async () => {
    live = liveEnv('kill');
    procs.push(spawnRun(live.env));
    const n = 60;
    await burst(n);
    // Killed by what the process has done, not by the clock: a sixth of the burst filed and replies going out, so
    // jobs of every kind are in hand (the kill lands mid-burst however fast the machine is).
    await waitFor(() => logCodes(procs[0], 'ingest.done').length >= n / 6 && logCodes(procs[0], 'reply.sent').length >= 1, { what: 'the burst to be under way',
      timeoutMs: 30_000, intervalMs: 5 });
    await procs[0].stop('SIGKILL');
    const filedBeforeKill = (await messageRecords(live.archiveDir)).length;
    expect(filedBeforeKill).toBeLessThan(n);

    procs.push(spawnRun(live.env));
    await expectAllHandledOnce(n, 60_000);
    await procs[1].stop('SIGTERM');
    await expectArchiveWhole([procs[0].proc.pid!]);
  });

  it('lets two processes share one mailbox: one watcher, work on both, nothing done twice, takeover when the watcher dies', async () => {
    live = liveEnv('pair');
    const a = spawnRun(live.env);
    procs.push(a);
    await waitFor(() => logCodes(a, 'watcher.watching').length > 0, { what: 'the first process to watch' });
    const b = spawnRun(live.env);
    procs.push(b);
    await waitFor(() => logCodes(b, 'run.started').length > 0, { what: 'the second process to start' });

    // One person's documents in six messages at once: none may overwrite another's.
    const one = person(999);
    const items = {
      'id-card': 'สำเนาบัตรประชาชน.pdf',
      'house-registration': 'สำเนาทะเบียนบ้าน.pdf',
      'father-id': 'บัตรประชาชนบิดา.pdf',
      'mother-id': 'บัตรประชาชนมารดา.pdf',
      'spouse-id': 'บัตรประชาชนคู่สมรส.pdf',
      'professional-license': 'ใบอนุญาตประกอบวิชาชีพ.pdf',
    };
    const samePerson = await Promise.all(Object.values(items).map(async (name, i) =>
      submissionFor(one, {
        from: `p${i}-${tag}@example.test`,
        messageId: `p${i}-${tag}@example.test`,
        file: { name, content: await labelledPdf(`${tag} ${name}`) },
      })
    ));
    await appendMessages(samePerson, { internalDate: ARRIVAL });
    await burst(194);
    await expectAllHandledOnce(200, 120_000);

    const watchers = [a, b].filter((p) => logCodes(p, 'lease.acquired').length > 0);
    expect(watchers).toHaveLength(1);
    expect(logCodes(a, 'ingest.done').length).toBeGreaterThan(0);
    expect(logCodes(b, 'ingest.done').length).toBeGreaterThan(0);
    const { manifest } = (await new ArchiveStore(live.archiveDir).readPerson('seis-certification', one.nationalId))!;
    expect(manifest.documents.filter((d) => d.current).map((d) => d.item).sort()).toEqual(Object.keys(items).sort());

    const [holder] = watchers;
    const survivor = holder === a ? b : a;
    await holder.stop('SIGKILL');
    await burst(10, 194);
    await waitFor(() => logCodes(survivor, 'lease.acquired').length > 0, { what: 'the survivor to take the lease', timeoutMs: 15_000 });
    await expectAllHandledOnce(210, 30_000);
    await survivor.stop('SIGTERM');
    await expectArchiveWhole([holder.proc.pid!]);
  }, 180_000); // its waits alone allow 2½ minutes on a loaded machine

  it('survives Redis going away and coming back empty mid-run', async () => {
    redis = new PrivateRedis(16379 + (process.pid % 1000));
    await redis.start();
    live = liveEnv('redis', { REDIS_URL: redis.url });
    inProcess = await startInProcess(live.env);
    await burst(30);
    await waitFor(() => replies().length >= 5, { what: 'the first replies' });
    await redis.stop();
    await new Promise((r) => setTimeout(r, 2000));
    const restartedAt = inProcess.logs.length;
    await redis.start();
    await expectAllHandledOnce(30, 60_000);
    // Redis came back empty: what was still in the inbox was queued again from the mailbox itself.
    const after = inProcess.logs.slice(restartedAt);
    expect(after.some((l) => l.code === 'watcher.scan' && Number(l.toQueue) > 0)).toBe(true);
    await inProcess.close();
    inProcess = undefined;
    await expectArchiveWhole([]);
  });
});
