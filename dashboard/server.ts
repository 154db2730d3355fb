// The dashboard's HTTP server (fastify): security hooks every request passes (login, CSRF on every POST,
// security headers), then the page, file and decision routes. It decides nothing about the archive itself.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { campaignById } from '../config/load.ts';
import type { Campaign } from '../pipelines/types.ts';
import { createRedis } from '../adapters/redis-connection.ts';
import { loadExtensions, personDeadline } from '../usecases/extensions.ts';
import { AccountStore } from './accounts.ts';
import { ThumbnailCache } from '../adapters/thumbnail-cache.ts';
import { ArchiveIndex } from './archive-index.ts';
import { AuditLog } from './audit.ts';
import type { DashboardCore } from './decision-context.ts';
import { registerGuards, registerRouteList, resolveSession, type RouteInfo } from './guards.ts';
import { registerRequestHooks } from './request-hooks.ts';
import { SessionStore } from './sessions.ts';
import { SESSION_COOKIE, type DashboardOptions, type DashboardState } from './state.ts';
import { LoginThrottle } from './throttle.ts';
import { registerAccountRoutes } from './routes/accounts.ts';
import { registerActionRoutes } from './routes/actions.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerFileRoutes } from './routes/files.ts';
import { registerPageRoutes } from './routes/pages.ts';
import { registerUnitDecisionRoutes } from './routes/unit-decisions.ts';
import { registerThumbnailRoutes } from './routes/thumbnails.ts';
import { registerReminderRoutes } from './routes/reminders.ts';
import { registerUnitFileRoutes } from './routes/unit-files.ts';
import { registerUnitPageRoutes } from './routes/unit-pages.ts';
import { registerQueueView } from './queue-view.ts';
import { errorView } from './views/misc.ts';
import { page } from './views/layout.ts';

export { LOGIN_COOKIE, newLoginToken, SESSION_COOKIE, type DashboardOptions, type DashboardState } from './state.ts';

/** Slow clients are cut off: headers within 10 s, a whole request within 30 s, idle keep-alive after 5 s. */
export const TIMEOUTS = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, connectionMs: 60_000 };
/** The only URLs that take JSON bodies: the job queue view's API. */
const JSON_API = /^\/queues\/api\//;

/** At start, how long to wait for Redis before serving with sessions kept in memory until it answers. */
const REDIS_WAIT_MS = 3000;

function connected(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
  });
}

/** Thai unit names are ~9 bytes a character once percent-encoded: fastify's default of 100 cut them off. */
const MAX_PARAM_LENGTH = 4000;

export interface Dashboard {
  app: FastifyInstance;
  state: DashboardState;
  /** Every route as registered (method, URL pattern, declared access): the scope tests walk it. */
  routes: RouteInfo[];
  close(): Promise<void>;
}

/**
 * Whose X-Forwarded-For/-Proto is believed. Addresses/CIDRs are checked against each hop; a hop count trusts that
 * many hops from the socket (only when nothing but the proxy can reach the port). `true` (--trust-proxy) means a
 * proxy on this machine (loopback): believing everyone would make the left-most X-Forwarded-For, which a client
 * writes itself, the client's address.
 */
export function trustOf(value: DashboardOptions['trustProxy'], configured: number | string[]): false | string[] | ((addr: string, hop: number) => boolean) {
  if (value === true) return ['loopback'];
  if (value === false) return false;
  const chosen = value ?? configured;
  if (typeof chosen === 'number') return chosen > 0 ? (_addr: string, hop: number) => hop < chosen : false;
  return chosen.length ? chosen : false;
}

export async function createDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const clock = opts.clock ?? (() => new Date());
  const campaigns = new Map(opts.config.campaigns.map((c) => [c.id, c as Campaign]));
  const rosterById = new Map((opts.roster ?? []).map((p) => [p.nationalId, p]));
  const index = opts.index ?? new ArchiveIndex({
    store: opts.store,
    campaigns: opts.config.campaigns,
    roster: opts.roster,
    units: opts.units,
    clock,
    checkMs: opts.checkMs,
    sweepMs: opts.sweepMs,
    deadlinesFor: async (id) => {
      const campaign = campaignById(opts.config, id);
      const extensions = await loadExtensions(opts.config, opts.store, id);
      return (person) => personDeadline(campaign, extensions, person, opts.units);
    },
    onError: (err) => opts.log.warn({ err, code: 'dashboard.index_failed' }, 'Archive index refresh failed'),
  });
  const audit = new AuditLog(opts.store.root, clock);
  const secure = opts.secureCookies ?? 'auto';
  const ms = () => clock().getTime();
  const accounts = opts.accounts ?? new AccountStore(opts.store.root, opts.users ?? [], {
    clock: ms,
    onError: (err) => opts.log.error({ err, code: 'dashboard.accounts_invalid' }, 'Accounts file unreadable: keeping the accounts loaded before'),
  });
  if (!opts.accounts) await accounts.load();
  audit.nameOf = (user) => accounts.get(user)?.displayName;
  const redis = opts.redis ?? createRedis(opts.config.redis.url, opts.log, 'dashboard-sessions');
  const d = opts.config.dashboard;
  await connected(redis, REDIS_WAIT_MS);
  const core: DashboardCore = { config: opts.config, store: opts.store, index, audit, log: opts.log, clock };
  const state: DashboardState = {
    ...core,
    accounts,
    sessions: new SessionStore(redis, opts.sessionPrefix ?? `${opts.config.redis.prefix}:dash`, {
      idleMs: d.idleMinutes * 60_000,
      absoluteMs: d.sessionTtlMinutes * 60_000,
    }, ms, (err) => opts.log.warn({ err, code: 'dashboard.sessions_redis' }, 'Session store: Redis failed, this login is kept in memory')),
    throttle: new LoginThrottle({ clock: ms }),
    campaigns,
    rosterById,
    ...(opts.units ? { units: opts.units } : {}),
    decisions: {
      ...core,
      campaign: (id) => campaigns.get(id),
      rosterPerson: (_campaignId, nationalId) => rosterById.get(nationalId),
      ...(opts.staffMail ? { staffMail: opts.staffMail } : {}),
    },
    thumbnails: opts.thumbnails ?? new ThumbnailCache(opts.store, { log: opts.log }),
    isSecure: (request) => (secure === 'auto' ? request.protocol === 'https' : secure),
    queueView: Boolean(opts.queues?.length),
  };

  const app = Fastify({
    logger: false,
    trustProxy: trustOf(opts.trustProxy, d.trustedProxies),
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    connectionTimeout: TIMEOUTS.connectionMs,
    requestTimeout: TIMEOUTS.requestMs,
    keepAliveTimeout: TIMEOUTS.keepAliveMs,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  });
  app.server.headersTimeout = TIMEOUTS.headersMs;
  app.server.maxConnections = d.maxConnections;
  const routes = registerRouteList(app);
  await app.register(cookie);
  // Form bodies only: JSON, text and anything else answer 415 (fastify's own parsers are removed), except JSON
  // for the job queue view's own API (bull-board's script sends it; its routes check roles and CSRF themselves).
  app.removeAllContentTypeParsers();
  await app.register(formbody);
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (!JSON_API.test(request.url)) return done(Object.assign(new Error('form bodies only'), { statusCode: 415 }), undefined);
    return json(request, String(body), done);
  });

  registerRequestHooks(app, state);

  app.addHook('onResponse', async (request, reply) => {
    // Route pattern, not the URL: query strings may carry names and IDs.
    opts.log.debug({ code: 'dashboard.request', method: request.method, route: request.routeOptions.url, status: reply.statusCode,
      ms: Math.round(reply.elapsedTime) }, 'dashboard request');
  });

  registerGuards(app, state, (request, reply, status) =>
    reply.code(status).type('text/html; charset=utf-8')
      .send(page(status === 403 ? 'ไม่อนุญาต' : 'ไม่พบ', {}, errorView(status, status === 403 ? 'บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้' : 'ไม่พบข้อมูลที่ต้องการ'))));

  app.setNotFoundHandler(async (request, reply) => {
    if (!request.session && !(await resolveSession(state, request.cookies[SESSION_COOKIE]))) {
      return reply.code(401).type('text/plain; charset=utf-8').send('ต้องเข้าสู่ระบบก่อน (login required)');
    }
    return reply.code(404).type('text/html; charset=utf-8').send(page('ไม่พบ', {}, errorView(404, 'ไม่พบหน้าหรือไฟล์ที่ต้องการ')));
  });

  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) opts.log.error({ err, route: request.routeOptions.url, code: 'dashboard.error' }, 'Dashboard request failed');
    if (reply.sent || reply.raw.headersSent) return;
    return reply.code(status).type('text/html; charset=utf-8')
      .send(page('ข้อผิดพลาด', {}, errorView(status, status === 500 ? 'ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง' : 'คำขอไม่ถูกต้อง')));
  });

  registerPageRoutes(app, state);
  registerFileRoutes(app, state);
  registerThumbnailRoutes(app, state);
  registerActionRoutes(app, state);
  registerUnitPageRoutes(app, state);
  registerUnitFileRoutes(app, state);
  registerUnitDecisionRoutes(app, state);
  registerAccountRoutes(app, state);
  registerAuditRoutes(app, state);
  registerReminderRoutes(app, state);
  if (opts.queues?.length) await registerQueueView(app, state, opts.queues);

  return {
    app,
    state,
    routes,
    async close() {
      index.stop();
      await app.close();
      if (!opts.redis) redis.disconnect();
    },
  };
}
