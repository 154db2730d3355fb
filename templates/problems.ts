// Plain-Thai wording for why a file or a message could not be used, and what the sender should do about it.
// Codes come from pipelines/types.ts; a code without wording here still gets a generic sentence, never nothing.
import type { ChecklistItem, FileProblemCode, MessageProblemCode } from '../pipelines/types.ts';

const OUTLOOK_RTF_FIX = 'กรุณาตั้งค่า Outlook ให้เขียนอีเมลแบบ HTML (File > Options > Mail > Compose messages in this format: HTML) '
  + 'แล้วแนบไฟล์ PDF ส่งใหม่ตามปกติ';

const FILE_PROBLEMS: Partial<Record<FileProblemCode, { why: string; todo: string }>> = {
  'image-not-pdf': { why: 'ไฟล์เป็นรูปภาพ ไม่ใช่ไฟล์ PDF', todo: 'กรุณาสแกนเป็น PDF แล้วส่งใหม่' },
  'fake-pdf': { why: 'ชื่อไฟล์ลงท้าย .pdf แต่เนื้อไฟล์ไม่ใช่ PDF (อาจเกิดจากการเปลี่ยนนามสกุลไฟล์เอง)', todo: 'กรุณาสแกนหรือบันทึกเป็น PDF (Save as PDF) แล้วส่งใหม่' },
  'corrupt-pdf': { why: 'ไฟล์ PDF เสียหาย เปิดอ่านไม่ได้', todo: 'กรุณาสแกนหรือบันทึกเป็น PDF ใหม่แล้วส่งอีกครั้ง' },
  'encrypted-pdf': { why: 'ไฟล์ PDF มีรหัสผ่าน', todo: 'กรุณาส่งไฟล์ที่ไม่มีรหัสผ่าน' },
  'empty-file': { why: 'ไฟล์ว่างเปล่า ไม่มีข้อมูล', todo: 'กรุณาแนบไฟล์ใหม่อีกครั้ง' },
  'file-too-large': {
    why: 'ไฟล์มีขนาดใหญ่เกินกำหนด',
    todo: 'กรุณาสแกนที่ความละเอียด 200–300 dpi หรือแบบขาวดำ/ระดับสีเทา หรือแยกส่งเป็นหลายอีเมล',
  },
  'unsupported-type': { why: 'ระบบรับเฉพาะไฟล์ PDF', todo: 'กรุณาบันทึกหรือสแกนเป็น PDF แล้วส่งใหม่' },
  'zip-bomb': { why: 'ไฟล์บีบอัด (ZIP/RAR/7z) มีขนาดหลังแตกไฟล์ผิดปกติ ระบบจึงไม่เปิด', todo: 'กรุณาแนบไฟล์ PDF โดยตรง หรือบีบอัดใหม่' },
  'zip-corrupt': { why: 'ไฟล์บีบอัด (ZIP/RAR/7z) เสียหาย เปิดไม่ได้', todo: 'กรุณาบีบอัดใหม่ หรือแนบไฟล์ PDF โดยตรง' },
  'zip-encrypted': { why: 'ไฟล์บีบอัด (ZIP/RAR/7z) มีรหัสผ่าน', todo: 'กรุณาบีบอัดใหม่โดยไม่ตั้งรหัสผ่าน' },
  'zip-too-deep': { why: 'ไฟล์บีบอัด (ZIP/RAR/7z) ซ้อนกันหลายชั้นเกินไป', todo: 'กรุณาบีบอัดเพียงชั้นเดียว โดยแยกโฟลเดอร์ละหนึ่งคน' },
  tnef: { why: 'ไฟล์ winmail.dat เกิดจาก Outlook ที่ส่งอีเมลแบบ Rich Text ระบบจึงมองไม่เห็นไฟล์แนบจริง', todo: OUTLOOK_RTF_FIX },
  'late-rejected': { why: 'ได้รับหลังกำหนดส่ง จึงไม่สามารถรับเข้าระบบได้', todo: 'หากมีเหตุจำเป็น กรุณาติดต่อเจ้าหน้าที่ผู้รับผิดชอบ' },
  unclassified: { why: 'ไม่สามารถระบุประเภทเอกสารได้', todo: 'กรุณาตั้งชื่อไฟล์ตามประเภทเอกสาร' },
};

const MESSAGE_PROBLEMS: Partial<Record<MessageProblemCode, { why: string; todo: string }>> = {
  'corrupt-mime': { why: 'ระบบอ่านรูปแบบอีเมลฉบับนี้ได้ไม่ครบ', todo: 'กรุณาส่งใหม่โดยแนบไฟล์ PDF ตามปกติ' },
  tnef: { why: 'อีเมลถูกส่งจาก Outlook แบบ Rich Text ไฟล์แนบจึงกลายเป็น winmail.dat', todo: OUTLOOK_RTF_FIX },
  'too-many-files': { why: 'อีเมลมีไฟล์แนบมากเกินกำหนด', todo: 'กรุณาแยกส่งเป็นหลายอีเมล' },
  'message-too-large': { why: 'อีเมลมีขนาดใหญ่เกินกำหนด', todo: 'กรุณาแยกส่งเป็นหลายอีเมล หรือสแกนที่ความละเอียดต่ำลง (200–300 dpi)' },
  'no-attachments': { why: 'ไม่พบไฟล์แนบในอีเมล', todo: 'กรุณาแนบไฟล์ PDF ของเอกสารแล้วส่งใหม่' },
};

const GENERIC = { why: 'ไฟล์นี้ใช้ไม่ได้', todo: 'กรุณาตรวจสอบและส่งเป็นไฟล์ PDF ใหม่' };

const THAI_SCRIPT = /[\u0e00-\u0e7f]/;

/** Suggested file names per checklist id: each carries the words the classifier looks for. */
const SUGGESTED: Record<string, string> = {
  'id-card': 'บัตรประชาชน.pdf',
  'house-registration': 'ทะเบียนบ้าน.pdf',
  'father-id': 'บัตรประชาชน-บิดา.pdf',
  'father-death-certificate': 'มรณบัตร-บิดา.pdf',
  'mother-id': 'บัตรประชาชน-มารดา.pdf',
  'mother-death-certificate': 'มรณบัตร-มารดา.pdf',
  'spouse-id': 'บัตรประชาชน-คู่สมรส.pdf',
  'child-id': 'บัตรประชาชน-บุตร.pdf',
  'appointment-education': 'วุฒิบรรจุ-ปริญญาบัตร.pdf และ วุฒิบรรจุ-ทรานสคริปต์.pdf',
  'highest-education': 'วุฒิสูงสุด-ปริญญาบัตร.pdf และ วุฒิสูงสุด-ทรานสคริปต์.pdf',
  'professional-license': 'ใบอนุญาตประกอบวิชาชีพ.pdf',
};

/** A file name for a checklist item: the known one, else the label without "สำเนา" and brackets. */
export function suggestedName(item: ChecklistItem): string {
  return SUGGESTED[item.id]
    ?? `${item.label.replace(/^สำเนา/, '').replace(/\s*\(.*\)\s*/g, '').trim().replace(/\s+/g, '-')}.pdf`;
}

/** Two or three example names from the checklist, for the unclassified advice. */
export function exampleNames(checklist: ChecklistItem[]): string {
  return checklist.filter((i) => i.required).slice(0, 3).map((i) => suggestedName(i).split(' ')[0]).join(', ');
}

/**
 * Why + what to do. A Thai detail from the stage that found the problem is more specific than our generic
 * wording and is used instead; its own instruction ("กรุณา…") is trusted, else ours is added.
 */
export function fileProblemAdvice(code: FileProblemCode, detail: string | undefined, checklist: ChecklistItem[]): string {
  const words = FILE_PROBLEMS[code] ?? GENERIC;
  let todo = words.todo;
  if (code === 'unclassified') todo = `${todo} เช่น ${exampleNames(checklist)} แล้วส่งใหม่`;
  if (detail && THAI_SCRIPT.test(detail)) return detail.includes('กรุณา') ? detail : `${detail} ${todo}`;
  return `${words.why} ${todo}`;
}

export function messageProblemAdvice(code: MessageProblemCode, detail?: string): string {
  const words = MESSAGE_PROBLEMS[code] ?? GENERIC;
  const why = detail && THAI_SCRIPT.test(detail) ? detail : words.why;
  return `${why} ${words.todo}`;
}
