// What ingesting a message needs (IngestContext) and what it tells the caller (IngestOutcome).
import type { AppConfig } from '../config/schema.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import type { BounceAnalysis } from '../pipelines/mail/index.ts';
import type { ReplyStatus } from '../pipelines/types.ts';
import type { UnitsDirectory } from '../pipelines/unit/index.ts';
import type { RenderedReply } from '../templates/reply-mail.ts';
import type { ReplyAttachmentRef } from '../templates/unit-reply-mail.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import type { ContentReader } from './content-step.ts';

export interface IngestContext {
  config: AppConfig;
  store: ArchiveStore;
  roster?: Roster;
  /** The units file: which unit sent a login-status or admin-appointment report, and who must send one. */
  units?: UnitsDirectory;
  now: () => Date;
  log: Logger;
  /** Reads scans: inline (CLI) or from the cache the `content` queue fills (run). Absent: names only. */
  content?: ContentReader;
  /** Set on the run after the `content` queue read this message's files: decide, never defer again. */
  contentDone?: boolean;
}

export interface IngestOutcome {
  messageKey: string;
  emlPath: string;
  duplicate: boolean;
  outcome: ReplyStatus | 'ignored';
  persons: string[];
  reply?: RenderedReply & { attachments?: ReplyAttachmentRef[] };
  replySuppressed?: string;
  isBounce: boolean;
  /** A bounce's analysis (its failed recipients, the ids of our mail it quotes), made once, here. */
  bounce?: BounceAnalysis;
  bouncedRecipients: string[];
  late: boolean;
  /** The campaign the message was routed to; absent for ignored mail and unclear messages. */
  campaign?: string;
  /** Unit-scope campaigns: the unit folder key it was filed for. */
  unit?: string;
  /** Nothing was filed yet: these files must be read first (the caller queues them, then runs the message again). */
  deferred?: Array<{ sha256: string; name: string }>;
  /** Filed by names with these files' pages unread: the caller has them read and the filing checked. */
  unread?: string[];
}

export type IngestOptions = IngestContext & { internalDate?: Date; fileMtime?: Date };
