// The staff decisions (POST, CSRF-checked in server.ts): accept or return a document, assign an unclassified
// file to a checklist item, assign an unmatched message to a person. Each answers with a redirect to the
// page that shows the result (post/redirect/get), with a flash code.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EducationPart } from '../../pipelines/types.ts';
import type { StaffMailDelivery } from '../../usecases/staff-mail.ts';
import { assignItem, assignMessage, reviewDocument } from '../decisions.ts';
import { url, withQuery } from '../html.ts';
import type { DashboardState } from '../state.ts';
import { campaignOf, clientIp, MESSAGE_KEY, NATIONAL_ID, notFound } from './common.ts';
import { formRoute } from './forms.ts';

type Params = { cid: string; nid?: string; key?: string };
type Body = Record<string, string | undefined>;

const back = (reply: FastifyReply, to: string, done: string) => reply.code(303).header('location', withQuery(to, { done })).send();
/** Flash code suffix: the mail was queued for sending, could not be queued, or went to the outbox only. */
const mailSuffix = (delivery: StaffMailDelivery | undefined) => (delivery === 'queued' ? '-queued' : delivery === 'not-queued' ? '-notqueued' : '');

/** A person-scope campaign, or nothing: a decision on a person never touches a unit-scope campaign. */
const personCampaign = (state: DashboardState, id: string) => {
  const campaign = campaignOf(state, id);
  return campaign?.scope === 'person' ? campaign : undefined;
};

export function registerActionRoutes(app: FastifyInstance, state: DashboardState): void {
  app.post<{ Params: Params; Body: Body }>('/c/:cid/p/:nid/review', formRoute('decide', { decision: 20, path: 1000, note: 1000, reason: 1000 }),
    async (request, reply) => {
      const campaign = personCampaign(state, request.params.cid);
      const nid = request.params.nid ?? '';
      if (!campaign || !NATIONAL_ID.test(nid)) return notFound(state, request, reply);
      const to = url('c', campaign.id, 'p', nid);
      const decision = request.body.decision === 'accept' ? 'accept' : request.body.decision === 'return' ? 'return' : undefined;
      if (!decision) return back(reply, to, 'not-found');
      const reason = (request.body.note?.trim() || request.body.reason?.trim() || '').slice(0, 300);
      if (decision === 'return' && !reason) return back(reply, to, 'need-reason');
      const result = await reviewDocument(state.decisions, {
        campaignId: campaign.id,
        nationalId: nid,
        path: String(request.body.path ?? ''),
        decision,
        reason: decision === 'return' ? reason : undefined,
        user: request.session!.user,
        ip: clientIp(request),
      });
      if (result.outcome !== 'done') return back(reply, to, result.outcome);
      return back(reply, to, decision === 'accept' ? 'accepted' : result.mail ? `returned${mailSuffix(result.delivery)}` : 'returned-nomail');
    });

  app.post<{ Params: Params; Body: Body }>('/c/:cid/p/:nid/classify', formRoute('decide', { item: 200, path: 1000 }), async (request, reply) => {
    const campaign = personCampaign(state, request.params.cid);
    const nid = request.params.nid ?? '';
    if (!campaign || !NATIONAL_ID.test(nid)) return notFound(state, request, reply);
    const to = url('c', campaign.id, 'p', nid);
    const [item, partText] = String(request.body.item ?? '').split(':');
    const part = (['degree', 'transcript', 'both'] as const).find((p) => p === partText) as EducationPart | undefined;
    if (!campaign.checklist.some((c) => c.id === item)) return back(reply, to, 'not-found');
    const result = await assignItem(state.decisions, {
      campaignId: campaign.id,
      nationalId: nid,
      path: String(request.body.path ?? ''),
      item,
      part,
      user: request.session!.user,
      ip: clientIp(request),
    });
    return back(reply, to, result.outcome === 'done' ? 'classified' : result.outcome);
  });

  app.post<{ Params: Params; Body: Body }>('/c/:cid/unmatched/:key/assign', formRoute('decide', { nationalId: 40, notify: 5 }), async (request, reply) => {
    const campaign = personCampaign(state, request.params.cid);
    const key = request.params.key ?? '';
    if (!campaign || !MESSAGE_KEY.test(key)) return notFound(state, request, reply);
    const nid = String(request.body.nationalId ?? '').replace(/[\s-]/g, '');
    const self = url('c', campaign.id, 'unmatched', key);
    if (!NATIONAL_ID.test(nid)) return back(reply, self, 'not-found');
    const result = await assignMessage(state.decisions, {
      campaignId: campaign.id,
      messageKey: key,
      nationalId: nid,
      notify: request.body.notify === '1',
      user: request.session!.user,
      ip: clientIp(request),
    });
    if (result.outcome !== 'done') return back(reply, self, result.outcome);
    return back(reply, url('c', campaign.id, 'p', nid), result.mail ? `assigned-mail${mailSuffix(result.delivery)}` : 'assigned');
  });
}
