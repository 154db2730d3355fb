// Watches one IMAP mailbox: stores every message's original in the archive, then queues an ingest job
// whose id is the message's IMAP identity (mailbox, UIDVALIDITY, UID), so re-polling never queues it
// twice. IDLE for speed, a periodic full re-check as a safety net, reconnects with backoff and jitter.
// It never moves or deletes mail (the follow-up worker does), and runs only while holding the lease.
import type { ImapFlow } from 'imapflow';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/schema.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { classifyError } from '../adapters/errors.ts';
import { isCredentialError, type CredentialGate } from '../adapters/credential-gate.ts';
import { openImap } from '../adapters/imap-connection.ts';
import type { Logger } from '../adapters/logger.ts';
import type { AccessTokenSource } from '../adapters/oauth-token.ts';
import { metrics } from '../adapters/metrics.ts';
import { ingestJobId, mailboxTag, stateKey, type MailboxRef, type Queues } from '../adapters/queues.ts';
import { WatcherStatus } from './watcher-status.ts';

type ScanKind = 'new' | 'full';

export interface WatcherDeps {
  config: AppConfig;
  log: Logger;
  store: ArchiveStore;
  queues: Pick<Queues, 'ingest'>;
  redis: Redis;
  tokens?: AccessTokenSource;
  /** Shared with the reply and follow-up workers: refused credentials pause the watcher instead of hammering. */
  gate?: CredentialGate;
  now?: () => Date;
}

/** Only raises lastUid, and only for the UIDVALIDITY it was computed under. */
const ADVANCE = `
local v = redis.call('hget', KEYS[1], 'uidValidity')
if v ~= ARGV[1] then return 0 end
local last = tonumber(redis.call('hget', KEYS[1], 'lastUid') or '0')
if tonumber(ARGV[2]) > last then redis.call('hset', KEYS[1], 'lastUid', ARGV[2]) end
return 1`;

export function reconnectBackoffMs(failures: number): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.5 + Math.random() / 2));
}

/**
 * A FETCH while catching up carries at most this many messages and bytes: few round trips, and bounded
 * memory (imapflow may read a whole response ahead of us; a batch of 70 MB scans must not pile up).
 */
const FETCH_BATCH = 25;
const FETCH_BATCH_BYTES = 32 * 1024 * 1024;

/** Consecutive groups of at most FETCH_BATCH refs and FETCH_BATCH_BYTES (a larger message goes alone). */
export function fetchBatches<T extends { uid: number }>(refs: T[], sizes: Map<number, number>): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const ref of refs) {
    const size = sizes.get(ref.uid) ?? 0;
    if (current.length && (current.length >= FETCH_BATCH || bytes + size > FETCH_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(ref);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

export class MailboxWatcher {
  private loop?: Promise<void>;
  private stopping = false;
  private restart = false;
  private pending: ScanKind | undefined;
  private wake?: () => void;
  private interruptSleep?: () => void;
  private pausedForCredentials = false;
  private readonly log: Logger;
  private readonly mailbox: string;
  private readonly stateKey: string;
  /** For /readyz and the watcher gauges. */
  readonly status = new WatcherStatus();

  constructor(private readonly deps: WatcherDeps) {
    this.mailbox = deps.config.imap.mailbox;
    this.log = deps.log.child({ component: 'watcher', mailbox: this.mailbox });
    this.stateKey = stateKey(deps.config, 'watch', mailboxTag(this.mailbox));
    // Redis came back (maybe empty): look at everything again rather than trust what we remember.
    deps.redis.on('ready', () => this.request('full'));
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  /** True while the mailbox refuses our credentials: the watcher only tries again every gate.retryMs. */
  get paused(): boolean {
    return this.pausedForCredentials;
  }

  start(): void {
    if (this.loop) {
      // The lease came back while the last session was still winding down: go again once it has.
      if (this.stopping) this.restart = true;
      return;
    }
    this.stopping = false;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      if (this.restart) {
        this.restart = false;
        this.start();
      }
    });
  }

  /** Finishes the message in hand, logs out, and resolves when the watcher is fully stopped. */
  async stop(): Promise<void> {
    this.restart = false;
    this.stopping = true;
    this.wake?.();
    this.interruptSleep?.();
    await this.loop;
  }

  request(kind: ScanKind): void {
    if (this.pending !== 'full') this.pending = kind;
    this.wake?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        this.status.connecting();
        const connected = await this.session();
        if (connected) failures = 0;
      } catch (err) {
        const { kind, code } = classifyError(err);
        const gate = this.deps.gate;
        if (gate && isCredentialError(err)) {
          // Nothing is lost meanwhile: new mail waits in the mailbox and is caught up with on the first login.
          gate.refuse('imap', err);
          this.pausedForCredentials = true;
          this.status.paused(gate.retryMs);
          this.log.debug({ code: `watcher.paused`, errorCode: code }, 'mailbox credentials refused; waiting');
          if (!this.stopping) await this.sleep(gate.retryMs);
          continue;
        }
        this.log.warn({ code: `watcher.${code}`, kind, err }, 'mailbox connection failed');
      }
      if (this.stopping) break;
      failures++;
      const delay = reconnectBackoffMs(failures);
      this.status.backoff(delay, failures);
      this.log.info({ code: 'watcher.reconnect', inMs: delay, failures }, 'reconnecting to the mailbox');
      await this.sleep(delay);
    }
    this.status.stopped();
    this.log.info({ code: 'watcher.stopped' }, 'mailbox watcher stopped');
  }

  /** One IMAP connection's life. Resolves true when it got as far as selecting the mailbox. */
  private async session(): Promise<boolean> {
    const { config } = this.deps;
    const client = await openImap(config, this.log, this.deps.tokens, { purpose: 'watch', autoIdleDelayMs: 500 });
    this.pausedForCredentials = false;
    this.deps.gate?.accept('imap');
    let closed = false;
    client.once('close', () => {
      closed = true;
      this.wake?.();
    });
    const recheck = setInterval(() => this.request('full'), config.imap.recheckSeconds * 1000);
    try {
      const opened = await client.mailboxOpen(this.mailbox);
      this.status.connected();
      this.log.info({ code: 'watcher.watching', uidValidity: String(opened.uidValidity), exists: opened.exists }, 'watching mailbox');
      client.on('exists', () => this.request('new'));
      client.on('mailboxOpen', () => this.request('full'));
      this.request('full'); // catch up with everything that arrived while nobody watched
      let scanFailures = 0;
      while (!this.stopping && !closed) {
        const kind = this.pending;
        if (!kind) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = undefined;
          continue;
        }
        this.pending = undefined;
        try {
          await this.scan(client, kind);
          scanFailures = 0;
        } catch (err) {
          if (closed || !client.usable) throw err;
          // The mailbox is fine but Redis or the archive is not: keep the connection, try again soon.
          const { kind: errKind, code } = classifyError(err);
          scanFailures++;
          this.log.warn({ code: `watcher.scan_${code}`, kind: errKind, err, scanFailures }, 'mailbox scan failed; retrying');
          await this.sleep(reconnectBackoffMs(scanFailures));
          this.request('full');
        }
      }
      return true;
    } finally {
      clearInterval(recheck);
      await this.closeClient(client, closed);
    }
  }

  private async closeClient(client: ImapFlow, closed: boolean): Promise<void> {
    if (closed || !client.usable) {
      client.close();
      return;
    }
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
    await Promise.race([client.logout().catch(() => undefined), timeout]);
    client.close();
  }

  private async scan(client: ImapFlow, kind: ScanKind): Promise<void> {
    // The safety net must not trust IDLE to have told us everything: sync the session's view first.
    if (kind === 'full') await client.noop();
    const mailbox = client.mailbox;
    if (!mailbox) throw Object.assign(new Error('mailbox is not selected'), { code: 'NoConnection' });
    const uidValidity = String(mailbox.uidValidity);
    const { redis } = this.deps;
    const state = await redis.hgetall(this.stateKey);
    let lastUid = Number(state.lastUid ?? 0);
    if (state.uidValidity !== uidValidity) {
      if (state.uidValidity) {
        this.log.warn({ code: 'watcher.uidvalidity_changed', was: state.uidValidity, now: uidValidity }, 'UIDVALIDITY changed: re-scanning the whole mailbox');
      }
      await redis.hset(this.stateKey, { uidValidity, lastUid: '0' });
      lastUid = 0;
      kind = 'full';
    }
    const found = kind === 'full'
      ? await client.search({ all: true }, { uid: true })
      : await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
    // "N:*" also matches the highest UID when N is beyond it: keep only what is really new.
    const uids = (found || []).filter((uid) => kind === 'full' || uid > lastUid).sort((a, b) => a - b);
    if (uids.length === 0) return;

    const refs: MailboxRef[] = uids.map((uid) => ({ mailbox: this.mailbox, uidValidity, uid }));
    const todo: MailboxRef[] = [];
    for (let i = 0; i < refs.length; i += 200) {
      const chunk = refs.slice(i, i + 200);
      const states = await Promise.all(chunk.map((ref) => this.deps.queues.ingest.getJobState(ingestJobId(ref))));
      chunk.forEach((ref, j) => states[j] === 'unknown' && todo.push(ref));
    }
    if (todo.length) this.log.info({ code: 'watcher.scan', kind, inMailbox: uids.length, toQueue: todo.length }, 'queueing new messages');
    // One FETCH per batch instead of one round trip per message; inside the loop only disk and Redis work
    // (imapflow allows no other IMAP command while a FETCH streams).
    const sizes = new Map<number, number>();
    if (todo.length > 1) {
      for await (const msg of client.fetch(todo.map((ref) => ref.uid).join(','), { uid: true, size: true }, { uid: true })) {
        if (msg.size !== undefined) sizes.set(msg.uid, msg.size);
      }
    }
    for (const batch of fetchBatches(todo, sizes)) {
      if (this.stopping) return;
      const byUid = new Map(batch.map((ref) => [ref.uid, ref]));
      const seen = new Set<number>();
      const range = batch.map((ref) => ref.uid).join(',');
      for await (const msg of client.fetch(range, { uid: true, source: true, internalDate: true, size: true }, { uid: true })) {
        const ref = byUid.get(msg.uid);
        if (!ref || !msg.source || seen.has(msg.uid)) continue;
        seen.add(msg.uid);
        await this.handOver(ref, msg.source, msg.internalDate);
      }
      for (const ref of batch) {
        if (!seen.has(ref.uid)) this.log.info({ code: 'watcher.vanished', uid: ref.uid }, 'message left the mailbox before it was read');
      }
    }
    await redis.eval(ADVANCE, 1, this.stateKey, uidValidity, String(uids[uids.length - 1]));
  }

  /** Store first (nothing is lost even if Redis dies now), then queue; a repeat of either is harmless. */
  private async handOver(ref: MailboxRef, source: Buffer, fetchedDate: Date | string | undefined): Promise<void> {
    const msg = { source, internalDate: fetchedDate };
    const internalDate = msg.internalDate ? new Date(msg.internalDate) : undefined;
    const receivedAt = internalDate && !Number.isNaN(internalDate.getTime()) ? internalDate : (this.deps.now ?? (() => new Date()))();
    const { emlPath } = await this.deps.store.storeOriginal(msg.source, receivedAt);
    const jobId = ingestJobId(ref);
    await this.deps.queues.ingest.add('ingest', {
      ...ref, emlPath, internalDate: internalDate?.toISOString(), size: msg.source.length,
    }, { jobId });
    metrics.messagesReceived.inc();
    this.log.info({ code: 'watcher.queued', uid: ref.uid, jobId, size: msg.source.length }, 'message stored and queued');
  }

  /** A pause only stop() cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interruptSleep = done;
    });
  }
}
