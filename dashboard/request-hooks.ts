// The security every dashboard request passes before its route: security headers, no cross-site action, a
// signed-in session (else a login redirect or 401), and the CSRF token on every form POST.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from './auth.ts';
import { resolveSession } from './guards.ts';
import { LOGIN_COOKIE, SESSION_COOKIE, type DashboardState } from './state.ts';
import { errorView } from './views/misc.ts';
import { CONTENT_SECURITY_POLICY, page } from './views/layout.ts';

function refuse(request: FastifyRequest, reply: FastifyReply) {
  const wantsPage = request.method === 'GET' && !request.routeOptions.config?.file && request.routeOptions.url !== undefined;
  if (wantsPage) {
    const next = request.url.startsWith('/') && !request.url.startsWith('//') ? request.url : '/';
    const expired = Boolean(request.cookies[SESSION_COOKIE]);
    return reply.code(303).header('location', `/login?next=${encodeURIComponent(next)}${expired ? '&expired=1' : ''}`).send();
  }
  return reply.code(401).type('text/plain; charset=utf-8').send('ต้องเข้าสู่ระบบก่อน (login required)');
}

export function registerRequestHooks(app: FastifyInstance, state: DashboardState): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .header('cross-origin-opener-policy', 'same-origin')
      .header('cross-origin-resource-policy', 'same-origin')
      .header('permissions-policy', 'camera=(), microphone=(), geolocation=()')
      .header('cache-control', 'no-store');
    if (state.isSecure(request)) reply.header('strict-transport-security', 'max-age=31536000');
    // Browsers say where a request came from: nothing from another site may act here.
    if (request.headers['sec-fetch-site'] === 'cross-site' && request.method !== 'GET') {
      return reply.code(403).type('text/plain; charset=utf-8').send('cross-site request refused');
    }
    if (request.routeOptions.config?.public) return;
    const signedIn = await resolveSession(state, request.cookies[SESSION_COOKIE]);
    if (!signedIn) return refuse(request, reply);
    Object.assign(request, signedIn);
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.config?.csrfHeader) return;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = typeof body._csrf === 'string' ? body._csrf : undefined;
    const expected = request.session ? request.session.csrf : request.cookies[LOGIN_COOKIE];
    if (!safeEqual(token, expected)) {
      return reply.code(403).type('text/html; charset=utf-8')
        .send(page('ไม่อนุญาต', {}, errorView(403, 'แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง')));
    }
  });
}
