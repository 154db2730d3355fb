// After a message decided by its file names was filed and answered, its pages are read (the `content` queue)
// and checked here: when they change the verdict (a mislabelled file, a relative's card named as the officer's
// own, a combined PDF) the folder is corrected and the sender gets ONE short corrective mail; otherwise the
// documents only gain what their pages said (source, flags). Unit-scope and unmatched mail are left alone.
import { campaignById } from '../config/load.ts';
import type { AppConfig } from '../config/schema.ts';
import { judgeChecklist, planCorrection, type FilingDocument } from '../pipelines/person/index.ts';
import { parseMessageStream } from '../pipelines/mail/index.ts';
import type { BodySink } from '../pipelines/body.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import type { MessageRecord, ParsedMessage, PersonManifest } from '../pipelines/types.ts';
import { renderReply } from '../templates/reply-mail.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import { documentsWithContent, levelsOnFile, type ContentReader } from './content-step.ts';
import { validateAndClassify } from './ingest-person.ts';
import { composeReplyMail } from './ingest-message.ts';
import { dispatchStaffMail, type StaffMailQueue } from './staff-mail.ts';

export interface VerifyDeps {
  config: AppConfig;
  store: ArchiveStore;
  roster?: Roster;
  content: ContentReader;
  now: () => Date;
  log: Logger;
  /** Where the corrective mail goes (run's staff-mail queue); without it the mail stays in the outbox. */
  mailQueue?: StaffMailQueue;
  /** The stored original parsed (the `content` worker shares one parse with the message's read jobs). */
  parse?: (emlPath: string, sink: BodySink) => Promise<ParsedMessage>;
}

export interface VerifyOutcome {
  messageKey: string;
  corrected: string[];
  mailId?: string;
}

export const correctionMailId = (messageKey: string) => `content-${messageKey}`;

/** The message is parsed again from its original into a spool of this run, removed when it ends. */
export function verifyWithContent(deps: VerifyDeps, messageKey: string): Promise<VerifyOutcome> {
  return deps.store.spool.with((spool) => verifyIn(deps, messageKey, spool));
}

async function verifyIn(deps: VerifyDeps, messageKey: string, sink: BodySink): Promise<VerifyOutcome> {
  const record = await deps.store.getMessageRecord(messageKey);
  const campaign = record ? campaignById(deps.config, record.campaign) : undefined;
  if (!record || !campaign || campaign.scope !== 'person' || record.persons.length === 0 || record.contentChecked) {
    return { messageKey, corrected: [] };
  }
  const parsed = deps.parse
    ? await deps.parse(record.emlPath, sink)
    : await parseMessageStream(await deps.store.openOriginal(record.emlPath), { limits: deps.config.limits, sink });
  const message = { messageId: record.messageId, messageKey, receivedAt: record.receivedAt, subject: parsed.subject, emlPath: record.emlPath, late: false,
    ...(parsed.from?.address ? { from: parsed.from.address } : {}) };
  const corrected: string[] = [];
  const notes: string[] = [];
  const manifests: PersonManifest[] = [];
  for (const nationalId of record.persons) {
    const folder = await deps.store.readPerson(campaign.id, nationalId);
    if (!folder) continue;
    const { manifest } = folder;
    const mine = new Set([...manifest.documents, ...manifest.problems].filter((d) => d.messageKey === messageKey).map((d) => d.sha256));
    const files = parsed.files.filter((f) => mine.has(f.sha256));
    const pairs: Array<{ doc: FilingDocument; reading?: Awaited<ReturnType<ContentReader['cached']>> }> = [];
    for (const file of files) {
      const doc = await validateAndClassify(file, deps.config, campaign.checklist, manifest.person);
      pairs.push({ doc, reading: await deps.content.cached(file.sha256) });
    }
    const decided: Array<{ sha256: string; documents: FilingDocument[] }> = [];
    for (const pair of pairs) {
      const read = await documentsWithContent([pair], {
        person: manifest.person,
        checklist: campaign.checklist,
        levelsOnFile: levelsOnFile(manifest.documents),
        rejectFlags: deps.config.content.rejectFlags,
      });
      notes.push(...read.notes);
      decided.push({ sha256: pair.doc.sha256, documents: read.documents });
    }
    let fixed: string[] = [];
    const plan = await deps.store.updatePerson(campaign.id, manifest.person, (current) =>
      correctWith(current ?? manifest, {
        campaignId: campaign.id,
        person: manifest.person,
        inRoster: manifest.inRoster,
        message: { ...message, late: lateOf(manifest, messageKey) },
        late: lateOf(manifest, messageKey),
        now: deps.now(),
        checklist: campaign.checklist,
        decided,
      }, (c) => {
        fixed = c;
      }));
    corrected.push(...fixed);
    manifests.push(plan.manifest);
  }
  const mailId = corrected.length > 0 ? await sendCorrection(deps, record, parsed.subject, manifests, notes) : undefined;
  await deps.store.updateMessageRecord(messageKey, (r) =>
    r && {
      ...r,
      contentChecked: { at: deps.now().toISOString(), corrected: corrected.length, ...(mailId ? { mailId } : {}) },
    });
  if (corrected.length) deps.log.info({ code: 'content.corrected', messageKey, files: corrected.length }, 'filing corrected from page content');
  return { messageKey, corrected, ...(mailId ? { mailId } : {}) };
}

function correctWith(current: PersonManifest, input: Parameters<typeof planCorrection>[1], report: (corrected: string[]) => void) {
  const plan = planCorrection(current, input);
  report(plan.corrected);
  return plan;
}

const lateOf = (m: PersonManifest, key: string) => m.messages.find((x) => x.messageKey === key)?.late ?? false;

/** One corrective mail per message, threaded to the reply, only where a reply was (or may be) sent. */
async function sendCorrection(
  deps: VerifyDeps,
  record: MessageRecord,
  subject: string,
  manifests: PersonManifest[],
  notes: string[],
): Promise<string | undefined> {
  const rendered = record.reply?.rendered;
  if (!rendered || record.reply?.suppressed) return undefined;
  const campaign = campaignById(deps.config, record.campaign);
  const persons = manifests.map((m) => ({
    person: m.person,
    inRoster: m.inRoster,
    judgement: judgeChecklist(m.documents, campaign.checklist),
    received: m.documents.filter((d) => d.messageKey === record.messageKey && d.current)
      .map((d) => ({ item: d.item, originalName: d.originalName, pages: d.pages, assumed: d.assumed })),
  }));
  const status = persons.every((p) => p.judgement.status === 'complete') ? 'accepted' : 'incomplete';
  const id = correctionMailId(record.messageKey);
  const domain = /@([^>\s]+)/.exec(rendered.messageId)?.[1] ?? 'seis-intake.invalid';
  const mail = renderReply({
    original: { messageId: rendered.messageId, references: (rendered.headers.References ?? '').split(/\s+/).filter(Boolean), subject,
      from: { name: '', address: rendered.to } },
    replyFrom: deps.config.reply.from,
    replyMessageId: `<${id}@${domain}>`,
    campaign,
    status,
    late: false,
    persons,
    problems: [],
    messageProblems: [],
    unidentified: false,
    notes: ['ระบบได้อ่านเนื้อหาเอกสารที่ท่านส่งแล้ว และแก้ไขการจัดเก็บดังนี้', ...notes],
    now: deps.now(),
  });
  const eml = await composeReplyMail(mail, deps.config.reply.from);
  const outboxPath = await deps.store.writeOutbox(id, eml, deps.config.outboxDir);
  await dispatchStaffMail({ store: deps.store, queue: deps.mailQueue, log: deps.log, now: deps.now }, {
    id,
    kind: 'content-correction',
    campaign: campaign.id,
    nationalId: manifests[0]?.person.nationalId ?? '',
    to: mail.to,
    outboxPath,
    by: 'seis-intake',
  });
  return id;
}
