import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { classifyError } from '../../../adapters/errors.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { RefreshingToken, tokenSourceFromConfig } from '../../../adapters/oauth-token.ts';
import { FileRefreshTokenStore } from '../../../adapters/oauth-token-store.ts';
import { TestOAuthProvider } from '../../helpers/oauth-provider.ts';

const USER = 'submissions@example.test';
let provider: TestOAuthProvider;
let archive: string;

beforeEach(async () => {
  provider = new TestOAuthProvider(0, { user: USER, clientId: 'seis-app', clientSecret: 'app-secret' });
  await provider.start();
  archive = mkdtempSync(join(tmpdir(), 'seis-oauth-'));
});
afterEach(async () => {
  await provider.stop();
  rmSync(archive, { recursive: true, force: true });
});

function source(configuredToken: string, logLines?: string[]) {
  const log = logLines ? pino({ level: 'debug' }, { write: (l: string) => void logLines.push(l) }) : silentLogger;
  const config = loadConfig({ env: {
    ARCHIVE_DIR: archive,
    IMAP_USER: USER,
    OAUTH_TOKEN_URL: provider.tokenUrl,
    OAUTH_CLIENT_ID: 'seis-app',
    OAUTH_CLIENT_SECRET: 'app-secret',
    OAUTH_REFRESH_TOKEN: configuredToken,
  } });
  return tokenSourceFromConfig(config, log) as RefreshingToken;
}

describe('the rotated refresh token survives a restart', () => {
  it('saves the newest refresh token (mode 600) and a restarted process refreshes with it, not the configured one', async () => {
    const configured = provider.consent();
    const lines: string[] = [];
    const first = source(configured, lines);
    await first.getAccessToken();
    const rotated = provider.currentRefreshToken()!;
    expect(rotated).not.toBe(configured);

    const store = new FileRefreshTokenStore(archive, { tokenUrl: provider.tokenUrl, clientId: 'seis-app', user: USER, configuredToken: configured });
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(archive, '_state', 'oauth')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(store.file, 'utf8')).refreshToken).toBe(rotated);

    // The provider accepts only the newest token: the configured one is dead now.
    const restarted = source(configured);
    expect(await restarted.getAccessToken()).toMatch(/^at-/);
    expect(provider.tokenRequests.map((r) => r.refreshToken)).toEqual([configured, rotated]);
    // Never in the logs.
    const all = lines.join('\n');
    for (const secret of [configured, rotated, provider.currentRefreshToken()!, 'app-secret']) expect(all).not.toContain(secret);
  });

  it('a newly configured grant (the operator consented again) wins over the stored token of the old one', async () => {
    const old = provider.consent();
    await source(old).getAccessToken();
    const fresh = provider.consent();
    await source(fresh).getAccessToken();
    expect(provider.tokenRequests.at(-1)?.refreshToken).toBe(fresh);
    // …and from then on the stored token descends from the new grant.
    await source(fresh).getAccessToken();
    expect(provider.tokenRequests.at(-1)?.refreshToken).not.toBe(fresh);
  });

  it('two processes sharing the archive refresh one after the other, each from the newest token', async () => {
    const configured = provider.consent();
    const a = source(configured);
    const b = source(configured);
    const [ta, tb] = await Promise.all([a.getAccessToken(), b.getAccessToken()]);
    expect(ta).not.toBe(tb);
    expect(provider.tokenRequests.map((r) => r.refreshToken)[0]).toBe(configured);
    expect(new Set(provider.tokenRequests.map((r) => r.refreshToken)).size).toBe(2); // no token used twice
  });

  it('a revoked grant is permanent, logged once at warn, and invalidate() makes the next call refresh', async () => {
    const lines: string[] = [];
    const tokens = new RefreshingToken({ tokenUrl: provider.tokenUrl, clientId: 'seis-app', clientSecret: 'app-secret', refreshToken: provider.consent() },
      pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) }));
    const first = await tokens.getAccessToken();
    expect(await tokens.getAccessToken()).toBe(first);
    tokens.invalidate(first);
    const second = await tokens.getAccessToken();
    expect(second).not.toBe(first);
    provider.revokeAll();
    tokens.invalidate(second);
    for (let i = 0; i < 3; i++) expect(classifyError(await tokens.getAccessToken().catch((e) => e))).toEqual({ kind: 'permanent', code: 'oauth.refused' });
    const refusals = lines.map((l) => JSON.parse(l)).filter((l) => l.code === 'oauth.refresh_failed');
    expect(refusals.map((l) => l.level)).toEqual([40, 20, 20]);
  });
});
