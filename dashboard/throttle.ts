// Slows password guessing without handing an attacker a way to lock staff out: throttling is per account name
// (never per address, which a shared office NAT or a forged X-Forwarded-For would turn against real users), with
// a growing wait after a few failures, plus one global cap on failures per minute across all names. The table
// is bounded. It leaves out the audit (the login route writes one line per lockout, with the count).

export interface ThrottleOptions {
  clock?: () => number;
  /** Failures allowed before any wait. */
  freeFailures?: number;
  /** Wait after the first failure past the free ones; doubles with each further failure. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Failed logins per window, all accounts together, before every login waits for the window to end. */
  globalMax?: number;
  globalWindowMs?: number;
  /** Accounts (names tried) remembered at most; the oldest is forgotten first. */
  maxEntries?: number;
}

interface Entry {
  failures: number;
  until: number;
  /** Attempts refused since the lockout began (reported once, not each audited). */
  refused: number;
}

export type ThrottleVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'account' | 'global'; retryAfterMs: number; /** the first refusal of this lockout */ first: boolean; refused: number };

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private window = { start: 0, failures: 0, refused: 0 };
  private readonly o: Required<Omit<ThrottleOptions, 'clock'>>;
  private readonly clock: () => number;

  constructor(opts: ThrottleOptions = {}) {
    this.clock = opts.clock ?? Date.now;
    this.o = {
      freeFailures: opts.freeFailures ?? 3,
      baseDelayMs: opts.baseDelayMs ?? 2_000,
      maxDelayMs: opts.maxDelayMs ?? 15 * 60_000,
      globalMax: opts.globalMax ?? 60,
      globalWindowMs: opts.globalWindowMs ?? 60_000,
      maxEntries: opts.maxEntries ?? 10_000,
    };
  }

  private static key(name: string) {
    return name.normalize('NFC').trim().toLowerCase().slice(0, 100);
  }

  get size(): number {
    return this.entries.size;
  }

  private globalWindow(now: number) {
    if (now - this.window.start >= this.o.globalWindowMs) this.window = { start: now, failures: 0, refused: 0 };
    return this.window;
  }

  check(name: string): ThrottleVerdict {
    const now = this.clock();
    const g = this.globalWindow(now);
    if (g.failures >= this.o.globalMax) {
      g.refused++;
      return { allowed: false, reason: 'global', retryAfterMs: g.start + this.o.globalWindowMs - now, first: g.refused === 1, refused: g.refused };
    }
    const e = this.entries.get(LoginThrottle.key(name));
    if (!e || e.until <= now) return { allowed: true };
    e.refused++;
    return { allowed: false, reason: 'account', retryAfterMs: e.until - now, first: e.refused === 1, refused: e.refused };
  }

  /** The wait after `failures` failures in a row. */
  delayAfter(failures: number): number {
    if (failures <= this.o.freeFailures) return 0;
    return Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.min(30, failures - this.o.freeFailures - 1));
  }

  fail(name: string): void {
    const now = this.clock();
    this.globalWindow(now).failures++;
    const key = LoginThrottle.key(name);
    const e = this.entries.get(key) ?? { failures: 0, until: 0, refused: 0 };
    this.entries.delete(key); // re-insert: the Map's order is the eviction order
    e.failures++;
    e.refused = 0;
    e.until = now + this.delayAfter(e.failures);
    this.entries.set(key, e);
    while (this.entries.size > this.o.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets the account's failures; returns how many attempts were refused while it waited. */
  succeed(name: string): number {
    const key = LoginThrottle.key(name);
    const refused = this.entries.get(key)?.refused ?? 0;
    this.entries.delete(key);
    return refused;
  }
}
