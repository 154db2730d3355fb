// Assembles a unit-scope reply, and the guidance reply for a message whose campaign
// is unclear. Addressee, subject and the contract headers come from the core renderReply, so they are made in
// one place; only the Thai body differs. Whether to reply at all is reply-guard.ts's decision.
import type { FormKind } from './forms.ts';
import { renderHtml, renderText, type Block } from './layout.ts';
import { guidanceBlocks, unitReplyBlocks, type GuidanceView, type UnitReplyView } from './unit-reply.ts';
import { renderReply, type RenderedReply, type ReplyInput } from './reply-mail.ts';
import type { ChecklistItem, ReplyStatus } from '../pipelines/types.ts';

/** A published template to attach, by reference: the bytes are made when the mail is composed. */
export interface ReplyAttachmentRef {
  form: FormKind;
  format: 'xlsx' | 'csv';
}
export type UnitRenderedReply = RenderedReply & { attachments?: ReplyAttachmentRef[] };

interface Envelope {
  original: ReplyInput['original'];
  replyFrom: string;
  replyMessageId: string;
  now: Date;
}

function withBody(env: Envelope, status: ReplyStatus, campaign: ReplyInput['campaign'], late: boolean, blocks: Block[]): RenderedReply {
  const base = renderReply({
    ...env,
    campaign,
    status,
    late,
    persons: [],
    problems: [],
    messageProblems: [],
    unidentified: false,
    notes: [],
  });
  return { ...base, text: renderText(blocks), html: renderHtml(blocks, { title: base.subject }) };
}

export function renderUnitReply(
  env: Envelope,
  view: Omit<UnitReplyView, 'subject' | 'replyFrom' | 'now'>,
  files: Array<{ name: string; role: string; pages?: number }>,
): UnitRenderedReply {
  const full: UnitReplyView = { ...view, subject: env.original.subject, replyFrom: env.replyFrom, now: env.now };
  const reply = withBody(env, view.status, view.campaign, view.late, unitReplyBlocks(full, files));
  return view.templateAttached
    ? { ...reply, attachments: [{ form: view.campaign.form, format: 'xlsx' }, { form: view.campaign.form, format: 'csv' }] }
    : reply;
}

export function renderGuidance(env: Envelope, view: Omit<GuidanceView, 'subject' | 'replyFrom' | 'now'>): RenderedReply {
  const campaign = { title: 'ระบบรับเอกสาร SEIS', deadline: env.now, checklist: [] as ChecklistItem[], latePolicy: 'accept' as const };
  const blocks = guidanceBlocks({ ...view, subject: env.original.subject, replyFrom: env.replyFrom, now: env.now });
  return withBody(env, 'rejected', campaign, false, blocks);
}

/** seis+TAG@domain for the reply address seis@domain: where to send each request. */
export function plusAddress(replyFrom: string, tag: string | undefined): string | undefined {
  const address = /<([^>]+)>/.exec(replyFrom)?.[1] ?? replyFrom.trim();
  const m = /^([^@+\s]+)(?:\+[^@]*)?@(\S+)$/.exec(address);
  return m && tag ? `${m[1]}+${tag}@${m[2]}` : undefined;
}
