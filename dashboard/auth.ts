// Password hashes (scrypt) and the checks around them. Accounts are accounts.ts's, sessions sessions.ts's,
// the login throttle throttle.ts's; what a role may do is roles.ts's.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export type { Session } from './sessions.ts';

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

/** Runs the hash check even for unknown or disabled names, so timing does not tell which accounts exist. */
export async function authenticate<A extends { passwordHash: string; disabled?: boolean }>(account: A | undefined, password: string): Promise<A | undefined> {
  const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
  return account && ok && !account.disabled ? account : undefined;
}

const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

export function safeEqual(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
