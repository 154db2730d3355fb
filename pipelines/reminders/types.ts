// Value types of the reminder decisions: what is known of each person and unit, what staff set (pause, excuses),
// and the plan (who is due which step, who is skipped and why). Types only.
import type { ChecklistItem, Person, PersonStatus } from '../types.ts';
import type { Unit } from '../unit/index.ts';
import type { DeadlineExtension } from '../extensions.ts';
import type { OfficeCalendar } from './calendar.ts';
import type { ScheduleConfig } from './schedule.ts';

/** Our earlier mail in the person's thread: a reminder answers it, so an answer to the reminder is filed for them. */
export interface ThreadRef {
  /** Our reply's Message-ID, "<reply-…@…>". */
  replyMessageId: string;
  /** The officer's message it answered. */
  originalMessageId?: string;
}

/** One person of a person-scope campaign, as the report sees them (status, missing, invalid) plus what arrived. */
export interface PersonState {
  person: Person;
  status: PersonStatus;
  /** Complete and every counted document accepted by staff. */
  fullyAccepted: boolean;
  missing: string[];
  missingParts?: Record<string, 'degree' | 'transcript'>;
  /** Files that do not count: the report's reason code ("returned: …" for documents staff sent back). */
  invalid: Array<{ file: string; reason: string; detail?: string }>;
  received?: Array<{ item: string; originalName: string; pages: number }>;
  lastReply?: ThreadRef;
}

/** One unit of a unit-scope campaign (login-status, admin-appointment), as its report row says. */
export interface UnitState {
  unit: Unit;
  /** The circular asks this unit for this request. */
  expected: boolean;
  status: 'complete' | 'incomplete' | 'not-submitted';
  missing: string[];
  /** What was wrong with the unit's latest report (Thai), empty when it was fine. */
  problems: string[];
  lastReply?: ThreadRef;
}

export interface StaffExcuse {
  by: string;
  at: string;
  reason: string;
}

/** What staff set on the dashboard for one campaign's reminders. */
export interface ReminderControl {
  paused?: { by: string; at: string };
  /** Recipient → excuse: a national ID, or "unit:<units-file id>". */
  excused: Record<string, StaffExcuse>;
}

export interface CampaignReminderSettings {
  enabled: boolean;
  persons: boolean;
  unitDigests: boolean;
}

export interface PlanCampaign {
  id: string;
  title: string;
  deadline: Date;
  scope: 'person' | 'unit';
  latePolicy: 'accept' | 'reject';
  checklist: ChecklistItem[];
  reminders: CampaignReminderSettings & ScheduleConfig;
}

export interface PlanInput {
  campaign: PlanCampaign;
  calendar: OfficeCalendar;
  now: Date;
  /** Person-scope campaigns: every roster person (and everyone with a folder). */
  persons?: PersonState[];
  /** Unit-scope campaigns: every unit of the units file. */
  unitStates?: UnitState[];
  /** The units file: whose contacts get the digests of person-scope campaigns. */
  units?: Unit[];
  /** Extensions in force (activeExtensions). */
  extensions: DeadlineExtension[];
  control: ReminderControl;
  /** "<step>/<recipient key>" of every reminder already settled (sent, in the outbox, or suppressed for good). */
  settled: ReadonlySet<string>;
  /** Normalised addresses that bounced. */
  suppressed: ReadonlySet<string>;
  /** Our own addresses: never reminded. */
  ownAddresses: string[];
  /** Send this step now, whatever its time (`remind --send --step`); nothing else is relaxed. */
  forceStep?: string;
}

export type RecipientKind = 'person' | 'unit';

export interface ReminderItem {
  /** Stable: the Message-ID, the job id and the record name derive from it. */
  id: string;
  campaign: string;
  step: string;
  afterDeadline: boolean;
  kind: RecipientKind;
  recipientKey: string;
  name: string;
  to: string[];
  /** The recipient's deadline (extended or not). */
  deadline: Date;
  extended: boolean;
  daysLeft: number;
  person?: PersonState;
  unit?: Unit;
  /** Unit digest of a person-scope campaign: the unit's people who are not complete. */
  people?: Array<PersonState & { deadline: Date }>;
  /** Unit digest of a unit-scope campaign: the unit's own report. */
  unitState?: UnitState;
}

export type SkipReason = 'complete' | 'staff-accepted' | 'excused' | 'no-email' | 'not-due' | 'already-sent' | 'suppressed' | 'no-reply-sender' | 'own-address'
  | 'not-expected' | 'nothing-missing' | 'no-contact';

export interface SkippedRecipient {
  kind: RecipientKind;
  recipientKey: string;
  name: string;
  reason: SkipReason;
  step?: string;
}

export interface ReminderPlan {
  campaign: string;
  at: Date;
  /** Why nothing at all goes out (campaign switched off or paused on the dashboard). */
  off?: 'disabled' | 'paused';
  due: ReminderItem[];
  skipped: SkippedRecipient[];
}
