// A ParsedMessage built by hand, for tests of what comes after the parse stage: an empty message (no files, no
// problems, no guard headers) with the fields the test is about.
import { emptyMessage } from '../../pipelines/mail/index.ts';
import type { ParsedMessage } from '../../pipelines/types.ts';

export function parsedMessage(fields: Partial<ParsedMessage> = {}): ParsedMessage {
  return { ...emptyMessage('m@example.test', true), dedupeKey: 'k', ...fields };
}
