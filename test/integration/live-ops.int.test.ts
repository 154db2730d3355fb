// `seis-intake run` as operators watch it: /metrics, /healthz and /readyz on METRICS_PORT while real mail
// flows through Dovecot, Redis and the SMTP sink; readiness that follows Redis going away and coming back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARRIVAL, liveEnv, logCodes, messageRecords, person, spawnRun, startInProcess, submissionFor, verifyLiveArchive, type InProcessRun, type LiveEnv,
  type RunProcess } from '../helpers/live-run.ts';
import { appendMessages, folderMessageIds, PrivateRedis, waitFor, wipeMailbox } from '../helpers/services.ts';

let live: LiveEnv | undefined;
let proc: RunProcess | undefined;
let inProcess: InProcessRun | undefined;
let redis: PrivateRedis | undefined;
let tag: string;

beforeEach(() => {
  wipeMailbox();
  tag = `o${Date.now().toString(36)}`;
});
afterEach(async () => {
  try {
    await proc?.stop('SIGKILL');
    proc = undefined;
    // Bounded, so that the private redis-server below is stopped even if a shutdown hangs.
    const closed = await Promise.race([inProcess?.close().then(() => true), new Promise((r) => setTimeout(() => r(false), 30_000))]);
    if (closed === false) console.error('the in-process run did not close within 30 s');
    inProcess = undefined;
    await live?.cleanup();
    live = undefined;
  } finally {
    await redis?.cleanup();
    redis = undefined;
  }
});

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The exposition parsed: metric name → its samples. */
function parse(text: string): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    out.set(m[1], [...(out.get(m[1]) ?? []), { labels, value: Number(m[3]) }]);
  }
  return out;
}

function sum(metrics: Map<string, Sample[]>, name: string, labels: Record<string, string> = {}): number {
  return (metrics.get(name) ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);
}

describe('seis-intake run for operators', () => {
  it('counts mail, replies and jobs on /metrics and is ready while it watches', async () => {
    live = liveEnv('ops', { METRICS_PORT: '0' });
    proc = spawnRun(live.env);
    const url = String((await waitFor(() => logCodes(proc!, 'ops.listening')[0], { what: 'the metrics endpoint' })).url);
    await waitFor(() => logCodes(proc!, 'watcher.watching').length > 0, { what: 'the watcher' });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok', command: 'run' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { imap: { ok: true, detail: { state: 'connected' } }, redis: { ok: true }, archive: { ok: true }, disk: { ok: true } },
    });

    const n = 3;
    await appendMessages(await Promise.all(Array.from({ length: n }, (_, i) =>
      submissionFor(person(4000 + i), {
        from: `ops${i}-${tag}@example.test`,
        messageId: `ops${i}-${tag}@example.test`,
      }))), { internalDate: ARRIVAL });
    await waitFor(async () => {
      const sent = (await messageRecords(live!.archiveDir)).filter((r) => r.reply?.sentAt).length;
      return sent === n && (await folderMessageIds(['INBOX'])).INBOX.length === 0;
    }, { what: 'the messages answered and moved', timeoutMs: 60_000, intervalMs: 300 });

    const m = parse(await (await fetch(`${url}/metrics`)).text());
    expect(sum(m, 'seis_messages_received_total')).toBe(n);
    // One ID card each: filed, and incomplete.
    expect(sum(m, 'seis_messages_processed_total', { campaign: 'seis-certification', outcome: 'incomplete' })).toBe(n);
    expect(sum(m, 'seis_replies_total', { queue: 'reply', outcome: 'sent', detail: 'smtp' })).toBe(n);
    expect(sum(m, 'seis_replies_total', { outcome: 'failed' })).toBe(0);
    expect(sum(m, 'seis_append_to_reply_seconds_count')).toBe(n);
    for (const queue of ['ingest', 'reply', 'followup']) {
      expect(sum(m, 'seis_job_duration_seconds_count', { queue, result: 'completed' }), queue).toBeGreaterThanOrEqual(n);
    }
    expect(sum(m, 'seis_imap_watcher_connected')).toBe(1);
    expect(sum(m, 'seis_imap_watcher_last_connected_timestamp_seconds')).toBeGreaterThan(0);
    expect(sum(m, 'seis_queue_jobs', { state: 'failed' })).toBe(0);
    expect(sum(m, 'seis_queue_jobs', { queue: 'staff-mail', state: 'waiting' })).toBe(0);
    expect(sum(m, 'seis_redis_up')).toBe(1);
    expect(sum(m, 'seis_archive_write_errors_total')).toBe(0);

    await proc.stop('SIGTERM');
    expect((await verifyLiveArchive(live.archiveDir)).findings).toEqual([]);
  });

  it('is not ready while Redis is away, and ready again when it is back', async () => {
    redis = new PrivateRedis(17379 + (process.pid % 1000));
    await redis.start();
    live = liveEnv('ops-redis', { REDIS_URL: redis.url });
    inProcess = await startInProcess(live.env);
    await waitFor(async () => (await inProcess!.handle.ready()).ok, { what: 'ready' });
    await redis.stop();
    const down = await waitFor(async () => {
      const r = await inProcess!.handle.ready();
      return r.ok ? undefined : r;
    }, { what: 'not ready' });
    expect(down.checks.redis.ok).toBe(false);
    expect(down.checks.archive.ok).toBe(true);
    await redis.start();
    await waitFor(async () => (await inProcess!.handle.ready()).ok, { what: 'ready again', timeoutMs: 30_000 });
    // Ready means working: a message that arrives now is filed and answered.
    await appendMessages([await submissionFor(person(4100), { from: `back-${tag}@example.test`, messageId: `back-${tag}@example.test` })], {
      internalDate: ARRIVAL,
    });
    await waitFor(async () => (await messageRecords(live!.archiveDir)).some((r) => r.reply?.sentAt), { what: 'a reply after Redis came back',
      timeoutMs: 60_000 });
  }, 120_000);
});
