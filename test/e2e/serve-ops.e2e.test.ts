// `seis-intake serve` as operators run it: its metrics and health endpoint on METRICS_PORT apart from the
// dashboard, ready with Redis and a writable archive, and a refusal to share the dashboard's port.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteRedisPrefix, servicesEnv, uniquePrefix } from '../helpers/services.ts';

const BIN = path.resolve('bin/seis-intake.js');
let dir: string;
let prefix: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'serve-ops-'));
  prefix = uniquePrefix('serve-ops');
});
afterEach(async () => {
  await deleteRedisPrefix(servicesEnv().REDIS_URL, prefix);
  await rm(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string>) => {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['PORT', 'CONFIG_FILE', 'ARCHIVE_DIR', 'METRICS_PORT', 'METRICS_HOST'].includes(k)),
  );
  return { ...clean, REDIS_URL: servicesEnv().REDIS_URL, REDIS_PREFIX: prefix, ADMIN_PASSWORD: 'serve-ops-password', LOG_LEVEL: 'info', ...extra };
};

describe('seis-intake serve for operators', () => {
  it('serves /metrics, /healthz and /readyz on METRICS_PORT, and none of them on the dashboard port', async () => {
    const child = spawn('node', [BIN, 'serve', '--archive', dir, '--port', '0'], { env: env({ METRICS_PORT: '0' }) });
    try {
      const { metrics, dashboard } = await new Promise<{ metrics: string; dashboard: string }>((resolve, reject) => {
        let out = '';
        const onData = (chunk: Buffer) => {
          out += chunk.toString();
          const m = /"code":"ops\.listening","url":"([^"]+)"/.exec(out);
          const d = /"url":"(http:\/\/[^"]+)\/","archive"/.exec(out);
          if (m && d) resolve({ metrics: m[1], dashboard: d[1] });
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
        // Fail (and reach the finally that stops it) before the test's own timeout would orphan the process.
        setTimeout(() => reject(new Error(`serve did not print its addresses: ${out}`)), 20_000).unref();
      });
      expect(metrics).not.toBe(dashboard);
      const ready = await fetch(`${metrics}/readyz`);
      expect(ready.status).toBe(200);
      const body = await ready.json() as { command: string; checks: Record<string, { ok: boolean }> };
      expect(body.command).toBe('serve');
      expect(Object.keys(body.checks).sort()).toEqual(['archive', 'disk', 'redis']);
      const text = await (await fetch(`${metrics}/metrics`)).text();
      expect(text).toContain('seis_queue_jobs{queue="staff-mail",state="failed"} 0');
      expect(text).toContain('seis_redis_up 1');
      expect(text).not.toContain('seis_imap_watcher_connected'); // serve never watches the mailbox
      expect((await fetch(`${dashboard}/metrics`)).status).toBe(401);
      expect((await fetch(`${dashboard}/readyz`)).status).toBe(401);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
    }
  });

  it('refuses to put the metrics on the dashboard\'s port', () => {
    const run = spawnSync('node', [BIN, 'serve', '--archive', dir, '--port', '18123'], { env: env({ METRICS_PORT: '18123', LOG_LEVEL: 'error' }),
      encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/METRICS_PORT must differ/);
  });
});
