// The Thai reply, written once as blocks (layout.ts renders text and HTML from them): polite official tone,
// per-person sections, what is missing and why files failed. Decisions (status, who gets it) are made elsewhere.
import { formatThaiDateTime } from '../pipelines/dates.ts';
import { displayName } from '../pipelines/person-name.ts';
import type { Address, ChecklistItem, ChecklistJudgement, FileProblemCode, MessageProblem, Person, ReplyStatus } from '../pipelines/types.ts';
import type { Block, ListItem } from './layout.ts';
import { fileProblemAdvice, messageProblemAdvice, suggestedName } from './problems.ts';

export interface ReplyInput {
  original: { messageId: string; references: string[]; subject: string; from?: Address; replyTo?: Address };
  replyFrom: string; // "Name <addr>"
  replyMessageId: string; // derived from the original by the caller, e.g. "<reply-KEY@seis-intake>"
  campaign: { title: string; deadline: Date; checklist: ChecklistItem[]; latePolicy: 'accept' | 'reject' };
  status: ReplyStatus;
  late: boolean;
  persons: Array<
    { person: Person; inRoster: boolean; judgement: ChecklistJudgement;
      received: Array<{ item: string; originalName: string; pages: number; assumed?: boolean }> }
  >;
  problems: Array<{ originalName: string; code: FileProblemCode; detail?: string; person?: string }>;
  messageProblems: MessageProblem[];
  unidentified: boolean;
  notes: string[];
  now: Date;
}

export const STATUS_TAG: Record<ReplyStatus, string> = {
  accepted: 'ได้รับครบถ้วน',
  incomplete: 'ยังไม่ครบ',
  rejected: 'ไม่สามารถรับได้',
};

const PART_THAI = { degree: 'ปริญญาบัตร', transcript: 'ทรานสคริปต์ (ใบแสดงผลการศึกษา)' } as const;

/** "x-xxxx-xxxx7-89-0": enough for the sender to recognise, not enough to be worth stealing from a mailbox. */
export function maskedId(id: string): string {
  return `x-xxxx-xxxx${id[9]}-${id.slice(10, 12)}-${id[12]}`;
}

type Persons = ReplyInput['persons'];
type Received = Persons[number]['received'];

export function labelOf(checklist: ChecklistItem[], id: string): string {
  return checklist.find((i) => i.id === id)?.label ?? id;
}

/** One line per file: an education file filed under two items shows both labels once. */
export function receivedItems(received: Received, checklist: ChecklistItem[]): ListItem[] {
  const order = (id: string) => {
    const at = checklist.findIndex((i) => i.id === id);
    return at < 0 ? checklist.length : at;
  };
  const byFile = new Map<string, { items: string[]; pages: number; assumed: boolean; name: string }>();
  for (const r of [...received].sort((a, b) => order(a.item) - order(b.item))) {
    const key = `${r.originalName}\u0000${r.pages}`;
    const entry = byFile.get(key) ?? { items: [], pages: r.pages, assumed: false, name: r.originalName };
    if (!entry.items.includes(r.item)) entry.items.push(r.item);
    entry.assumed ||= Boolean(r.assumed);
    byFile.set(key, entry);
  }
  return [...byFile.values()].map((f) => ({
    strong: f.items.map((id) => labelOf(checklist, id)).join(' และ '),
    text: `${f.name} (${f.pages} หน้า)`,
    notes: f.assumed
      ? ['ระบบถือว่าไฟล์นี้ใช้เป็นทั้งวุฒิการศึกษาที่ใช้บรรจุและวุฒิการศึกษาสูงสุด หากเป็นคนละวุฒิ กรุณาส่งอีกวุฒิหนึ่งแยกเป็นอีกไฟล์']
      : undefined,
  }));
}

function missingItems(person: Persons[number], checklist: ChecklistItem[]): ListItem[] {
  return missingItemList(person.judgement.missing, person.judgement.missingParts, checklist);
}

/** What is still missing, one line per checklist item: a half-sent education item names its lacking part. */
export function missingItemList(
  missing: string[],
  missingParts: Record<string, 'degree' | 'transcript'>,
  checklist: ChecklistItem[],
): ListItem[] {
  return missing.map((id) => {
    const item = checklist.find((i) => i.id === id);
    const label = item?.label ?? id;
    const lackingPart = missingParts[id];
    if (lackingPart) return { strong: label, text: `ได้รับแล้วบางส่วน ยังขาด${PART_THAI[lackingPart]}` };
    const replacements = (item?.replacedBy ?? []).map((r) => labelOf(checklist, r));
    if (replacements.length) {
      const when = replacements.some((r) => r.includes('มรณบัตร')) ? ' (กรณีถึงแก่กรรม)' : '';
      return { strong: label, notes: [`หรือส่ง ${replacements.join(' หรือ ')} แทนได้${when}`] };
    }
    return { strong: label };
  });
}

function belongsTo(problemPerson: string | undefined, p: Person): boolean {
  return problemPerson !== undefined && (problemPerson === p.nationalId || problemPerson === displayName(p)
    || problemPerson === `${p.firstName} ${p.lastName}`);
}

function problemItems(problems: ReplyInput['problems'], checklist: ChecklistItem[]): ListItem[] {
  return problems.map((p) => ({ strong: p.originalName, text: fileProblemAdvice(p.code, p.detail, checklist) }));
}

function greeting(input: ReplyInput): string {
  const names = input.persons.map((p) => displayName(p.person));
  return names.length >= 1 && names.length <= 3 ? `เรียน ${names.join(' และ ')}` : 'เรียน ผู้ส่งเอกสาร';
}

export function senderName(replyFrom: string): string {
  const name = replyFrom.replace(/<[^>]*>/, '').replace(/"/g, '').trim();
  return name || 'ระบบรับเอกสารอัตโนมัติ';
}

export function replyBlocks(input: ReplyInput): Block[] {
  const { campaign, status } = input;
  const checklist = campaign.checklist;
  const deadline = formatThaiDateTime(campaign.deadline);
  const pastDeadline = input.late || input.now.getTime() > campaign.deadline.getTime();
  const blocks: Block[] = [
    { kind: 'paragraph', text: greeting(input) },
    {
      kind: 'paragraph',
      text: `ระบบได้รับอีเมลของท่านเรื่อง “${input.original.subject || campaign.title}” สำหรับ${campaign.title} `
        + `ผลการตรวจสอบเบื้องต้นโดยระบบอัตโนมัติ ณ วันที่ ${formatThaiDateTime(input.now)} มีดังนี้`,
    },
  ];
  const summary: Record<ReplyStatus, Block> = {
    accepted: { kind: 'paragraph', tone: 'ok', text: 'ได้รับเอกสารครบถ้วนตามรายการแล้ว ไม่ต้องส่งเพิ่มเติม เจ้าหน้าที่จะตรวจสอบรายละเอียดอีกครั้ง' },
    incomplete: {
      kind: 'paragraph',
      tone: 'warning',
      text: `ได้รับเอกสารแล้วบางส่วน แต่ยังไม่ครบหรือมีไฟล์ที่ใช้ไม่ได้ กรุณาส่งเพิ่มเติม${pastDeadline ? 'โดยเร็ว' : `ภายในวันที่ ${deadline}`}`,
    },
    rejected: { kind: 'paragraph', tone: 'error', text: 'ไม่สามารถรับเอกสารจากอีเมลฉบับนี้ได้ กรุณาดูสาเหตุด้านล่าง แก้ไข แล้วส่งใหม่' },
  };
  blocks.push(summary[status]);
  if (input.late) {
    blocks.push(campaign.latePolicy === 'reject'
      ? { kind: 'paragraph', tone: 'error',
        text: `อีเมลฉบับนี้ได้รับหลังกำหนดส่ง (ภายในวันที่ ${deadline}) จึงไม่สามารถรับเอกสารเข้าระบบได้ หากมีเหตุจำเป็น กรุณาติดต่อเจ้าหน้าที่ผู้รับผิดชอบ` }
      : { kind: 'paragraph', tone: 'warning', text: `อีเมลฉบับนี้ได้รับหลังกำหนดส่ง (ภายในวันที่ ${deadline}) ระบบได้บันทึกเอกสารไว้แล้ว แต่จะแจ้งเจ้าหน้าที่ว่าส่งเกินกำหนด` });
  } else {
    blocks.push({ kind: 'paragraph', text: `กำหนดส่งเอกสาร: ภายในวันที่ ${deadline}` });
  }

  const placed = new Set<number>();
  for (const entry of input.persons) {
    const name = displayName(entry.person);
    blocks.push({ kind: 'heading', text: `เอกสารของ ${name} (เลขประจำตัวประชาชน ${maskedId(entry.person.nationalId)})` });
    if (!entry.inRoster) {
      blocks.push({ kind: 'paragraph', tone: 'muted', text: 'หมายเหตุ: ไม่พบชื่อนี้ในบัญชีรายชื่อผู้ที่ต้องรับรองข้อมูล เจ้าหน้าที่จะตรวจสอบอีกครั้ง' });
    }
    if (entry.received.length) {
      blocks.push({ kind: 'paragraph', text: 'เอกสารที่ได้รับจากอีเมลฉบับนี้:' }, { kind: 'list', items: receivedItems(entry.received, checklist) });
    } else {
      blocks.push({ kind: 'paragraph', text: 'ไม่มีเอกสารที่ใช้ได้จากอีเมลฉบับนี้' });
    }
    const mine = input.problems.filter((p, i) => belongsTo(p.person, entry.person) && placed.add(i));
    if (mine.length) blocks.push({ kind: 'paragraph', text: 'ไฟล์ที่ใช้ไม่ได้:' }, { kind: 'list', items: problemItems(mine, checklist) });
    if (entry.judgement.status === 'complete') {
      blocks.push({ kind: 'paragraph', tone: 'ok', text: `เอกสารของ ${name} ครบถ้วนตามรายการแล้ว` });
    } else if (entry.judgement.missing.length) {
      blocks.push({ kind: 'paragraph', text: 'เอกสารที่ยังขาด:' }, { kind: 'list', items: missingItems(entry, checklist) });
    }
  }

  const others = input.problems.filter((_, i) => !placed.has(i));
  if (others.length) {
    blocks.push({ kind: 'heading', text: 'ไฟล์ที่ใช้ไม่ได้หรือระบุไม่ได้' }, { kind: 'list', items: problemItems(others, checklist) });
  }
  // winmail.dat is both a file and a message problem; it is explained once, next to the file.
  const messageProblems = input.messageProblems.filter((m) => !input.problems.some((p) => p.code === m.code));
  if (messageProblems.length) {
    blocks.push({ kind: 'heading', text: 'ปัญหาของอีเมล' }, {
      kind: 'list',
      items: messageProblems.map((p) => ({ text: messageProblemAdvice(p.code, p.detail) })),
    });
  }
  if (input.unidentified) {
    blocks.push(
      { kind: 'heading', text: 'ระบบไม่สามารถระบุตัวเจ้าของเอกสารได้' },
      {
        kind: 'paragraph',
        text: 'กรุณาส่งใหม่โดยระบุเลขประจำตัวประชาชน 13 หลัก และชื่อ-นามสกุล ของเจ้าของเอกสารในหัวเรื่องอีเมล '
          + 'ในรูปแบบ “[เลข 13 หลัก] [คำนำหน้าชื่อ][ชื่อ] [นามสกุล]”',
      },
      {
        kind: 'paragraph',
        text: 'หากส่งเอกสารของหลายคนในอีเมลเดียว ให้แยกโฟลเดอร์ละหนึ่งคน ตั้งชื่อโฟลเดอร์เป็นเลขประจำตัวประชาชนและชื่อ-นามสกุล แล้วบีบอัดเป็นไฟล์ ZIP',
      },
    );
  }
  if (input.notes.length) blocks.push({ kind: 'heading', text: 'หมายเหตุ' }, { kind: 'list', items: input.notes.map((text) => ({ text })) });
  if (status !== 'accepted') blocks.push(...namingGuide(checklist));

  blocks.push(
    { kind: 'rule' },
    { kind: 'paragraph', tone: 'muted',
      text: 'อีเมลฉบับนี้ส่งจากระบบอัตโนมัติ หากต้องการส่งเอกสารเพิ่มเติม สามารถตอบกลับอีเมลนี้พร้อมแนบไฟล์ได้ทันที หากมีข้อสงสัย กรุณาติดต่อเจ้าหน้าที่ผู้รับผิดชอบ' },
    { kind: 'paragraph', text: `ขอแสดงความนับถือ\n${senderName(input.replyFrom)}` },
  );
  return blocks;
}

export function namingGuide(checklist: ChecklistItem[]): Block[] {
  const items = checklist.filter((i) => i.required || i.replaces).map((i) => ({ strong: i.label, text: suggestedName(i) }));
  return [
    { kind: 'heading', text: 'คำแนะนำการตั้งชื่อไฟล์' },
    { kind: 'paragraph', text: 'ส่งเป็นไฟล์ PDF แยกตามประเภทเอกสาร และตั้งชื่อไฟล์ตามประเภท เช่น' },
    { kind: 'list', items },
  ];
}
