// The status of a unit-scope reply, decided from what the unit's report provides and what is wrong with it.
// The words and headers are templates/unit-reply-mail.ts's.
import type { ReplyStatus } from '../types.ts';
import type { FormProblem } from './types.ts';

/**
 * rejected: nothing from the message counts (unit unknown, no data, every part wrong);
 * accepted: the unit now has everything and nothing in the message was wrong; incomplete otherwise.
 */
export function decideUnitStatus(input: {
  unitKnown: boolean;
  provides: string[];
  problems: FormProblem[];
  unitComplete: boolean;
}): ReplyStatus {
  if (!input.unitKnown || input.provides.length === 0) return 'rejected';
  return input.unitComplete && input.problems.length === 0 ? 'accepted' : 'incomplete';
}
