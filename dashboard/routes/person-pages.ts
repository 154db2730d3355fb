// A person's own pages in a person-scope campaign: their folder (read fresh from the archive, each decision with
// the staff mail it sent) and one source message. Viewing either is audited: it shows personal data.
import { displayName } from '../../pipelines/person-name.ts';
import type { PersonManifest } from '../../pipelines/types.ts';
import { staffMailIdOf, staffMailStatus } from '../../usecases/staff-mail.ts';
import { parseStored } from '../stored-message.ts';
import { html, url } from '../html.ts';
import type { DashboardState } from '../state.ts';
import { filedMailView } from '../views/mail.ts';
import { personView } from '../views/person.ts';
import { clientIp, findPersonMessage, flashOf, NATIONAL_ID } from './common.ts';
import { notFoundAnswer, type PageBuilder } from './page-answer.ts';

/** A roster person with no folder yet: the page shows them with nothing on file. */
function emptyManifest(state: DashboardState, campaignId: string, nid: string): PersonManifest {
  return {
    schema: 1,
    campaign: campaignId,
    person: state.rosterById.get(nid)!,
    inRoster: true,
    documents: [],
    problems: [],
    messages: [],
    decisions: [],
    updatedAt: '',
  };
}

/** Where each decision's staff mail stands (undefined for a decision that sent none). */
function decisionMailOf(state: DashboardState, nid: string, manifest: PersonManifest) {
  return Promise.all(manifest.decisions.map((d) => {
    const mailId = staffMailIdOf(nid, d);
    return mailId ? staffMailStatus(state.store, mailId) : undefined;
  }));
}

export const personPage: PageBuilder = async (state, request, campaign) => {
  const nid = request.params.nid ?? '';
  if (campaign?.scope !== 'person' || !NATIONAL_ID.test(nid)) return notFoundAnswer();
  const found = await state.store.readPerson(campaign.id, nid);
  // The page shows the manifest as it is now: bring the index row up to date with it (a stat when unchanged).
  const entry = found ? await state.index.refreshPerson(campaign.id, nid) : state.index.campaign(campaign.id)?.persons.get(nid);
  if (!entry) return notFoundAnswer('ไม่พบบุคคลนี้');
  await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'view-person', campaign: campaign.id, target: nid });
  const manifest = found?.manifest ?? emptyManifest(state, campaign.id, nid);
  const decisionMail = await decisionMailOf(state, nid, manifest);
  const body = personView({
    campaignId: campaign.id,
    checklist: campaign.checklist,
    manifest,
    entry,
    csrf: request.session!.csrf,
    flash: flashOf(request.query),
    decisionMail,
  });
  return { kind: 'page', title: entry.name, campaignId: campaign.id, body };
};

export const personMessagePage: PageBuilder = async (state, request, campaign) => {
  const { nid = '', key = '' } = request.params;
  const lookup = await findPersonMessage(state, campaign, nid, key);
  if (!lookup) return notFoundAnswer();
  const { found, message } = lookup;
  if (!found || !message) return notFoundAnswer('ไม่พบอีเมลนี้ในแฟ้มของบุคคลนี้');
  await state.audit.write({ user: request.session!.user, ip: clientIp(request), action: 'view-message', campaign: lookup.campaign.id, target: nid,
    detail: { messageKey: key } });
  const parsed = await parseStored(state.decisions, message.emlPath);
  const base = url('c', lookup.campaign.id, 'p', nid);
  const kept = [...found.manifest.documents, ...found.manifest.problems].filter((d) => d.messageKey === key);
  const body = filedMailView(parsed, { base, messageKey: key, receivedAt: message.receivedAt, kept });
  const page = html`<p class="small"><a href="${base}">${displayName(found.manifest.person) || nid}</a> › อีเมลต้นทาง</p>
<h1>อีเมลต้นทาง</h1>${body}`;
  return { kind: 'page', title: 'อีเมลต้นทาง', campaignId: lookup.campaign.id, body: page };
};
