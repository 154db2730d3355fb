// The revision request staff send by returning what was submitted (a person's document, a unit's report): the
// Thai text from what was checked to the deadline, and the envelope of a mail a person decided and a machine
// sent, threaded to the submission it answers. The two callers say what was returned; this says it the same way.
import { formatThaiDate, formatThaiDateTime } from '../pipelines/dates.ts';
import { bareAddress, bracketed, oneLine } from './header-values.ts';
import { renderHtml, renderText, type Block } from './layout.ts';
import type { RenderedReply } from './reply-mail.ts';

export interface RevisionRequest {
  subject: string;
  /** Who the mail greets: the person's or the unit's name. */
  addressee: string;
  /** What staff checked and cannot accept (the warning paragraph). */
  checked: string;
  /** What was returned, as the reasons list names it. */
  returned: string;
  reason: string;
  /** What to send again, and how. */
  todo: string;
  /** Message-ID of the submission the request answers (same thread). */
  inReplyTo?: string;
  to: string;
  campaign: { title: string; deadline: Date };
  messageId: string;
  now: Date;
}

export function renderRevisionRequestMail(input: RevisionRequest): RenderedReply {
  const subject = oneLine(input.subject);
  const passed = input.campaign.deadline.getTime() < input.now.getTime();
  const blocks: Block[] = [
    { kind: 'paragraph', text: `เรียน ${input.addressee}` },
    { kind: 'paragraph', tone: 'warning', text: input.checked },
    { kind: 'heading', text: 'เหตุผล' },
    { kind: 'list', items: [{ strong: input.returned, text: input.reason }] },
    { kind: 'heading', text: 'สิ่งที่ต้องดำเนินการ' },
    { kind: 'paragraph', text: input.todo },
    {
      kind: 'paragraph',
      tone: passed ? 'error' : undefined,
      text: passed
        ? `กำหนดส่งเดิมคือ ${formatThaiDate(input.campaign.deadline)} ซึ่งพ้นแล้ว กรุณาส่งโดยเร็วที่สุด`
        : `กรุณาส่งภายใน ${formatThaiDateTime(input.campaign.deadline)}`,
    },
    { kind: 'rule' },
    { kind: 'paragraph', tone: 'muted', text: `${input.campaign.title} · อีเมลฉบับนี้ส่งตามการตรวจของเจ้าหน้าที่ส่วนกลาง` },
  ];
  const original = input.inReplyTo ? bracketed(input.inReplyTo) : '';
  return {
    to: bareAddress(input.to),
    subject,
    text: renderText(blocks),
    html: renderHtml(blocks, { title: subject }),
    messageId: bracketed(input.messageId),
    headers: {
      ...(original ? { 'In-Reply-To': original, References: original } : {}),
      // Sent because a person decided it, but by a machine: mark it so autoresponders stay quiet.
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-SEIS-Intake-Status': 'incomplete',
    },
  };
}
