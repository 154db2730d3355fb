// The vocabulary of `seis-intake verify`: what a finding is, which folder it is about, and the report. Types
// and two tiny helpers only; verify-archive.ts finds, repair-archive.ts repairs.
import type { MessageRecord } from '../pipelines/types.ts';
import type { WalkEntry } from '../adapters/archive-walk.ts';

export type FindingCode =
  | 'hash-mismatch' // a file's bytes differ from the sha256 its manifest, record or name gives
  | 'missing-file' // a manifest or record names a file that is not there
  | 'missing-link' // a folder's copy of an original (_originals/<key>.eml, original.eml) is missing
  | 'original-missing' // a record or manifest names an original .eml that is not in _messages/
  | 'original-without-record' // an original in _messages/ that no message record claims (never processed)
  | 'record-missing' // a manifest lists a message that has no record in _state/messages/
  | 'record-unreadable' // a message record that is not valid JSON
  | 'manifest-missing' // a person/unit folder without manifest.json, or filed mail with no folder at all
  | 'manifest-unreadable' // manifest.json or record.json that is not valid JSON
  | 'manifest-misses-message' // a record says the message was filed here, the manifest does not list it
  | 'manifest-mismatch' // a manifest about another person/unit than its folder
  | 'duplicate-folder' // two folders for one national ID in one campaign
  | 'index-missing' // _state/persons/<campaign>/<id>.json absent or pointing elsewhere
  | 'index-orphan' // a person index pointing at no folder
  | 'unreferenced-file' // a file in a filed folder that its manifest does not list
  | 'temp-leftover' // a temp file of a write that never finished
  | 'temp-in-progress' // a temp file of a process that is still running (warning)
  | 'outside-layout' // a file or link with no place in the archive's layout
  | 'unknown-state-area' // a _state/<area> this version does not know (warning)
  | 'outbox-orphan'; // a reply in _outbox/ that no record or staff mail names (warning)

/** The folder a finding is about, so repair can rebuild it from the state records. */
export type FolderRef =
  | { kind: 'person'; campaign: string; nationalId: string; dir?: string }
  | { kind: 'unit'; campaign: string; unitKey: string; dir: string }
  | { kind: 'unmatched'; campaign: string; messageKey: string; dir: string };

export interface Finding {
  severity: 'damage' | 'warning';
  code: FindingCode;
  /** Relative to the archive root. */
  path: string;
  detail?: string;
  /** What --repair can do about it (nothing when absent). */
  repair?: 'relink' | 'index' | 'rebuild' | 'restore' | 'quarantine';
  folder?: FolderRef;
  /** relink: the original to link from; index: the folder the index should name. */
  source?: string;
}

export interface VerifySummary {
  files: number;
  bytes: number;
  originals: number;
  records: number;
  persons: number;
  units: number;
  unmatched: number;
  damage: number;
  warnings: number;
}

export interface VerifyReport {
  root: string;
  checkedAt: string;
  clean: boolean;
  summary: VerifySummary;
  findings: Finding[];
}

export function folderKey(ref: FolderRef): string {
  if (ref.kind === 'person') return `person:${ref.campaign}:${ref.nationalId}`;
  if (ref.kind === 'unit') return `unit:${ref.campaign}:${ref.unitKey}`;
  return `unmatched:${ref.campaign}:${ref.messageKey}`;
}

/** Damage first, then by path: the order the CLI prints and the tests compare. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) =>
    (a.severity === b.severity ? 0 : a.severity === 'damage' ? -1 : 1)
    || a.path.localeCompare(b.path) || a.code.localeCompare(b.code)
  );
}

/** What the checks share while one verification runs (verify-archive.ts builds it). */
export interface VerifyContext {
  root: string;
  /** Every file, link or other non-directory entry, by relative path. */
  entries: Map<string, WalkEntry>;
  /** sha256 of a file entry, undefined when it is not a regular file. */
  hash(rel: string): Promise<string | undefined>;
  /** JSON of an entry: its value, or why it could not be read. */
  readJson<T>(rel: string): Promise<{ value?: T; error?: string }>;
  records: Map<string, MessageRecord>;
  /** Entries some rule has accounted for; whatever is left at the end has no place. */
  accounted: Set<string>;
  add(finding: Finding): void;
  /** Message keys each filed folder's manifest lists (folderKey → keys), for the record cross-check. */
  filed: Map<string, Set<string>>;
  /** Folders (folderKey) some message record says it filed into: those can be rebuilt from the records. */
  mentioned: Set<string>;
  /** Folders whose manifest is missing or unreadable (folderKey): reported once, as such. */
  broken: Set<string>;
  /** Person folders found, by `campaign:nationalId`. */
  personDirs: Map<string, string[]>;
  /** Originals in _messages/, by raw key (the sha256 their name gives). */
  originals: Map<string, string>;
}
