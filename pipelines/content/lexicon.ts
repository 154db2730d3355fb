// Every word the content stage looks for, in one place: what each kind of page says (with weights), degree
// levels, the certification mark, name labels and kinship words, and the thresholds. Data only; matching
// (tolerant of OCR: marks dropped, spaces moved, a letter or two wrong) is in match.ts.
import type { ChecklistItemId } from '../types.ts';
import type { DegreeLevel, PageKind, PersonRole } from './types.ts';

export interface Signal {
  /** As printed on the document; compared after normalisation, without spaces and small marks. */
  text: string;
  /** Titles and phrases only this document prints weigh 4–5; words other papers share weigh 1–2. */
  weight: number;
  /** ID cards: which side prints it. */
  side?: 'front' | 'back';
}

export interface PatternSignal {
  name: string;
  /** Tested on the normalised text (Thai digits made ASCII, separators inside digit runs kept). */
  pattern: RegExp;
  weight: number;
  side?: 'front' | 'back';
}

export interface KindLexicon {
  kind: Exclude<PageKind, 'unknown'>;
  /** Checklist items a page of this kind can fill (whose it is and the level decide which, later). */
  items: ChecklistItemId[];
  signals: Signal[];
  patterns?: PatternSignal[];
}

const s = (weight: number, ...texts: string[]): Signal[] => texts.map((text) => ({ text, weight }));
const side = (which: 'front' | 'back', signals: Signal[]): Signal[] => signals.map((x) => ({ ...x, side: which }));

export const KIND_LEXICON: KindLexicon[] = [
  {
    kind: 'id-card',
    items: ['id-card', 'father-id', 'mother-id', 'spouse-id', 'child-id'],
    signals: [
      ...side('front', [...s(5, 'บัตรประจำตัวประชาชน', 'Thai National ID Card'), ...s(3, 'Identification Number', 'ชื่อตัวและชื่อสกุล'),
        ...s(2, 'วันออกบัตร', 'วันบัตรหมดอายุ', 'Date of Issue', 'Date of Expiry', 'เจ้าพนักงานออกบัตร'), ...s(1, 'Last name', 'ศาสนา')]),
      ...side('back', [...s(3, 'กรมการปกครอง', 'Department of Provincial Administration'), ...s(2, 'กระทรวงมหาดไทย')]),
      ...s(1, 'เลขประจำตัวประชาชน'),
    ],
    patterns: [
      // the laser code on the back (two letters, a digit, seven digits, two digits) and the card-request number
      { name: 'laser code', pattern: /\b[A-Z]{2}[0-9OIl]\s?-\s?\d{7}\s?-\s?\d{2}\b/, weight: 4, side: 'back' },
      { name: 'request number', pattern: /\b\d{4}-\d{2}-\d{8}\b/, weight: 2, side: 'back' },
    ],
  },
  {
    kind: 'house-registration',
    items: ['house-registration'],
    signals: [
      ...s(5, 'รายการเกี่ยวกับบ้าน', 'รายการบุคคลในบ้าน'),
      ...s(4, 'ทะเบียนบ้าน', 'ท.ร.14', 'เลขรหัสประจำบ้าน', 'House Registration'),
      ...s(2, 'ลักษณะบ้าน', 'ประเภทบ้าน', 'ย้ายเข้ามาจาก', 'กำหนดบ้านเลขที่'),
      ...s(1, 'เจ้าบ้าน', 'ผู้อาศัย', 'สัญชาติ'),
    ],
  },
  {
    kind: 'death-certificate',
    items: ['father-death-certificate', 'mother-death-certificate'],
    signals: [
      ...s(5, 'มรณบัตร', 'Death Certificate'),
      ...s(3, 'ท.ร.4', 'สาเหตุการตาย', 'ตายเมื่อวันที่', 'ทะเบียนคนตาย', 'Cause of Death'),
      ...s(2, 'ผู้ตาย', 'สถานที่ตาย', 'ผู้แจ้งการตาย'),
    ],
  },
  {
    kind: 'degree',
    items: ['appointment-education', 'highest-education'],
    signals: [
      ...s(4, 'ได้รับปริญญา', 'พร้อมทั้งเกียรติและสิทธิ', 'ปริญญาบัตร', 'rights and privileges'),
      ...s(3, 'ให้ไว้ ณ วันที่', 'สภามหาวิทยาลัย', 'อนุมัติให้', 'has conferred', 'the degree of'),
      ...s(2, 'อาศัยอำนาจ', 'นายกสภามหาวิทยาลัย', 'อธิการบดี', 'ขอประกาศว่า'),
    ],
  },
  {
    kind: 'transcript',
    items: ['appointment-education', 'highest-education'],
    signals: [
      ...s(5, 'ใบแสดงผลการศึกษา', 'Transcript of Records', 'ใบรายงานผลการศึกษา', 'ระเบียนแสดงผลการเรียน', 'ระเบียนผลการศึกษา', 'Transcript of Academic Record'),
      ...s(4, 'ใบรับรองผลการศึกษา'),
      ...s(3, 'Transcript', 'คะแนนเฉลี่ยสะสม', 'Cumulative GPA', 'Course Title', 'Grade Point Average', 'GPAX'),
      ...s(2, 'GPA', 'หน่วยกิต', 'Credits', 'ผลการเรียน', 'Course No', 'Date of Graduation', 'Student ID'),
      ...s(1, 'Grade', 'Semester', 'Registrar', 'นายทะเบียน'),
    ],
  },
  {
    kind: 'professional-license',
    items: ['professional-license'],
    signals: [
      ...s(5, 'ใบอนุญาตประกอบวิชาชีพ', 'ใบอนุญาตเป็นผู้ประกอบวิชาชีพ'),
      ...s(4, 'คุรุสภา', 'สภาการพยาบาล', 'สภาวิศวกร', 'สภาสถาปนิก', 'แพทยสภา', 'ทันตแพทยสภา', 'สภาเภสัชกรรม', 'สภาเทคนิคการแพทย์', 'สภากายภาพบำบัด', 'สภาวิชาชีพบัญชี',
        'สภาทนายความ', 'สภาการสาธารณสุขชุมชน', 'สภาวิชาชีพ'),
      ...s(2, 'ผู้ประกอบวิชาชีพ', 'เลขที่ใบอนุญาต', 'ใบอนุญาตฉบับนี้', 'ใช้ได้ถึงวันที่', 'วิศวกรรมควบคุม', 'ผดุงครรภ์'),
    ],
  },
  {
    kind: 'login-status-form',
    items: ['login-counts', 'cannot-login-list'],
    signals: [
      ...s(5, 'สถานะการเข้าใช้งาน'),
      ...s(3, 'ไม่สามารถเข้าใช้งานได้', 'เข้าใช้งานไม่ได้', 'จำนวนข้าราชการทั้งหมด'),
      ...s(2, 'ผู้เข้าใช้งานได้', 'ผู้รายงาน'),
      ...s(1, 'SEIS', 'รหัสหน่วยงาน', 'อีเมล'),
    ],
  },
  {
    kind: 'appointment-order',
    items: ['appointment-order'],
    signals: [
      ...s(4, 'สั่ง ณ วันที่', 'ผู้ดูแลระบบ'),
      ...s(3, 'แต่งตั้ง'),
      ...s(2, 'คำสั่ง', 'ทั้งนี้ ตั้งแต่', 'ตั้งแต่บัดนี้เป็นต้นไป'),
      ...s(1, 'DPIS', 'SEIS'),
    ],
  },
];

/**
 * Degree levels, most specific first (มหาบัณฑิต and ดุษฎีบัณฑิต end in บัณฑิต). `tolerant` words may have a
 * letter wrong; `exact` ones may not (ปริญญาโท is one letter from ปริญญาว… of "ได้รับปริญญาวิทยาศาสตรบัณฑิต").
 */
export const LEVEL_WORDS: Array<{ level: DegreeLevel; tolerant: string[]; exact: string[] }> = [
  { level: 'doctor', tolerant: ['ดุษฎีบัณฑิต'], exact: ['ปริญญาเอก', 'Doctor of', 'Ph.D.', 'Doctoral'] },
  { level: 'master', tolerant: ['มหาบัณฑิต'], exact: ['ปริญญาโท', 'Master of', 'Master Degree'] },
  { level: 'bachelor', tolerant: [], exact: ['บัณฑิต', 'ปริญญาตรี', 'Bachelor of', 'Bachelor Degree'] },
];

/** The certification the circular asks for on every copy. */
export const CERTIFICATION_WORDS = ['สำเนาถูกต้อง', 'รับรองสำเนาถูกต้อง', 'Certified True Copy', 'True Copy'];

/** Labels printed between or before name parts ("ชื่อ นายสมชาย ชื่อสกุล ใจดี"): cut before names are read. */
export const NAME_LABELS = ['ชื่อตัวและชื่อสกุล', 'ชื่อสกุล', 'นามสกุล', 'ชื่อตัว'];

/**
 * Words a few characters before a name or ID on the same line that say whose it is; `acrossLines` ones are
 * headings the name follows on the next line (มรณบัตร: "ผู้ตาย" above "ชื่อ นาย…"). The closest word wins, and
 * of two ending at the same place the longer ("มารดาของผู้ตาย" is the deceased's mother, not the deceased).
 */
export const ROLE_WORDS: Array<{ role: PersonRole; words: string[]; acrossLines?: boolean }> = [
  { role: 'holder', words: ['ชื่อตัวและชื่อสกุล', 'Identification Number'] },
  { role: 'informant', words: ['ผู้แจ้ง'] },
  { role: 'father', words: ['บิดา', 'Father', 'บิดาของผู้ตาย'] },
  { role: 'mother', words: ['มารดา', 'Mother', 'มารดาของผู้ตาย'] },
  { role: 'deceased', words: ['ผู้ตาย'], acrossLines: true },
];

export const THRESHOLDS = {
  /** Below this confidence a page is 'unknown' (never guessed silently). */
  classify: 0.5,
  /** A score this high (a title and a field or two) is full strength. */
  strongScore: 7,
  /** Letters and digits on a page below which it is blank… */
  blankChars: 12,
  /** …unless this share of it is ink (blank scans measured under 0.001, a blurred photo of a card 0.007). */
  blankInk: 0.002,
  /** Letters and digits below which a page with ink is unreadable. */
  unreadableChars: 60,
  /** Mean OCR word confidence below which a page is unreadable. */
  unreadableConfidence: 62,
  /** Scans under this resolution are flagged (staff may ask for a better scan). */
  lowDpi: 150,
};
