// What the mailbox watcher is doing right now, for /readyz and the watcher gauges: connected, connecting,
// waiting out a reconnect backoff, or not watching (no lease, or stopped). It decides readiness only; the
// watcher's loop and its backoff schedule stay in mailbox-watcher.ts.
import { metrics } from '../adapters/metrics.ts';

export type WatcherState = 'idle' | 'connecting' | 'connected' | 'backoff' | 'paused';

export interface WatcherSnapshot {
  state: WatcherState;
  /** When the current state began (ms since the epoch). */
  since: number;
  /** backoff: when the next attempt is due. */
  retryAt?: number;
  /** Connection attempts in a row that did not reach a selected mailbox. */
  failures: number;
  lastConnectedAt?: number;
}

/**
 * A connection attempt gives up after imapflow's connection and greeting timeouts (30 s + 16 s, see
 * adapters/imap-connection.ts) and a LOGIN/SELECT round trip: past this it is hung, not reconnecting.
 */
export const CONNECT_GRACE_MS = 60_000;
/** A backoff that overran its schedule by this much means the loop is stuck (timers are not that late). */
const BACKOFF_GRACE_MS = 10_000;

export interface ReadyCheck {
  ok: boolean;
  detail: Record<string, unknown>;
}

/**
 * Ready: watching, not watching at all (another process holds the lease), or reconnecting on schedule.
 * Paused (the provider refuses the credentials) is not ready: no restart mends it, an operator must.
 */
export function watcherReadiness(s: WatcherSnapshot, now: number): ReadyCheck {
  const detail: Record<string, unknown> = { state: s.state, failures: s.failures, forSeconds: Math.round((now - s.since) / 1000) };
  if (s.lastConnectedAt) detail.lastConnectedAt = new Date(s.lastConnectedAt).toISOString();
  switch (s.state) {
    case 'connected':
    case 'idle':
      return { ok: true, detail };
    case 'connecting':
      return { ok: now - s.since <= CONNECT_GRACE_MS, detail };
    case 'paused':
      return { ok: false, detail: { ...detail, reason: 'credentials refused' } };
    case 'backoff':
      detail.retryInSeconds = Math.max(0, Math.round(((s.retryAt ?? now) - now) / 1000));
      return { ok: now <= (s.retryAt ?? s.since) + BACKOFF_GRACE_MS, detail };
  }
}

export class WatcherStatus {
  private snapshot: WatcherSnapshot;

  constructor(private readonly clock: () => number = Date.now) {
    this.snapshot = { state: 'idle', since: clock(), failures: 0 };
    metrics.enableWatcherGauges();
    metrics.watcherConnected.set(0);
  }

  get current(): WatcherSnapshot {
    return { ...this.snapshot };
  }

  connecting(): void {
    // A new attempt after a failure is a reconnect; the first one of a watch period is not.
    if (this.snapshot.state === 'backoff' || this.snapshot.state === 'paused') metrics.imapReconnects.inc({ purpose: 'watch' });
    this.set('connecting');
  }

  connected(): void {
    const now = this.clock();
    this.snapshot.failures = 0;
    this.snapshot.lastConnectedAt = now;
    metrics.watcherLastConnected.set(Math.floor(now / 1000));
    this.set('connected');
  }

  backoff(delayMs: number, failures: number): void {
    this.snapshot.failures = failures;
    this.set('backoff', this.clock() + delayMs);
  }

  /** The credentials were refused: the watcher tries them again after `retryMs`. */
  paused(retryMs: number): void {
    this.set('paused', this.clock() + retryMs);
  }

  stopped(): void {
    this.set('idle');
  }

  private set(state: WatcherState, retryAt?: number): void {
    this.snapshot = { ...this.snapshot, state, since: this.clock(), retryAt };
    metrics.watcherConnected.set(state === 'connected' ? 1 : 0);
  }
}
