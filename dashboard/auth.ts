// Who may use the dashboard: scrypt password hashes, the user list (config users plus an admin made from
// ADMIN_PASSWORD on first start) and expiring in-memory sessions with a CSRF token each. No roles: every staff user may do everything.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** 2^15 iterations with r=8 costs ~32 MiB and ~50 ms per check: slow for guessing, fine for a login form. */
const SCRYPT = { N: 32768, r: 8, p: 1, keyLength: 32 };
const MAX_MEM = 128 * 1024 * 1024;

function scrypt(password: string, salt: Buffer, keyLength: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, keyLength, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash` (salt and hash base64): put it in config `dashboard.users[].passwordHash`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: MAX_MEM });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export function isPasswordHash(text: string): boolean {
  return /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.test(text);
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (!isPasswordHash(stored)) return false;
  const [, n, r, p, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash, 'base64');
  const params = { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEM };
  if (params.N > 1 << 20 || params.r > 32 || params.p > 16 || expected.length < 16) return false;
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, params);
  return timingSafeEqual(key, expected);
}

export interface DashboardUser {
  name: string;
  passwordHash: string;
}

export const ADMIN_USER = 'admin';
/** Where the admin made from ADMIN_PASSWORD is kept, so later starts need no password in the environment. */
export const ADMIN_FILE = '_state/dashboard/admin.json';

/**
 * Config users, plus `admin`: from ADMIN_PASSWORD (hashed and stored on first start, re-stored when it
 * changes) or from the stored hash of an earlier start. Throws when nobody could log in.
 */
export async function loadUsers(
  archiveRoot: string, dashboard: { users: DashboardUser[]; adminPassword?: string },
): Promise<{ users: DashboardUser[]; adminCreated: boolean }> {
  const users = dashboard.users.map((u) => ({ ...u }));
  for (const u of users) {
    if (!isPasswordHash(u.passwordHash)) {
      throw new Error(`dashboard.users "${u.name}": passwordHash is not a scrypt hash (make one with: seis-intake serve --hash-password)`);
    }
  }
  const file = join(archiveRoot, ADMIN_FILE);
  let stored: DashboardUser | undefined;
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as DashboardUser;
  } catch {
    stored = undefined;
  }
  let adminCreated = false;
  if (dashboard.adminPassword) {
    const same = stored && (await verifyPassword(dashboard.adminPassword, stored.passwordHash));
    if (!same) {
      stored = { name: ADMIN_USER, passwordHash: await hashPassword(dashboard.adminPassword) };
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, `${JSON.stringify(stored)}\n`, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      adminCreated = true;
    }
  }
  if (stored && !users.some((u) => u.name === stored.name)) users.push(stored);
  if (users.length === 0) {
    throw new Error('no dashboard users: set ADMIN_PASSWORD (first start) or dashboard.users in the config');
  }
  return { users, adminCreated };
}

/** Runs the hash check even for unknown names, so timing does not tell which user names exist. */
export async function authenticate(users: DashboardUser[], name: string, password: string): Promise<DashboardUser | undefined> {
  const user = users.find((u) => u.name === name.trim());
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return user && ok ? user : undefined;
}

const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

export interface Session {
  token: string;
  user: string;
  csrf: string;
  createdAt: number;
  expiresAt: number;
}

/** Sessions live in memory: a restart logs everyone out, which is acceptable for a handful of staff. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly ttlMs: number, private readonly clock: () => number = Date.now) {}

  create(user: string): Session {
    const now = this.clock();
    const session: Session = {
      token: randomBytes(32).toString('base64url'), user, csrf: randomBytes(24).toString('base64url'),
      createdAt: now, expiresAt: now + this.ttlMs,
    };
    this.sessions.set(session.token, session);
    this.sweep(now);
    return session;
  }

  get(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const session = this.sessions.get(token);
    if (!session) return undefined;
    if (session.expiresAt <= this.clock()) {
      this.sessions.delete(token);
      return undefined;
    }
    return session;
  }

  destroy(token: string | undefined): void {
    if (token) this.sessions.delete(token);
  }

  private sweep(now: number): void {
    for (const [token, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(token);
  }
}

export function safeEqual(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Slows password guessing: after 5 failures per name+address, refuse for 15 minutes. */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(private readonly clock: () => number = Date.now, private readonly max = 5, private readonly windowMs = 15 * 60_000) {}

  blocked(key: string): boolean {
    const f = this.failures.get(key);
    if (!f) return false;
    if (f.until <= this.clock()) {
      this.failures.delete(key);
      return false;
    }
    return f.count >= this.max;
  }

  fail(key: string): void {
    const now = this.clock();
    const f = this.failures.get(key);
    const fresh = !f || f.until <= now;
    this.failures.set(key, { count: fresh ? 1 : f.count + 1, until: now + this.windowMs });
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
