// OAuth2 access tokens for IMAP and SMTP (XOAUTH2): a fixed token from the config, or a refresh-token
// grant against OAUTH_TOKEN_URL, renewed before it expires, the rotated refresh token kept in the archive
// (oauth-token-store.ts) for the next start. It does not run the browser consent flow. Tokens are never logged.
import type { AppConfig } from '../config/schema.ts';
import { WorkError } from './errors.ts';
import type { Logger } from './logger.ts';
import { FileRefreshTokenStore, type RefreshTokenStore } from './oauth-token-store.ts';

export interface AccessTokenSource {
  getAccessToken(): Promise<string>;
  /** The server refused this access token (expired or revoked early): the next call fetches a new one. */
  invalidate?(token: string): void;
}

/** Renew this long before the server's expiry, so a token never dies between fetch and LOGIN. */
const REFRESH_MARGIN_MS = 5 * 60_000;
const FALLBACK_LIFETIME_S = 3600;

export class StaticToken implements AccessTokenSource {
  constructor(private readonly token: string) {}
  async getAccessToken(): Promise<string> {
    return this.token;
  }
}

export interface RefreshTokenOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  refreshToken: string;
  scope?: string;
  /** Where the newest rotated refresh token is kept between runs and shared between processes. */
  store?: RefreshTokenStore;
  now?: () => number;
  fetch?: typeof fetch;
}

export class RefreshingToken implements AccessTokenSource {
  private token?: { value: string; expiresAt: number };
  private inflight?: Promise<string>;
  private refreshToken: string;
  /** Set while the endpoint refuses us: later refusals of the same streak are logged at debug only. */
  private refusing = false;
  private readonly now: () => number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: RefreshTokenOptions, private readonly log: Logger) {
    this.refreshToken = opts.refreshToken;
    this.now = opts.now ?? Date.now;
    this.fetchImpl = opts.fetch ?? fetch;
  }

  async getAccessToken(): Promise<string> {
    if (this.token && this.token.expiresAt - REFRESH_MARGIN_MS > this.now()) return this.token.value;
    // One refresh at a time: IMAP and SMTP asking together share it.
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  invalidate(token: string): void {
    if (this.token?.value === token) this.token = undefined;
  }

  private async refresh(): Promise<string> {
    const { store } = this.opts;
    if (!store) return this.grant();
    return store.exclusive(async () => {
      // Another process (or our previous run) may have rotated the token since: always start from the newest.
      const stored = await store.load().catch((err: unknown) => {
        this.log.warn({ code: 'oauth.store_unreadable', err }, 'stored OAuth refresh token unreadable; using the one in memory');
        return undefined;
      });
      if (stored) this.refreshToken = stored;
      const before = this.refreshToken;
      const access = await this.grant();
      if (this.refreshToken !== before) {
        await store.save(this.refreshToken).catch((err: unknown) => {
          this.log.error({ code: 'oauth.store_failed', err }, 'rotated OAuth refresh token not saved: a restart would use an older one');
        });
      }
      return access;
    });
  }

  private async grant(): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.refreshToken, client_id: this.opts.clientId });
    if (this.opts.clientSecret) body.set('client_secret', this.opts.clientSecret);
    if (this.opts.scope) body.set('scope', this.opts.scope);
    let res: Response;
    try {
      res = await this.fetchImpl(this.opts.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(20_000),
      });
    } catch (err) {
      throw new WorkError(`OAuth token endpoint unreachable: ${(err as Error).message}`, 'oauth.unavailable', 'transient');
    }
    const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || typeof data.access_token !== 'string') {
      const reason = typeof data.error === 'string' ? data.error : `HTTP ${res.status}`;
      // invalid_grant / invalid_client: the refresh token or app was revoked; retrying will not help.
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 429;
      // The operator's error comes from whoever pauses on it (adapters/credential-gate.ts): here a warning once.
      this.log[this.refusing ? 'debug' : 'warn']({ code: 'oauth.refresh_failed', status: res.status, reason }, 'OAuth token refresh failed');
      this.refusing = permanent;
      throw new WorkError(`OAuth token refresh failed: ${reason}`, permanent ? 'oauth.refused' : 'oauth.unavailable', permanent ? 'permanent' : 'transient');
    }
    const lifetime = Number(data.expires_in) > 0 ? Number(data.expires_in) : FALLBACK_LIFETIME_S;
    this.token = { value: data.access_token, expiresAt: this.now() + lifetime * 1000 };
    // Microsoft rotates refresh tokens: keep the newest for the next refresh (and, with a store, the next start).
    if (typeof data.refresh_token === 'string' && data.refresh_token) this.refreshToken = data.refresh_token;
    this.refusing = false;
    this.log.info({ code: 'oauth.refreshed', expiresInSeconds: lifetime }, 'OAuth access token refreshed');
    return data.access_token;
  }
}

/** The token source the config asks for, or undefined when IMAP/SMTP use passwords. */
export function tokenSourceFromConfig(config: AppConfig, log: Logger): AccessTokenSource | undefined {
  const { tokenUrl, clientId, clientSecret, refreshToken } = config.oauth;
  if (tokenUrl && clientId && refreshToken) {
    const store = new FileRefreshTokenStore(config.archiveDir, { tokenUrl, clientId, user: config.imap.user ?? config.smtp.user,
      configuredToken: refreshToken });
    return new RefreshingToken({ tokenUrl, clientId, clientSecret, refreshToken, store }, log.child({ component: 'oauth' }));
  }
  if (config.imap.accessToken) return new StaticToken(config.imap.accessToken);
  return undefined;
}
