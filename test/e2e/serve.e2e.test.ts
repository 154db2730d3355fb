// `seis-intake serve` as a user runs it: a real process, real port, real signals.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticate, isPasswordHash, verifyPassword } from '../../dashboard/auth.ts';
import { AccountStore } from '../../dashboard/accounts.ts';

const BIN = path.resolve('bin/seis-intake.js');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dash-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['ADMIN_PASSWORD', 'PORT', 'CONFIG_FILE', 'ARCHIVE_DIR', 'ROSTER_FILE'].includes(k)),
  );
  return { ...clean, LOG_LEVEL: 'error', REDIS_PREFIX: `test-cli-${process.pid}`, ...extra };
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

// Each test runs the CLI up to ten times, each a fresh Node process loading TypeScript: tens of seconds on a loaded
// 2-core CI machine, so the block gets more than the default 30 s (a harness limit, not a speed assertion).
describe('seis-intake users', { timeout: 120_000 }, () => {
  const users = (args: string[], input = '') => spawnSync('node', [BIN, 'users', ...args, '--archive', dir], { input, env: env(), encoding: 'utf8' });

  it('adds, lists, changes and disables accounts that the dashboard reads', async () => {
    expect(users(['add', 'cm', '--role', 'unit', '--unit', '50', '--display-name', 'สมหญิง ทดสอบ'], 'chiang-mai-password\n').status).toBe(0);
    expect(users(['add', 'boss', '--role', 'admin'], 'boss-password-123\n').status).toBe(0);
    const list = users(['list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('cm\tunit\t50\tactive\tfile\tสมหญิง ทดสอบ');
    expect(list.stdout).toContain('boss\tadmin\t*\tactive');
    const store = new AccountStore(dir, []);
    await store.load();
    expect(await authenticate(store.get('cm'), 'chiang-mai-password')).toBeDefined();
    expect(users(['set', 'cm', '--unit', '50', '--unit', 'สำนักงานพัฒนาชุมชนจังหวัดลำพูน', '--display-name', 'สมหญิง ย้ายหน่วย']).status).toBe(0);
    expect(users(['list']).stdout).toContain('cm\tunit\t50,สำนักงานพัฒนาชุมชนจังหวัดลำพูน\tactive\tfile\tสมหญิง ย้ายหน่วย');
    expect(users(['passwd', 'cm'], 'another-long-password\n').status).toBe(0);
    expect(users(['disable', 'cm']).status).toBe(0);
    expect(users(['list']).stdout).toContain('cm\tunit\t50,สำนักงานพัฒนาชุมชนจังหวัดลำพูน\tdisabled');
    expect(users(['enable', 'cm']).status).toBe(0);
    await store.load();
    expect(await authenticate(store.get('cm'), 'another-long-password')).toBeDefined();
  });

  it('refuses short passwords, unknown roles, unit users without units and duplicates, with a one-line reason', () => {
    for (const [args, input, why] of [
      [['add', 'a', '--role', 'central'], 'short\n', /at least 12/],
      [['add', 'a', '--role', 'boss'], 'long-enough-password\n', /--role/],
      [['add', 'a', '--role', 'unit'], 'long-enough-password\n', /units/],
      [['passwd', 'nobody'], 'long-enough-password\n', /no account/],
    ] as const) {
      const run = users([...args], input);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(why);
    }
    expect(users(['add', 'a', '--role', 'central'], 'long-enough-password\n').status).toBe(0);
    expect(users(['add', 'a', '--role', 'central'], 'long-enough-password\n').stderr).toMatch(/exists/);
  });

  it('refuses an ADMIN_PASSWORD shorter than twelve characters', () => {
    const run = spawnSync('node', [BIN, 'serve', '--archive', dir, '--port', '0'], { env: env({ ADMIN_PASSWORD: 'short-pw' }), encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/ADMIN_PASSWORD.*at least 12/);
  });
});
