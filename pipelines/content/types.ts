// Value types of the content stage: what a page's text is (from the engine), and what it says (decisions).
// Types only. Stable strings (kinds, flags) appear in manifests, reports and the CLI's JSON.
import type { ChecklistItemId } from '../types.ts';

/** What a page is, before "whose" is known (a death certificate becomes the father's or mother's later). */
export type PageKind =
  | 'id-card'
  | 'house-registration'
  | 'death-certificate'
  | 'degree'
  | 'transcript'
  | 'professional-license'
  | 'login-status-form'
  | 'appointment-order'
  | 'unknown';

export type DegreeLevel = 'bachelor' | 'master' | 'doctor';
export type PageFlag = 'blank' | 'unreadable' | 'low-resolution' | 'no-certification';
/** Which side of an ID card a page shows (a photocopy often has both on one page). */
export type CardSide = 'front' | 'back' | 'both';
/** Whose name or ID it is on the page, when the form says so. */
export type PersonRole = 'holder' | 'father' | 'mother' | 'deceased' | 'informant';

/** One page's text as the engine read it (adapters/content/ocr-engine.ts makes these). */
export interface PageText {
  /** 1-based. */
  page: number;
  text: string;
  /** Where the text came from: the PDF's own text layer, OCR, or nothing (the engine gave up). */
  source: 'text-layer' | 'ocr' | 'none';
  /** Mean word confidence 0..100 (OCR only). */
  confidence?: number;
  /** Resolution of the page image (OCR only). */
  dpi?: number;
  /** Share of the page that is ink, measured when OCR found next to no text (blank paper or unreadable ink?). */
  ink?: number;
  /** The engine ran out of time on this page, or failed on it. */
  timedOut?: boolean;
  failed?: boolean;
}

export interface FoundId {
  /** 13 ASCII digits; the check digit passed. */
  id: string;
  role?: PersonRole;
}

export interface FoundName {
  prefix?: string;
  firstName: string;
  lastName: string;
  role?: PersonRole;
}

export interface KindDecision {
  kind: PageKind;
  /** 0..1; below the threshold the kind is 'unknown' and `guess` says what it looked most like. */
  confidence: number;
  /** The lexicon words seen, as the lexicon spells them. */
  evidence: string[];
  level?: DegreeLevel;
  side?: CardSide;
  guess?: PageKind;
}

export interface PageReading extends KindDecision {
  page: number;
  /** Checklist items this page can fill once whose it is and which level are known. */
  items: ChecklistItemId[];
  ids: FoundId[];
  names: FoundName[];
  flags: PageFlag[];
  certified: boolean;
}

/** Consecutive pages that make one document (an ID card front and back, a two-page transcript). */
export interface DocumentSegment {
  kind: PageKind;
  level?: DegreeLevel;
  firstPage: number;
  lastPage: number;
  pages: number[];
  /** The lowest page confidence in the segment. */
  confidence: number;
  items: ChecklistItemId[];
  ids: FoundId[];
  names: FoundName[];
  flags: PageFlag[];
}

export interface ContentReading {
  pages: PageReading[];
  segments: DocumentSegment[];
  /** Blank pages: part of no segment. */
  blankPages: number[];
}
