// The home page (every campaign) and the HTML pages of unit-scope campaigns: overview, a unit's folder, the units
// that have not sent, a report's source message, exports. A unit is found by its folder name *known to the index*
// and read again through ArchiveStore.readUnit; a request never names a disk path. Person-scope campaigns keep
// their own routes (pages.ts), which hand over to these for a unit-scope campaign at the same URL.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { campaignById } from '../../config/load.ts';
import { parseStored } from '../stored-message.ts';
import { html, url } from '../html.ts';
import { scopedOverview, scopedUnitReport } from '../scoped.ts';
import type { Scope } from '../scope.ts';
import type { DashboardState } from '../state.ts';
import { unitCounts, type UnitCampaignIndex } from '../unit-index.ts';
import { homeView, type HomeCampaign } from '../views/home.ts';
import { filedMailView } from '../views/mail.ts';
import { missingUnitsView, unitCampaignOverview, unitExportsView, type UnitCampaignModel } from '../views/unit-campaign.ts';
import { unitFolderView } from '../views/unit-folder.ts';
import { roleAllows } from '../roles.ts';
import { unitReviewPanel } from '../views/unit-review.ts';
import { clientIp, flashOf, MESSAGE_KEY, notFound, pageContext, sendPage } from './common.ts';

type Params = { cid: string; unit?: string; key?: string };

/** The unit-scope campaign's config and index, or nothing (a person-scope or unknown campaign). */
export function unitCampaignOf(state: DashboardState, id: string) {
  const index = state.index.unitCampaign(id);
  const config = state.config.campaigns.find((c) => c.id === id);
  return index && config?.scope === 'unit' ? { config, index } : undefined;
}

/** The unit's folder as it is now: the key must be known to the index; the manifest is read through the store. */
export async function readKnownUnit(state: DashboardState, index: UnitCampaignIndex, key: string) {
  const dir = index.dirOf(key);
  if (!dir) return undefined;
  const found = await state.store.readUnit(index.folder, key);
  if (!found || found.dir !== dir) return undefined;
  await index.refreshUnit(key, found.manifest);
  return found;
}

function model(state: DashboardState, u: NonNullable<ReturnType<typeof unitCampaignOf>>, scope: Scope): UnitCampaignModel {
  const now = state.clock();
  const report = scopedUnitReport(u.index.report(now), scope);
  return {
    campaign: u.config,
    report,
    counts: unitCounts(report),
    keyOf: (row) => u.index.keyOf(row),
    unmatched: u.index.openUnmatched().filter((r) => scope.sender(r.from)),
    now,
  };
}

export async function unitOverviewPage(state: DashboardState, request: FastifyRequest, reply: FastifyReply, id: string) {
  const u = unitCampaignOf(state, id);
  if (!u) return notFound(state, request, reply);
  return sendPage(reply, u.config.title, pageContext(state, request, id), unitCampaignOverview(model(state, u, request.scope!)));
}

export async function unitFolderPage(state: DashboardState, request: FastifyRequest, reply: FastifyReply, id: string, key: string) {
  const u = unitCampaignOf(state, id);
  const found = u && (await readKnownUnit(state, u.index, key));
  const row = found && u.index.row(key, state.clock());
  if (!u || !found || !row) return notFound(state, request, reply, 'ไม่พบหน่วยงานนี้');
  // National IDs, phones and emails of named officials: who looked is recorded, as for a person's page.
  await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'view-unit', campaign: id, target: key });
  const body = html`${unitFolderView({ campaign: u.config, unitKey: key, manifest: found.manifest, row })}${
    unitReviewPanel({
      campaignId: id,
      unitKey: key,
      submissions: found.manifest.submissions,
      csrf: request.session!.csrf,
      canDecide: roleAllows(request.account?.role, 'decide'),
      flash: flashOf(request.query),
    })
  }`;
  return sendPage(reply, found.manifest.unit.name, pageContext(state, request, id), body);
}

export async function unitExportsPage(state: DashboardState, request: FastifyRequest, reply: FastifyReply, id: string) {
  const u = unitCampaignOf(state, id);
  if (!u) return notFound(state, request, reply);
  return sendPage(reply, 'ส่งออกรายงาน', pageContext(state, request, id), unitExportsView(u.config));
}

export function registerUnitPageRoutes(app: FastifyInstance, state: DashboardState): void {
  const read = { config: { access: 'read' as const } };
  app.get('/', read, async (request, reply) => {
    const now = state.clock();
    const campaigns: HomeCampaign[] = state.config.campaigns.flatMap((c): HomeCampaign[] => {
      const base = { id: c.id, title: c.title, deadline: c.deadline };
      const units = unitCampaignOf(state, c.id);
      if (units) return [{ ...base, scope: 'unit', counts: unitCounts(scopedUnitReport(units.index.report(now), request.scope!)) }];
      const index = state.index.campaign(c.id);
      if (!index) return [];
      const { tally, openUnmatched } = scopedOverview(index, request.scope!);
      return [{ ...base, scope: 'person', tally, openUnmatched }];
    });
    // The default campaign first, as the circular lists it.
    const first = campaignById(state.config).id;
    campaigns.sort((a, b) => Number(b.id === first) - Number(a.id === first));
    return sendPage(reply, 'ทุกเรื่อง', pageContext(state, request, undefined, true), homeView(campaigns, now));
  });

  app.get<{ Params: Params }>('/c/:cid/missing', read, async (request, reply) => {
    const u = unitCampaignOf(state, request.params.cid);
    if (!u) return notFound(state, request, reply);
    return sendPage(reply, 'หน่วยงานที่ยังไม่ส่ง', pageContext(state, request, u.config.id), missingUnitsView(model(state, u, request.scope!)));
  });

  app.get<{ Params: Params }>('/c/:cid/units/:unit/messages/:key', read, async (request, reply) => {
    const u = unitCampaignOf(state, request.params.cid);
    const { unit = '', key = '' } = request.params;
    const found = u && MESSAGE_KEY.test(key) ? await readKnownUnit(state, u.index, unit) : undefined;
    const submission = found?.manifest.submissions.find((s) => s.messageKey === key);
    if (!u || !found || !submission) return notFound(state, request, reply, 'ไม่พบอีเมลนี้ในแฟ้มของหน่วยงานนี้');
    await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'view-message', campaign: u.config.id, target: unit,
      detail: { messageKey: key } });
    const parsed = await parseStored(state.decisions, submission.emlPath);
    const base = url('c', u.config.id, 'units', unit);
    const body = filedMailView(parsed, { base, messageKey: key, receivedAt: submission.receivedAt, kept: submission.files });
    const page = html`<p class="small"><a href="${
      url('c', u.config.id)
    }">${u.config.title}</a> › <a href="${base}">${found.manifest.unit.name}</a> › อีเมลต้นทาง</p>
<h1>อีเมลต้นทาง</h1>${body}`;
    return sendPage(reply, 'อีเมลต้นทาง', pageContext(state, request, u.config.id), page);
  });
}
