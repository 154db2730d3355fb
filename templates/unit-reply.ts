// The Thai replies of the unit-scope campaigns (login-status, admin-appointment) and the guidance sent when a
// message's campaign is unclear, written as blocks (layout.ts renders text and HTML). Decisions are made elsewhere.
import { SYSTEM_TH, type UnitJudgement, type FormExtraction, type UnitRef } from '../pipelines/unit/index.ts';
import { formatThaiDateTime } from '../pipelines/dates.ts';
import type { ChecklistItem, ReplyStatus } from '../pipelines/types.ts';
import { BODY_EXAMPLE, FORMS, type FormKind } from './forms.ts';
import type { Block, ListItem } from './layout.ts';

export interface UnitReplyView {
  subject: string;
  replyFrom: string;
  campaign: { title: string; deadline: Date; checklist: ChecklistItem[]; latePolicy: 'accept' | 'reject'; form: FormKind };
  status: ReplyStatus;
  late: boolean;
  now: Date;
  unit?: UnitRef;
  /** False when the circular does not ask this unit for this request (filed anyway). */
  expected?: boolean;
  extraction: FormExtraction;
  judgement: UnitJudgement;
  /** This message took over items of an earlier one. */
  replacedEarlier: boolean;
  /** When this message had problems: when the unit's earlier valid data arrived (it stays on file). */
  earlierKeptAt?: string;
  notes: string[];
  templateAttached: boolean;
}

const SUMMARY: Record<ReplyStatus, Block> = {
  accepted: { kind: 'paragraph', tone: 'ok', text: 'ได้รับข้อมูลครบถ้วนและถูกต้องตามแบบฟอร์มแล้ว ไม่ต้องส่งเพิ่มเติม' },
  incomplete: { kind: 'paragraph', tone: 'warning', text: 'ได้รับข้อมูลแล้วบางส่วน แต่ยังไม่ครบหรือมีรายการที่ต้องแก้ไข กรุณาดูรายละเอียดด้านล่าง' },
  rejected: { kind: 'paragraph', tone: 'error', text: 'ไม่สามารถรับข้อมูลจากอีเมลฉบับนี้ได้ กรุณาแก้ไขตามรายการด้านล่างแล้วส่งใหม่' },
};

function footer(replyFrom: string): Block[] {
  const name = replyFrom.replace(/<[^>]*>/, '').replace(/"/g, '').trim() || 'ระบบรับเอกสารอัตโนมัติ';
  return [
    { kind: 'rule' },
    { kind: 'paragraph', tone: 'muted', text: 'อีเมลฉบับนี้ส่งจากระบบอัตโนมัติ หากต้องการแก้ไขหรือส่งเพิ่มเติม สามารถตอบกลับอีเมลนี้ได้ทันที หากมีข้อสงสัย กรุณาติดต่อเจ้าหน้าที่ผู้รับผิดชอบ' },
    { kind: 'paragraph', text: `ขอแสดงความนับถือ\n${name}` },
  ];
}

function receivedItems(v: UnitReplyView): ListItem[] {
  const data = v.extraction.data;
  if (data.form === 'login-status') {
    const n = (x?: number) => (x === undefined ? '-' : `${x} คน`);
    if (data.total === undefined && data.can === undefined && data.cannot === undefined && !data.people.length) return [];
    return [
      { strong: 'จำนวนข้าราชการทั้งหมด', text: n(data.total) },
      { strong: 'เข้าใช้งานได้', text: n(data.can) },
      { strong: 'เข้าใช้งานไม่ได้', text: n(data.cannot) },
      { strong: 'รายชื่อผู้ที่เข้าใช้งานไม่ได้', text: `${data.people.length} คน` },
    ];
  }
  return data.administrators.map((a) => ({
    strong: a.system ? `ผู้ดูแลระบบ ${SYSTEM_TH[a.system]}` : 'ผู้ดูแลระบบ (ไม่ระบุระบบ)',
    text: [a.name, a.position, a.phone && `โทร ${a.phone}`, a.email].filter(Boolean).join(' · '),
  }));
}

export function unitReplyBlocks(v: UnitReplyView, files: Array<{ name: string; role: string; pages?: number }>): Block[] {
  const { campaign } = v;
  const deadline = formatThaiDateTime(campaign.deadline);
  const label = (id: string) => campaign.checklist.find((i) => i.id === id)?.label ?? id;
  const blocks: Block[] = [
    { kind: 'paragraph', text: v.unit ? `เรียน ผู้รับผิดชอบ ${v.unit.name}` : 'เรียน ผู้ส่งข้อมูล' },
    {
      kind: 'paragraph',
      text: `ระบบได้รับอีเมลของท่านเรื่อง “${v.subject || campaign.title}” สำหรับ${campaign.title} `
        + `ผลการตรวจสอบเบื้องต้นโดยระบบอัตโนมัติ ณ วันที่ ${formatThaiDateTime(v.now)} มีดังนี้`,
    },
    SUMMARY[v.status],
    v.late
      ? { kind: 'paragraph', tone: 'warning', text: `อีเมลฉบับนี้ได้รับหลังกำหนดส่ง (ภายในวันที่ ${deadline}) ระบบได้บันทึกไว้แล้ว แต่จะแจ้งเจ้าหน้าที่ว่าส่งเกินกำหนด` }
      : { kind: 'paragraph', text: `กำหนดส่ง: ภายในวันที่ ${deadline}` },
  ];
  if (!v.unit) {
    blocks.push({ kind: 'heading', text: 'ระบบไม่ทราบว่าเป็นข้อมูลของหน่วยงานใด' }, {
      kind: 'paragraph',
      text: 'กรุณาระบุชื่อหน่วยงานในช่อง “หน่วยงาน” ของแบบฟอร์ม (หรือบรรทัด “หน่วยงาน: …” ในเนื้อหาอีเมล) หรือส่งจากอีเมลของหน่วยงานที่แจ้งไว้กับส่วนกลาง',
    });
  } else if (v.expected === false) {
    blocks.push({ kind: 'paragraph', tone: 'muted', text: `หมายเหตุ: ตามหนังสือเวียน ${v.unit.name} ไม่ต้องส่งรายการนี้ ระบบได้บันทึกข้อมูลไว้ให้เจ้าหน้าที่ทราบแล้ว` });
  }
  const received = receivedItems(v);
  if (received.length) blocks.push({ kind: 'heading', text: 'ข้อมูลที่ได้รับจากอีเมลฉบับนี้' }, { kind: 'list', items: received });
  const orders = files.filter((f) => f.role === 'order');
  if (orders.length) {
    blocks.push({ kind: 'paragraph', text: 'คำสั่งแต่งตั้งที่ได้รับ:' }, {
      kind: 'list',
      items: orders.map((f) => ({ strong: f.name, text: `${f.pages ?? 0} หน้า` })),
    });
  }
  if (v.extraction.problems.length) {
    blocks.push({ kind: 'heading', text: 'รายการที่ต้องแก้ไข' }, { kind: 'list', items: v.extraction.problems.map((p) => ({ text: p.message })) });
    if (v.earlierKeptAt) {
      blocks.push({ kind: 'paragraph', tone: 'muted',
        text: `ข้อมูลที่หน่วยงานส่งไว้ก่อนหน้า (ได้รับเมื่อ ${formatThaiDateTime(new Date(v.earlierKeptAt))}) ยังคงใช้อยู่จนกว่าจะได้รับฉบับที่ถูกต้อง` });
    }
  }
  if (v.replacedEarlier) {
    blocks.push({ kind: 'paragraph', tone: 'muted', text: 'ข้อมูลฉบับนี้ใช้แทนฉบับที่หน่วยงานส่งไว้ก่อนหน้า (ระบบเก็บฉบับเดิมไว้แล้ว)' });
  }
  if (v.judgement.status === 'complete') {
    blocks.push({ kind: 'paragraph', tone: 'ok', text: `ข้อมูลของ${v.unit?.name ?? 'หน่วยงาน'}ครบถ้วนตามรายการแล้ว` });
  } else if (v.unit && v.judgement.missing.length) {
    const title = v.extraction.problems.length ? 'รายการที่ยังไม่ได้รับหรือยังต้องแก้ไข:' : 'รายการที่ยังขาด:';
    blocks.push({ kind: 'paragraph', text: title }, { kind: 'list', items: v.judgement.missing.map((id) => ({ strong: label(id) })) });
  }
  if (v.notes.length) blocks.push({ kind: 'heading', text: 'หมายเหตุ' }, { kind: 'list', items: v.notes.map((text) => ({ text })) });
  if (v.templateAttached) {
    blocks.push(
      { kind: 'heading', text: 'แบบฟอร์ม' },
      { kind: 'paragraph', text: `ได้แนบแบบฟอร์ม (${FORMS[campaign.form].fileBase}.xlsx และ .csv) มาพร้อมนี้ กรุณากรอกแล้วแนบส่งกลับ หรือพิมพ์ข้อมูลในเนื้อหาอีเมลตามตัวอย่าง:` },
      { kind: 'list', items: BODY_EXAMPLE[campaign.form].map((text) => ({ text })) },
    );
  }
  return [...blocks, ...footer(v.replyFrom)];
}

export interface GuidanceView {
  subject: string;
  replyFrom: string;
  now: Date;
  /** The campaigns the message could be for (empty: none could be told). */
  candidates: Array<{ title: string }>;
  campaigns: Array<{ title: string; deadline: Date; address?: string; keywords: string[] }>;
}

/** The message's campaign is unclear: say so, and how to send each request so it is sorted right. */
export function guidanceBlocks(v: GuidanceView): Block[] {
  const which = v.candidates.length ? `อีเมลฉบับนี้อาจเป็นเรื่อง ${v.candidates.map((c) => `“${c.title}”`).join(' หรือ ')} ` : '';
  return [
    { kind: 'paragraph', text: 'เรียน ผู้ส่งข้อมูล' },
    {
      kind: 'paragraph',
      tone: 'error',
      text: `ระบบได้รับอีเมลของท่านเรื่อง “${v.subject || '(ไม่มีหัวเรื่อง)'}” เมื่อ ${formatThaiDateTime(v.now)} แต่ไม่สามารถระบุได้ว่าเป็นการส่งเรื่องใด `
        + `${which}ระบบจึงยังไม่ได้บันทึกข้อมูล (เก็บอีเมลไว้ให้เจ้าหน้าที่ตรวจสอบแล้ว)`,
    },
    { kind: 'paragraph', text: 'กรุณาส่งแยกอีเมลละหนึ่งเรื่อง และระบุเรื่องในหัวเรื่องอีเมล หรือส่งไปยังที่อยู่อีเมลของแต่ละเรื่อง ดังนี้' },
    {
      kind: 'list',
      items: v.campaigns.map((c) => ({
        strong: c.title,
        text: `ภายในวันที่ ${formatThaiDateTime(c.deadline)}`,
        notes: [
          ...(c.address ? [`ส่งถึง ${c.address}`] : []),
          ...(c.keywords.length ? [`หรือระบุในหัวเรื่อง เช่น “${c.keywords.slice(0, 2).join('” หรือ “')}”`] : []),
        ],
      })),
    },
    ...footer(v.replyFrom),
  ];
}
