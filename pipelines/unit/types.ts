// Value types of the unit-scope campaigns (login-status, admin-appointment): what a unit's report holds, what
// was wrong with it, and the unit folder's manifest. Types only; the per-person types are in types.ts.
import type { StaffDecision } from '../types.ts';
import type { UnitKind } from './units.ts';

/** Stable codes (manifests, reports); the Thai `message` says what exactly is wrong and where. */
export type FormProblemCode = 'no-data' | 'not-template' | 'unreadable-sheet' | 'missing-field' | 'not-a-number' | 'counts-mismatch' | 'missing-list'
  | 'list-count-mismatch' | 'missing-name' | 'missing-national-id' | 'bad-national-id' | 'duplicate-national-id' | 'missing-email' | 'bad-email'
  | 'missing-system' | 'bad-system' | 'missing-position' | 'missing-phone' | 'bad-phone' | 'no-order' | 'order-not-pdf' | 'unit-unknown';

export interface FormProblem {
  code: FormProblemCode;
  message: string;
  /** Spreadsheet row or body line the problem is on. */
  row?: number;
  field?: string;
  /** The attached file it is about. */
  file?: string;
}

export interface CannotLoginPerson {
  row: number;
  name: string;
  nationalId: string;
  email: string;
  note?: string;
}

export interface LoginStatusData {
  form: 'login-status';
  unit?: string;
  unitId?: string;
  total?: number;
  can?: number;
  cannot?: number;
  people: CannotLoginPerson[];
}

export type AdminSystem = 'dpis' | 'seis' | 'both';

export interface Administrator {
  row: number;
  /** Absent when the row did not say (a problem is reported for it). */
  system?: AdminSystem;
  name: string;
  position: string;
  phone: string;
  email: string;
}

export interface AdminAppointmentData {
  form: 'admin-appointment';
  unit?: string;
  unitId?: string;
  orderNo?: string;
  orderDate?: string;
  administrators: Administrator[];
}

export type UnitFormData = LoginStatusData | AdminAppointmentData;

/** What one message brought for a unit, before filing. */
export interface FormExtraction<D extends UnitFormData = UnitFormData> {
  /** Where the data was read from: a spreadsheet attachment (its name), the body, or nowhere. */
  source: { kind: 'attachment'; file: string } | { kind: 'body' } | { kind: 'none' };
  data: D;
  problems: FormProblem[];
  /** Checklist ids this message satisfies on its own (nothing when its data has a problem). */
  provides: string[];
}

export interface UnitRef {
  /** Units-file id; absent when the unit is known only by the name in the message or the sender address. */
  id?: string;
  name: string;
  kind?: UnitKind;
  inUnitsFile: boolean;
}

export type UnitFileRole = 'order' | 'form' | 'attachment' | 'problem';

export interface UnitFile {
  /** Relative to the unit folder. */
  path: string;
  originalName: string;
  sha256: string;
  size: number;
  role: UnitFileRole;
  pages?: number;
  current: boolean;
}

export interface UnitSubmission {
  messageKey: string;
  messageId: string;
  receivedAt: string;
  from?: string;
  subject: string;
  emlPath: string;
  late: boolean;
  source: FormExtraction['source'];
  provides: string[];
  /** Of `provides`, the items still on file: a later valid report takes them over, this one is kept. */
  current: string[];
  data: UnitFormData;
  problems: FormProblem[];
  files: UnitFile[];
  /** Staff review (dashboard): a returned report no longer counts; the unit was asked to send it again. */
  review?: { state: 'accepted' | 'returned'; by: string; at: string; reason?: string };
}

export interface UnitManifest {
  schema: 1;
  scope: 'unit';
  campaign: string;
  unit: UnitRef;
  submissions: UnitSubmission[];
  decisions: StaffDecision[];
  updatedAt: string;
}
