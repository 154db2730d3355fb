// Shared value types of the pipeline stages: parse → identify → classify → validate → judge → file → reply.
// Types only; each stage lives in its own file and is a pure function of bytes, config and a clock.

import type { ChecklistItemId, EducationPart } from '../config/campaign-types.ts';
import type { FileBody } from './body.ts';

export type { FileBody, BodySink, BodyWriter } from './body.ts';

export type { ChecklistItemId, EducationPart, ChecklistItem, Campaign } from '../config/campaign-types.ts';

export interface Person {
  /** 13 ASCII digits with a valid check digit. */
  nationalId: string;
  prefix?: string;
  firstName: string;
  lastName: string;
  unit?: string;
  email?: string;
}

export interface Address {
  name: string;
  address: string;
}

export type MessageProblemCode =
  | 'corrupt-mime'
  | 'tnef'
  | 'too-many-files'
  | 'message-too-large'
  | 'no-attachments';

export interface MessageProblem {
  code: MessageProblemCode;
  detail?: string;
}

/** Why a file is kept but does not count. Stable strings: they appear in manifests and reports. */
export type FileProblemCode =
  // Page checks (content reading), only when config makes a flag reject the file:
  | 'blank-page'
  | 'unreadable-page'
  | 'low-resolution-scan'
  | 'uncertified-copy'
  | 'image-not-pdf'
  | 'fake-pdf'
  | 'corrupt-pdf'
  | 'encrypted-pdf'
  | 'empty-file'
  | 'file-too-large'
  | 'unsupported-type'
  | 'zip-bomb'
  | 'zip-corrupt'
  | 'zip-encrypted'
  | 'zip-too-deep'
  | 'tnef'
  | 'late-rejected'
  | 'unclassified';

export interface ExtractedFile {
  /** Safe display name: NFC, no path separators, no control characters, bounded length. */
  name: string;
  /** Safe folder names inside a ZIP (outermost first); empty for plain attachments. */
  folders: string[];
  origin: 'attachment' | 'zip' | 'forwarded';
  /** Name of the attachment this came from when unpacked from a ZIP. */
  container?: string;
  contentType: string;
  size: number;
  sha256: string;
  /** The bytes (empty when refused for its size); in a file for real mail, in memory in tests. */
  body: FileBody;
  /** Set when the file could not be extracted or is refused outright (ZIP bomb, too large…). */
  problem?: { code: FileProblemCode; detail?: string };
}

export interface ParsedMessage {
  /** Message-ID without angle brackets; synthesised from content when missing. */
  messageId: string;
  hasOwnMessageId: boolean;
  /** Idempotency key: same Message-ID and same attachments ⇒ same key, whatever the trace headers. */
  dedupeKey: string;
  subject: string;
  from?: Address;
  replyTo?: Address;
  to: Address[];
  date?: Date;
  /** Arrival time from the topmost Received: header, when there is one. */
  receivedHeaderAt?: Date;
  references: string[];
  /** Plain text of the body (HTML converted), including forwarded messages' bodies. */
  text: string;
  /** Lower-cased header values the reply guard needs. */
  headers: {
    autoSubmitted?: string;
    precedence?: string;
    listId?: string;
    /** Newsletters and mass mailings that carry no List-Id still carry this (RFC 2369 / 8058). */
    listUnsubscribe?: string;
    returnPath?: string;
    contentType?: string;
    xAutoResponseSuppress?: string;
    xAutoreply?: string;
    xAutorespond?: string;
    authenticationResults?: string;
  };
  /** True for delivery status reports and other bounces. */
  isBounce: boolean;
  files: ExtractedFile[];
  problems: MessageProblem[];
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

/** What the pages of a document said (content reading), kept with it in the manifest. */
export interface DocumentReading {
  /** Who decided the item: the file name, the pages, or both agreeing. */
  source: 'name' | 'content' | 'both';
  /** The pages' confidence in their kind, 0..1 (absent when the pages said nothing the decision used). */
  confidence?: number;
  /** Page checks: blank, unreadable, low-resolution, no-certification. */
  flags: string[];
  /** The words seen that decided the kind. */
  evidence: string[];
  kind?: string;
  level?: 'bachelor' | 'master' | 'doctor';
  /** Set when the document was cut out of a combined PDF: that file and the pages taken from it. */
  splitFrom?: { originalName: string; sha256: string; pages: number[] };
}

export type ReviewState = 'awaiting-review' | 'accepted' | 'returned';

export interface ManifestDocument {
  item: ChecklistItemId;
  part?: EducationPart;
  /** Path relative to the person folder. */
  path: string;
  originalName: string;
  sha256: string;
  size: number;
  pages: number;
  receivedAt: string;
  messageId: string;
  messageKey: string;
  late: boolean;
  current: boolean;
  assumed?: boolean;
  converted?: 'image';
  review?: { state: ReviewState; by?: string; at?: string; reason?: string };
  reading?: DocumentReading;
  /** Filed under another item by its name, then moved aside when its pages showed what it is. */
  relabelled?: boolean;
}

export interface ManifestProblemFile {
  path: string;
  originalName: string;
  /** What the file was meant to be (from its name), when that was clear: lets a later valid copy resolve it. */
  items?: ChecklistItemId[];
  sha256: string;
  size: number;
  code: FileProblemCode;
  detail?: string;
  receivedAt: string;
  messageId: string;
  messageKey: string;
  reading?: DocumentReading;
}

/** A combined PDF that was cut into its documents: kept as it came, beside the parts. */
export interface ManifestCombinedFile {
  path: string;
  originalName: string;
  sha256: string;
  size: number;
  parts: number;
  receivedAt: string;
  messageId: string;
  messageKey: string;
}

export interface ManifestMessage {
  messageId: string;
  messageKey: string;
  receivedAt: string;
  from?: string;
  subject: string;
  /** Path of the original .eml relative to the archive root. */
  emlPath: string;
  late: boolean;
}

export interface StaffDecision {
  at: string;
  by: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface PersonManifest {
  schema: 1;
  campaign: string;
  person: Person;
  inRoster: boolean;
  documents: ManifestDocument[];
  problems: ManifestProblemFile[];
  /** Combined PDFs cut into documents (content reading); absent in manifests written before. */
  combined?: ManifestCombinedFile[];
  messages: ManifestMessage[];
  decisions: StaffDecision[];
  updatedAt: string;
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

/** A message nobody could be identified for, kept under <campaign>/_unmatched/<messageKey>/. */
export interface UnmatchedRecord {
  messageKey: string;
  messageId: string;
  from?: string;
  subject: string;
  receivedAt: string;
  /** Thai or code reason, e.g. 'unidentified', 'no-attachments', 'tnef', 'corrupt-mime'. */
  reason: string;
  emlPath: string;
  files: Array<{ name: string; path: string; sha256: string; size: number; code?: FileProblemCode }>;
  /** Set when staff assign it to a person (dashboard); `unit` (and an empty nationalId) for a unit-scope report. */
  resolved?: { nationalId: string; unit?: string; by: string; at: string };
}

/** What happened to one message (kept under _state/messages/): makes processing and replies idempotent. */
export interface MessageRecord {
  messageKey: string;
  dedupeKey: string;
  messageId: string;
  /** sha256 keys of every raw copy received (duplicates differ only in trace headers). */
  rawKeys: string[];
  emlPath: string;
  campaign: string;
  receivedAt: string;
  processedAt: string;
  outcome: ReplyStatus | 'ignored';
  persons: string[];
  /** Unit-scope campaigns: the unit folder key (units-file id or safe name) the message was filed for. */
  unit?: string;
  /** Its pages were read after the reply (files decided by names): how many files that corrected, and the mail. */
  contentChecked?: { at: string; corrected: number; mailId?: string };
  reply?: {
    messageId: string;
    to?: string;
    status: ReplyStatus;
    /** Why no reply was sent (auto-reply, bounce, list…), when none is. */
    suppressed?: string;
    outboxPath?: string;
    sentAt?: string;
    /** The rendered reply, kept so a retried job sends exactly what was decided. */
    rendered?: {
      to: string;
      subject: string;
      text: string;
      html: string;
      messageId: string;
      headers: Record<string, string>;
      /** Published templates to attach (unit-scope replies), by reference: made when the mail is composed. */
      attachments?: Array<{ form: 'login-status' | 'admin-appointment'; format: 'xlsx' | 'csv' }>;
    };
  };
}
