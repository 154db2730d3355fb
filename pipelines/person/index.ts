// pipelines/person: The per-person campaign (certification): checklist judgement, filing plan, reply status and the report.
export * from './checklist.ts';
export * from './file-plan.ts';
export * from './reply-status.ts';
export * from './report.ts';
export * from './report-formats.ts';
export * from './correct.ts';
