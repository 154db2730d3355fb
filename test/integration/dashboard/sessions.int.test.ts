// Dashboard sessions in the machine's Redis: a restart of the dashboard keeps everyone logged in, the cookie token
// is never stored, idle and absolute timeouts, rotation at login, log out everywhere, and a new password or a
// disabled account ends the account's sessions. Clock injected; each test has its own Redis prefix.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { AccountStore } from '../../../dashboard/accounts.ts';
import { createDashboard, type Dashboard } from '../../../dashboard/server.ts';
import { ArchiveStore } from '../../../adapters/archive-store.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { dropPrefix, REDIS_URL, sessionPrefix } from '../../helpers/dashboard/redis-sessions.ts';
import { loginAs, postForm } from '../../helpers/dashboard/login.ts';

const PW = 'session-test-password';
let root: string;
let prefix: string;
let now = Date.parse('2023-09-20T03:00:00Z');
let redis: Redis;
const open: Dashboard[] = [];

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
});
afterAll(() => redis.disconnect());

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dash-sessions-'));
  prefix = sessionPrefix('sessions');
  now = Date.parse('2023-09-20T03:00:00Z');
  const accounts = new AccountStore(root, []);
  await accounts.load();
  await accounts.add({ name: 'somying', password: PW, role: 'central' });
});
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
  await dropPrefix(prefix);
  await rm(root, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<Dashboard> {
  const config = loadConfig({ env: { ARCHIVE_DIR: root, SESSION_IDLE_MINUTES: '30', SESSION_TTL_MINUTES: '480', ...env } });
  const dash = await createDashboard({ config, store: new ArchiveStore(root), log: silentLogger, clock: () => new Date(now), sessionPrefix: prefix });
  open.push(dash);
  return dash;
}
const status = async (dash: Dashboard, cookie: string) => (await dash.app.inject({ method: 'GET', url: '/', headers: { cookie } })).statusCode;

describe('sessions', () => {
  it('survive a restart of the dashboard', async () => {
    const first = await start();
    const login = await loginAs(first, 'somying', PW);
    await first.close();
    open.splice(0);
    const second = await start();
    expect(await status(second, login.cookie)).toBe(200);
  });

  it('keep only a hash of the cookie token in Redis', async () => {
    const dash = await start();
    const login = await loginAs(dash, 'somying', PW);
    const token = login.cookie.split('=')[1];
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain(token);
      const value = (await redis.type(key)) === 'string' ? await redis.get(key) : (await redis.smembers(key)).join(' ');
      expect(value).not.toContain(token);
    }
  });

  it('end after the idle timeout, and stay while used', async () => {
    const dash = await start();
    const login = await loginAs(dash, 'somying', PW);
    for (let i = 0; i < 5; i++) {
      now += 20 * 60_000; // 20 minutes apart: never idle for 30
      expect(await status(dash, login.cookie)).toBe(200);
    }
    now += 31 * 60_000;
    const res = await dash.app.inject({ method: 'GET', url: '/', headers: { cookie: login.cookie } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('expired=1');
  });

  it('end at the absolute timeout however busy', async () => {
    const dash = await start({ SESSION_TTL_MINUTES: '60' });
    const login = await loginAs(dash, 'somying', PW);
    for (let i = 0; i < 5; i++) {
      now += 10 * 60_000;
      expect(await status(dash, login.cookie)).toBe(200);
    }
    now += 10 * 60_000;
    expect(await status(dash, login.cookie)).toBe(303);
  });

  it('get a new id at every login: the cookie from before stops working', async () => {
    const dash = await start();
    const first = await loginAs(dash, 'somying', PW);
    const second = await loginAs(dash, 'somying', PW, { cookie: first.cookie });
    expect(second.cookie).not.toBe(first.cookie);
    expect(await status(dash, first.cookie)).toBe(303);
    expect(await status(dash, second.cookie)).toBe(200);
  });

  it('end everywhere when the account logs out everywhere', async () => {
    const dash = await start();
    const office = await loginAs(dash, 'somying', PW);
    const home = await loginAs(dash, 'somying', PW);
    const res = await postForm(dash, '/logout-everywhere', home, {});
    expect(res.statusCode).toBe(303);
    expect(await status(dash, office.cookie)).toBe(303);
    expect(await status(dash, home.cookie)).toBe(303);
  });

  it('end when the password changes or the account is disabled, even from another process', async () => {
    const dash = await start();
    const login = await loginAs(dash, 'somying', PW);
    const cli = new AccountStore(root, []);
    await cli.load();
    await cli.setPassword('somying', 'a-brand-new-password');
    now += 2000; // the running dashboard re-reads users.json at most once a second
    expect(await status(dash, login.cookie)).toBe(303);
    const again = await loginAs(dash, 'somying', 'a-brand-new-password');
    await cli.setDisabled('somying', true);
    now += 2000;
    expect(await status(dash, again.cookie)).toBe(303);
  });

  it('keep staff working in memory while Redis is unreachable', async () => {
    const config = loadConfig({ env: { ARCHIVE_DIR: root, REDIS_URL: 'redis://127.0.0.1:1' } });
    const down = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, retryStrategy: () => 1000 });
    down.on('error', () => undefined);
    try {
      const dash = await createDashboard({ config, store: new ArchiveStore(root), log: silentLogger, clock: () => new Date(now), sessionPrefix: prefix,
        redis: down });
      open.push(dash);
      const login = await loginAs(dash, 'somying', PW);
      expect(await status(dash, login.cookie)).toBe(200);
      now += 31 * 60_000;
      expect(await status(dash, login.cookie)).toBe(303); // the idle timeout holds in memory too
    } finally {
      down.disconnect();
    }
  });
});
