// A small OAuth2 provider on loopback that behaves like Microsoft's for a mailbox: a refresh-token grant that
// rotates the refresh token on every use (the old one stops working), short-lived access tokens, an RFC 7662
// introspection endpoint (what Dovecot's oauth2 passdb and our test SMTP server ask), and the operator's and the
// provider's actions: consent (a new grant), revoke, expire access tokens, restore.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Grant {
  id: number;
  active: boolean;
  refresh: string;
}
interface Access {
  grant: number;
  expiresAt: number;
}

export interface TokenRequest {
  grantType: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
}

export class TestOAuthProvider {
  /** Every token request, in order (refresh tokens included: this is a test). */
  readonly tokenRequests: TokenRequest[] = [];
  introspections = 0;
  private server?: Server;
  private nextGrant = 1;
  private readonly grants = new Map<number, Grant>();
  private readonly refreshTokens = new Map<string, number>();
  private readonly accessTokens = new Map<string, Access>();

  /** `port` 0: any free port (read `port` after start). */
  constructor(
    public port: number,
    private readonly opts: { user: string; clientId: string; clientSecret: string; accessLifetimeS?: number },
  ) {}

  get tokenUrl(): string {
    return `http://127.0.0.1:${this.port}/token`;
  }

  get introspectionUrl(): string {
    return `http://127.0.0.1:${this.port}/introspect`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void readForm(req).then((form) => {
        const answer = req.url === '/token' ? this.token(form) : req.url === '/introspect' ? this.introspect(form) : { status: 404, body: {} };
        res.writeHead(answer.status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise((r) => (this.server ? this.server.close(r) : r(undefined)));
  }

  /** The operator's one-time consent: a new grant and its first refresh token. */
  consent(): string {
    const grant: Grant = { id: this.nextGrant++, active: true, refresh: '' };
    this.grants.set(grant.id, grant);
    grant.refresh = this.newRefresh(grant);
    return grant.refresh;
  }

  /** A valid access token straight from the provider (for the test's own IMAP client). */
  accessTokenFor(refreshToken: string): string {
    const grant = this.grants.get(this.refreshTokens.get(refreshToken) ?? -1);
    if (!grant) throw new Error('unknown refresh token');
    return this.newAccess(grant);
  }

  /** Consent withdrawn or password changed: the grant's refresh and access tokens stop working at once. */
  revokeAll(): void {
    for (const g of this.grants.values()) g.active = false;
  }

  /** The provider takes the revocation back (an admin lifts a block): the same grant works again. */
  restoreAll(): void {
    for (const g of this.grants.values()) g.active = true;
  }

  /** Revokes (or restores) only the grant that `refreshToken` (any of its rotations) belongs to. */
  setGrantActive(refreshToken: string, active: boolean): void {
    const grant = this.grants.get(this.refreshTokens.get(refreshToken) ?? -1);
    if (!grant) throw new Error('unknown refresh token');
    grant.active = active;
  }

  /** Every access token issued so far is past its expiry. */
  expireAccessTokens(): void {
    for (const a of this.accessTokens.values()) a.expiresAt = 0;
  }

  /** The grant's current (newest) refresh token. */
  currentRefreshToken(): string | undefined {
    return [...this.grants.values()].at(-1)?.refresh;
  }

  private newRefresh(grant: Grant): string {
    const token = `rt-${grant.id}-${randomBytes(12).toString('hex')}`;
    this.refreshTokens.set(token, grant.id);
    grant.refresh = token;
    return token;
  }

  private newAccess(grant: Grant): string {
    const token = `at-${grant.id}-${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(token, { grant: grant.id, expiresAt: Date.now() + (this.opts.accessLifetimeS ?? 3600) * 1000 });
    return token;
  }

  private token(form: URLSearchParams): { status: number; body: object } {
    const request: TokenRequest = {
      grantType: form.get('grant_type') ?? '',
      refreshToken: form.get('refresh_token') ?? '',
      clientId: form.get('client_id') ?? '',
      clientSecret: form.get('client_secret') ?? '',
    };
    this.tokenRequests.push(request);
    if (request.clientId !== this.opts.clientId || request.clientSecret !== this.opts.clientSecret) {
      return { status: 401, body: { error: 'invalid_client' } };
    }
    if (request.grantType !== 'refresh_token') return { status: 400, body: { error: 'unsupported_grant_type' } };
    const grant = this.grants.get(this.refreshTokens.get(request.refreshToken) ?? -1);
    // Rotation: only the newest refresh token of a grant is accepted (Microsoft's reuse detection is laxer).
    if (!grant || !grant.active || grant.refresh !== request.refreshToken) {
      return { status: 400, body: { error: 'invalid_grant', error_description: 'AADSTS70000: the refresh token was revoked or already used' } };
    }
    const access = this.newAccess(grant);
    const refresh = this.newRefresh(grant);
    return {
      status: 200,
      body: { token_type: 'Bearer', access_token: access, refresh_token: refresh, expires_in: this.opts.accessLifetimeS ?? 3600, scope: 'IMAP SMTP' },
    };
  }

  /** RFC 7662: `token=…` in, `{active, username, exp}` out. */
  private introspect(form: URLSearchParams): { status: number; body: object } {
    this.introspections++;
    const access = this.accessTokens.get(form.get('token') ?? '');
    const grant = access && this.grants.get(access.grant);
    if (!access || !grant?.active || access.expiresAt <= Date.now()) return { status: 200, body: { active: false } };
    return { status: 200, body: { active: true, username: this.opts.user, exp: Math.floor(access.expiresAt / 1000), scope: 'IMAP SMTP' } };
  }

  /** For a test SMTP server: is this bearer token valid for `user`? */
  async checkBearer(user: string, token: string): Promise<boolean> {
    const res = await fetch(this.introspectionUrl, { method: 'POST', body: new URLSearchParams({ token }) });
    const data = (await res.json()) as { active?: boolean; username?: string };
    return data.active === true && data.username === user;
  }
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => resolve(new URLSearchParams(body)));
  });
}
