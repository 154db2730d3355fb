// One lazily opened IMAP connection for commands (the follow-up moves), rebuilt after it closes. Callers run
// one command sequence at a time under imapflow's mailbox lock. The watcher has its own IDLE connection.
import type { ImapFlow } from 'imapflow';
import type { AppConfig } from '../config/schema.ts';
import { openImap } from './imap-connection.ts';
import type { Logger } from './logger.ts';
import { metrics } from './metrics.ts';
import type { AccessTokenSource } from './oauth-token.ts';

export class ImapSession {
  private client?: ImapFlow;
  private connecting?: Promise<ImapFlow>;
  /** A connection existed before: the next one is a reconnect (seis_imap_reconnects_total). */
  private connectedBefore = false;
  /** Folders known to exist on the current connection. */
  readonly knownFolders = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly log: Logger,
    private readonly tokens?: AccessTokenSource,
  ) {}

  private async connection(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    this.connecting ??= (async () => {
      if (this.connectedBefore) metrics.imapReconnects.inc({ purpose: 'followup' });
      this.connectedBefore = true;
      const client = await openImap(this.config, this.log, this.tokens, { purpose: 'followup', idle: false });
      client.once('close', () => {
        if (this.client === client) this.client = undefined;
        this.knownFolders.clear();
      });
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Runs `fn` with `mailbox` selected. A connection that failed under it is dropped, not reused. */
  async withMailbox<T>(mailbox: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = await this.connection();
    const lock = await client.getMailboxLock(mailbox);
    try {
      return await fn(client);
    } catch (err) {
      if (!client.usable) this.client = undefined;
      throw err;
    } finally {
      lock.release();
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.usable) {
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
      await Promise.race([client.logout().catch(() => undefined), timeout]);
    }
    client.close();
  }
}
