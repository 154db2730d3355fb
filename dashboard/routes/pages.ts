// The HTML pages: login/logout, overview, unit, person, source message, search, unmatched queue, exports.
// Unit-scope campaigns answer at the same URLs from unit-pages.ts (the home page lives there too).
// Pages read the in-memory index; a person's own page reads their manifest fresh from the archive.
import type { FastifyInstance } from 'fastify';
import { displayName } from '../../pipelines/person-name.ts';
import { parseStored } from '../decisions.ts';
import { staffMailIdOf, staffMailStatus } from '../../usecases/staff-mail.ts';
import { html, url, withQuery } from '../html.ts';
import { searchPersons, suggestOwners } from '../search.ts';
import type { DashboardState } from '../state.ts';
import { scopedOverview, scopedPersons, scopedUnmatched } from '../scoped.ts';
import { mailView } from '../views/mail.ts';
import { exportsView, searchView } from '../views/misc.ts';
import { overviewView } from '../views/overview.ts';
import { personView } from '../views/person.ts';
import { unitView } from '../views/unit.ts';
import { unmatchedDetailView, unmatchedListView } from '../views/unmatched.ts';
import {
  campaignOf, clientIp, flashOf, MESSAGE_KEY, NATIONAL_ID, notFound, pageContext, sendPage,
} from './common.ts';
import { unitExportsPage, unitFolderPage, unitOverviewPage } from './unit-pages.ts';
import { unitUnmatchedPage } from './unit-decisions.ts';
import { registerLoginRoutes } from './login.ts';

type Params = { cid: string; unit?: string; nid?: string; key?: string };
const SEARCH_LIMIT = 200;

export function registerPageRoutes(app: FastifyInstance, state: DashboardState): void {
  const read = { config: { access: 'read' as const } };
  registerLoginRoutes(app, state);

  app.get<{ Params: Params }>('/c/:cid', read, async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    if (campaign?.scope === 'unit') return unitOverviewPage(state, request, reply, campaign.id);
    const index = campaign && state.index.campaign(campaign.id);
    if (!campaign || !index) return notFound(state, request, reply);
    const body = overviewView({ campaign, ...scopedOverview(index, request.scope!), now: state.clock() });
    return sendPage(reply, campaign.title, pageContext(state, request, campaign.id), body);
  });

  app.get<{ Params: Params; Querystring: { flags?: string } }>('/c/:cid/units/:unit', read, async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    if (campaign?.scope === 'unit') return unitFolderPage(state, request, reply, campaign.id, request.params.unit ?? '');
    const persons = campaign && state.index.campaign(campaign.id)?.unit(request.params.unit ?? '');
    if (!campaign || !persons) return notFound(state, request, reply, 'ไม่พบหน่วยงานนี้');
    const body = unitView({ campaignId: campaign.id, unit: request.params.unit!, persons, checklist: campaign.checklist, flaggedOnly: request.query.flags === '1' });
    return sendPage(reply, request.params.unit!, pageContext(state, request, campaign.id), body);
  });

  app.get<{ Params: Params }>('/c/:cid/p/:nid', read, async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const nid = request.params.nid ?? '';
    if (campaign?.scope !== 'person' || !NATIONAL_ID.test(nid)) return notFound(state, request, reply);
    const found = await state.store.readPerson(campaign.id, nid);
    // The page shows the manifest as it is now: bring the index row up to date with it (a stat when unchanged).
    const entry = found ? await state.index.refreshPerson(campaign.id, nid) : state.index.campaign(campaign.id)?.persons.get(nid);
    if (!entry) return notFound(state, request, reply, 'ไม่พบบุคคลนี้');
    await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'view-person', campaign: campaign.id, target: nid });
    const manifest = found?.manifest ?? {
      schema: 1 as const, campaign: campaign.id, person: state.rosterById.get(nid)!, inRoster: true,
      documents: [], problems: [], messages: [], decisions: [], updatedAt: '',
    };
    const decisionMail = await Promise.all(manifest.decisions.map((d) => {
      const mailId = staffMailIdOf(nid, d);
      return mailId ? staffMailStatus(state.store, mailId) : undefined;
    }));
    const body = personView({
      campaignId: campaign.id, checklist: campaign.checklist, manifest, entry, csrf: request.session!.csrf, flash: flashOf(request.query),
      decisionMail,
    });
    return sendPage(reply, entry.name, pageContext(state, request, campaign.id), body);
  });

  app.get<{ Params: Params }>('/c/:cid/p/:nid/messages/:key', read, async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const { nid = '', key = '' } = request.params;
    if (campaign?.scope !== 'person' || !NATIONAL_ID.test(nid) || !MESSAGE_KEY.test(key)) return notFound(state, request, reply);
    const found = await state.store.readPerson(campaign.id, nid);
    const message = found?.manifest.messages.find((m) => m.messageKey === key);
    if (!found || !message) return notFound(state, request, reply, 'ไม่พบอีเมลนี้ในแฟ้มของบุคคลนี้');
    await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'view-message', campaign: campaign.id, target: nid, detail: { messageKey: key } });
    const parsed = await parseStored(state.decisions, message.emlPath);
    const base = url('c', campaign.id, 'p', nid);
    const kept = [...found.manifest.documents, ...found.manifest.problems];
    const body = mailView({
      parsed, receivedAt: message.receivedAt, emlHref: `${base}/messages/${encodeURIComponent(key)}/eml`,
      fileHref: (i) => {
        const file = parsed?.files[i];
        const match = file && kept.find((d) => d.sha256 === file.sha256 && d.messageKey === key);
        return match ? withQuery(`${base}/file`, { path: match.path }) : undefined;
      },
    });
    const page = html`<p class="small"><a href="${base}">${displayName(found.manifest.person) || nid}</a> › อีเมลต้นทาง</p>
<h1>อีเมลต้นทาง</h1>${body}`;
    return sendPage(reply, 'อีเมลต้นทาง', pageContext(state, request, campaign.id), page);
  });

  app.get<{ Params: Params; Querystring: { q?: string; flags?: string } }>('/c/:cid/search', read, async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const index = campaign && state.index.campaign(campaign.id);
    if (!campaign || !index) return notFound(state, request, reply);
    const q = String(request.query.q ?? '').slice(0, 100);
    const flagged = request.query.flags === '1';
    const results = searchPersons(scopedPersons(index.persons.values(), request.scope!), q, SEARCH_LIMIT, { flagged });
    if (q.trim()) await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'search', campaign: campaign.id, target: q, detail: { results: results.length } });
    if (results.length === 1 && /^\d[\d\s-]{11,}\d$/.test(q.trim())) {
      return reply.code(303).header('location', url('c', campaign.id, 'p', results[0].nationalId)).send();
    }
    return sendPage(reply, 'ค้นหา', pageContext(state, request, campaign.id), searchView(campaign.id, q, results, campaign.checklist, SEARCH_LIMIT, flagged));
  });

  app.get<{ Params: Params }>('/c/:cid/unmatched', read, async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const index = campaign && state.index.campaign(campaign.id);
    if (!campaign || !index) return notFound(state, request, reply);
    const resolved = scopedUnmatched([...index.unmatched.values()].map((k) => k.value).filter((r) => r.resolved), request.scope!)
      .sort((a, b) => b.resolved!.at.localeCompare(a.resolved!.at));
    const open = scopedUnmatched(index.openUnmatched(), request.scope!);
    return sendPage(reply, 'อีเมลที่ระบุตัวไม่ได้', pageContext(state, request, campaign.id), unmatchedListView(campaign.id, open, resolved));
  });

  app.get<{ Params: Params; Querystring: { q?: string; done?: string } }>('/c/:cid/unmatched/:key', read, async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    if (campaign?.scope === 'unit') return unitUnmatchedPage(state, request, reply, campaign.id);
    const index = campaign && state.index.campaign(campaign.id);
    const key = request.params.key ?? '';
    if (!campaign || !index || !MESSAGE_KEY.test(key)) return notFound(state, request, reply);
    await state.index.refreshUnmatched(campaign.id);
    const record = index.unmatched.get(key)?.value;
    if (!record) return notFound(state, request, reply, 'ไม่พบอีเมลนี้');
    await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'view-unmatched', campaign: campaign.id, target: key });
    const parsed = await parseStored(state.decisions, record.emlPath);
    const self = url('c', campaign.id, 'unmatched', key);
    const q = String(request.query.q ?? '').slice(0, 100);
    const body = unmatchedDetailView({
      campaignId: campaign.id, record, csrf: request.session!.csrf, query: q, flash: flashOf(request.query),
      mail: mailView({
        parsed, receivedAt: record.receivedAt, emlHref: `${self}/eml`,
        fileHref: (i) => {
          const n = record.files.findIndex((f) => f.sha256 === parsed?.files[i]?.sha256);
          return n >= 0 ? withQuery(`${self}/file`, { n }) : undefined;
        },
      }),
      suggestions: suggestOwners(index.persons, parsed, record.from).filter((p) => request.scope!.unitName(p.unit)),
      results: q ? searchPersons(scopedPersons(index.persons.values(), request.scope!), q, 50) : [],
    });
    return sendPage(reply, record.subject || 'อีเมล', pageContext(state, request, campaign.id), body);
  });

  app.get<{ Params: Params }>('/c/:cid/exports', read, async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    if (campaign?.scope === 'unit') return unitExportsPage(state, request, reply, campaign.id);
    if (!campaign) return notFound(state, request, reply);
    return sendPage(reply, 'ส่งออกรายงาน', pageContext(state, request, campaign.id), exportsView(campaign.id));
  });
}
