// The operations pieces that need no service: the metrics endpoint and its health answers, the probes and
// their time budget, the watcher's readiness rule, the OCR and archive-error counters, the job outcome labels.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { writeAtomic } from '../../../adapters/atomic-fs.ts';
import { archiveWritableProbe, freeDiskProbe, readiness, type ProbeResult } from '../../../adapters/health-probes.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { metrics, recordOcr } from '../../../adapters/metrics.ts';
import { startOpsServer, type OpsServer } from '../../../adapters/ops-server.ts';
import { ingestOutcome } from '../../../workers/job-metrics.ts';
import { CONNECT_GRACE_MS, watcherReadiness, WatcherStatus } from '../../../workers/watcher-status.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ops-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => metrics.registry.resetMetrics());

/** One sample of the exposition, e.g. value('seis_ocr_pages_total', { outcome: 'text' }). */
async function value(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const sample = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l));
  return sample?.value;
}

describe('metrics endpoint', () => {
  let server: OpsServer;
  let ready: { ok: boolean; checks: Record<string, ProbeResult> };
  beforeAll(async () => {
    server = await startOpsServer({ host: '127.0.0.1', port: 0, log: silentLogger, command: 'test', ready: async () => ready });
  });
  afterAll(() => server.close());
  afterEach(() => {
    ready = { ok: true, checks: {} };
  });

  it('answers /healthz while the process lives and /readyz from the probes (503 when one fails)', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok', command: 'test' });
    ready = { ok: true, checks: { redis: { ok: true, detail: { ms: 1 } } } };
    let res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready', checks: { redis: { ok: true } } });
    ready = { ok: false, checks: { disk: { ok: false, detail: { freeMb: 10, minFreeMb: 512 } } } };
    res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'not-ready', checks: { disk: { ok: false, detail: { freeMb: 10 } } } });
  });

  it('serves the Prometheus text with the OCR counters the content queue records', async () => {
    recordOcr('text', 3, 4.5);
    recordOcr('failed', 1, 0.25);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('seis_ocr_pages_total{outcome="text"} 3');
    expect(text).toContain('seis_ocr_seconds_total{outcome="text"} 4.5');
    expect(text).toContain('seis_ocr_pages_total{outcome="failed"} 1');
  });

  it('serves nothing else, and only reads', async () => {
    expect((await fetch(`${server.url}/`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('readiness probes', () => {
  it('counts a failed archive write by its errno code, and reports the probe as failed', async () => {
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    await expect(writeAtomic(path.join(file, 'sub', 'child.json'), '{}')).rejects.toThrow();
    expect(await value('seis_archive_write_errors_total', { code: 'ENOTDIR' })).toBe(1);
    const report = await readiness({ archive: archiveWritableProbe(file), good: archiveWritableProbe(dir) });
    expect(report.ok).toBe(false);
    expect(report.checks.archive).toEqual({ ok: false, detail: { error: 'ENOTDIR' } });
    expect(report.checks.good.ok).toBe(true);
  });

  it('fails the disk probe below the threshold, measured on the nearest existing folder', async () => {
    const missing = path.join(dir, 'archive-not-made-yet');
    expect((await freeDiskProbe(missing, 1)()).ok).toBe(true);
    const tooMuch = await freeDiskProbe(dir, Number.MAX_SAFE_INTEGER)();
    expect(tooMuch.ok).toBe(false);
    expect(tooMuch.detail.freeMb).toBeGreaterThan(0);
  });

  it('gives a hung probe its time budget and no more', async () => {
    const report = await readiness({ hung: () => new Promise(() => undefined) }, 50);
    expect(report).toEqual({ ok: false, checks: { hung: { ok: false, detail: { error: 'timeout', afterMs: 50 } } } });
  });
});

describe('watcher readiness', () => {
  const t0 = 1_000_000;
  it('is ready while connected, while another process watches, and while reconnecting on schedule', () => {
    expect(watcherReadiness({ state: 'connected', since: t0, failures: 0 }, t0 + 3600_000).ok).toBe(true);
    expect(watcherReadiness({ state: 'idle', since: t0, failures: 0 }, t0 + 3600_000).ok).toBe(true);
    expect(watcherReadiness({ state: 'backoff', since: t0, retryAt: t0 + 30_000, failures: 7 }, t0 + 29_000).ok).toBe(true);
    expect(watcherReadiness({ state: 'connecting', since: t0, failures: 1 }, t0 + CONNECT_GRACE_MS).ok).toBe(true);
  });

  it('is not ready while the provider refuses the credentials: a restart would not mend it', () => {
    let now = t0;
    const status = new WatcherStatus(() => now);
    status.connecting();
    status.paused(60_000);
    now += 1000;
    expect(watcherReadiness(status.current, now)).toMatchObject({ ok: false, detail: { state: 'paused', reason: 'credentials refused' } });
  });

  it('is not ready when a connection attempt hangs or a backoff is long overdue', () => {
    expect(watcherReadiness({ state: 'connecting', since: t0, failures: 1 }, t0 + CONNECT_GRACE_MS + 1).ok).toBe(false);
    const stuck = watcherReadiness({ state: 'backoff', since: t0, retryAt: t0 + 1000, failures: 2 }, t0 + 60_000);
    expect(stuck).toMatchObject({ ok: false, detail: { state: 'backoff', failures: 2, retryInSeconds: 0 } });
  });

  it('drives the watcher gauges and counts a new attempt after a failure as a reconnect', async () => {
    let now = t0;
    const status = new WatcherStatus(() => now);
    status.connecting();
    expect(await value('seis_imap_reconnects_total', { purpose: 'watch' })).toBeUndefined();
    status.connected();
    expect(await value('seis_imap_watcher_connected')).toBe(1);
    expect(await value('seis_imap_watcher_last_connected_timestamp_seconds')).toBe(Math.floor(t0 / 1000));
    now += 5000;
    status.backoff(2000, 1);
    expect(await value('seis_imap_watcher_connected')).toBe(0);
    expect(status.current).toMatchObject({ state: 'backoff', retryAt: t0 + 7000, failures: 1 });
    status.connecting();
    expect(await value('seis_imap_reconnects_total', { purpose: 'watch' })).toBe(1);
  });
});

describe('labels', () => {
  it('folds ingest results into a small set of outcomes', () => {
    expect(ingestOutcome({ outcome: 'accepted' })).toBe('accepted');
    expect(ingestOutcome({ outcome: 'incomplete', duplicate: true })).toBe('duplicate');
    expect(ingestOutcome({ outcome: 'ignored' })).toBe('ignored');
    expect(ingestOutcome({ outcome: 'deferred' })).toBe('deferred');
    expect(ingestOutcome({ outcome: 'something-new' })).toBe('rejected');
  });

  it('reads METRICS_PORT, METRICS_HOST and READY_MIN_FREE_MB from the environment', () => {
    const config = loadConfig({ env: { METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', READY_MIN_FREE_MB: '2048' } });
    expect(config.metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(config.ready.minFreeMb).toBe(2048);
    expect(loadConfig({ env: {} }).metrics).toEqual({ host: '127.0.0.1' });
  });
});
