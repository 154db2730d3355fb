// `seis-intake serve` as a user runs it: a real process, real port, real signals.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPasswordHash, verifyPassword } from '../../../dashboard/auth.ts';

const BIN = path.resolve('bin/seis-intake.js');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dash-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['ADMIN_PASSWORD', 'PORT', 'CONFIG_FILE', 'ARCHIVE_DIR', 'ROSTER_FILE'].includes(k)));
  return { ...clean, LOG_LEVEL: 'error', ...extra };
};

describe('seis-intake serve', () => {
  it('--hash-password prints a scrypt hash of the password read on standard input', async () => {
    const run = spawnSync('node', [BIN, 'serve', '--hash-password'], { input: 'ความลับยาวพอ\n', env: env(), encoding: 'utf8' });
    expect(run.status).toBe(0);
    const hash = run.stdout.trim();
    expect(isPasswordHash(hash)).toBe(true);
    expect(await verifyPassword('ความลับยาวพอ', hash)).toBe(true);
  });

  it('refuses to start when nobody could log in, with a one-line reason', () => {
    const run = spawnSync('node', [BIN, 'serve', '--archive', dir, '--port', '0'], { env: env(), encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/ADMIN_PASSWORD/);
  });

  it('starts with ADMIN_PASSWORD, answers anonymous requests with the login page, and stops on SIGTERM', async () => {
    const child = spawn('node', [BIN, 'serve', '--archive', dir, '--port', '0'], { env: env({ ADMIN_PASSWORD: 'first-start-password' }) });
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let err = '';
        child.stderr.on('data', (chunk: Buffer) => {
          err += chunk.toString();
          const m = /dashboard: (http:\/\/[^/\s]+)\//.exec(err);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
      });
      const res = await fetch(`${address}/c/seis-certification`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/login/);
      expect((await fetch(`${address}/login`)).status).toBe(200);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
    }
  });
});
