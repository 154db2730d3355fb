// The person-scope campaign's mail that named nobody: the queue (open, then resolved newest first) and one
// message with the owners it suggests and a search to assign it, both limited to the account's units.
import { parseStored } from '../stored-message.ts';
import { url } from '../html.ts';
import { searchPersons, suggestOwners } from '../search.ts';
import { scopedPersons, scopedUnmatched } from '../scoped.ts';
import { unmatchedMailView } from '../views/mail.ts';
import { unmatchedDetailView, unmatchedListView } from '../views/unmatched.ts';
import { clientIp, flashOf, MESSAGE_KEY } from './common.ts';
import { notFoundAnswer, type PageBuilder } from './page-answer.ts';

/** Search results shown beside an unmatched message (the search page shows more). */
const ASSIGN_SEARCH_LIMIT = 50;

export const unmatchedListPage: PageBuilder = (state, request, campaign) => {
  const index = campaign && state.index.campaign(campaign.id);
  if (!campaign || !index) return notFoundAnswer();
  const resolved = scopedUnmatched([...index.unmatched.values()].map((k) => k.value).filter((r) => r.resolved), request.scope!)
    .sort((a, b) => b.resolved!.at.localeCompare(a.resolved!.at));
  const open = scopedUnmatched(index.openUnmatched(), request.scope!);
  return { kind: 'page', title: 'อีเมลที่ระบุตัวไม่ได้', campaignId: campaign.id, body: unmatchedListView(campaign.id, open, resolved) };
};

export const unmatchedMessagePage: PageBuilder<{ q?: string; done?: string }> = async (state, request, campaign) => {
  const index = campaign && state.index.campaign(campaign.id);
  const key = request.params.key ?? '';
  if (!campaign || !index || !MESSAGE_KEY.test(key)) return notFoundAnswer();
  await state.index.refreshUnmatched(campaign.id);
  const record = index.unmatched.get(key)?.value;
  if (!record) return notFoundAnswer('ไม่พบอีเมลนี้');
  await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'view-unmatched', campaign: campaign.id, target: key });
  const parsed = await parseStored(state.decisions, record.emlPath);
  const self = url('c', campaign.id, 'unmatched', key);
  const q = String(request.query.q ?? '').slice(0, 100);
  const body = unmatchedDetailView({
    campaignId: campaign.id,
    record,
    csrf: request.session!.csrf,
    query: q,
    flash: flashOf(request.query),
    mail: unmatchedMailView(parsed, record, self),
    suggestions: suggestOwners(index.persons, parsed, record.from).filter((p) => request.scope!.unitName(p.unit)),
    results: q ? searchPersons(scopedPersons(index.persons.values(), request.scope!), q, ASSIGN_SEARCH_LIMIT) : [],
  });
  return { kind: 'page', title: record.subject || 'อีเมล', campaignId: campaign.id, body };
};
