// Evaluates one person's checklist over the documents filed so far (current, not returned by staff).
// It does not decide what a file is (classify) or whether it is valid (validate): only what is still missing.
import type { ChecklistItem, ChecklistJudgement, ManifestDocument } from '../types.ts';

function counts(doc: ManifestDocument): boolean {
  return doc.current && doc.review?.state !== 'returned';
}

function partsPresent(docs: ManifestDocument[]): Set<'degree' | 'transcript'> {
  const parts = new Set<'degree' | 'transcript'>();
  for (const doc of docs) {
    if (doc.part === 'both' || doc.part === undefined) {
      parts.add('degree');
      parts.add('transcript');
    } else {
      parts.add(doc.part);
    }
  }
  return parts;
}

export function judgeChecklist(documents: ManifestDocument[], checklist: ChecklistItem[]): ChecklistJudgement {
  const live = documents.filter(counts);
  const byItem = new Map<string, ManifestDocument[]>();
  for (const doc of live) byItem.set(doc.item, [...(byItem.get(doc.item) ?? []), doc]);

  const satisfied: string[] = [];
  const missing: string[] = [];
  const missingParts: Record<string, 'degree' | 'transcript'> = {};
  for (const item of checklist) {
    const docs = byItem.get(item.id) ?? [];
    let ok = docs.length > 0;
    if (ok && item.parts?.length) {
      const present = partsPresent(docs);
      const lacking = item.parts.find((part) => !present.has(part));
      if (lacking) {
        ok = false;
        missingParts[item.id] = lacking;
      }
    }
    const replaced = (item.replacedBy ?? []).some((other) => (byItem.get(other) ?? []).length > 0);
    if (ok || replaced) satisfied.push(item.id);
    else if (item.required) missing.push(item.id);
  }
  for (const id of Object.keys(missingParts)) if (satisfied.includes(id)) delete missingParts[id];

  const status = live.length === 0 && documents.length === 0 ? 'not-submitted' : missing.length ? 'incomplete' : 'complete';
  return { status, missing, missingParts, satisfied, late: live.some((doc) => doc.late) };
}
