// The job queue view (roles with `queues` access, roles.ts): bull-board under /queues/, inside the dashboard so it shares the login,
// the CSRF token and the audit log. Its page is a script (the rest of the dashboard has none), so it gets its
// own Content-Security-Policy allowing scripts and styles from this origin only. What it leaves out: bulk
// deletions and job edits (refused), and Thai (bull-board ships no Thai translation).
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from './auth.ts';
import { canManageQueues } from './roles.ts';
import type { DashboardState } from './state.ts';
import { clientIp } from './routes/common.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Changes prove CSRF with the X-XSRF-Token header instead of a form field (the queue view's API). */
    csrfHeader?: boolean;
    /** The queue view's page (it sets the XSRF-TOKEN cookie its script sends back). */
    queuePage?: boolean;
  }
}

export const QUEUE_VIEW_PATH = '/queues';
/** axios (inside bull-board) copies this cookie into this header on same-origin requests: the double submit. */
export const XSRF_COOKIE = 'XSRF-TOKEN';
export const XSRF_HEADER = 'x-xsrf-token';

/** As strict as a script page can be: nothing inline, nothing from elsewhere, no eval, no framing. */
export const QUEUE_VIEW_CSP = [
  'default-src \'none\'',
  'script-src \'self\'',
  'style-src \'self\'',
  'img-src \'self\' data:',
  'font-src \'self\'',
  'connect-src \'self\'',
  'form-action \'self\'',
  'frame-ancestors \'none\'',
  'base-uri \'self\'',
].join('; ');

/**
 * The changes an administrator may make, as `METHOD route` under /queues: retry, remove, promote one job;
 * retry or promote a queue's jobs; pause and resume. Anything else that changes a queue (add, edit, empty,
 * obliterate, clean by status, rate limits) is refused: a job's payload is a contract between our processes.
 */
const ALLOWED_CHANGES = new Set([
  'PUT /api/queues/:queueName/:jobId/retry',
  'PUT /api/queues/:queueName/:jobId/clean',
  'PUT /api/queues/:queueName/:jobId/promote',
  'PUT /api/queues/:queueName/retry/:queueStatus',
  'PUT /api/queues/:queueName/promote',
  'PUT /api/queues/:queueName/pause',
  'PUT /api/queues/:queueName/resume',
  'PUT /api/queues/pause',
  'PUT /api/queues/resume',
]);

const isRead = (method: string) => method === 'GET' || method === 'HEAD';

function routeKey(request: FastifyRequest): string {
  return `${request.method} ${(request.routeOptions.url ?? '').slice(QUEUE_VIEW_PATH.length)}`;
}

/** bull-board's page without what the policy refuses anyway: the Google Fonts stylesheet and an inline-styled loader. */
export function tidyEntryPage(html: string): string {
  return html
    .replace(/<link[^>]+fonts\.googleapis\.com[^>]*>\s*/g, '')
    .replace(/<div id="root">[\s\S]*?<\/style>\s*<\/div>/, '<div id="root"></div>');
}

function refuse(reply: FastifyReply, status: number, text: string) {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: text });
}

export async function registerQueueView(app: FastifyInstance, state: DashboardState, queues: Queue[]): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_VIEW_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { allowRetries: true, readOnlyMode: false })),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'SEIS Intake · คิวงาน',
        hideDocsLink: true,
        showMetrics: false,
        hideRedisDetails: true,
        miscLinks: [{ text: 'กลับสู่หน้าหลัก (dashboard)', url: '/' }],
      },
    },
  });

  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      const path = route.url.slice(QUEUE_VIEW_PATH.length);
      const page = !path.startsWith('/api/') && !path.startsWith('/static/');
      // Anonymous requests for the API and assets get 401 (server.ts), only the page redirects to the login.
      route.config = { ...route.config, csrfHeader: true, ...(page ? { queuePage: true } : { file: true }) };
    });

    scope.addHook('onRequest', async (request, reply) => {
      reply.header('content-security-policy', QUEUE_VIEW_CSP);
      if (!canManageQueues(request.session)) return refuse(reply, 403, 'queue view: your role has no queue access');
      if (request.routeOptions.config?.queuePage && request.session) {
        reply.setCookie(XSRF_COOKIE, request.session.csrf, {
          path: QUEUE_VIEW_PATH,
          sameSite: 'strict',
          secure: state.isSecure(request),
          httpOnly: false,
        });
      }
    });

    scope.addHook('preHandler', async (request, reply) => {
      if (isRead(request.method)) return;
      const token = request.headers[XSRF_HEADER];
      if (!safeEqual(typeof token === 'string' ? token : undefined, request.session?.csrf)) return refuse(reply, 403, 'CSRF token missing or wrong');
      if (!ALLOWED_CHANGES.has(routeKey(request))) return refuse(reply, 403, 'this change is not allowed from the dashboard');
    });

    scope.addHook('onSend', async (request, reply, payload) => {
      const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
      return request.routeOptions.config?.queuePage && html && typeof payload === 'string' ? tidyEntryPage(payload) : payload;
    });

    scope.addHook('onResponse', async (request, reply) => {
      if (isRead(request.method) || reply.statusCode >= 400) return;
      const params = (request.params ?? {}) as { queueName?: string; jobId?: string; queueStatus?: string };
      await state.audit.write({
        user: request.session?.user ?? '-',
        ip: clientIp(request),
        action: 'queue-action',
        target: params.queueName,
        detail: { change: routeKey(request), ...(params.jobId ? { jobId: params.jobId } : {}), ...(params.queueStatus ? { status: params.queueStatus } : {}) },
      }).catch((err: unknown) => state.log.warn({ err, code: 'dashboard.audit_failed' }, 'audit line not written'));
    });

    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_VIEW_PATH });
  });
}
