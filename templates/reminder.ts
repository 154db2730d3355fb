// The Thai words of a reminder, as blocks (layout.ts renders text and HTML): to a person (by name: what arrived,
// what is still missing or invalid and why, the deadline in Buddhist Era and the days left, how to send) and the
// digests to a unit's contacts. Who gets which reminder is decided in pipelines/reminders.
import { formatThaiDate, formatThaiDateTime } from '../pipelines/dates.ts';
import type { PersonState, ReminderItem, UnitState } from '../pipelines/reminders/index.ts';
import { reasonTh } from '../pipelines/person/index.ts';
import type { ChecklistItem } from '../pipelines/types.ts';
import { BODY_EXAMPLE, FORMS, type FormKind } from './forms.ts';
import type { Block, ListItem } from './layout.ts';
import { fileProblemAdvice, suggestedName } from './problems.ts';
import { displayName } from '../pipelines/person-name.ts';
import { labelOf, maskedId, missingItemList, receivedItems, senderName } from './reply.ts';

export interface ReminderCampaign {
  title: string;
  deadline: Date;
  checklist: ChecklistItem[];
  latePolicy: 'accept' | 'reject';
  form?: FormKind;
}

export interface ReminderView {
  item: ReminderItem;
  campaign: ReminderCampaign;
  replyFrom: string;
  now: Date;
}

/** "เหลือเวลาอีก 3 วัน", "ครบกำหนดวันนี้", "เลยกำหนดมาแล้ว 2 วัน". */
export function daysLeftText(days: number): string {
  if (days > 1) return `เหลือเวลาอีก ${days} วัน`;
  if (days === 1) return 'เหลือเวลาอีก 1 วัน (ครบกำหนดพรุ่งนี้)';
  if (days === 0) return 'ครบกำหนดวันนี้';
  return `เลยกำหนดมาแล้ว ${-days} วัน`;
}

function deadlineLine(v: ReminderView): Block {
  const { item, campaign } = v;
  const when = `${formatThaiDateTime(item.deadline)} (${daysLeftText(item.daysLeft)})`;
  const extended = item.extended ? ` ซึ่งได้รับการขยายจากกำหนดเดิม ${formatThaiDate(campaign.deadline)}` : '';
  if (item.deadline.getTime() >= v.now.getTime()) return { kind: 'paragraph', tone: 'warning', text: `กำหนดส่ง: ภายในวันที่ ${when}${extended}` };
  return {
    kind: 'paragraph',
    tone: 'error',
    text: `เลยกำหนดส่งแล้ว: กำหนดส่งคือวันที่ ${when}${extended} `
      + (campaign.latePolicy === 'reject'
        ? 'ระบบไม่รับเอกสารที่ส่งหลังกำหนด หากมีเหตุจำเป็น กรุณาติดต่อเจ้าหน้าที่ผู้รับผิดชอบโดยเร็ว'
        : 'กรุณาส่งโดยเร็วที่สุด ระบบยังรับเอกสาร แต่จะบันทึกว่าส่งเกินกำหนด'),
  };
}

function invalidItems(invalid: PersonState['invalid'], checklist: ChecklistItem[]): ListItem[] {
  return invalid.map((x) => {
    if (x.reason.startsWith('returned')) {
      const why = x.reason.replace(/^returned:?\s*/, '');
      return { strong: x.file, text: `เจ้าหน้าที่ตรวจแล้วส่งคืน${why ? `: ${why}` : ''} กรุณาส่งฉบับใหม่` };
    }
    return { strong: x.file, text: fileProblemAdvice(x.reason as Parameters<typeof fileProblemAdvice>[0], x.detail, checklist) };
  });
}

function footer(replyFrom: string, extra: string): Block[] {
  return [
    { kind: 'rule' },
    { kind: 'paragraph', tone: 'muted', text: `อีเมลฉบับนี้เป็นการแจ้งเตือนอัตโนมัติจากระบบรับเอกสาร ${extra}หากมีข้อสงสัย กรุณาติดต่อเจ้าหน้าที่ผู้รับผิดชอบ` },
    { kind: 'paragraph', text: `ขอแสดงความนับถือ\n${senderName(replyFrom)}` },
  ];
}

/** The reminder to one person. */
export function personReminderBlocks(v: ReminderView): Block[] {
  const p = v.item.person as PersonState;
  const checklist = v.campaign.checklist;
  const name = displayName(p.person);
  const blocks: Block[] = [
    { kind: 'paragraph', text: `เรียน ${name}` },
    {
      kind: 'paragraph',
      text: `ตามที่ขอให้ส่งเอกสารประกอบ${v.campaign.title} ระบบตรวจสอบ ณ วันที่ ${formatThaiDateTime(v.now)} `
        + (p.status === 'not-submitted' ? 'ยังไม่ได้รับเอกสารของท่าน' : 'พบว่าเอกสารของท่านยังไม่ครบ')
        + ` (เลขประจำตัวประชาชน ${maskedId(p.person.nationalId)})`,
    },
    deadlineLine(v),
  ];
  if (p.received?.length) blocks.push({ kind: 'heading', text: 'เอกสารที่ได้รับแล้ว' }, { kind: 'list', items: receivedItems(p.received, checklist) });
  if (p.missing.length) {
    blocks.push({ kind: 'heading', text: 'เอกสารที่ยังขาด' }, { kind: 'list', items: missingItemList(p.missing, p.missingParts ?? {}, checklist) });
  }
  if (p.invalid.length) blocks.push({ kind: 'heading', text: 'ไฟล์ที่ใช้ไม่ได้ (ต้องส่งใหม่)' }, { kind: 'list', items: invalidItems(p.invalid, checklist) });
  const names = p.missing.map((id) => checklist.find((i) => i.id === id)).filter((i): i is ChecklistItem => Boolean(i));
  blocks.push(
    { kind: 'heading', text: 'วิธีส่ง' },
    {
      kind: 'paragraph',
      text: 'ตอบกลับอีเมลฉบับนี้ (Reply) พร้อมแนบไฟล์ PDF ของเอกสารที่ยังขาด แยกไฟล์ละหนึ่งเอกสาร ระบบจะบันทึกเข้าแฟ้มของท่านโดยอัตโนมัติและตอบกลับผลการตรวจ',
    },
    ...(names.length ? [{ kind: 'list' as const, items: names.map((i) => ({ strong: i.label, text: `ตั้งชื่อไฟล์เช่น ${suggestedName(i)}` })) }] : []),
  );
  return [...blocks, ...footer(v.replyFrom, 'หากท่านส่งครบแล้วในระหว่างนี้ ไม่ต้องดำเนินการใดๆ ')];
}

/** What one person of a unit still lacks, in one line and a few notes. */
function personLine(p: PersonState & { deadline: Date }, checklist: ChecklistItem[], campaignDeadline: Date): ListItem {
  const notes: string[] = [];
  if (p.missing.length) {
    notes.push(`ยังขาด: ${
      p.missing.map((id) => {
        const part = p.missingParts?.[id];
        return part ? `${labelOf(checklist, id)} (ยังขาด${part === 'degree' ? 'ปริญญาบัตร' : 'ทรานสคริปต์'})` : labelOf(checklist, id);
      }).join(', ')
    }`);
  }
  if (p.invalid.length) notes.push(`ไฟล์ที่ใช้ไม่ได้: ${p.invalid.map((x) => `${x.file} (${reasonTh(x.reason)})`).join(', ')}`);
  if (p.deadline.getTime() !== campaignDeadline.getTime()) notes.push(`ขยายกำหนดส่งถึง ${formatThaiDate(p.deadline)}`);
  if (!p.person.email) notes.push('ไม่มีอีเมลในบัญชีรายชื่อ ระบบจึงแจ้งเตือนถึงตัวบุคคลไม่ได้');
  return {
    strong: `${displayName(p.person)} (${maskedId(p.person.nationalId)})`,
    text: p.status === 'not-submitted' ? 'ยังไม่ได้ส่งเอกสาร' : 'ส่งแล้วแต่ยังไม่ครบ',
    notes,
  };
}

/** The digest to a unit's contacts of a person-scope campaign: its people who are not complete. */
export function unitPeopleDigestBlocks(v: ReminderView): Block[] {
  const people = v.item.people ?? [];
  const unit = v.item.unit?.name ?? v.item.name;
  return [
    { kind: 'paragraph', text: `เรียน ผู้รับผิดชอบ ${unit}` },
    {
      kind: 'paragraph',
      text: `${v.campaign.title}: ณ วันที่ ${formatThaiDateTime(v.now)} ข้าราชการในสังกัดของท่านยังส่งเอกสารไม่ครบ ${people.length} คน ดังรายชื่อด้านล่าง กรุณาช่วยติดตาม`,
    },
    deadlineLine(v),
    { kind: 'heading', text: 'รายชื่อผู้ที่ยังส่งไม่ครบ' },
    { kind: 'list', items: people.map((p) => personLine(p, v.campaign.checklist, v.item.deadline)) },
    { kind: 'heading', text: 'วิธีส่ง' },
    {
      kind: 'paragraph',
      text: 'ผู้ที่ยังขาดเอกสารส่งเพิ่มได้โดยตอบกลับอีเมลแจ้งผลหรืออีเมลแจ้งเตือนที่ได้รับ หรือส่งอีเมลใหม่ระบุเลขประจำตัวประชาชน 13 หลัก '
        + 'และชื่อ-นามสกุลในหัวเรื่อง แนบไฟล์ PDF แยกไฟล์ละหนึ่งเอกสาร หากส่งแทนหลายคนในอีเมลเดียว ให้แยกโฟลเดอร์ละหนึ่งคนแล้วบีบอัดเป็น ZIP',
    },
    ...footer(v.replyFrom, 'รายชื่อนี้เป็นข้อมูล ณ เวลาที่ส่ง ผู้ที่ส่งครบแล้วในระหว่างนี้ไม่ต้องดำเนินการใดๆ '),
  ];
}

/** The digest to a unit's contacts of a unit-scope campaign: its own report or order. */
export function unitReportDigestBlocks(v: ReminderView): Block[] {
  const s = v.item.unitState as UnitState;
  const form = v.campaign.form;
  const blocks: Block[] = [
    { kind: 'paragraph', text: `เรียน ผู้รับผิดชอบ ${s.unit.name}` },
    {
      kind: 'paragraph',
      text: s.status === 'not-submitted'
        ? `ระบบยังไม่ได้รับ “${v.campaign.title}” จากหน่วยงานของท่าน (ตรวจสอบ ณ วันที่ ${formatThaiDateTime(v.now)})`
        : `“${v.campaign.title}” ของหน่วยงานของท่านยังไม่ครบหรือต้องแก้ไข (ตรวจสอบ ณ วันที่ ${formatThaiDateTime(v.now)})`,
    },
    deadlineLine(v),
  ];
  if (s.missing.length)
    blocks.push({ kind: 'heading', text: 'รายการที่ยังไม่ได้รับ' }, { kind: 'list', items: s.missing.map((id) => ({ strong: labelOf(v.campaign.checklist, id) })) });
  if (s.problems.length)
    blocks.push({ kind: 'heading', text: 'รายการที่ต้องแก้ไข (จากฉบับล่าสุดที่ส่งมา)' }, { kind: 'list', items: s.problems.map((text) => ({ text })) });
  blocks.push({ kind: 'heading', text: 'วิธีส่ง' }, {
    kind: 'paragraph',
    text: form
      ? `ตอบกลับอีเมลฉบับนี้พร้อมแนบแบบฟอร์มที่กรอกแล้ว (${FORMS[form].fileBase}.xlsx หรือ .csv ที่แนบมาพร้อมนี้)${
        form === 'admin-appointment' ? ' และคำสั่งแต่งตั้งเป็นไฟล์ PDF' : ''
      } หรือพิมพ์ข้อมูลในเนื้อหาอีเมล เช่น`
      : 'ตอบกลับอีเมลฉบับนี้พร้อมแนบข้อมูลที่ยังขาด',
  });
  if (form) blocks.push({ kind: 'list', items: BODY_EXAMPLE[form].map((text) => ({ text })) });
  return [...blocks, ...footer(v.replyFrom, 'หากหน่วยงานส่งครบแล้วในระหว่างนี้ ไม่ต้องดำเนินการใดๆ ')];
}
