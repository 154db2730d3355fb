// Decides how one message changes one person's folder: which files to write, which to move aside, the new manifest.
// Pure (no disk): adapters/archive-store.ts applies the plan under a lock and writes manifest.json last.
import { combinedPath, documentFileName, nextFreeName, problemPath, safeExt, supersededPath } from '../archive-paths.ts';
import type { ChecklistItem, Classification, DocumentReading, EducationPart, ManifestDocument, ManifestMessage, ManifestProblemFile, PersonManifest, Person,
  Validation } from '../types.ts';
import type { FileBody } from '../body.ts';

export interface FilingDocument {
  originalName: string;
  sha256: string;
  size: number;
  body: FileBody;
  ext: string;
  classification: Classification;
  validation: Validation;
  /** What the pages said (content reading), kept in the manifest with the document or problem. */
  reading?: DocumentReading;
  /** A combined PDF cut into this many documents: kept under _combined/, filed as none of them. */
  combined?: { parts: number };
}
export interface FilingInput {
  campaignId: string;
  person: Person;
  inRoster: boolean;
  message: ManifestMessage;
  late: boolean;
  documents: FilingDocument[];
  now: Date;
  /** The campaign's checklist (which items accumulate, which have parts). */
  checklist: ChecklistItem[];
}
type FiledEntry = { item: string; originalName: string; pages: number; path: string; assumed?: boolean };
export interface FilingPlan {
  manifest: PersonManifest;
  /** Paths relative to the person folder. Applied after the moves. */
  writes: Array<{ relPath: string; body: FileBody }>;
  /** Paths relative to the person folder; sha256 lets a re-run after a crash tell a done move from a pending one. */
  moves: Array<{ from: string; to: string; sha256?: string }>;
  changed: boolean;
  /** Documents of this message now on file; path relative to the person folder. */
  filed: FiledEntry[];
  problems: ManifestProblemFile[];
  /** Person folder relative to the archive root; set by ArchiveStore.updatePerson. */
  personDir?: string;
}

/** The plan while it is being made: the new manifest, the bytes to write by path, the moves. */
interface Draft {
  manifest: PersonManifest;
  pending: Map<string, FileBody>;
  moves: FilingPlan['moves'];
  filed: FiledEntry[];
  problems: ManifestProblemFile[];
  /** What every entry of this message records about it. */
  origin: Pick<ManifestDocument, 'receivedAt' | 'messageId' | 'messageKey'>;
}

function emptyManifest(input: FilingInput): PersonManifest {
  return {
    schema: 1,
    campaign: input.campaignId,
    person: input.person,
    inRoster: input.inRoster,
    documents: [],
    problems: [],
    messages: [],
    decisions: [],
    updatedAt: input.now.toISOString(),
  };
}

/** The roster is the authority on a person's name and unit; mail only fills gaps. */
function mergePerson(current: PersonManifest, input: FilingInput): Person {
  if (current.inRoster && !input.inRoster) return current.person;
  const merged: Person = { ...current.person };
  for (const [key, value] of Object.entries(input.person)) {
    if (value !== undefined && value !== '') (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/** Re-running a message already in the manifest: report what it filed then, change nothing. */
function unchanged(current: PersonManifest, messageKey: string): FilingPlan {
  const filed = current.documents.filter((d) => d.messageKey === messageKey).map((d) => ({
    item: d.item,
    originalName: d.originalName,
    pages: d.pages,
    path: d.path,
    ...(d.assumed ? { assumed: true } : {}),
  }));
  const problems = current.problems.filter((p) => p.messageKey === messageKey);
  return { manifest: current, writes: [], moves: [], changed: false, filed, problems };
}

/** Which current documents of the item a new file with this part replaces. */
function overlaps(spec: ChecklistItem | undefined, newPart: EducationPart | undefined, old: ManifestDocument): boolean {
  if (!spec?.parts?.length) return true;
  const oldPart = old.part ?? 'both';
  return newPart === 'both' || newPart === undefined || oldPart === newPart;
}

/** The manifest with this message recorded, and nothing filed yet. */
function openDraft(current: PersonManifest | undefined, input: FilingInput): Draft {
  const base: PersonManifest = current ? structuredClone(current) : emptyManifest(input);
  const manifest: PersonManifest = {
    ...base,
    person: current ? mergePerson(base, input) : input.person,
    inRoster: base.inRoster || input.inRoster,
    messages: [...base.messages, input.message],
    updatedAt: input.now.toISOString(),
  };
  const { receivedAt, messageId, messageKey } = input.message;
  return { manifest, pending: new Map(), moves: [], filed: [], problems: [], origin: { receivedAt, messageId, messageKey } };
}

/** Every path the folder holds or will hold. */
function takenPaths(draft: Draft): Set<string> {
  return new Set([...draft.manifest.documents.map((d) => d.path), ...draft.manifest.problems.map((p) => p.path), ...draft.pending.keys()]);
}

/** Moves a current document to _superseded/ (or, filed by this very message, writes it there); returns its new path. */
function supersede(draft: Draft, doc: ManifestDocument): string {
  const fileName = doc.path.split('/').pop() ?? doc.path;
  const to = nextFreeName((n) => supersededPath(fileName, new Date(doc.receivedAt), n), takenPaths(draft));
  const bytes = draft.pending.get(doc.path);
  if (bytes) {
    draft.pending.delete(doc.path);
    draft.pending.set(to, bytes);
    for (const entry of draft.filed) if (entry.path === doc.path) entry.path = to;
  } else {
    draft.moves.push({ from: doc.path, to, sha256: doc.sha256 });
  }
  doc.path = to;
  doc.current = false;
  return to;
}

/** A file that does not count (invalid, or no checklist item): kept under _problems/ once per content and code. */
function fileProblem(draft: Draft, file: FilingDocument): ManifestProblemFile {
  const v = file.validation;
  const code = v.ok ? 'unclassified' : v.code;
  const same = draft.manifest.problems.find((p) => p.sha256 === file.sha256 && p.code === code);
  if (same) return same;
  const problem: ManifestProblemFile = {
    path: nextFreeName((n) => problemPath(file.originalName, n), takenPaths(draft)),
    originalName: file.originalName,
    sha256: file.sha256,
    size: file.size,
    code,
    ...(!v.ok && v.detail ? { detail: v.detail } : {}),
    ...(file.classification.items.length ? { items: [...file.classification.items] } : {}),
    ...draft.origin,
    ...(file.reading ? { reading: file.reading } : {}),
  };
  draft.pending.set(problem.path, file.body);
  draft.manifest.problems.push(problem);
  return problem;
}

/** A valid file as one checklist item: the same bytes already on file count as filed; otherwise it takes over. */
function fileDocument(draft: Draft, file: FilingDocument, item: string, pages: number, input: FilingInput): FiledEntry {
  const spec = input.checklist.find((c) => c.id === item);
  const part: EducationPart | undefined = spec?.parts?.length ? (file.classification.part ?? 'both') : undefined;
  const live = draft.manifest.documents.filter((d) => d.item === item && d.current);
  const assumed = file.classification.assumed ? { assumed: true } : {};
  const same = live.find((d) => d.sha256 === file.sha256);
  if (same) return { item, originalName: file.originalName, pages: same.pages, path: same.path, ...assumed };
  if (!spec?.multiple) { for (const old of live.filter((d) => overlaps(spec, part, d))) supersede(draft, old); }

  const ext = safeExt(file.ext);
  const converted = file.validation.ok && file.validation.converted ? { converted: file.validation.converted } : {};
  const doc: ManifestDocument = {
    item,
    ...(part ? { part } : {}),
    path: nextFreeName((n) => documentFileName(item, part, ext, n), takenPaths(draft)),
    originalName: file.originalName,
    sha256: file.sha256,
    size: file.size,
    pages,
    ...draft.origin,
    late: input.late,
    current: true,
    ...assumed,
    ...converted,
    review: { state: 'awaiting-review' },
    ...(file.reading ? { reading: file.reading } : {}),
  };
  draft.pending.set(doc.path, file.body);
  draft.manifest.documents.push(doc);
  return { item, originalName: file.originalName, pages, path: doc.path, ...assumed };
}

/** A combined PDF cut into documents: kept as it came under _combined/ (once per content), filed as none of them. */
function keepCombined(draft: Draft, file: FilingDocument): void {
  const combined = draft.manifest.combined ?? [];
  if (combined.some((c) => c.sha256 === file.sha256)) return;
  const path = nextFreeName((n) => combinedPath(file.originalName, n), takenPaths(draft));
  draft.pending.set(path, file.body);
  draft.manifest.combined = [...combined, {
    path,
    originalName: file.originalName,
    sha256: file.sha256,
    size: file.size,
    parts: file.combined?.parts ?? 0,
    ...draft.origin,
  }];
}

export function planFiling(current: PersonManifest | undefined, input: FilingInput): FilingPlan {
  const key = input.message.messageKey;
  if (current?.messages.some((m) => m.messageKey === key)) return unchanged(current, key);
  const draft = openDraft(current, input);
  for (const file of input.documents) {
    const v = file.validation;
    if (file.combined) keepCombined(draft, file);
    else if (!v.ok || file.classification.items.length === 0) draft.problems.push(fileProblem(draft, file));
    else for (const item of file.classification.items) draft.filed.push(fileDocument(draft, file, item, v.pages, input));
  }
  const { manifest, pending, moves, filed, problems } = draft;
  return { manifest, writes: [...pending].map(([relPath, body]) => ({ relPath, body })), moves, changed: true, filed, problems };
}
