// A Redis lease so exactly one process watches the mailbox: taken with SET NX PX, renewed by its holder,
// taken over by another process once the holder stops renewing (it died). It is not a fencing token:
// the watcher's effects are idempotent (job ids), so a brief overlap after a network split does no harm.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface LeaseEvents {
  /** Called when this process becomes the holder. */
  onAcquired: () => void;
  /** Called when the lease is lost or released; the holder must stop at once. */
  onLost: (reason: 'taken' | 'expired' | 'released') => void;
}

export class Lease {
  readonly owner = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
  private held = false;
  private lastRenewed = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs: number,
    private readonly events: LeaseEvents,
    private readonly log: Logger,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Tries now, then every third of the TTL: renews while held, tries to take it while not. */
  start(): void {
    this.stopped = false;
    void this.tick();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), Math.max(200, Math.floor(this.ttlMs / 3)));
  }

  private async tick(): Promise<void> {
    try {
      if (this.held) await this.renew();
      else await this.tryAcquire();
    } catch (err) {
      this.log.warn({ code: 'lease.redis_error', err }, 'lease check failed');
      // Redis unreachable: another process could take the lease once our TTL ran out, so stop by then.
      if (this.held && Date.now() - this.lastRenewed >= this.ttlMs) this.lose('expired');
    } finally {
      this.schedule();
    }
  }

  private async tryAcquire(): Promise<void> {
    const ok = await this.redis.set(this.key, this.owner, 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK' || this.stopped) return;
    this.held = true;
    this.lastRenewed = Date.now();
    this.log.info({ code: 'lease.acquired', lease: this.key, owner: this.owner }, 'watcher lease acquired');
    this.events.onAcquired();
  }

  private async renew(): Promise<void> {
    const started = Date.now();
    const ok = await this.redis.eval(RENEW, 1, this.key, this.owner, String(this.ttlMs));
    if (Number(ok) === 1) this.lastRenewed = started;
    else this.lose('taken');
  }

  private lose(reason: 'taken' | 'expired' | 'released'): void {
    if (!this.held) return;
    this.held = false;
    this.log.warn({ code: 'lease.lost', lease: this.key, reason }, 'watcher lease lost');
    this.events.onLost(reason);
  }

  /** Stops trying; gives the lease up so another process takes over at once, not after the TTL. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const wasHeld = this.held;
    this.held = false;
    if (!wasHeld) return;
    this.events.onLost('released');
    try {
      await this.redis.eval(RELEASE, 1, this.key, this.owner);
    } catch (err) {
      this.log.warn({ code: 'lease.release_failed', err }, 'could not release the lease; it expires by itself');
    }
  }
}
