import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticate, hashPassword, isPasswordHash, verifyPassword } from '../../../dashboard/auth.ts';
import { AccountStore, ADMIN_FILE, passwordStamp, USERS_FILE } from '../../../dashboard/accounts.ts';
import { LoginThrottle } from '../../../dashboard/throttle.ts';
import { loadConfig } from '../../../config/load.ts';
import { configSchema } from '../../../config/schema.ts';
import { AuditLog, auditFileName } from '../../../dashboard/audit.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dash-auth-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('password hashes', () => {
  it('verifies the password a scrypt hash was made from and nothing else', async () => {
    const hash = await hashPassword('รหัสผ่านยาวพอ-2566');
    expect(isPasswordHash(hash)).toBe(true);
    expect(hash).not.toContain('รหัสผ่าน');
    expect(await verifyPassword('รหัสผ่านยาวพอ-2566', hash)).toBe(true);
    expect(await verifyPassword('รหัสผ่านยาวพอ-2567', hash)).toBe(false);
    expect(await verifyPassword('รหัสผ่านยาวพอ-2566', 'plain-text')).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same-password')).not.toBe(await hashPassword('same-password'));
  });
});

describe('accounts', () => {
  const store = (users: Array<Record<string, unknown>> = []) => new AccountStore(root, users as never);

  it('creates the admin from ADMIN_PASSWORD on first start and keeps it for starts without it', async () => {
    const first = store();
    expect((await first.load('first-start-password')).adminCreated).toBe(true);
    expect(first.list().map((a) => [a.name, a.role])).toEqual([['admin', 'admin']]);
    const stored = JSON.parse(await readFile(path.join(root, ADMIN_FILE), 'utf8'));
    expect(stored.passwordHash).not.toContain('first-start-password');
    expect((await stat(path.join(root, ADMIN_FILE))).mode & 0o077).toBe(0);

    const later = store();
    expect((await later.load()).adminCreated).toBe(false);
    expect(await authenticate(later.get('admin'), 'first-start-password')).toBeDefined();
  });

  it('replaces the stored admin password when ADMIN_PASSWORD changes', async () => {
    await store().load('old-password-12');
    const s = store();
    expect((await s.load('new-password-12')).adminCreated).toBe(true);
    expect(await authenticate(s.get('admin'), 'old-password-12')).toBeUndefined();
    expect(await authenticate(s.get('admin'), 'new-password-12')).toBeDefined();
  });

  it('refuses an ADMIN_PASSWORD shorter than the minimum, in the config schema and at load', async () => {
    await expect(store().load('short-pw')).rejects.toThrow(/at least 12/);
    expect(() => loadConfig({ env: { ADMIN_PASSWORD: 'elevenchars' } })).toThrow(/ADMIN_PASSWORD.*at least 12/);
    expect(loadConfig({ env: { ADMIN_PASSWORD: 'twelve-chars' } }).dashboard.adminPassword).toBe('twelve-chars');
  });

  it('accepts config users with scrypt hashes, defaults their role to central, and refuses plain-text ones', async () => {
    const hash = await hashPassword('staff-password');
    const s = store([{ name: 'somying', passwordHash: hash }]);
    await s.load();
    expect(s.get('somying')).toMatchObject({ role: 'central', units: [], source: 'config' });
    expect(await authenticate(s.get('somying'), 'staff-password')).toMatchObject({ name: 'somying' });
    expect(await authenticate(s.get('somying'), 'wrong')).toBeUndefined();
    expect(await authenticate(s.get('nobody'), 'staff-password')).toBeUndefined();
    await expect(store([{ name: 'x', passwordHash: 'secret' }]).load()).rejects.toThrow(/scrypt/);
  });

  it('refuses unknown keys in a user (a mistyped unit: must not start with the whole department)', async () => {
    const hash = await hashPassword('staff-password');
    await expect(store([{ name: 'cm', passwordHash: hash, unit: 'เชียงใหม่' }]).load()).rejects.toThrow(/unit/);
    expect(() => configSchema.parse({ dashboard: { users: [{ name: 'cm', passwordHash: hash, unit: 'x' }] } })).toThrow(/Unrecognized key/i);
    expect(() => configSchema.parse({ dashboard: { users: [{ name: 'cm', passwordHash: hash, role: 'unit' }] } })).toThrow(/units/);
    await mkdir(path.join(root, '_state', 'dashboard'), { recursive: true });
    await writeFile(path.join(root, USERS_FILE),
      JSON.stringify({ schema: 1, users: [{ name: 'cm', passwordHash: hash, role: 'unit', units: ['50'], extra: 1 }] }));
    await expect(store().load()).rejects.toThrow(/extra/);
  });

  it('adds, changes and disables file accounts, and a running store sees changes another process made', async () => {
    const cli = store();
    await cli.load();
    await expect(cli.add({ name: 'cm', password: 'short', role: 'unit', units: ['50'] })).rejects.toThrow(/at least 12/);
    await cli.add({ name: 'cm', password: 'chiang-mai-2566', role: 'unit', units: ['50'], displayName: 'สมหญิง ทดสอบ' });
    let now = 0;
    const running = new AccountStore(root, [], { clock: () => now });
    await running.load();
    const before = passwordStamp(running.get('cm')!);
    await cli.setPassword('cm', 'chiang-mai-2567');
    await cli.setDisabled('cm', true);
    now += 1000;
    await running.refresh();
    expect(running.get('cm')).toMatchObject({ disabled: true, units: ['50'], displayName: 'สมหญิง ทดสอบ' });
    expect(passwordStamp(running.get('cm')!)).not.toBe(before);
    expect(await authenticate(running.get('cm'), 'chiang-mai-2567')).toBeUndefined(); // disabled
    expect((await stat(path.join(root, USERS_FILE))).mode & 0o077).toBe(0);
  });

  it('never changes a config account from the dashboard or the CLI', async () => {
    const s = store([{ name: 'somying', passwordHash: await hashPassword('staff-password') }]);
    await s.load();
    await expect(s.setDisabled('somying', true)).rejects.toThrow(/config/);
  });
});

describe('login throttle', () => {
  it('lets a few failures through, then makes the account wait longer after each further one', () => {
    let now = 0;
    const t = new LoginThrottle({ clock: () => now, freeFailures: 3, baseDelayMs: 1000 });
    for (let i = 0; i < 3; i++) t.fail('admin');
    expect(t.check('admin').allowed).toBe(true);
    t.fail('admin');
    expect(t.check('admin')).toMatchObject({ allowed: false, reason: 'account', retryAfterMs: 1000, first: true });
    expect(t.check('ADMIN ')).toMatchObject({ allowed: false, first: false, refused: 2 });
    expect(t.check('other').allowed).toBe(true);
    now += 1000;
    t.fail('admin');
    expect(t.check('admin')).toMatchObject({ allowed: false, retryAfterMs: 2000 });
    expect(t.delayAfter(40)).toBe(15 * 60_000);
    expect(t.succeed('admin')).toBe(1);
    expect(t.check('admin').allowed).toBe(true);
  });

  it('stops every login for the rest of the window once too many fail across all accounts', () => {
    let now = 0;
    const t = new LoginThrottle({ clock: () => now, globalMax: 5, globalWindowMs: 60_000 });
    for (let i = 0; i < 5; i++) t.fail(`sprayed-${i}`);
    expect(t.check('real-user')).toMatchObject({ allowed: false, reason: 'global', first: true });
    now += 60_000;
    expect(t.check('real-user').allowed).toBe(true);
  });

  it('keeps at most maxEntries accounts, forgetting the oldest', () => {
    const t = new LoginThrottle({ maxEntries: 100, globalMax: 1e9 });
    for (let i = 0; i < 1000; i++) t.fail(`name-${i}`);
    expect(t.size).toBe(100);
  });
});

describe('audit log', () => {
  it('appends one JSON line per event to the Bangkok day file', async () => {
    const at = new Date('2023-09-22T17:30:00Z'); // 00:30 on 23 September in Bangkok
    const audit = new AuditLog(root, () => at);
    await audit.write({ user: 'admin', action: 'login', ip: '127.0.0.1' });
    await audit.write({ user: 'admin', action: 'download-file', campaign: 'seis-certification', target: '1101700770010', detail: { path: 'id-card.pdf' } });
    expect(auditFileName(at)).toBe('2023-09-23.jsonl');
    const lines = (await readFile(path.join(root, '_audit', '2023-09-23.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { user: 'admin', action: 'login', ip: '127.0.0.1', at: at.toISOString() },
      { user: 'admin', action: 'download-file', campaign: 'seis-certification', target: '1101700770010', detail: { path: 'id-card.pdf' },
        at: at.toISOString() },
    ]);
  });
});
