// manifest.json of a person folder: its documents, problem files, messages and staff decisions.
import type { ChecklistItemId, EducationPart } from '../config/campaign-types.ts';
import type { FileProblemCode } from './mail-types.ts';
import type { Person } from './stage-types.ts';

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
