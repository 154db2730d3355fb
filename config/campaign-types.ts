// What a campaign and its checklist are: the shape the config file describes and every stage reads.
// Types only; they live with the config because the config is the lowest layer (pipelines/types.ts re-exports them).

export type ChecklistItemId = string;
export type EducationPart = 'degree' | 'transcript' | 'both';

export interface ChecklistItem {
  id: ChecklistItemId;
  /** Thai label shown to officers and staff. */
  label: string;
  required: boolean;
  /** Ids of items that satisfy this one instead (a death certificate replaces a parent's ID card). */
  replacedBy?: ChecklistItemId[];
  /** Set on items that only stand in for another (the death certificates). */
  replaces?: ChecklistItemId;
  /** Degree certificate + transcript, in one combined file or two files. */
  parts?: Array<'degree' | 'transcript'>;
  /** Any number of files may be filed under it (children). */
  multiple?: boolean;
  /** Classification hints (Thai/English keywords and common misspellings), lower-case, NFC. */
  keywords: string[];
}

export interface Campaign {
  id: string;
  title: string;
  /** Instant of the deadline (a bare date means the end of that day, Asia/Bangkok). */
  deadline: Date;
  latePolicy: 'accept' | 'reject';
  /** What one folder is about: one person (certification) or one unit (admin-appointment, login-status). */
  scope: 'person' | 'unit';
  checklist: ChecklistItem[];
}
