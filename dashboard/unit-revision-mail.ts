// The Thai revision request staff send by returning a unit's report (login-status, admin-appointment): which
// report, why, what to send again and by when. Pure (unit, submission, reason, clock in; a RenderedReply out).
import { formatThaiDate, formatThaiDateTime } from '../pipelines/dates.ts';
import type { UnitRef, UnitSubmission } from '../pipelines/unit/index.ts';
import type { RenderedReply } from '../templates/reply-mail.ts';
import { renderHtml, renderText, type Block } from '../templates/layout.ts';

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

const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
const bracketed = (id: string) => {
  const bare = id.trim().replace(/^<|>$/g, '').replace(/[\s<>]/g, '');
  return bare ? `<${bare}>` : '';
};

export function renderUnitRevisionRequest(input: UnitRevisionInput): RenderedReply {
  const what = WHAT[input.form];
  const subject = oneLine(`ขอให้ส่ง${what}ใหม่ — ${input.unit.name} [ส่งคืนแก้ไข]`);
  const passed = input.campaign.deadline.getTime() < input.now.getTime();
  const blocks: Block[] = [
    { kind: 'paragraph', text: `เรียน ${input.unit.name}` },
    {
      kind: 'paragraph', tone: 'warning',
      text: `เจ้าหน้าที่ส่วนกลางได้ตรวจ${what}ที่หน่วยงานส่งมา (ได้รับเมื่อ ${formatThaiDateTime(new Date(input.submission.receivedAt))}) แล้ว ยังไม่สามารถรับได้`,
    },
    { kind: 'heading', text: 'เหตุผล' },
    { kind: 'list', items: [{ strong: what, text: input.reason }] },
    { kind: 'heading', text: 'สิ่งที่ต้องดำเนินการ' },
    { kind: 'paragraph', text: `กรุณาแก้ไขแล้วส่ง${what}ฉบับใหม่ทั้งฉบับ โดยตอบกลับอีเมลฉบับนี้ และระบุชื่อหน่วยงานในข้อความ` },
    {
      kind: 'paragraph', tone: passed ? 'error' : undefined,
      text: passed ? `กำหนดส่งเดิมคือ ${formatThaiDate(input.campaign.deadline)} ซึ่งพ้นแล้ว กรุณาส่งโดยเร็วที่สุด` : `กรุณาส่งภายใน ${formatThaiDateTime(input.campaign.deadline)}`,
    },
    { kind: 'rule' },
    { kind: 'paragraph', tone: 'muted', text: `${input.campaign.title} · อีเมลฉบับนี้ส่งตามการตรวจของเจ้าหน้าที่ส่วนกลาง` },
  ];
  const original = bracketed(input.submission.messageId);
  return {
    to: oneLine(input.to).replace(/[<>,;"\s]/g, ''),
    subject,
    text: renderText(blocks),
    html: renderHtml(blocks, { title: subject }),
    messageId: bracketed(input.messageId),
    headers: {
      ...(original ? { 'In-Reply-To': original, References: original } : {}),
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-SEIS-Intake-Status': 'incomplete',
    },
  };
}
