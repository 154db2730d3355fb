// The values identify → classify → validate → judge pass along, and who a submission is about.
import type { ChecklistItemId, EducationPart } from '../config/campaign-types.ts';
import type { FileProblemCode } from './mail-types.ts';

export interface Person {
  /** 13 ASCII digits with a valid check digit. */
  nationalId: string;
  prefix?: string;
  firstName: string;
  lastName: string;
  unit?: string;
  email?: string;
}

export interface IdentifiedPerson {
  person: Person;
  inRoster: boolean;
  /** How we know: strongest evidence first. */
  /** 'thread': the message answers one of our replies about exactly one person. */
  evidence: Array<'national-id' | 'name' | 'corrected-id' | 'sender' | 'folder' | 'thread' | 'content'>;
  /** Indexes into ParsedMessage.files that belong to this person. */
  fileIndexes: number[];
}

export interface Identification {
  persons: IdentifiedPerson[];
  /** Files that belong to nobody identified. */
  orphanFileIndexes: number[];
  /** Human-readable notes (e.g. a mistyped ID corrected by the name). */
  notes: string[];
}

export interface Classification {
  /** Usually one item; an education file named as both qualifications fills two. Empty = unclassified. */
  items: ChecklistItemId[];
  part?: EducationPart;
  /** The keyword that decided it, for the manifest. */
  matched?: string;
  /** True when the item was assumed rather than named (an unqualified degree counts for both). */
  assumed?: boolean;
}

export type Validation =
  | { ok: true; pages: number; converted?: 'image' }
  | { ok: false; code: FileProblemCode; detail?: string };

export interface Arrival {
  receivedAt: Date;
  source: 'imap-internaldate' | 'received-header' | 'date-header' | 'file-mtime' | 'clock';
  late: boolean;
}

export type PersonStatus = 'complete' | 'incomplete' | 'not-submitted';

export interface ChecklistJudgement {
  status: PersonStatus;
  /** Required ids not yet satisfied. */
  missing: ChecklistItemId[];
  /** Education items with one part only: id → the missing part. */
  missingParts: Record<ChecklistItemId, 'degree' | 'transcript'>;
  satisfied: ChecklistItemId[];
  late: boolean;
}

export type ReplyStatus = 'accepted' | 'incomplete' | 'rejected';
