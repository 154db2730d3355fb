// The content stage's public face: OCR text of a file's pages in, what each page is and the documents they
// make out (kind, level, confidence, evidence, IDs, names, flags). Pure: no files, no processes.
export { readContent, readPage } from './read.ts';
export { classifyPage, degreeLevel, isCertified, candidateItems } from './classify-page.ts';
export { pageFlags } from './flags.ts';
export { findIdsInText, joinIdGroups } from './ids.ts';
export { findKnownName, findNamesInText, type NameMatch } from './names.ts';
export { fixDigitRuns, meaningfulChars, normaliseOcrText, skeleton } from './normalise.ts';
export { segmentPages } from './segment.ts';
export { CERTIFICATION_WORDS, KIND_LEXICON, LEVEL_WORDS, THRESHOLDS } from './lexicon.ts';
export type { CardSide, ContentReading, DegreeLevel, DocumentSegment, FoundId, FoundName, KindDecision, PageFlag, PageKind, PageReading, PageText,
  PersonRole } from './types.ts';
export { assignEducation, decideFile, pageRange, type DecidedPart, type DecideContext, type DecisionSource, type FileDecision } from './decide.ts';
export { identifyByContent, type ContentIdentity } from './identify.ts';
export { parentsFrom, sameName, whoseCard, whoseDeathCertificate, type Parents, type Whose } from './whose.ts';
export type { PageEngine } from './engine.ts';
