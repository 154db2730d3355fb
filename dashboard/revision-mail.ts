// The Thai revision request staff send by returning a person's document: which document, why, what to do, by when.
// Pure (person, document, reason, clock in; a RenderedReply out); the caller writes it to the outbox.
import { formatThaiDateTime } from '../pipelines/dates.ts';
import { displayName } from '../pipelines/person-name.ts';
import type { ManifestDocument, ManifestMessage, Person } from '../pipelines/types.ts';
import type { RenderedReply } from '../templates/reply-mail.ts';
import { renderRevisionRequestMail } from '../templates/revision-request.ts';

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

export function renderRevisionRequest(input: RevisionRequestInput): RenderedReply {
  const name = displayName(input.person) || input.person.nationalId;
  const label = input.itemLabel;
  return renderRevisionRequestMail({
    subject: `ขอให้ส่งเอกสารใหม่: ${label} — ${name} [ส่งคืนแก้ไข]`,
    addressee: name,
    checked: `เจ้าหน้าที่ได้ตรวจเอกสาร "${label}" ที่ท่านส่งมา (ไฟล์ ${input.document.originalName} ได้รับเมื่อ ${
      formatThaiDateTime(new Date(input.document.receivedAt))
    }) แล้ว ยังไม่สามารถรับได้`,
    returned: label,
    reason: input.reason,
    todo: `กรุณาส่ง${label} ฉบับใหม่เป็นไฟล์ PDF ที่ชัดเจน ลงนามรับรองสำเนาถูกต้องทุกหน้า ` +
      'โดยตอบกลับอีเมลฉบับนี้ และระบุเลขประจำตัวประชาชนหรือชื่อ-นามสกุลของท่านในชื่อไฟล์หรือข้อความ',
    ...(input.message ? { inReplyTo: input.message.messageId } : {}),
    to: input.to,
    campaign: input.campaign,
    messageId: input.messageId,
    now: input.now,
  });
}
