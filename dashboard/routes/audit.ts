// The audit log page (admins and central staff): who opened which person's documents, source messages,
// unmatched mail, what was searched and exported, and every decision, filterable by day, account, action and
// subject. Looking at it is itself recorded.
import type { FastifyInstance } from 'fastify';
import { AUDIT_ACTIONS, auditDays, auditFileName, readAudit, type AuditQuery } from '../audit.ts';
import type { DashboardState } from '../state.ts';
import { auditView } from '../views/admin.ts';
import { clientIp, pageContext, sendPage } from './common.ts';

const LIMIT = 1000;
const str = (v: unknown, max = 200) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

export function registerAuditRoutes(app: FastifyInstance, state: DashboardState): void {
  app.get('/audit', { config: { access: 'audit' } }, async (request, reply) => {
    const q = (request.query ?? {}) as Record<string, unknown>;
    const today = auditFileName(state.clock()).slice(0, 10);
    const weekAgo = auditFileName(new Date(state.clock().getTime() - 6 * 86_400_000)).slice(0, 10);
    const from = str(q.from, 10) || weekAgo;
    const to = str(q.to, 10) || today;
    const action = AUDIT_ACTIONS.find((a) => a === q.action);
    const query: AuditQuery = {
      from: auditDays(from, from).length ? from : weekAgo,
      to: auditDays(to, to).length ? to : today,
      limit: LIMIT,
      ...(str(q.user) ? { user: str(q.user) } : {}),
      ...(action ? { action } : {}),
      ...(str(q.campaign) ? { campaign: str(q.campaign) } : {}),
      ...(str(q.target) ? { target: str(q.target) } : {}),
    };
    const { entries, more } = await readAudit(state.audit.directory, query);
    await state.audit.write({
      user: request.session!.user,
      ip: clientIp(request),
      action: 'view-audit',
      detail: { from: query.from, to: query.to, ...(query.user ? { user: query.user } : {}), ...(query.action ? { action: query.action } : {}),
        ...(query.target ? { target: query.target } : {}) },
    });
    const users = state.accounts.list().map((a) => a.name);
    return sendPage(reply, 'บันทึกการใช้งาน', pageContext(state, request), auditView({ query, entries, more, users }));
  });
}
