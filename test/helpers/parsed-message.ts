// A ParsedMessage built by hand, for tests of what comes after the parse stage: an empty message (no files, no
// problems, no guard headers) with the fields the test is about.
import type { ParsedMessage } from '../../pipelines/types.ts';

export function parsedMessage(fields: Partial<ParsedMessage> = {}): ParsedMessage {
  return {
    messageId: 'm@example.test',
    hasOwnMessageId: true,
    dedupeKey: 'k',
    subject: '',
    to: [],
    references: [],
    text: '',
    headers: {},
    isBounce: false,
    files: [],
    problems: [],
    ...fields,
  };
}
