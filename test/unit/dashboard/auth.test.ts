import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN_FILE, authenticate, hashPassword, isPasswordHash, loadUsers, LoginThrottle, SessionStore, verifyPassword,
} from '../../../dashboard/auth.ts';
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

describe('dashboard users', () => {
  it('creates the admin from ADMIN_PASSWORD on first start and keeps it for starts without it', async () => {
    const first = await loadUsers(root, { users: [], adminPassword: 'first-start-pw' });
    expect(first.adminCreated).toBe(true);
    expect(first.users.map((u) => u.name)).toEqual(['admin']);
    const stored = JSON.parse(await readFile(path.join(root, ADMIN_FILE), 'utf8'));
    expect(stored.passwordHash).not.toContain('first-start-pw');
    expect((await stat(path.join(root, ADMIN_FILE))).mode & 0o077).toBe(0);

    const later = await loadUsers(root, { users: [] });
    expect(later.adminCreated).toBe(false);
    expect(await authenticate(later.users, 'admin', 'first-start-pw')).toBeDefined();
  });

  it('replaces the stored admin password when ADMIN_PASSWORD changes', async () => {
    await loadUsers(root, { users: [], adminPassword: 'old-password' });
    const { users, adminCreated } = await loadUsers(root, { users: [], adminPassword: 'new-password' });
    expect(adminCreated).toBe(true);
    expect(await authenticate(users, 'admin', 'old-password')).toBeUndefined();
    expect(await authenticate(users, 'admin', 'new-password')).toBeDefined();
  });

  it('accepts config users with scrypt hashes and refuses plain-text ones', async () => {
    const hash = await hashPassword('staff-password');
    const { users } = await loadUsers(root, { users: [{ name: 'somying', passwordHash: hash }] });
    expect(await authenticate(users, 'somying', 'staff-password')).toMatchObject({ name: 'somying' });
    expect(await authenticate(users, 'somying', 'wrong')).toBeUndefined();
    expect(await authenticate(users, 'nobody', 'staff-password')).toBeUndefined();
    await expect(loadUsers(root, { users: [{ name: 'x', passwordHash: 'secret' }] })).rejects.toThrow(/scrypt/);
  });

  it('refuses to start with nobody able to log in', async () => {
    await expect(loadUsers(root, { users: [] })).rejects.toThrow(/ADMIN_PASSWORD/);
  });
});

describe('sessions', () => {
  it('expire after their time to live', () => {
    let now = 1_000_000;
    const sessions = new SessionStore(60_000, () => now);
    const s = sessions.create('admin');
    expect(sessions.get(s.token)?.user).toBe('admin');
    expect(s.csrf).not.toBe(s.token);
    now += 59_999;
    expect(sessions.get(s.token)).toBeDefined();
    now += 1;
    expect(sessions.get(s.token)).toBeUndefined();
  });

  it('end at logout and never match unknown tokens', () => {
    const sessions = new SessionStore(60_000);
    const s = sessions.create('admin');
    sessions.destroy(s.token);
    expect(sessions.get(s.token)).toBeUndefined();
    expect(sessions.get(undefined)).toBeUndefined();
    expect(sessions.get('guess')).toBeUndefined();
  });
});

describe('login throttle', () => {
  it('blocks a name+address after five failures for fifteen minutes', () => {
    let now = 0;
    const throttle = new LoginThrottle(() => now);
    for (let i = 0; i < 5; i++) throttle.fail('127.0.0.1|admin');
    expect(throttle.blocked('127.0.0.1|admin')).toBe(true);
    expect(throttle.blocked('127.0.0.1|other')).toBe(false);
    now += 15 * 60_000;
    expect(throttle.blocked('127.0.0.1|admin')).toBe(false);
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
      { user: 'admin', action: 'download-file', campaign: 'seis-certification', target: '1101700770010', detail: { path: 'id-card.pdf' }, at: at.toISOString() },
    ]);
  });
});
