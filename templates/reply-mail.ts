// Assembles the reply mail (addressee, subject, threading and loop-guard headers, Thai text and HTML bodies).
// It leaves out the status (pipelines/person/reply-status.ts), whether to reply at all (reply-guard.ts) and sending.
import type { MessageRecord, ReplyStatus } from '../pipelines/types.ts';
import { bareAddress, bracketed, oneLine } from './header-values.ts';
import { renderHtml, renderText } from './layout.ts';
import { STATUS_TAG, replyBlocks, type ReplyInput } from './reply.ts';

export type { ReplyInput };

/** The reply as the message record keeps it for a retried job (pipelines/types.ts), without unit-scope attachments. */
export type RenderedReply = Omit<NonNullable<NonNullable<MessageRecord['reply']>['rendered']>, 'attachments'>;

/** References grows with every round trip; keep the thread root and the most recent ids (RFC 5322 3.6.4). */
const MAX_REFERENCES = 20;

const OUR_TAGS = new RegExp(`\\s*\\[(${Object.values(STATUS_TAG).join('|')})\\]`, 'g');

/** "Re: <subject> [tag]": one Re:, our earlier status tag removed, the campaign title when there was none. */
export function replySubject(original: string, status: ReplyStatus, fallback: string): string {
  let subject = oneLine(original).replace(OUR_TAGS, '');
  let previous: string;
  do {
    previous = subject;
    subject = subject.replace(/^\s*(re|aw|sv)(\s*\[\d+\])?\s*[:：]\s*/i, '').replace(/^\s*ตอบกลับ\s*[:：]\s*/, '').trim();
  } while (subject !== previous);
  return `Re: ${subject || oneLine(fallback)} [${STATUS_TAG[status]}]`;
}

export function renderReply(input: ReplyInput): RenderedReply {
  const target = input.original.replyTo?.address ? input.original.replyTo : input.original.from;
  const to = bareAddress(target?.address ?? '');
  const subject = replySubject(input.original.subject, input.status, input.campaign.title);

  const originalId = bracketed(input.original.messageId);
  const chain = [...new Set([...input.original.references.map(bracketed), originalId].filter(Boolean))];
  const references = chain.length > MAX_REFERENCES ? [chain[0], ...chain.slice(-(MAX_REFERENCES - 1))] : chain;

  const blocks = replyBlocks(input);
  return {
    to,
    subject,
    text: renderText(blocks),
    html: renderHtml(blocks, { title: subject }),
    messageId: bracketed(input.replyMessageId),
    headers: {
      'In-Reply-To': originalId,
      References: references.join(' '),
      'Auto-Submitted': 'auto-replied',
      // Asks Exchange/Outlook not to answer our reply with an out-of-office: the other half of loop prevention.
      'X-Auto-Response-Suppress': 'All',
      'X-SEIS-Intake-Status': input.status,
    },
  };
}
