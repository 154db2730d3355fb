// The status a reply announces (X-SEIS-Intake-Status), decided from what was filed; the words are templates/'s.
// It leaves out whether to reply at all (mail/reply-guard.ts) and the mail itself (templates/reply-mail.ts).
import type { ChecklistJudgement, ReplyStatus } from '../types.ts';

export function decideReplyStatus(input: {
  persons: Array<{ filedCount: number; judgement: ChecklistJudgement }>;
  invalidOrUnclassifiedCount: number;
}): ReplyStatus {
  if (input.persons.length === 0 || input.persons.every((p) => p.filedCount === 0)) return 'rejected';
  const allComplete = input.persons.every((p) => p.judgement.status === 'complete');
  return allComplete && input.invalidOrUnclassifiedCount === 0 ? 'accepted' : 'incomplete';
}
