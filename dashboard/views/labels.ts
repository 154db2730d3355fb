// Thai words for the codes the archive stores (statuses, review states, file problems, unmatched reasons).
// Wording only: what the codes mean is decided in pipelines/.
import type { ChecklistItem } from '../../pipelines/types.ts';

import { PROBLEM_TH, STATUS_TH } from '../../pipelines/person/index.ts';

export { PROBLEM_TH, STATUS_TH };

export const REVIEW_TH = { 'awaiting-review': 'รอตรวจ', accepted: 'ตรวจรับแล้ว', returned: 'ส่งคืนแก้ไข' } as const;

export const UNMATCHED_TH: Record<string, string> = {
  unidentified: 'ระบุตัวบุคคลไม่ได้',
  'orphan-files': 'ไฟล์ที่ระบุไม่ได้ว่าเป็นของผู้ใด',
  'no-attachments': 'ไม่มีไฟล์แนบ',
  tnef: 'แนบมาเป็น winmail.dat',
  'corrupt-mime': 'อีเมลเสียหาย',
  'message-too-large': 'อีเมลใหญ่เกินกำหนด',
};

/** Column headings for the unit matrix: the full labels are too long for a laptop-width table. */
const SHORT: Record<string, string> = {
  'id-card': 'บัตร ปชช.',
  'house-registration': 'ทะเบียนบ้าน',
  'father-id': 'บิดา',
  'mother-id': 'มารดา',
  'spouse-id': 'คู่สมรส',
  'child-id': 'บุตร',
  'appointment-education': 'วุฒิบรรจุ',
  'highest-education': 'วุฒิสูงสุด',
  'professional-license': 'ใบอนุญาต',
  'login-counts': 'จำนวนผู้เข้าใช้งาน',
  'cannot-login-list': 'รายชื่อผู้เข้าใช้งานไม่ได้',
  'appointment-order': 'คำสั่งแต่งตั้ง (PDF)',
  'dpis-admin': 'ผู้ดูแลระบบ DPIS V6',
  'seis-admin': 'ผู้ดูแลระบบ SEIS',
};

export const PART_TH = { degree: 'ปริญญาบัตร', transcript: 'ทรานสคริปต์', both: 'ปริญญาบัตรและทรานสคริปต์' } as const;

export function shortLabel(item: ChecklistItem): string {
  return SHORT[item.id] ?? item.label;
}

export function problemTh(code: string): string {
  if (code.startsWith('returned: ')) return `เจ้าหน้าที่ส่งคืน: ${code.slice('returned: '.length)}`;
  return PROBLEM_TH[code] ?? code;
}

export function shortLabelOf(checklist: ChecklistItem[], id: string): string {
  return SHORT[id] ?? labelOf(checklist, id);
}

export function labelOf(checklist: ChecklistItem[], id: string): string {
  return checklist.find((c) => c.id === id)?.label ?? id;
}

export const UNIT_STATUS_TH = { complete: 'ส่งครบ', incomplete: 'ยังไม่ครบ/ต้องแก้ไข', 'not-submitted': 'ยังไม่ส่ง' } as const;

export const UNIT_KIND_TH: Record<string, string> = {
  'province-office': 'สำนักงานพัฒนาชุมชนจังหวัด',
  central: 'ส่วนกลาง',
  institute: 'สถาบัน',
  centre: 'ศูนย์ศึกษาและพัฒนาชุมชน',
};

export const UNIT_FILE_ROLE_TH = { order: 'คำสั่งแต่งตั้ง', form: 'แบบรายงาน', attachment: 'ไฟล์แนบอื่น', problem: 'ไฟล์ที่ใช้ไม่ได้' } as const;

export const UNIT_UNMATCHED_TH: Record<string, string> = {
  ...UNMATCHED_TH,
  'unit-unknown': 'ระบุหน่วยงานไม่ได้',
};

/** Page checks of content reading (manifest `reading.flags`, report `flags`), as staff read them. */
export const FLAG_TH: Record<string, string> = {
  blank: 'หน้าว่าง',
  unreadable: 'อ่านไม่ออก',
  'low-resolution': 'ความละเอียดต่ำ',
  'no-certification': 'ไม่มีคำรับรองสำเนาถูกต้อง',
};

/** Who decided a document's item: `reading.source`. */
export const SOURCE_TH = { name: 'ชื่อไฟล์', content: 'เนื้อหา', both: 'ทั้งสองอย่าง' } as const;

export function flagTh(flag: string): string {
  return FLAG_TH[flag] ?? flag;
}
