// Corrects what one message filed for one person once its pages have been read after the reply (the files were
// decided by their names): documents whose item changed are moved aside and filed again as what they are;
// the others only gain what their pages said. Pure: the archive store applies the plan like any filing.
import { nextFreeName, supersededPath } from '../archive-paths.ts';
import type { DocumentReading, PersonManifest } from '../types.ts';
import { planFiling, type FilingDocument, type FilingInput, type FilingPlan } from './file-plan.ts';

export interface CorrectionInput extends Omit<FilingInput, 'documents'> {
  /** The message's files as content now decides them, keyed by the sha256 of the file as it arrived. */
  decided: Array<{ sha256: string; documents: FilingDocument[] }>;
}

const itemsKey = (docs: Array<{ item?: string; items?: string[] }>) => docs.flatMap((d) => (d.item ? [d.item] : d.items ?? [])).sort().join(',');

/** Which arrived files content files differently from how their names filed them. */
export function changedFiles(current: PersonManifest, input: CorrectionInput): Set<string> {
  const key = input.message.messageKey;
  const changed = new Set<string>();
  for (const { sha256, documents } of input.decided) {
    const before = current.documents.filter((d) => d.messageKey === key && d.sha256 === sha256);
    const problems = current.problems.filter((p) => p.messageKey === key && p.sha256 === sha256);
    const split = documents.some((d) => d.combined);
    const after = documents.filter((d) => d.validation.ok).map((d) => ({ items: d.classification.items }));
    const same = !split && itemsKey(before) === itemsKey(after) && (problems.length > 0) === after.every((a) => a.items.length === 0);
    if (!same) changed.add(sha256);
  }
  return changed;
}

export function planCorrection(current: PersonManifest, input: CorrectionInput): FilingPlan & { corrected: string[] } {
  const key = input.message.messageKey;
  const changed = changedFiles(current, input);
  const base: PersonManifest = structuredClone(current);
  const readings = new Map<string, DocumentReading>();
  for (const { sha256, documents } of input.decided) {
    const reading = documents.find((d) => d.reading)?.reading;
    if (reading && !changed.has(sha256)) readings.set(sha256, reading);
  }
  for (const doc of base.documents) {
    if (doc.messageKey === key && readings.has(doc.sha256)) doc.reading = readings.get(doc.sha256);
  }
  if (changed.size === 0) {
    const touched = readings.size > 0;
    return { manifest: base, writes: [], moves: [], changed: touched, filed: [], problems: [], corrected: [] };
  }

  const moves: FilingPlan['moves'] = [];
  const used = new Set([...base.documents.map((d) => d.path), ...base.problems.map((p) => p.path)]);
  for (const doc of base.documents) {
    if (doc.messageKey !== key || !changed.has(doc.sha256) || !doc.current) continue;
    const name = doc.path.split('/').pop() ?? doc.path;
    const to = nextFreeName((n) => supersededPath(name, new Date(doc.receivedAt), n), used);
    used.add(to);
    moves.push({ from: doc.path, to, sha256: doc.sha256 });
    Object.assign(doc, { path: to, current: false, relabelled: true });
  }
  // Problems of this message that content now files: the kept copy stays in _problems/ but stops counting.
  base.problems = base.problems.filter((p) => !(p.messageKey === key && changed.has(p.sha256)));
  base.messages = base.messages.filter((m) => m.messageKey !== key);

  const documents = input.decided.filter((d) => changed.has(d.sha256)).flatMap((d) => d.documents);
  const plan = planFiling(base, { ...input, documents });
  return { ...plan, moves: [...moves, ...plan.moves], changed: true, corrected: [...changed] };
}
