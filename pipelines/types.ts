// Shared value types of the pipeline stages: parse → identify → classify → validate → judge → file → reply.
// Types only; each stage lives in its own file and is a pure function of bytes, config and a clock. They are
// defined by area (mail, stage, manifest, record) and all re-exported here, the name every stage imports.

export type { BodySink, BodyWriter, FileBody } from './body.ts';

export type { Campaign, ChecklistItem, ChecklistItemId, EducationPart } from '../config/campaign-types.ts';

export type { Address, ExtractedFile, FileProblemCode, MessageProblem, MessageProblemCode, ParsedMessage } from './mail-types.ts';
export type { Arrival, ChecklistJudgement, Classification, Identification, IdentifiedPerson, Person, PersonStatus, ReplyStatus,
  Validation } from './stage-types.ts';
export type { DocumentReading, ManifestCombinedFile, ManifestDocument, ManifestMessage, ManifestProblemFile, PersonManifest, ReviewState,
  StaffDecision } from './manifest-types.ts';
export type { MessageRecord, UnmatchedRecord } from './record-types.ts';
