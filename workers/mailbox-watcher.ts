// Watches one IMAP mailbox: stores every message's original in the archive, then queues an ingest job
// whose id is the message's IMAP identity (mailbox, UIDVALIDITY, UID), so re-polling never queues it
// twice. IDLE for speed, a periodic full re-check as a safety net, reconnects with backoff and jitter.
// It never moves or deletes mail (the follow-up worker does), and runs only while holding the lease.
// What one look at the mailbox does is mailbox-scan.ts's; fetching, message-fetch.ts's; storing, message-handover.ts's.
import type { ImapFlow } from 'imapflow';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/schema.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { classifyError } from '../adapters/errors.ts';
import { isCredentialError, type CredentialGate } from '../adapters/credential-gate.ts';
import { openImap } from '../adapters/imap-connection.ts';
import type { Logger } from '../adapters/logger.ts';
import type { AccessTokenSource } from '../adapters/oauth-token.ts';
import { mailboxTag, stateKey, type Queues } from '../adapters/queues.ts';
import { scanMailbox, type ScanKind } from './mailbox-scan.ts';
import { WatcherStatus } from './watcher-status.ts';

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
  /** Tests only: called after each chunk of a streamed (large) message is on disk; a throw cuts that download. */
  onStreamChunk?: (uid: number, bytesSoFar: number) => void | Promise<void>;
}

export function reconnectBackoffMs(failures: number): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.5 + Math.random() / 2));
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

  private scan(client: ImapFlow, kind: ScanKind): Promise<void> {
    const { store, queues, redis, now, onStreamChunk } = this.deps;
    return scanMailbox(client, kind, {
      store,
      queues,
      redis,
      now,
      onStreamChunk,
      log: this.log,
      mailbox: this.mailbox,
      stateKey: this.stateKey,
      stopping: () => this.stopping,
    });
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
