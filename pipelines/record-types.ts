// The records under _state/ and _unmatched/: what happened to each message and to mail nobody was found for.
import type { FileProblemCode } from './mail-types.ts';
import type { ReplyStatus } from './stage-types.ts';

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
