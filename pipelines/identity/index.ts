// pipelines/identity: Who a message is about: national IDs with their check digit, Thai names, the roster, and the decision
// that ties each file to a person.
export * from './identify.ts';
export * from './matches.ts';
export * from './national-id.ts';
export * from './roster.ts';
export * from './thai-names.ts';
