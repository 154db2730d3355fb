// Logging in and out: the login form (its own CSRF cookie), the throttle per account name, a new session id at
// every login (the old cookie's session ends), logout, and "log out everywhere" for one's own account. Only a
// same-site path is followed after login; any other `next` goes home.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { passwordStamp } from '../accounts.ts';
import { authenticate } from '../auth.ts';
import { LOGIN_COOKIE, newLoginToken, SESSION_COOKIE, type DashboardState } from '../state.ts';
import { loginView } from '../views/misc.ts';
import { clientIp, sendPage } from './common.ts';
import { formRoute, formSchema } from './forms.ts';

/**
 * A path on this site, or "/": ASCII printable without spaces, starting with one "/" (never "//" or "/\", which
 * browsers read as another host), at most 2,000 characters.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/';
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(next) || next.includes('\\')) return '/';
  return next;
}

function sendLogin(state: DashboardState, request: FastifyRequest, reply: FastifyReply, opts: { next?: string; error?: string; expired?: boolean },
  status = 200) {
  const token = newLoginToken();
  reply.setCookie(LOGIN_COOKIE, token, { path: '/login', httpOnly: true, sameSite: 'strict', secure: state.isSecure(request), maxAge: 3600 });
  return sendPage(reply, 'เข้าสู่ระบบ', {}, loginView({ csrf: token, ...opts }), status);
}

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

export function registerLoginRoutes(app: FastifyInstance, state: DashboardState): void {
  const pub = { config: { public: true } };

  // Browsers ask for it on every page, the login page too: an empty answer keeps consoles and logs quiet.
  app.get('/favicon.ico', pub, async (_request, reply) => reply.code(204).send());

  app.get('/login', pub, async (request, reply) => {
    const q = request.query as { next?: unknown; expired?: unknown };
    return sendLogin(state, request, reply, { next: safeNext(q.next), expired: q.expired === '1' });
  });

  app.post<{ Body: { username?: string; password?: string; next?: string } }>('/login', {
    ...pub,
    schema: { body: formSchema({ username: 200, password: 1000, next: 2000 }) },
  }, async (request, reply) => {
    const body = request.body;
    const name = String(body.username ?? '').trim().slice(0, 100);
    const ip = clientIp(request);
    const next = safeNext(body.next);
    const verdict = state.throttle.check(name);
    if (!verdict.allowed) {
      // One audit line per lockout; the attempts refused after it are counted and reported with the next login.
      if (verdict.first) await state.audit.write({ user: name || '-', ip, action: 'login-throttled', detail: { reason: verdict.reason } });
      reply.header('retry-after', Math.ceil(verdict.retryAfterMs / 1000));
      return sendLogin(state, request, reply, { next, error: `ลองเข้าสู่ระบบผิดหลายครั้ง กรุณารอประมาณ ${minutes(verdict.retryAfterMs)} นาทีแล้วลองใหม่` }, 429);
    }
    await state.accounts.refresh();
    const account = await authenticate(state.accounts.get(name), String(body.password ?? ''));
    if (!account) {
      state.throttle.fail(name);
      await state.audit.write({ user: name || '-', ip, action: 'login-failed' });
      return sendLogin(state, request, reply, { next, error: 'ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง' }, 401);
    }
    const refused = state.throttle.succeed(name);
    // Rotation: whatever session the browser had ends; the login gets a new id.
    await state.sessions.destroy(request.cookies[SESSION_COOKIE]);
    const { token } = await state.sessions.create(account.name, passwordStamp(account));
    await state.audit.write({
      user: account.name,
      ...(account.displayName ? { name: account.displayName } : {}),
      ip,
      action: 'login',
      detail: { role: account.role, ...(refused ? { throttledBefore: refused } : {}) },
    });
    reply.clearCookie(LOGIN_COOKIE, { path: '/login' });
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: state.isSecure(request),
      maxAge: Math.floor((state.config.dashboard.sessionTtlMinutes * 60_000) / 1000),
    });
    return reply.code(303).header('location', next).send();
  });

  app.post('/logout', formRoute('read', {}), async (request, reply) => {
    await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'logout' });
    await state.sessions.destroyId(request.session!.id, request.session!.user);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(303).header('location', '/login').send();
  });

  app.post('/logout-everywhere', formRoute('read', {}), async (request, reply) => {
    const ended = await state.sessions.destroyAll(request.session!.user);
    await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'logout-everywhere', detail: { sessions: ended } });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(303).header('location', '/login').send();
  });
}
