// Decides how one message changes one unit's folder: the new submission, which earlier items it takes over
// (item by item: a later valid report supersedes, the earlier one is kept with its files moved to _superseded/),
// and the unit's status. Pure: adapters/archive-store.ts applies the plan under the unit's lock.
import { nextFreeName, numberedName, safeExt, safeFileName, supersededPath } from '../archive-paths.ts';
import type { ChecklistItem, ManifestMessage, ParsedMessage } from '../types.ts';
import type { UnitFormResult } from './form.ts';
import type { FormExtraction, UnitFile, UnitFileRole, UnitManifest, UnitRef, UnitSubmission } from './types.ts';
import { memoryBody, type FileBody } from '../body.ts';

export interface UnitFilingFile {
  originalName: string;
  sha256: string;
  size: number;
  body: FileBody;
  role: UnitFileRole;
  pages?: number;
}
/**
 * The message's files as the filing takes them: each with the role the form extraction gave it (an attachment when
 * it gave none, a problem when parsing flagged it) and, for an order it converted to PDF, the converted bytes.
 */
export function unitFilingFiles(parsed: Pick<ParsedMessage, 'files'>, extraction: Pick<UnitFormResult, 'files'>): UnitFilingFile[] {
  const roles = new Map(extraction.files.map((f) => [f.index, f]));
  return parsed.files.map((file, index) => {
    const role = roles.get(index) ?? { index, role: 'attachment' as const };
    const body = role.converted ? memoryBody(role.converted) : file.body;
    return {
      originalName: file.name,
      sha256: file.sha256,
      size: body.size,
      body,
      role: file.problem ? ('problem' as const) : role.role,
      ...(role.pages ? { pages: role.pages } : {}),
    };
  });
}

export interface UnitFilingInput {
  campaignId: string;
  unit: UnitRef;
  message: ManifestMessage;
  /** Base name of the form file in the folder: "login-status" → login-status.xlsx. */
  formName: string;
  extraction: FormExtraction;
  files: UnitFilingFile[];
  now: Date;
}
export interface UnitFilingPlan {
  manifest: UnitManifest;
  /** Relative to the unit folder; moves first, then writes. */
  writes: Array<{ relPath: string; body: FileBody }>;
  moves: Array<{ from: string; to: string; sha256?: string }>;
  changed: boolean;
  submission: UnitSubmission;
  /** Unit folder relative to the archive root; set by ArchiveStore.updateUnit. */
  unitDir?: string;
}

const ORDER_ITEM = 'appointment-order';
/** A file stays under its plain name while the items it stands for are on file. */
function fileIsCurrent(role: UnitFileRole, current: string[]): boolean {
  if (role === 'order') return current.includes(ORDER_ITEM);
  if (role === 'form') return current.some((i) => i !== ORDER_ITEM);
  return false;
}

export function planUnitFiling(current: UnitManifest | undefined, input: UnitFilingInput): UnitFilingPlan {
  const key = input.message.messageKey;
  const existing = current?.submissions.find((s) => s.messageKey === key);
  if (current && existing) return { manifest: current, writes: [], moves: [], changed: false, submission: existing };

  const manifest: UnitManifest = current
    ? { ...structuredClone(current), unit: mergeUnit(current.unit, input.unit), updatedAt: input.now.toISOString() }
    : { schema: 1, scope: 'unit', campaign: input.campaignId, unit: input.unit, submissions: [], decisions: [], updatedAt: input.now.toISOString() };
  const writes = new Map<string, FileBody>();
  const moves: UnitFilingPlan['moves'] = [];
  const taken = () => new Set([...manifest.submissions.flatMap((s) => s.files.map((f) => f.path)), ...writes.keys()]);
  const free = (make: (n: number) => string) => nextFreeName(make, taken());

  // Earlier submissions give up the items this one provides; their files that no longer stand for anything move aside.
  for (const old of manifest.submissions) {
    const before = old.current;
    old.current = before.filter((item) => !input.extraction.provides.includes(item));
    if (old.current.length === before.length) continue;
    for (const file of old.files) {
      if (!file.current || fileIsCurrent(file.role, old.current)) continue;
      const name = file.path.split('/').pop() ?? file.path;
      const to = free((n) => supersededPath(name, new Date(old.receivedAt), n));
      moves.push({ from: file.path, to, sha256: file.sha256 });
      file.path = to;
      file.current = false;
    }
  }

  const provides = [...input.extraction.provides];
  const files: UnitFile[] = [];
  for (const f of input.files) {
    const live = fileIsCurrent(f.role, provides);
    const ext = safeExt(/\.([A-Za-z0-9]{1,8})$/.exec(f.originalName)?.[1], f.role === 'order' ? 'pdf' : 'bin');
    let path: string;
    if (live && f.role === 'order') path = free((n) => `${ORDER_ITEM}${n > 1 ? `-${n}` : ''}.pdf`);
    else if (live) path = free((n) => `${input.formName}${n > 1 ? `-${n}` : ''}.${ext}`);
    else if (f.role === 'attachment') path = free((n) => `_attachments/${numberedName(safeFileName(f.originalName), n)}`);
    else path = free((n) => `_problems/${numberedName(safeFileName(f.originalName), n)}`);
    writes.set(path, f.body);
    files.push({
      path,
      originalName: f.originalName,
      sha256: f.sha256,
      size: f.size,
      role: f.role,
      ...(f.pages ? { pages: f.pages } : {}),
      current: live,
    });
  }

  const m = input.message;
  const submission: UnitSubmission = {
    messageKey: key,
    messageId: m.messageId,
    receivedAt: m.receivedAt,
    ...(m.from ? { from: m.from } : {}),
    subject: m.subject,
    emlPath: m.emlPath,
    late: m.late,
    source: input.extraction.source,
    provides,
    current: [...provides],
    data: input.extraction.data,
    problems: input.extraction.problems,
    files,
  };
  manifest.submissions.push(submission);
  return {
    manifest,
    writes: [...writes].map(([relPath, body]) => ({ relPath, body })),
    moves,
    changed: true,
    submission,
  };
}

/** The units file is the authority on a unit's id, name and kind; a message only fills gaps. */
function mergeUnit(current: UnitRef, incoming: UnitRef): UnitRef {
  if (current.inUnitsFile && !incoming.inUnitsFile) return current;
  return { ...current, ...incoming };
}

export interface UnitJudgement {
  status: 'complete' | 'incomplete' | 'not-submitted';
  missing: string[];
  satisfied: string[];
  /** The submission each satisfied item comes from. */
  from: Record<string, UnitSubmission>;
  late: boolean;
}

export function judgeUnit(manifest: UnitManifest | undefined, checklist: ChecklistItem[], deadline?: Date): UnitJudgement {
  const from: Record<string, UnitSubmission> = {};
  for (const s of manifest?.submissions ?? []) if (s.review?.state !== 'returned') { for (const item of s.current) from[item] = s; }
  const satisfied = checklist.filter((i) => from[i.id]).map((i) => i.id);
  const missing = checklist.filter((i) => i.required && !from[i.id]).map((i) => i.id);
  const status = !manifest?.submissions.length ? 'not-submitted' : missing.length ? 'incomplete' : 'complete';
  const late = Object.values(from).some((s) => (deadline ? Date.parse(s.receivedAt) > deadline.getTime() : s.late));
  return { status, missing, satisfied, from, late };
}

/** The unit's latest current data of this form (the login-status report on file, the officers on file). */
export function currentSubmission(manifest: UnitManifest | undefined, notItem = ORDER_ITEM): UnitSubmission | undefined {
  return manifest?.submissions.filter((s) => s.review?.state !== 'returned' && s.current.some((i) => i !== notItem)).at(-1);
}
