// What parse makes of a message: its headers, text, extracted files and the problems found on the way.
import type { FileBody } from './body.ts';

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
