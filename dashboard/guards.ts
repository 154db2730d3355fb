// The gate every dashboard request passes, apart from the routes so that a new route is covered without a
// line of its own: the session (Redis) and its account, the access level the route declares (fail closed: a
// route that declares none is for admins only), and the account's units against every route parameter and
// form field that names a person, unit or unmatched message. A parameter it does not know refuses a limited
// account. Lists (overview, search, exports) filter themselves with scoped.ts; this decides single resources.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { passwordStamp, type Account } from './accounts.ts';
import { roleAllows, type Access } from './roles.ts';
import { Scope } from './scope.ts';
import type { Session } from './sessions.ts';
import type { DashboardState } from './state.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session?: Session & { role?: Account['role'] };
    account?: Account;
    scope?: Scope;
  }
  interface FastifyContextConfig {
    /** Reachable without a session (the login form only). */
    public?: boolean;
    /** Answers with file bytes: anonymous requests get 401 rather than a redirect to the login page. */
    file?: boolean;
    /** What the account's role must allow (roles.ts). Absent: admins only. */
    access?: Access;
  }
}

/**
 * The access level of routes that do not declare one, by path: pages other features add (the job queue view
 * under /queues, a campaign's reminders page) are gated by the role model without a line in their own code.
 * Anything else undeclared is for admins only.
 */
export const PATH_ACCESS: ReadonlyArray<[RegExp, Access]> = [
  [/^\/queues(\/|$)/, 'queues'],
  [/^\/c\/:cid\/reminders(\/|$)/, 'reminders'],
];

export function accessOf(url: string, declared: Access | undefined): Access {
  return declared ?? PATH_ACCESS.find(([re]) => re.test(url))?.[1] ?? 'accounts';
}

/** Route parameters the scope check understands; any other refuses an account limited to some units. */
export const SCOPED_PARAMS = new Set(['cid', 'nid', 'unit', 'key']);

export interface RouteInfo {
  method: string;
  url: string;
  /** As the route declared it (absent: it declared none). */
  access?: Access;
  /** What the guard enforces: the declared level, else PATH_ACCESS, else admins only. */
  effective: Access;
  public: boolean;
}

/** Every route, as registered: the tests walk it so that a new route is checked for scope too. */
export function registerRouteList(app: FastifyInstance): RouteInfo[] {
  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const config = (r.config ?? {}) as { access?: Access; public?: boolean };
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: r.url, ...(config.access ? { access: config.access } : {}), effective: accessOf(r.url, config.access),
        public: Boolean(config.public) });
    }
  });
  return routes;
}

/** The signed-in account of a session cookie, or nothing: ended, idle, password changed, disabled or deleted. */
export async function resolveSession(state: DashboardState, token: string | undefined) {
  const session = await state.sessions.get(token);
  if (!session) return undefined;
  await state.accounts.refresh();
  const account = state.accounts.get(session.user);
  if (!account || account.disabled || passwordStamp(account) !== session.pw) {
    await state.sessions.destroyId(session.id, session.user);
    return undefined;
  }
  return { session: { ...session, role: account.role }, account, scope: Scope.of(account, state.units) };
}

async function personUnit(state: DashboardState, cid: string, nid: string): Promise<string | undefined> {
  const index = state.index.campaign(cid);
  const entry = index?.persons.get(nid) ?? (await state.index.refreshPerson(cid, nid));
  return entry?.unit ?? state.rosterById.get(nid)?.unit;
}

async function unmatchedFrom(state: DashboardState, cid: string, key: string): Promise<{ found: boolean; from?: string }> {
  const known = (state.index.campaign(cid) ?? state.index.unitCampaign(cid))?.unmatched;
  if (!known?.has(key)) await state.index.refreshUnmatched(cid);
  const record = known?.get(key)?.value;
  return { found: Boolean(record), from: record?.from };
}

/** Whether a limited account may touch what this request names. Everything-scope accounts always may. */
export async function inScope(state: DashboardState, request: FastifyRequest): Promise<boolean> {
  const scope = request.scope;
  if (!scope) return false;
  if (scope.all) return true;
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
  if (Object.keys(params).some((name) => !SCOPED_PARAMS.has(name))) return false;
  const route = request.routeOptions.url ?? '';
  const cid = params.cid;
  if (cid === undefined) return !('nid' in params || 'unit' in params || 'key' in params);
  const campaign = state.campaigns.get(cid);
  if (!campaign) return false;
  const unmatchedRoute = /\/unmatched\/:key(\/|$)/.test(route);
  if (params.key !== undefined) {
    // A message key is checked through what owns it: the unmatched record's sender, or the person/unit in the URL.
    if (unmatchedRoute) {
      const record = await unmatchedFrom(state, cid, params.key);
      if (!record.found || !scope.sender(record.from)) return false;
    } else if (params.nid === undefined && params.unit === undefined) {
      return false;
    }
  }
  if (campaign.scope === 'unit') {
    const index = state.index.unitCampaign(cid);
    if (params.nid !== undefined || body.nationalId !== undefined) return false;
    if (params.unit !== undefined && !scope.unitRef(index?.units.get(params.unit)?.value.unit)) return false;
    if (body.unit !== undefined) {
      const target = typeof body.unit === 'string' ? state.units?.byId.get(body.unit) : undefined;
      if (!target || !scope.unitRef(target)) return false;
    }
    return true;
  }
  if (params.nid !== undefined && !scope.unitName(await personUnit(state, cid, params.nid))) return false;
  if (params.unit !== undefined && !scope.unitName(params.unit)) return false;
  if (body.unit !== undefined) return false;
  if (body.nationalId !== undefined) {
    const nid = typeof body.nationalId === 'string' ? body.nationalId.replace(/[\s-]/g, '') : '';
    if (!/^\d{13}$/.test(nid) || !scope.unitName(await personUnit(state, cid, nid))) return false;
  }
  return true;
}

/**
 * The per-route checks, run after the body is parsed: the role must allow the route's access level (403), and the
 * resource must be in the account's units (404: an out-of-scope person is, for this account, not there).
 */
export function registerGuards(app: FastifyInstance, state: DashboardState,
  refuse: (request: FastifyRequest, reply: FastifyReply, status: 403 | 404) => unknown): void {
  app.addHook('preHandler', async (request, reply) => {
    const config = request.routeOptions.config;
    if (config?.public || request.routeOptions.url === undefined) return;
    const access = accessOf(request.routeOptions.url, config?.access);
    if (!roleAllows(request.account?.role, access)) return refuse(request, reply, 403);
    if (!(await inScope(state, request))) return refuse(request, reply, 404);
  });
}
