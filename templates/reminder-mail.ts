// Assembles a reminder mail: addressees, subject, the stable Message-ID, threading to the person's last reply (so an
// answer is filed like any submission), the loop-guard headers and the Thai text and HTML bodies. Leaves out who is
// due (pipelines/reminders) and sending (the deliver-once path).
import { formatThaiDate } from '../pipelines/dates.ts';
import { reminderMessageId, type ReminderItem, type ThreadRef } from '../pipelines/reminders/index.ts';
import { bareAddress, bracketed, oneLine } from './header-values.ts';
import { renderHtml, renderText, type Block } from './layout.ts';
import { personReminderBlocks, unitPeopleDigestBlocks, unitReportDigestBlocks, type ReminderCampaign } from './reminder.ts';
import { displayName } from '../pipelines/person-name.ts';
import type { ReplyAttachmentRef } from './unit-reply-mail.ts';

export interface RenderedReminder {
  /** Envelope recipients, bare addresses. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  /** Published templates attached to a unit-scope digest, by reference (made when the mail is composed). */
  attachments?: ReplyAttachmentRef[];
}

function subjectOf(item: ReminderItem, campaign: ReminderCampaign, now: Date): string {
  const late = item.deadline.getTime() < now.getTime();
  const when = late ? `เลยกำหนดส่ง ${formatThaiDate(item.deadline)}` : `กำหนดส่ง ${formatThaiDate(item.deadline)}`;
  if (item.kind === 'person' && item.person) {
    return `${late ? 'แจ้งเตือนเลยกำหนด' : 'แจ้งเตือน'}: เอกสาร${campaign.title} ยังไม่ครบ — ${displayName(item.person.person)} (${when})`;
  }
  if (item.people) return `${late ? 'แจ้งเตือนเลยกำหนด' : 'แจ้งเตือน'}: ผู้ที่ยังส่งเอกสารไม่ครบ ${item.people.length} คน — ${item.name} (${when})`;
  return `${late ? 'แจ้งเตือนเลยกำหนด' : 'แจ้งเตือน'}: ${campaign.title} — ${item.name} (${when})`;
}

function threadHeaders(thread: ThreadRef | undefined): Record<string, string> {
  if (!thread) return {};
  const reply = bracketed(thread.replyMessageId);
  const refs = [thread.originalMessageId ? bracketed(thread.originalMessageId) : '', reply].filter(Boolean);
  return reply ? { 'In-Reply-To': reply, References: refs.join(' ') } : {};
}

export function renderReminder(item: ReminderItem, campaign: ReminderCampaign, opts: { replyFrom: string; now: Date }): RenderedReminder {
  const view = { item, campaign, replyFrom: opts.replyFrom, now: opts.now };
  const blocks: Block[] = item.kind === 'person' ?
    personReminderBlocks(view)
    : item.unitState
    ? unitReportDigestBlocks(view)
    : unitPeopleDigestBlocks(view);
  const subject = oneLine(subjectOf(item, campaign, opts.now));
  const thread = item.person?.lastReply ?? item.unitState?.lastReply;
  const attachments: ReplyAttachmentRef[] | undefined = item.unitState && campaign.form
    ? [{ form: campaign.form, format: 'xlsx' }, { form: campaign.form, format: 'csv' }] :
    undefined;
  return {
    to: item.to.map(bareAddress),
    subject,
    text: renderText(blocks),
    html: renderHtml(blocks, { title: subject }),
    messageId: reminderMessageId(item.id, opts.replyFrom),
    headers: {
      ...threadHeaders(thread),
      // Started by us, not an answer: RFC 3834's "auto-generated"; autoresponders stay quiet.
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-SEIS-Intake-Reminder': item.step,
    },
    ...(attachments ? { attachments } : {}),
  };
}
