// The Thai revision request staff send by returning a document: which document, why, what to do, by when.
// Pure (person, document, reason, clock in; a RenderedReply out); the caller writes it to the outbox.
import { formatThaiDate, formatThaiDateTime } from '../pipelines/dates.ts';
import type { RenderedReply } from '../templates/reply-mail.ts';
import type { ManifestDocument, ManifestMessage, Person } from '../pipelines/types.ts';
import { renderHtml, renderText, type Block } from '../templates/layout.ts';

export interface RevisionRequestInput {
  person: Person;
  document: ManifestDocument;
  itemLabel: string;
  reason: string;
  /** The message the document came in with: the request answers it (same thread). */
  message?: ManifestMessage;
  to: string;
  campaign: { title: string; deadline: Date };
  replyFrom: string;
  messageId: string;
  now: Date;
}

const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
const bracketed = (id: string) => {
  const bare = id.trim().replace(/^<|>$/g, '').replace(/[\s<>]/g, '');
  return bare ? `<${bare}>` : '';
};

export function renderRevisionRequest(input: RevisionRequestInput): RenderedReply {
  const p = input.person;
  const name = `${p.prefix ?? ''}${p.firstName} ${p.lastName}`.trim() || p.nationalId;
  const subject = oneLine(`ขอให้ส่งเอกสารใหม่: ${input.itemLabel} — ${name} [ส่งคืนแก้ไข]`);
  const passed = input.campaign.deadline.getTime() < input.now.getTime();
  const blocks: Block[] = [
    { kind: 'paragraph', text: `เรียน ${name}` },
    {
      kind: 'paragraph', tone: 'warning',
      text: `เจ้าหน้าที่ได้ตรวจเอกสาร "${input.itemLabel}" ที่ท่านส่งมา (ไฟล์ ${input.document.originalName} ได้รับเมื่อ ${formatThaiDateTime(new Date(input.document.receivedAt))}) แล้ว ยังไม่สามารถรับได้`,
    },
    { kind: 'heading', text: 'เหตุผล' },
    { kind: 'list', items: [{ strong: input.itemLabel, text: input.reason }] },
    { kind: 'heading', text: 'สิ่งที่ต้องดำเนินการ' },
    {
      kind: 'paragraph',
      text: 'กรุณาส่ง' + `${input.itemLabel} ฉบับใหม่เป็นไฟล์ PDF ที่ชัดเจน ลงนามรับรองสำเนาถูกต้องทุกหน้า ` +
        'โดยตอบกลับอีเมลฉบับนี้ และระบุเลขประจำตัวประชาชนหรือชื่อ-นามสกุลของท่านในชื่อไฟล์หรือข้อความ',
    },
    {
      kind: 'paragraph', tone: passed ? 'error' : undefined,
      text: passed
        ? `กำหนดส่งเดิมคือ ${formatThaiDate(input.campaign.deadline)} ซึ่งพ้นแล้ว กรุณาส่งโดยเร็วที่สุด`
        : `กรุณาส่งภายใน ${formatThaiDateTime(input.campaign.deadline)}`,
    },
    { kind: 'rule' },
    { kind: 'paragraph', tone: 'muted', text: `${input.campaign.title} · อีเมลฉบับนี้ส่งตามการตรวจของเจ้าหน้าที่ส่วนกลาง` },
  ];
  const original = input.message ? bracketed(input.message.messageId) : '';
  return {
    to: oneLine(input.to).replace(/[<>,;"\s]/g, ''),
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
