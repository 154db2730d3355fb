// The person-scope campaign's list pages: overview, one unit's people, search, exports. Each returns a PageAnswer;
// lists filter themselves by the account's scope (scoped.ts).
import { searchPersons } from '../search.ts';
import { scopedOverview, scopedPersons } from '../scoped.ts';
import { exportsView, searchView } from '../views/misc.ts';
import { overviewView } from '../views/overview.ts';
import { unitView } from '../views/unit.ts';
import { url } from '../html.ts';
import { clientIp } from './common.ts';
import { notFoundAnswer, type PageBuilder } from './page-answer.ts';

const SEARCH_LIMIT = 200;
/** A query that is a whole national ID (digits, spaces or dashes): one hit goes straight to the person. */
const WHOLE_NATIONAL_ID = /^\d[\d\s-]{11,}\d$/;

export const overviewPage: PageBuilder = (state, request, campaign) => {
  const index = campaign && state.index.campaign(campaign.id);
  if (!campaign || !index) return notFoundAnswer();
  const body = overviewView({ campaign, ...scopedOverview(index, request.scope!), now: state.clock() });
  return { kind: 'page', title: campaign.title, campaignId: campaign.id, body };
};

export const unitPersonsPage: PageBuilder<{ flags?: string }> = (state, request, campaign) => {
  const unit = request.params.unit ?? '';
  const persons = campaign && state.index.campaign(campaign.id)?.unit(unit);
  if (!campaign || !persons) return notFoundAnswer('ไม่พบหน่วยงานนี้');
  const body = unitView({ campaignId: campaign.id, unit, persons, checklist: campaign.checklist, flaggedOnly: request.query.flags === '1' });
  return { kind: 'page', title: unit, campaignId: campaign.id, body };
};

export const searchPage: PageBuilder<{ q?: string; flags?: string }> = async (state, request, campaign) => {
  const index = campaign && state.index.campaign(campaign.id);
  if (!campaign || !index) return notFoundAnswer();
  const q = String(request.query.q ?? '').slice(0, 100);
  const flagged = request.query.flags === '1';
  const results = searchPersons(scopedPersons(index.persons.values(), request.scope!), q, SEARCH_LIMIT, { flagged });
  if (q.trim())
    await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'search', campaign: campaign.id, target: q,
      detail: { results: results.length } });
  if (results.length === 1 && WHOLE_NATIONAL_ID.test(q.trim())) return { kind: 'redirect', location: url('c', campaign.id, 'p', results[0].nationalId) };
  return { kind: 'page', title: 'ค้นหา', campaignId: campaign.id, body: searchView(campaign.id, q, results, campaign.checklist, SEARCH_LIMIT, flagged) };
};

export const exportsPage: PageBuilder = (_state, _request, campaign) => {
  if (!campaign) return notFoundAnswer();
  return { kind: 'page', title: 'ส่งออกรายงาน', campaignId: campaign.id, body: exportsView(campaign.id) };
};
