// The HTML pages: login/logout, overview, unit, person, source message, search, unmatched queue, exports.
// Unit-scope campaigns answer at the same URLs from unit-pages.ts (the home page lives there too).
// Pages read the in-memory index; a person's own page reads their manifest fresh from the archive.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { displayName } from '../../pipelines/archive-paths.ts';
import { authenticate } from '../auth.ts';
import { parseStored } from '../decisions.ts';
import { staffMailIdOf, staffMailStatus } from '../../usecases/staff-mail.ts';
import { html, url, withQuery } from '../html.ts';
import { searchPersons, suggestOwners } from '../search.ts';
import { LOGIN_COOKIE, newLoginToken, SESSION_COOKIE, type DashboardState } from '../state.ts';
import { mailView } from '../views/mail.ts';
import { exportsView, loginView, searchView } from '../views/misc.ts';
import { overviewView } from '../views/overview.ts';
import { personView } from '../views/person.ts';
import { unitView } from '../views/unit.ts';
import { unmatchedDetailView, unmatchedListView } from '../views/unmatched.ts';
import {
  campaignOf, clientIp, flashOf, MESSAGE_KEY, NATIONAL_ID, notFound, pageContext, sendPage,
} from './common.ts';
import { unitExportsPage, unitFolderPage, unitOverviewPage } from './unit-pages.ts';

type Params = { cid: string; unit?: string; nid?: string; key?: string };
const SEARCH_LIMIT = 200;

function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !/[\r\n]/.test(next) ? next : '/';
}

function sendLogin(state: DashboardState, request: FastifyRequest, reply: FastifyReply, opts: { next?: string; error?: string; expired?: boolean }, status = 200) {
  const token = newLoginToken();
  reply.setCookie(LOGIN_COOKIE, token, { path: '/login', httpOnly: true, sameSite: 'strict', secure: state.isSecure(request), maxAge: 3600 });
  return sendPage(reply, 'เข้าสู่ระบบ', {}, loginView({ csrf: token, ...opts }), status);
}

export function registerPageRoutes(app: FastifyInstance, state: DashboardState): void {
  const pub = { config: { public: true } };

  // Browsers ask for it on every page, the login page too: an empty answer keeps consoles and logs quiet.
  app.get('/favicon.ico', pub, async (_request, reply) => reply.code(204).send());

  app.get('/login', pub, async (request, reply) => {
    const q = request.query as { next?: string; expired?: string };
    return sendLogin(state, request, reply, { next: safeNext(q.next), expired: q.expired === '1' });
  });

  app.post('/login', pub, async (request, reply) => {
    const body = request.body as { username?: string; password?: string; next?: string };
    const name = String(body.username ?? '').trim().slice(0, 100);
    const key = `${clientIp(request)}|${name}`;
    if (state.throttle.blocked(key)) {
      await state.audit.write({ user: name || '-', ip: clientIp(request), action: 'login-failed', detail: { reason: 'throttled' } });
      return sendLogin(state, request, reply, { next: safeNext(body.next), error: 'ลองเข้าสู่ระบบผิดหลายครั้ง กรุณารอ 15 นาที' }, 429);
    }
    const user = await authenticate(state.users, name, String(body.password ?? ''));
    if (!user) {
      state.throttle.fail(key);
      await state.audit.write({ user: name || '-', ip: clientIp(request), action: 'login-failed' });
      return sendLogin(state, request, reply, { next: safeNext(body.next), error: 'ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง' }, 401);
    }
    state.throttle.succeed(key);
    state.sessions.destroy(request.cookies[SESSION_COOKIE]);
    const session = state.sessions.create(user.name);
    await state.audit.write({ user: user.name, ip: clientIp(request), action: 'login' });
    reply.clearCookie(LOGIN_COOKIE, { path: '/login' });
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: '/', httpOnly: true, sameSite: 'strict', secure: state.isSecure(request),
      maxAge: Math.floor((session.expiresAt - session.createdAt) / 1000),
    });
    return reply.code(303).header('location', safeNext(body.next)).send();
  });

  app.post('/logout', async (request, reply) => {
    await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'logout' });
    state.sessions.destroy(request.session!.token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(303).header('location', '/login').send();
  });

  app.get<{ Params: Params }>('/c/:cid', async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    if (campaign?.scope === 'unit') return unitOverviewPage(state, request, reply, campaign.id);
    const index = campaign && state.index.campaign(campaign.id);
    if (!campaign || !index) return notFound(state, request, reply);
    const body = overviewView({
      campaign, tally: index.tally(), units: index.units(), openUnmatched: index.openUnmatched().length, now: state.clock(),
    });
    return sendPage(reply, campaign.title, pageContext(state, request, campaign.id), body);
  });

  app.get<{ Params: Params }>('/c/:cid/units/:unit', async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    if (campaign?.scope === 'unit') return unitFolderPage(state, request, reply, campaign.id, request.params.unit ?? '');
    const persons = campaign && state.index.campaign(campaign.id)?.unit(request.params.unit ?? '');
    if (!campaign || !persons) return notFound(state, request, reply, 'ไม่พบหน่วยงานนี้');
    const body = unitView({ campaignId: campaign.id, unit: request.params.unit!, persons, checklist: campaign.checklist });
    return sendPage(reply, request.params.unit!, pageContext(state, request, campaign.id), body);
  });

  app.get<{ Params: Params }>('/c/:cid/p/:nid', async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const nid = request.params.nid ?? '';
    if (!campaign || !NATIONAL_ID.test(nid)) return notFound(state, request, reply);
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

  app.get<{ Params: Params }>('/c/:cid/p/:nid/messages/:key', async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const { nid = '', key = '' } = request.params;
    if (!campaign || !NATIONAL_ID.test(nid) || !MESSAGE_KEY.test(key)) return notFound(state, request, reply);
    const found = await state.store.readPerson(campaign.id, nid);
    const message = found?.manifest.messages.find((m) => m.messageKey === key);
    if (!found || !message) return notFound(state, request, reply, 'ไม่พบอีเมลนี้ในแฟ้มของบุคคลนี้');
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

  app.get<{ Params: Params; Querystring: { q?: string } }>('/c/:cid/search', async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const index = campaign && state.index.campaign(campaign.id);
    if (!campaign || !index) return notFound(state, request, reply);
    const q = String(request.query.q ?? '').slice(0, 100);
    const results = searchPersons(index.persons.values(), q, SEARCH_LIMIT);
    if (results.length === 1 && /^\d[\d\s-]{11,}\d$/.test(q.trim())) {
      return reply.code(303).header('location', url('c', campaign.id, 'p', results[0].nationalId)).send();
    }
    return sendPage(reply, 'ค้นหา', pageContext(state, request, campaign.id), searchView(campaign.id, q, results, campaign.checklist, SEARCH_LIMIT));
  });

  app.get<{ Params: Params }>('/c/:cid/unmatched', async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const index = campaign && state.index.campaign(campaign.id);
    if (!campaign || !index) return notFound(state, request, reply);
    const resolved = [...index.unmatched.values()].map((k) => k.value).filter((r) => r.resolved)
      .sort((a, b) => b.resolved!.at.localeCompare(a.resolved!.at));
    return sendPage(reply, 'อีเมลที่ระบุตัวไม่ได้', pageContext(state, request, campaign.id), unmatchedListView(campaign.id, index.openUnmatched(), resolved));
  });

  app.get<{ Params: Params; Querystring: { q?: string; done?: string } }>('/c/:cid/unmatched/:key', async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const index = campaign && state.index.campaign(campaign.id);
    const key = request.params.key ?? '';
    if (!campaign || !index || !MESSAGE_KEY.test(key)) return notFound(state, request, reply);
    await state.index.refreshUnmatched(campaign.id);
    const record = index.unmatched.get(key)?.value;
    if (!record) return notFound(state, request, reply, 'ไม่พบอีเมลนี้');
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
      suggestions: suggestOwners(index.persons, parsed, record.from),
      results: q ? searchPersons(index.persons.values(), q, 50) : [],
    });
    return sendPage(reply, record.subject || 'อีเมล', pageContext(state, request, campaign.id), body);
  });

  app.get<{ Params: Params }>('/c/:cid/exports', async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    if (campaign?.scope === 'unit') return unitExportsPage(state, request, reply, campaign.id);
    if (!campaign) return notFound(state, request, reply);
    return sendPage(reply, 'ส่งออกรายงาน', pageContext(state, request, campaign.id), exportsView(campaign.id));
  });
}
