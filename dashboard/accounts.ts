// Who the staff accounts are: config `dashboard.users` (read-only), the accounts `seis-intake users` and admins in
// the dashboard manage (<archive>/_state/dashboard/users.json), and the bootstrap admin from ADMIN_PASSWORD.
// It leaves out what an account may do (roles.ts, scope.ts) and how a login is remembered (sessions.ts).
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { dashboardUser, MIN_PASSWORD_LENGTH, type Role } from '../config/schema.ts';
import { serialised, writeAtomic } from '../adapters/atomic-fs.ts';
import { hashPassword, isPasswordHash, verifyPassword } from './auth.ts';

export interface Account {
  name: string;
  displayName?: string;
  role: Role;
  units: string[];
  passwordHash: string;
  disabled: boolean;
  /** Where it is defined: config accounts cannot be changed from the dashboard or the CLI. */
  source: 'config' | 'file' | 'bootstrap';
}

export const ADMIN_USER = 'admin';
/** The admin made from ADMIN_PASSWORD, so later starts need no password in the environment. */
export const ADMIN_FILE = '_state/dashboard/admin.json';
/** Accounts made with `seis-intake users` or by an admin in the dashboard. */
export const USERS_FILE = '_state/dashboard/users.json';

const usersFile = z.object({ schema: z.literal(1), users: z.array(dashboardUser) }).strict();
const adminFile = z.object({ name: z.string(), passwordHash: z.string() }).passthrough();

export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountError';
  }
}

export function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new AccountError(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
}

/** Changes when the password does: a session remembers it, so a new password ends every older session. */
export function passwordStamp(account: Pick<Account, 'passwordHash'>): string {
  return createHash('sha256').update(account.passwordHash).digest('base64url').slice(0, 16);
}

function issues(err: z.ZodError, where: string): string {
  return err.issues.map((i) => `${where}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`).join('; ');
}

async function readText(abs: string): Promise<string | undefined> {
  try {
    return await readFile(abs, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Every account, re-read when users.json changes (one stat, at most once a second), so `seis-intake users` on
 * the same archive takes effect in a running dashboard. A bad users.json is an error at start; later it keeps
 * the accounts it had and reports the problem through onError.
 */
export class AccountStore {
  private accounts = new Map<string, Account>();
  private stamp = '';
  private checkedAt = 0;

  constructor(
    private readonly root: string,
    private readonly configUsers: ReadonlyArray<z.input<typeof dashboardUser>>,
    private readonly opts: { clock?: () => number; onError?: (err: Error) => void } = {},
  ) {}

  private get usersPath() {
    return join(this.root, USERS_FILE);
  }

  private fileStamp(): string {
    const s = statSync(this.usersPath, { throwIfNoEntry: false });
    return s ? `${s.mtimeMs}:${s.size}:${s.ino}` : '-';
  }

  /** Reads everything; throws AccountError naming every problem. */
  async load(adminPassword?: string): Promise<{ adminCreated: boolean }> {
    const accounts = new Map<string, Account>();
    for (const [i, raw] of this.configUsers.entries()) {
      const parsed = dashboardUser.safeParse(raw);
      if (!parsed.success) throw new AccountError(issues(parsed.error, `dashboard.users.${i}`));
      const u = parsed.data;
      if (!isPasswordHash(u.passwordHash)) {
        throw new AccountError(`dashboard.users "${u.name}": passwordHash is not a scrypt hash (make one with: seis-intake serve --hash-password)`);
      }
      if (accounts.has(u.name)) throw new AccountError(`dashboard.users: "${u.name}" is defined twice`);
      accounts.set(u.name, { ...u, source: 'config' });
    }
    for (const u of await this.readFileUsers()) {
      if (accounts.has(u.name)) throw new AccountError(`${USERS_FILE}: "${u.name}" is also in config dashboard.users (remove one)`);
      accounts.set(u.name, u);
    }
    const adminCreated = await this.bootstrapAdmin(accounts, adminPassword);
    this.accounts = accounts;
    this.checkedAt = this.now();
    return { adminCreated };
  }

  private now() {
    return (this.opts.clock ?? Date.now)();
  }

  private async readFileUsers(): Promise<Account[]> {
    this.stamp = this.fileStamp();
    const text = await readText(this.usersPath);
    if (text === undefined) return [];
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new AccountError(`${USERS_FILE} is not valid JSON`);
    }
    const parsed = usersFile.safeParse(data);
    if (!parsed.success) throw new AccountError(issues(parsed.error, USERS_FILE));
    const names = new Set<string>();
    return parsed.data.users.map((u) => {
      if (names.has(u.name)) throw new AccountError(`${USERS_FILE}: "${u.name}" is defined twice`);
      if (!isPasswordHash(u.passwordHash)) throw new AccountError(`${USERS_FILE}: "${u.name}" has no scrypt hash`);
      names.add(u.name);
      return { ...u, source: 'file' as const };
    });
  }

  private async bootstrapAdmin(accounts: Map<string, Account>, adminPassword?: string): Promise<boolean> {
    const file = join(this.root, ADMIN_FILE);
    const text = await readText(file);
    let stored = text ? adminFile.safeParse(JSON.parse(text)).data : undefined;
    let created = false;
    if (adminPassword) {
      checkPassword(adminPassword);
      if (!stored || !(await verifyPassword(adminPassword, stored.passwordHash))) {
        stored = { name: ADMIN_USER, passwordHash: await hashPassword(adminPassword) };
        await mkdir(dirname(file), { recursive: true });
        await writeAtomic(file, `${JSON.stringify(stored)}\n`, 0o600);
        created = true;
      }
    }
    if (stored && isPasswordHash(stored.passwordHash) && !accounts.has(stored.name)) {
      accounts.set(stored.name, { name: stored.name, role: 'admin', units: [], passwordHash: stored.passwordHash, disabled: false, source: 'bootstrap' });
    }
    return created;
  }

  /** Re-reads users.json when it changed on disk (another process: `seis-intake users`). */
  async refresh(): Promise<void> {
    const now = this.now();
    if (now - this.checkedAt < 1000) return;
    this.checkedAt = now;
    if (this.fileStamp() === this.stamp) return;
    try {
      const fileUsers = await this.readFileUsers();
      const next = new Map([...this.accounts].filter(([, a]) => a.source !== 'file'));
      for (const u of fileUsers) if (!next.has(u.name)) next.set(u.name, u);
      this.accounts = next;
    } catch (err) {
      this.opts.onError?.(err as Error);
    }
  }

  get(name: string): Account | undefined {
    return this.accounts.get(name);
  }

  list(): Account[] {
    return [...this.accounts.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get size(): number {
    return this.accounts.size;
  }

  /** Changes one file account under a lock, re-reading the file first (the CLI and the dashboard share it). */
  async change(name: string, fn: (account: Account | undefined) => Account | undefined): Promise<Account> {
    return serialised(this.usersPath, async () => {
      const users = await this.readFileUsers();
      const fixed = this.accounts.get(name);
      if (fixed && fixed.source !== 'file') {
        throw new AccountError(`"${name}" is defined in ${fixed.source === 'config' ? 'config dashboard.users' : 'ADMIN_PASSWORD'}: change it there`);
      }
      const before = users.find((u) => u.name === name);
      const after = fn(before);
      if (!after) throw new AccountError(`no account "${name}"`);
      const checked = dashboardUser.safeParse(strip(after));
      if (!checked.success) throw new AccountError(issues(checked.error, name));
      const next = [...users.filter((u) => u.name !== name), { ...checked.data, source: 'file' as const }];
      await mkdir(dirname(this.usersPath), { recursive: true });
      await writeAtomic(this.usersPath, `${JSON.stringify({ schema: 1, users: next.map(strip) }, null, 2)}\n`, 0o600);
      this.stamp = this.fileStamp();
      for (const [n, a] of this.accounts) if (a.source === 'file') this.accounts.delete(n);
      for (const u of next) if (!this.accounts.has(u.name)) this.accounts.set(u.name, u);
      return this.accounts.get(name)!;
    });
  }

  async add(input: { name: string; password: string; role: Role; units?: string[]; displayName?: string }): Promise<Account> {
    checkPassword(input.password);
    if (this.accounts.has(input.name)) throw new AccountError(`an account "${input.name}" exists already`);
    const passwordHash = await hashPassword(input.password);
    return this.change(input.name, (existing) => {
      if (existing) throw new AccountError(`an account "${input.name}" exists already`);
      return {
        name: input.name,
        role: input.role,
        units: input.units ?? [],
        passwordHash,
        disabled: false,
        source: 'file',
        ...(input.displayName ? { displayName: input.displayName } : {}),
      };
    });
  }

  async setPassword(name: string, password: string): Promise<Account> {
    checkPassword(password);
    const passwordHash = await hashPassword(password);
    return this.change(name, (a) => a && { ...a, passwordHash });
  }

  /** A new role, units or own name; what is not given stays. Takes effect at the account's next request. */
  update(name: string, changes: { role?: Role; units?: string[]; displayName?: string }): Promise<Account> {
    return this.change(name, (a) =>
      a && {
        ...a,
        ...(changes.role ? { role: changes.role } : {}),
        ...(changes.units ? { units: changes.units } : {}),
        ...(changes.displayName !== undefined ? { displayName: changes.displayName || undefined } : {}),
      });
  }

  setDisabled(name: string, disabled: boolean): Promise<Account> {
    return this.change(name, (a) => a && { ...a, disabled });
  }
}

function strip(a: Account): Omit<Account, 'source'> {
  const { source: _source, ...rest } = a;
  return rest;
}
