// The Thai revision request staff send by returning a unit's report (login-status, admin-appointment): which
// report, why, what to send again and by when. Pure (unit, submission, reason, clock in; a RenderedReply out).
import { formatThaiDateTime } from '../pipelines/dates.ts';
import type { UnitRef, UnitSubmission } from '../pipelines/unit/index.ts';
import type { RenderedReply } from '../templates/reply-mail.ts';
import { renderRevisionRequestMail } from '../templates/revision-request.ts';

export interface UnitRevisionInput {
  unit: UnitRef;
  submission: UnitSubmission;
  form: 'login-status' | 'admin-appointment';
  reason: string;
  to: string;
  campaign: { title: string; deadline: Date };
  messageId: string;
  now: Date;
}

const WHAT: Record<UnitRevisionInput['form'], string> = {
  'login-status': 'รายงานสถานะการเข้าใช้งานระบบ',
  'admin-appointment': 'คำสั่งแต่งตั้งผู้ดูแลระบบและรายชื่อผู้ดูแลระบบ',
};

export function renderUnitRevisionRequest(input: UnitRevisionInput): RenderedReply {
  const what = WHAT[input.form];
  return renderRevisionRequestMail({
    subject: `ขอให้ส่ง${what}ใหม่ — ${input.unit.name} [ส่งคืนแก้ไข]`,
    addressee: input.unit.name,
    checked: `เจ้าหน้าที่ส่วนกลางได้ตรวจ${what}ที่หน่วยงานส่งมา (ได้รับเมื่อ ${formatThaiDateTime(new Date(input.submission.receivedAt))}) แล้ว ยังไม่สามารถรับได้`,
    returned: what,
    reason: input.reason,
    todo: `กรุณาแก้ไขแล้วส่ง${what}ฉบับใหม่ทั้งฉบับ โดยตอบกลับอีเมลฉบับนี้ และระบุชื่อหน่วยงานในข้อความ`,
    inReplyTo: input.submission.messageId,
    to: input.to,
    campaign: input.campaign,
    messageId: input.messageId,
    now: input.now,
  });
}
