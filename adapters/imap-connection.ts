// Builds one ImapFlow connection from the config: password or XOAUTH2 token, logs into a pino child
// (imapflow would print JSON to stdout), IDLE soon after the last command. One instance per connection:
// an ImapFlow cannot reconnect, so callers build a new one after 'close'.
import { ImapFlow } from 'imapflow';
import type { AppConfig } from '../config/schema.ts';
import { classifyError, WorkError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { AccessTokenSource } from './oauth-token.ts';

export interface ImapConnectionOptions {
  /** IDLE after this much quiet (imapflow's default is 15 s, far too slow for a watcher). */
  autoIdleDelayMs?: number;
  /** Follow-up connections only run commands; they need no IDLE. */
  idle?: boolean;
  purpose: string;
}

export async function createImapClient(
  config: AppConfig,
  log: Logger,
  tokens: AccessTokenSource | undefined,
  opts: ImapConnectionOptions,
): Promise<ImapFlow> {
  return buildClient(config, log, tokens ? await tokens.getAccessToken() : undefined, opts);
}

function buildClient(config: AppConfig, log: Logger, accessToken: string | undefined, opts: ImapConnectionOptions): ImapFlow {
  const { host, port, secure, user, password } = config.imap;
  if (!host || !user) throw new WorkError('IMAP_HOST and IMAP_USER are required', 'imap.auth', 'permanent');
  let auth: { user: string; pass?: string; accessToken?: string };
  if (accessToken) auth = { user, accessToken };
  else if (password) auth = { user, pass: password };
  else throw new WorkError('set IMAP_PASSWORD, IMAP_ACCESS_TOKEN or the OAUTH_* refresh settings', 'imap.auth', 'permanent');

  const imapLog = log.child({ component: 'imap', purpose: opts.purpose });
  return new ImapFlow({
    host,
    port,
    secure,
    auth,
    logger: imapLogger(imapLog),
    clientInfo: { name: 'seis-intake' },
    disableAutoIdle: opts.idle === false,
    autoIdleDelay: opts.autoIdleDelayMs ?? 1000,
    // Re-issue IDLE every few minutes: some servers and NAT boxes drop a silent connection.
    maxIdleTime: 4 * 60_000,
    connectionTimeout: 30_000,
    greetingTimeout: 16_000,
    socketTimeout: 10 * 60_000,
  });
}

/** imapflow logs every command at debug and connection chatter at info: keep ours at warn unless debugging. */
function imapLogger(log: Logger) {
  const verbose = log.isLevelEnabled('debug');
  return {
    debug: (obj: object) => verbose && log.debug({ code: 'imap.client', ...obj }),
    info: (obj: object) => verbose && log.info({ code: 'imap.client', ...obj }),
    warn: (obj: object) => log.warn({ code: 'imap.client', ...obj }),
    error: (obj: object) => log.error({ code: 'imap.client', ...obj }),
  };
}

/**
 * A connected client. An access token the server refuses (expired or revoked before its time) is dropped and a
 * fresh one tried once: only a refusal of the fresh token is the credentials' fault.
 */
export async function openImap(
  config: AppConfig,
  log: Logger,
  tokens: AccessTokenSource | undefined,
  opts: ImapConnectionOptions,
): Promise<ImapFlow> {
  const token = tokens ? await tokens.getAccessToken() : undefined;
  try {
    return await connectImap(buildClient(config, log, token, opts));
  } catch (err) {
    if (!token || !tokens?.invalidate || classifyError(err).code !== 'imap.auth') throw err;
    tokens.invalidate(token);
    return connectImap(buildClient(config, log, await tokens.getAccessToken(), opts));
  }
}

/** Connects, or closes the half-open instance and rethrows: callers retry with a fresh one. */
export async function connectImap(client: ImapFlow): Promise<ImapFlow> {
  client.on('error', () => {
    // Emitted at most once, then 'close': the owner reacts to 'close'.
  });
  try {
    await client.connect();
    return client;
  } catch (err) {
    client.close();
    throw err;
  }
}
