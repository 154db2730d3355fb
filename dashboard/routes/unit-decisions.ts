// The staff decisions of unit-scope campaigns over HTTP (POST, CSRF-checked in server.ts, scope-checked in
// guards.ts): accept or return a unit's report, and file a report from an unknown unit into a unit; plus the
// page of such a report. A person-scope campaign at these URLs is not found.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseStored } from '../stored-message.ts';
import { url, withQuery } from '../html.ts';
import { roleAllows } from '../roles.ts';
import type { DashboardState } from '../state.ts';
import { assignUnitReport, reviewUnitReport, unitCampaign } from '../unit-decisions.ts';
import { unmatchedMailView } from '../views/mail.ts';
import { unitUnmatchedView } from '../views/unit-review.ts';
import { clientIp, flashOf, MESSAGE_KEY, notFound, pageContext, sendPage } from './common.ts';
import { formRoute } from './forms.ts';
import { unitCampaignOf } from './unit-pages.ts';

type Params = { cid: string; unit?: string; key?: string };

const back = (reply: FastifyReply, to: string, done: string) => reply.code(303).header('location', withQuery(to, { done })).send();

export async function unitUnmatchedPage(state: DashboardState, request: FastifyRequest, reply: FastifyReply, id: string) {
  const u = unitCampaignOf(state, id);
  const key = (request.params as Params).key ?? '';
  if (!u || !MESSAGE_KEY.test(key)) return notFound(state, request, reply);
  await state.index.refreshUnmatched(id);
  const record = u.index.unmatched.get(key)?.value;
  if (!record) return notFound(state, request, reply, 'ไม่พบอีเมลนี้');
  await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'view-unmatched', campaign: id, target: key });
  const parsed = await parseStored(state.decisions, record.emlPath);
  const self = url('c', id, 'unmatched', key);
  const scope = request.scope!;
  const body = unitUnmatchedView({
    campaignId: id,
    record,
    csrf: request.session!.csrf,
    canDecide: roleAllows(request.account?.role, 'decide'),
    flash: flashOf(request.query),
    ...(state.units ? { units: state.units.units.filter((x) => scope.unitRef(x)) } : {}),
    mail: unmatchedMailView(parsed, record, self),
  });
  return sendPage(reply, record.subject || 'อีเมล', pageContext(state, request, id), body);
}

export function registerUnitDecisionRoutes(app: FastifyInstance, state: DashboardState): void {
  app.post<{ Params: Params; Body: Record<string, string | undefined> }>('/c/:cid/units/:unit/review',
    formRoute('decide', { messageKey: 200, decision: 20, reason: 1000 }), async (request, reply) => {
    const campaign = unitCampaign(state.decisions, request.params.cid);
    const unitKey = request.params.unit ?? '';
    const messageKey = String(request.body.messageKey ?? '');
    const known = campaign && state.index.unitCampaign(campaign.id)?.units.get(unitKey);
    if (!campaign || !known || !MESSAGE_KEY.test(messageKey)) return notFound(state, request, reply);
    const to = url('c', campaign.id, 'units', unitKey);
    const decision = request.body.decision === 'accept' ? 'accept' : request.body.decision === 'return' ? 'return' : undefined;
    if (!decision) return back(reply, to, 'not-found');
    const reason = (request.body.reason ?? '').trim().slice(0, 300);
    if (decision === 'return' && !reason) return back(reply, to, 'need-reason');
    const unitId = known.value.unit.id;
    const result = await reviewUnitReport(state.decisions, {
      campaignId: campaign.id,
      unitKey,
      messageKey,
      decision,
      ...(decision === 'return' ? { reason } : {}),
      user: request.session!.user,
      ip: clientIp(request),
      unitEmails: unitId ? state.units?.byId.get(unitId)?.emails : undefined,
    });
    if (result.outcome !== 'done') return back(reply, to, result.outcome);
    const suffix = result.delivery === 'queued' ? '-queued' : result.delivery === 'not-queued' ? '-notqueued' : '';
    return back(reply, to, decision === 'accept' ? 'accepted' : result.mail ? `returned${suffix}` : 'returned-nomail');
  });

  app.post<{ Params: Params; Body: Record<string, string | undefined> }>('/c/:cid/unmatched/:key/assign-unit', formRoute('decide', { unit: 300 }),
    async (request, reply) => {
      const campaign = unitCampaign(state.decisions, request.params.cid);
      const key = request.params.key ?? '';
      if (!campaign || !MESSAGE_KEY.test(key)) return notFound(state, request, reply);
      const self = url('c', campaign.id, 'unmatched', key);
      const result = await assignUnitReport({ ...state.decisions, ...(state.units ? { units: state.units } : {}) }, {
        campaignId: campaign.id,
        messageKey: key,
        unit: String(request.body.unit ?? ''),
        user: request.session!.user,
        ip: clientIp(request),
      });
      if (result.outcome !== 'done' || !result.unitKey) return back(reply, self, result.outcome);
      return back(reply, url('c', campaign.id, 'units', result.unitKey), 'assigned-unit');
    });
}
