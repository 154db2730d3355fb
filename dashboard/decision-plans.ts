// What a staff decision does to a person's manifest, as FilingPlans for ArchiveStore.updatePerson: review
// (accept / return), assigning an unclassified file to a checklist item, assigning an unmatched message.
// Filing goes through planFiling so the same rules (supersede, parts, duplicates) apply as for mail.
// Pure: no disk; every decision is also appended to manifest.decisions (kept across re-runs).
import { planFiling, type FilingDocument, type FilingPlan } from '../pipelines/person/index.ts';
import type { ChecklistItem, EducationPart, ManifestMessage, Person, PersonManifest, StaffDecision } from '../pipelines/types.ts';
import { EMPTY_BODY } from '../pipelines/body.ts';

export type DecisionOutcome = 'done' | 'unchanged' | 'not-found';

export interface DecisionResult {
  plan: FilingPlan;
  outcome: DecisionOutcome;
}

const unchanged = (manifest: PersonManifest | undefined, outcome: DecisionOutcome): DecisionResult => ({
  plan: {
    manifest: manifest as PersonManifest,
    writes: [],
    moves: [],
    changed: false,
    filed: [],
    problems: [],
  },
  outcome,
});

function record(manifest: PersonManifest, decision: StaffDecision): void {
  manifest.decisions = [...(manifest.decisions ?? []), decision];
  manifest.updatedAt = decision.at;
}

export function planReview(
  current: PersonManifest | undefined,
  args: { path: string; decision: 'accept' | 'return'; reason?: string; by: string; now: Date },
): DecisionResult {
  const target = current?.documents.find((d) => d.path === args.path && d.current);
  if (!current || !target) return unchanged(current, 'not-found');
  const state = args.decision === 'accept' ? 'accepted' : 'returned';
  if (target.review?.state === state && (state === 'accepted' || target.review.reason === args.reason)) {
    return unchanged(current, 'unchanged');
  }
  const manifest = structuredClone(current);
  const doc = manifest.documents.find((d) => d.path === args.path && d.current)!;
  const at = args.now.toISOString();
  doc.review = { state, by: args.by, at, ...(state === 'returned' && args.reason ? { reason: args.reason } : {}) };
  record(manifest, {
    at,
    by: args.by,
    action: state === 'accepted' ? 'accept-document' : 'return-document',
    detail: {
      path: doc.path,
      item: doc.item,
      originalName: doc.originalName,
      sha256: doc.sha256,
      ...(state === 'returned' ? { reason: args.reason ?? '' } : {}),
    },
  });
  return { plan: { manifest, writes: [], moves: [], changed: true, filed: [], problems: [] }, outcome: 'done' };
}

/** planFiling for files of a message the manifest may already hold (it would otherwise answer "already filed"). */
function fileAgain(
  current: PersonManifest | undefined,
  message: ManifestMessage,
  input: Omit<Parameters<typeof planFiling>[1], 'message'>,
  keep?: (m: PersonManifest) => PersonManifest,
): FilingPlan {
  const had = current?.messages.some((m) => m.messageKey === message.messageKey);
  let base = current && had ? { ...current, messages: current.messages.filter((m) => m.messageKey !== message.messageKey) } : current;
  if (base && keep) base = keep(base);
  const plan = planFiling(base, { ...input, message });
  if (had && current) plan.manifest.messages = current.messages;
  return plan;
}

export interface AssignItemArgs {
  campaignId: string;
  problemPath: string;
  item: string;
  part?: EducationPart;
  /** From validating the file again (pages are not kept for unclassified files). */
  pages: number;
  ext: string;
  checklist: ChecklistItem[];
  by: string;
  now: Date;
}

/**
 * Moves an unclassified file out of _problems/ to its checklist name (superseding what it replaces),
 * as if the message had named it.
 */
export function planAssignItem(current: PersonManifest | undefined, args: AssignItemArgs): DecisionResult {
  const problem = current?.problems.find((p) => p.path === args.problemPath && p.code === 'unclassified');
  const spec = args.checklist.find((c) => c.id === args.item);
  if (!current || !problem || !spec) return unchanged(current, 'not-found');
  const message = current.messages.find((m) => m.messageKey === problem.messageKey) ?? {
    messageId: problem.messageId,
    messageKey: problem.messageKey,
    receivedAt: problem.receivedAt,
    subject: '',
    emlPath: '',
    late: false,
  };
  const part = spec.parts?.length ? (args.part ?? 'both') : undefined;
  const document: FilingDocument = {
    originalName: problem.originalName,
    sha256: problem.sha256,
    size: problem.size,
    body: EMPTY_BODY,
    ext: args.ext,
    classification: { items: [args.item], ...(part ? { part } : {}) },
    validation: { ok: true, pages: args.pages },
  };
  const plan = fileAgain(current, message, {
    campaignId: args.campaignId,
    person: current.person,
    inRoster: current.inRoster,
    late: message.late,
    documents: [document],
    now: args.now,
    checklist: args.checklist,
  }, (m) => ({ ...m, problems: m.problems.filter((p) => p !== problem) }));
  // The bytes are already in the folder: move the problem file instead of writing a copy.
  const newPath = plan.writes.find((w) => w.body === EMPTY_BODY)?.relPath;
  plan.writes = plan.writes.filter((w) => w.relPath !== newPath);
  if (newPath) plan.moves.push({ from: problem.path, to: newPath, sha256: problem.sha256 });
  const filedPath = plan.filed[0]?.path ?? newPath;
  record(plan.manifest, {
    at: args.now.toISOString(),
    by: args.by,
    action: 'assign-item',
    detail: { item: args.item, ...(part ? { part } : {}), from: problem.path, path: filedPath, originalName: problem.originalName, sha256: problem.sha256 },
  });
  return { plan, outcome: 'done' };
}

export interface AssignMessageArgs {
  campaignId: string;
  person: Person;
  inRoster: boolean;
  message: ManifestMessage;
  documents: FilingDocument[];
  checklist: ChecklistItem[];
  by: string;
  now: Date;
}

/** Files an unmatched message's documents for the person staff chose, exactly as if the mail had named them. */
export function planAssignMessage(current: PersonManifest | undefined, args: AssignMessageArgs): DecisionResult {
  const plan = fileAgain(current, args.message, {
    campaignId: args.campaignId,
    person: args.person,
    inRoster: args.inRoster,
    late: args.message.late,
    documents: args.documents,
    now: args.now,
    checklist: args.checklist,
  });
  record(plan.manifest, {
    at: args.now.toISOString(),
    by: args.by,
    action: 'assign-message',
    detail: {
      messageKey: args.message.messageKey,
      messageId: args.message.messageId,
      subject: args.message.subject,
      from: args.message.from ?? '',
      files: args.documents.map((d) => d.originalName),
    },
  });
  plan.changed = true;
  return { plan, outcome: 'done' };
}
