// Dashboard logins kept in Redis, so a restart of `serve` logs nobody out. The cookie carries a random token;
// Redis holds only its SHA-256 (a copy of Redis gives no usable cookie). Idle and absolute timeouts, a new token
// at every login, and "log out everywhere" per account. While Redis is unreachable (transient, like everywhere
// else here) logins are kept in this process's memory instead, so staff can still work; those end at a restart.
// It leaves out who the account is (accounts.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface Session {
  /** SHA-256 of the cookie token: the Redis key, and what the audit may name. Never the token itself. */
  id: string;
  user: string;
  csrf: string;
  createdAt: number;
  lastSeen: number;
  /** passwordStamp() of the account at login: a changed password ends the session. */
  pw: string;
}

export interface SessionTimes {
  idleMs: number;
  absoluteMs: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
/** lastSeen is written back at most this often (and at least 10 times per idle period), not on every request. */
const TOUCH_MS = 60_000;

export class SessionStore {
  /** Sessions made while Redis was unreachable, by hashed id. */
  private readonly memory = new Map<string, Session>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly times: SessionTimes,
    private readonly clock: () => number = Date.now,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  /** Runs a Redis step, or the fallback at once when Redis is not connected or the step fails. */
  private async withRedis<T>(step: () => Promise<T>, fallback: () => T): Promise<T> {
    if (this.redis.status !== 'ready') return fallback();
    try {
      return await step();
    } catch (err) {
      this.onError(err as Error);
      return fallback();
    }
  }

  private sweepMemory(now: number) {
    for (const [id, s] of this.memory) if (this.expired(s, now)) this.memory.delete(id);
  }

  private expired(s: Session, now: number) {
    return now - s.lastSeen >= this.times.idleMs || now - s.createdAt >= this.times.absoluteMs;
  }

  private key(id: string) {
    return `${this.prefix}:s:${id}`;
  }

  private userKey(user: string) {
    return `${this.prefix}:u:${user}`;
  }

  /** Time Redis keeps the record: until the first of the two timeouts. */
  private ttl(s: Session, now: number) {
    return Math.max(1, Math.min(s.lastSeen + this.times.idleMs, s.createdAt + this.times.absoluteMs) - now);
  }

  /** A new session (the caller ends the old one first: a new id at every login). Returns the cookie token. */
  async create(user: string, pw: string): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock();
    const session: Session = { id: hashToken(token), user, csrf: randomBytes(24).toString('base64url'), createdAt: now, lastSeen: now, pw };
    await this.withRedis(async () => {
      await this.redis.multi()
        .set(this.key(session.id), JSON.stringify(session), 'PX', this.ttl(session, now))
        .sadd(this.userKey(user), session.id)
        .pexpire(this.userKey(user), this.times.absoluteMs)
        .exec();
    }, () => {
      this.sweepMemory(now);
      this.memory.set(session.id, session);
    });
    return { token, session };
  }

  async get(token: string | undefined): Promise<Session | undefined> {
    if (!token || token.length > 200) return undefined;
    const id = hashToken(token);
    const now = this.clock();
    const kept = this.memory.get(id);
    if (kept) {
      if (this.expired(kept, now)) {
        this.memory.delete(id);
        return undefined;
      }
      kept.lastSeen = now;
      return kept;
    }
    const text = await this.withRedis(() => this.redis.get(this.key(id)), () => null);
    if (!text) return undefined;
    let session: Session;
    try {
      session = JSON.parse(text) as Session;
    } catch {
      return undefined;
    }
    if (session.id !== id || this.expired(session, now)) {
      await this.destroyId(id, session.user);
      return undefined;
    }
    if (now - session.lastSeen >= Math.min(TOUCH_MS, this.times.idleMs / 10)) {
      session.lastSeen = now;
      await this.withRedis(() => this.redis.set(this.key(id), JSON.stringify(session), 'PX', this.ttl(session, now)), () => 'OK');
    }
    return session;
  }

  async destroy(token: string | undefined): Promise<void> {
    if (!token || token.length > 200) return;
    const id = hashToken(token);
    const text = await this.withRedis(() => this.redis.get(this.key(id)), () => null);
    const user = text ? (JSON.parse(text) as Session).user : this.memory.get(id)?.user;
    await this.destroyId(id, user);
  }

  async destroyId(id: string, user: string | undefined): Promise<void> {
    this.memory.delete(id);
    await this.withRedis(async () => {
      const m = this.redis.multi().del(this.key(id));
      if (user) m.srem(this.userKey(user), id);
      await m.exec();
    }, () => undefined);
  }

  /** Log out everywhere: every session of the account ends. Returns how many there were. */
  async destroyAll(user: string): Promise<number> {
    let ended = 0;
    for (const [id, s] of this.memory) {
      if (s.user !== user) continue;
      this.memory.delete(id);
      ended++;
    }
    return ended + await this.withRedis(async () => {
      const ids = await this.redis.smembers(this.userKey(user));
      const m = this.redis.multi();
      for (const id of ids) m.del(this.key(id));
      m.del(this.userKey(user));
      const results = (await m.exec()) ?? [];
      return results.slice(0, ids.length).filter(([, n]) => n === 1).length;
    }, () => 0);
  }

  /** How many live sessions the account has (the accounts page shows it). */
  async count(user: string): Promise<number> {
    const inMemory = [...this.memory.values()].filter((s) => s.user === user).length;
    return inMemory + await this.withRedis(async () => {
      const ids = await this.redis.smembers(this.userKey(user));
      return ids.length ? this.redis.exists(...ids.map((id) => this.key(id))) : 0;
    }, () => 0);
  }
}
