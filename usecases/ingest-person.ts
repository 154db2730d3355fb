// The per-person counterpart of ingest-unit.ts: identifies whose documents a message carries, checks and
// classifies each file, files them into each person's folder (or _unmatched), and drafts the Thai reply.
// It sends nothing and writes no message record: ingest-message.ts does both.
import type { AppConfig, CampaignConfig } from '../config/schema.ts';
import { judgeChecklist, planFiling, type FilingDocument, decideReplyStatus } from '../pipelines/person/index.ts';
import { classifyFile, validateFile } from '../pipelines/documents/index.ts';
import { identifyPersons, type Roster } from '../pipelines/identity/index.ts';
import { renderReply, type RenderedReply } from '../templates/reply-mail.ts';
import { answeredReplyKeys } from '../pipelines/mail/index.ts';
import { displayName } from '../pipelines/person-name.ts';
import { manifestMessage } from '../pipelines/arrival.ts';
import type { Arrival, ExtractedFile, IdentifiedPerson, Identification, ParsedMessage, Person, PersonManifest, ReplyStatus } from '../pipelines/types.ts';
import { answeredReminderIds } from '../pipelines/reminders/index.ts';
import type { UnitsDirectory } from '../pipelines/unit/index.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { contentNeeded, documentsWithContent, flagsNote, gatherReadings, identifyWithContent, levelsOnFile, type ContentReader,
  type Deferred } from './content-step.ts';
import { loadExtensions, personDeadline } from './extensions.ts';
import { reminderRecordById } from './reminder-state.ts';
import { memoryBody } from '../pipelines/body.ts';

export interface PersonStepInput {
  config: AppConfig;
  store: ArchiveStore;
  roster?: Roster;
  /** The units file: a unit's extension applies to its people. */
  units?: UnitsDirectory;
  parsed: ParsedMessage;
  arrival: Arrival;
  messageKey: string;
  emlPath: string;
  now: Date;
  /** Whether the reply guard lets us answer. */
  replyAllowed: boolean;
  replyMessageId: string;
  /** Reads scans (absent: content reading off). */
  content?: ContentReader;
  /** The `content` queue already read what it could: decide with what there is, never defer again. */
  contentDone?: boolean;
}

/** What filing did: the reply status, whose folders took the files, and the reply (when the guard lets us answer). */
export interface PersonStepResult {
  status: ReplyStatus;
  persons: string[];
  reply?: RenderedReply;
  /** sha256 of readable files filed by their names without their pages read: the `content` queue checks them. */
  unread: string[];
  /** After the deadline that applies to the persons in it (an extension moves it). */
  late: boolean;
}
export type { Deferred };

/** Validates and classifies one file for filing (also used when staff assign mail by hand). */
export async function validateAndClassify(
  file: ExtractedFile,
  config: Pick<AppConfig, 'images'>,
  checklist: CampaignConfig['checklist'],
  person?: Pick<Person, 'firstName' | 'lastName'>,
): Promise<FilingDocument> {
  const { validation, pdf } = await validateFile(file, { images: config.images });
  const classification = classifyFile(file, { checklist, person });
  return {
    originalName: file.name,
    sha256: file.sha256,
    size: pdf ? pdf.length : file.size,
    body: pdf ? memoryBody(pdf) : file.body,
    ext: pdf ? 'pdf' : extensionOf(file.name),
    classification,
    validation,
  };
}

export async function ingestPersonMessage(input: PersonStepInput, campaign: CampaignConfig): Promise<PersonStepResult | Deferred> {
  const { config, store, parsed, arrival, messageKey, emlPath, now } = input;
  const named = await identifyWithThread(input, campaign.id);
  const owners = new Map<number, IdentifiedPerson['person']>();
  for (const p of named.persons) for (const i of p.fileIndexes) owners.set(i, p.person);
  // Sequential on purpose: pdf-lib loads are CPU-bound and a message may carry a 25 MB scan.
  const checked: FilingDocument[] = [];
  for (const [i, file] of parsed.files.entries()) checked.push(await validateAndClassify(file, config, campaign.checklist, owners.get(i)));
  const gathered = await gatherReadings(
    input.content,
    checked,
    contentNeeded(checked, named) && !input.contentDone,
    config.content.maxPagesPerMessage,
  );
  if ('deferred' in gathered) return gathered;
  const identification = identifyWithContent(named, parsed, checked, gathered, input.roster);
  const contentNotes: string[] = [];
  // Each person's own deadline: the campaign's, or an extension for them or their unit.
  const extensions = await loadExtensions(config, store, campaign.id);
  const deadlineOf = (p: Person) => personDeadline(campaign, extensions, p, input.units);
  const lateFor = (p: Person) => arrival.receivedAt.getTime() > deadlineOf(p).getTime();
  const baseMessage = manifestMessage(parsed, arrival, { messageKey, emlPath, late: arrival.late });

  const personResults: Array<{ identified: IdentifiedPerson; manifest: PersonManifest }> = [];
  for (const identified of identification.persons) {
    const late = lateFor(identified.person);
    const lateRejected = late && campaign.latePolicy === 'reject';
    const message = { ...baseMessage, late };
    const onFile = await store.readPerson(campaign.id, identified.person.nationalId);
    const read = await documentsWithContent(identified.fileIndexes.map((i) => ({ doc: checked[i], reading: gathered[i] })), {
      person: identified.person,
      checklist: campaign.checklist,
      levelsOnFile: levelsOnFile(onFile?.manifest.documents ?? []),
      rejectFlags: config.content.rejectFlags,
    });
    contentNotes.push(...read.notes, ...[flagsNote(read.flags)].filter((n): n is string => Boolean(n)));
    const documents: FilingDocument[] = read.documents.map((doc) => {
      return lateRejected && doc.validation.ok
        ? { ...doc, validation: { ok: false as const, code: 'late-rejected' as const, detail: 'ส่งหลังกำหนด' } }
        : doc;
    });
    const plan = await store.updatePerson(campaign.id, identified.person, (current) =>
      planFiling(current, {
        campaignId: campaign.id,
        person: identified.person,
        inRoster: identified.inRoster,
        message,
        late,
        documents,
        now,
        checklist: campaign.checklist,
      }));
    personResults.push({ identified, manifest: plan.manifest });
  }

  const orphanIndexes = identification.persons.length ? identification.orphanFileIndexes : parsed.files.map((_, i) => i);
  if (orphanIndexes.length || identification.persons.length === 0) {
    await store.fileUnmatched(
      campaign.id,
      {
        messageKey,
        messageId: parsed.messageId,
        from: parsed.from?.address,
        subject: parsed.subject,
        receivedAt: arrival.receivedAt.toISOString(),
        reason: unmatchedReason(parsed, identification.persons.length > 0),
        emlPath,
        files: [],
      },
      orphanIndexes.map((i) => ({ name: parsed.files[i].name, body: parsed.files[i].body })),
    );
  }

  // What the reply says comes from the manifests, so a retry after a crash still tells the whole story.
  const replyPersons = personResults.map(({ identified, manifest }) => ({
    person: manifest.person,
    inRoster: identified.inRoster,
    judgement: judgeChecklist(manifest.documents, campaign.checklist),
    received: manifest.documents.filter((d) => d.messageKey === messageKey)
      .map((d) => ({ item: d.item, originalName: d.originalName, pages: d.pages, assumed: d.assumed })),
    problems: manifest.problems.filter((p) => p.messageKey === messageKey),
  }));
  const problems = [
    ...replyPersons.flatMap((p) =>
      p.problems.map((x) => ({ originalName: x.originalName, code: x.code, detail: x.detail, person: displayName(p.person) || p.person.nationalId }))
    ),
    ...orphanIndexes.map((i) => ({
      originalName: parsed.files[i].name,
      code: checked[i].validation.ok ? ('unclassified' as const) : checked[i].validation.code,
      detail: checked[i].validation.ok ? 'ไม่สามารถระบุได้ว่าเป็นเอกสารของผู้ใด' : checked[i].validation.detail,
    })),
  ];
  const status = decideReplyStatus({
    persons: replyPersons.map((p) => ({ filedCount: p.received.length, judgement: p.judgement })),
    invalidOrUnclassifiedCount: problems.length,
  });
  const persons = personResults.map((p) => p.manifest.person.nationalId);
  const unread = checked.filter((d, i) => d.validation.ok && !gathered[i]).map((d) => d.sha256);
  // The reply names the deadline that applies: the persons' own when they share one, else the campaign's.
  const deadlines = [...new Set(personResults.map((p) => deadlineOf(p.manifest.person).getTime()))];
  const late = personResults.length ? personResults.some((p) => lateFor(p.manifest.person)) : arrival.late;
  if (!input.replyAllowed) return { status, persons, unread, late };
  const reply = renderReply({
    original: { messageId: parsed.messageId, references: parsed.references, subject: parsed.subject, from: parsed.from, replyTo: parsed.replyTo },
    replyFrom: config.reply.from,
    replyMessageId: input.replyMessageId,
    status,
    late,
    campaign: deadlines.length === 1 ? { ...campaign, deadline: new Date(deadlines[0]) } : campaign,
    persons: replyPersons,
    problems,
    messageProblems: parsed.problems,
    unidentified: identification.persons.length === 0,
    notes: [...new Set([...identification.notes, ...contentNotes])],
    now,
  });
  return { status, persons, reply, unread, late };
}

/**
 * Identification from the message itself; when it names nobody but answers one of our replies about exactly
 * one person, that person (an officer replying "ส่งเพิ่มครับ" with the missing file).
 */
async function identifyWithThread(input: PersonStepInput, campaignId: string): Promise<Identification> {
  const found = identifyPersons(input.parsed, { roster: input.roster });
  if (found.persons.length > 0 || input.parsed.files.length === 0) return found;
  // An answer to a reminder: the reminder's record names the person it was about.
  for (const id of answeredReminderIds(input.parsed.references)) {
    const reminder = await reminderRecordById(input.store, input.config.campaigns.map((c) => c.id), id);
    if (reminder?.campaign !== campaignId || reminder.kind !== 'person' || !reminder.nationalId) continue;
    const folder = await input.store.readPerson(campaignId, reminder.nationalId);
    const person = folder?.manifest.person ?? input.roster?.byId.get(reminder.nationalId);
    if (!person) continue;
    return {
      persons: [{ person, inRoster: folder?.manifest.inRoster ?? true, evidence: ['thread'], fileIndexes: input.parsed.files.map((_, i) => i) }],
      orphanFileIndexes: [],
      notes: [...found.notes, 'ระบุเจ้าของเอกสารจากอีเมลแจ้งเตือนของระบบที่ท่านตอบมา'],
    };
  }
  for (const key of answeredReplyKeys(input.parsed.references)) {
    const earlier = await input.store.getMessageRecord(key);
    if (earlier?.campaign !== campaignId || earlier.persons.length !== 1) continue;
    const folder = await input.store.readPerson(campaignId, earlier.persons[0]);
    if (!folder) continue;
    return {
      persons: [{
        person: folder.manifest.person,
        inRoster: folder.manifest.inRoster,
        evidence: ['thread'],
        fileIndexes: input.parsed.files.map((_, i) => i),
      }],
      orphanFileIndexes: [],
      notes: [...found.notes, 'ระบุเจ้าของเอกสารจากอีเมลตอบกลับของระบบที่ท่านตอบมา'],
    };
  }
  return found;
}

function unmatchedReason(parsed: ParsedMessage, someoneIdentified: boolean): string {
  if (someoneIdentified) return 'orphan-files';
  const codes = parsed.problems.map((p) => p.code);
  for (const code of ['corrupt-mime', 'tnef', 'message-too-large', 'no-attachments'] as const) if (codes.includes(code)) return code;
  return 'unidentified';
}

function extensionOf(name: string): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1];
  return ext ? ext.toLowerCase() : 'bin';
}
