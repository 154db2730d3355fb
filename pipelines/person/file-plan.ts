// Decides how one message changes one person's folder: which files to write, which to move aside, the new manifest.
// Pure (no disk): adapters/archive-store.ts applies the plan under a lock and writes manifest.json last.
import {
  combinedPath, documentFileName, problemPath, safeExt, supersededPath,
} from '../archive-paths.ts';
import type {
  ChecklistItem, Classification, DocumentReading, EducationPart, ManifestDocument, ManifestMessage, ManifestProblemFile,
  PersonManifest, Person, Validation,
} from '../types.ts';

export interface FilingDocument {
  originalName: string; sha256: string; size: number; content: Buffer; ext: string;
  classification: Classification; validation: Validation;
  /** What the pages said (content reading), kept in the manifest with the document or problem. */
  reading?: DocumentReading;
  /** A combined PDF cut into this many documents: kept under _combined/, filed as none of them. */
  combined?: { parts: number };
}
export interface FilingInput {
  campaignId: string; person: Person; inRoster: boolean;
  message: ManifestMessage; late: boolean; documents: FilingDocument[]; now: Date;
  /** The campaign's checklist (which items accumulate, which have parts); defaults to the circular's. */
  checklist: ChecklistItem[];
}
export interface FilingPlan {
  manifest: PersonManifest;
  /** Paths relative to the person folder. Applied after the moves. */
  writes: Array<{ relPath: string; content: Buffer }>;
  /** Paths relative to the person folder; sha256 lets a re-run after a crash tell a done move from a pending one. */
  moves: Array<{ from: string; to: string; sha256?: string }>;
  changed: boolean;
  /** Documents of this message now on file; path relative to the person folder. */
  filed: Array<{ item: string; originalName: string; pages: number; path: string; assumed?: boolean }>;
  problems: ManifestProblemFile[];
  /** Person folder relative to the archive root; set by ArchiveStore.updatePerson. */
  personDir?: string;
}

function emptyManifest(input: FilingInput): PersonManifest {
  return {
    schema: 1, campaign: input.campaignId, person: input.person, inRoster: input.inRoster,
    documents: [], problems: [], messages: [], decisions: [], updatedAt: input.now.toISOString(),
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
    item: d.item, originalName: d.originalName, pages: d.pages, path: d.path, ...(d.assumed ? { assumed: true } : {}),
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

export function planFiling(current: PersonManifest | undefined, input: FilingInput): FilingPlan {
  const key = input.message.messageKey;
  if (current?.messages.some((m) => m.messageKey === key)) return unchanged(current, key);

  const checklist = input.checklist;
  const base: PersonManifest = current ? structuredClone(current) : emptyManifest(input);
  const manifest: PersonManifest = {
    ...base,
    person: current ? mergePerson(base, input) : input.person,
    inRoster: base.inRoster || input.inRoster,
    messages: [...base.messages, input.message],
    updatedAt: input.now.toISOString(),
  };
  const pending = new Map<string, Buffer>();
  const moves: FilingPlan['moves'] = [];
  const filed: FilingPlan['filed'] = [];
  const problems: ManifestProblemFile[] = [];
  const taken = () => new Set([
    ...manifest.documents.map((d) => d.path), ...manifest.problems.map((p) => p.path), ...pending.keys(),
  ]);
  const common = { receivedAt: input.message.receivedAt, messageId: input.message.messageId, messageKey: key };

  const supersede = (doc: ManifestDocument) => {
    const used = taken();
    const fileName = doc.path.split('/').pop() ?? doc.path;
    let n = 1;
    let to = supersededPath(fileName, new Date(doc.receivedAt), n);
    while (used.has(to)) to = supersededPath(fileName, new Date(doc.receivedAt), ++n);
    const bytes = pending.get(doc.path);
    if (bytes) {
      // Filed and replaced within this very message: write it straight to its superseded name.
      pending.delete(doc.path);
      pending.set(to, bytes);
      for (const entry of filed) if (entry.path === doc.path) entry.path = to;
    } else {
      moves.push({ from: doc.path, to, sha256: doc.sha256 });
    }
    doc.path = to;
    doc.current = false;
  };

  for (const file of input.documents) {
    if (file.combined) {
      keepCombined(manifest, file, pending, taken(), common);
      continue;
    }
    const v = file.validation;
    const items = v.ok ? file.classification.items : [];
    if (!v.ok || items.length === 0) {
      const code = v.ok ? 'unclassified' : v.code;
      const detail = v.ok ? undefined : v.detail;
      const same = manifest.problems.find((p) => p.sha256 === file.sha256 && p.code === code);
      if (same) {
        problems.push(same);
        continue;
      }
      const used = taken();
      let n = 1;
      while (used.has(problemPath(file.originalName, n))) n++;
      const problem: ManifestProblemFile = {
        path: problemPath(file.originalName, n), originalName: file.originalName, sha256: file.sha256,
        size: file.size, code, ...(detail ? { detail } : {}),
        ...(file.classification.items.length ? { items: [...file.classification.items] } : {}), ...common,
        ...(file.reading ? { reading: file.reading } : {}),
      };
      pending.set(problem.path, file.content);
      manifest.problems.push(problem);
      problems.push(problem);
      continue;
    }

    for (const item of items) {
      const spec = checklist.find((c) => c.id === item);
      const part: EducationPart | undefined = spec?.parts?.length ? (file.classification.part ?? 'both') : undefined;
      const live = manifest.documents.filter((d) => d.item === item && d.current);
      const same = live.find((d) => d.sha256 === file.sha256);
      const assumed = file.classification.assumed ? { assumed: true } : {};
      if (same) {
        filed.push({ item, originalName: file.originalName, pages: same.pages, path: same.path, ...assumed });
        continue;
      }
      if (!spec?.multiple) for (const old of live.filter((d) => overlaps(spec, part, d))) supersede(old);

      const used = taken();
      let n = 1;
      const ext = safeExt(file.ext);
      while (used.has(documentFileName(item, part, ext, n))) n++;
      const doc: ManifestDocument = {
        item, ...(part ? { part } : {}), path: documentFileName(item, part, ext, n), originalName: file.originalName,
        sha256: file.sha256, size: file.size, pages: v.pages, ...common, late: input.late, current: true,
        ...assumed, ...(v.converted ? { converted: v.converted } : {}), review: { state: 'awaiting-review' },
        ...(file.reading ? { reading: file.reading } : {}),
      };
      pending.set(doc.path, file.content);
      manifest.documents.push(doc);
      filed.push({ item, originalName: file.originalName, pages: v.pages, path: doc.path, ...assumed });
    }
  }

  const writes = [...pending].map(([relPath, content]) => ({ relPath, content }));
  return { manifest, writes, moves, changed: true, filed, problems };
}

function keepCombined(
  manifest: PersonManifest, file: FilingDocument, pending: Map<string, Buffer>, used: Set<string>,
  common: { receivedAt: string; messageId: string; messageKey: string },
): void {
  const combined = manifest.combined ?? [];
  if (combined.some((c) => c.sha256 === file.sha256)) return;
  let n = 1;
  while (used.has(combinedPath(file.originalName, n))) n++;
  const path = combinedPath(file.originalName, n);
  pending.set(path, file.content);
  manifest.combined = [...combined, {
    path, originalName: file.originalName, sha256: file.sha256, size: file.size, parts: file.combined?.parts ?? 0, ...common,
  }];
}
