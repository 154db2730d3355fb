// The circular's default campaign. Checklist ids are a stable contract (reports, manifests, replies).
// Keywords are classification hints, lower-case NFC; pipelines/documents/classify.ts decides how they combine
// ("a|b + c" = one of a, b and also c; "@id-card" = the id-card item's single words).
import type { ChecklistItem } from './campaign-types.ts';

export const SEIS_CERTIFICATION_CHECKLIST: ChecklistItem[] = [
  {
    id: 'id-card',
    label: 'สำเนาบัตรประจำตัวประชาชน',
    required: true,
    keywords: [
      'บัตรประชาชน',
      'บัตรประจำตัวประชาชน',
      'บัตรประจำตัว',
      'บัตร',
      'บปช',
      'ปชช',
      'บัตรปชช',
      'บัตรประชาขน',
      'บัตรประชน',
      'บัดประชาชน',
      'บัตรประชาชาชน',
      'บัตรประชาชณ',
      'บัตรประขาชน',
      'บัตรประชาชม',
      'id card',
      'idcard',
      'id',
      'citizen id',
      'national id',
      'thai id',
      'identification card',
    ],
  },
  {
    id: 'house-registration',
    label: 'สำเนาทะเบียนบ้าน',
    required: true,
    keywords: [
      'ทะเบียนบ้าน',
      'ทะเบียนบาน',
      'ทะเบียลบ้าน',
      'ทะเบียนบ้านฉบับเจ้าบ้าน',
      'ทร.14',
      'ท.ร.14',
      'house registration',
      'household registration',
      'house reg',
      'tabien baan',
    ],
  },
  {
    id: 'father-id',
    label: 'สำเนาบัตรประจำตัวประชาชน บิดา',
    required: true,
    replacedBy: ['father-death-certificate'],
    keywords: ['บิดา', 'พ่อ', 'father', 'dad', '@id-card + @father-id'],
  },
  {
    id: 'father-death-certificate',
    label: 'สำเนาใบมรณบัตร บิดา',
    required: false,
    replaces: 'father-id',
    keywords: ['มรณบัตร|ใบมรณบัตร|มรณะบัตร|ใบมรณะบัตร|ใบมรณะ|มรณะ|ใบมรณ|ใบตาย|death certificate|death + @father-id'],
  },
  {
    id: 'mother-id',
    label: 'สำเนาบัตรประจำตัวประชาชน มารดา',
    required: true,
    replacedBy: ['mother-death-certificate'],
    keywords: ['มารดา', 'แม่', 'mother', 'mom', 'mum', '@id-card + @mother-id'],
  },
  {
    id: 'mother-death-certificate',
    label: 'สำเนาใบมรณบัตร มารดา',
    required: false,
    replaces: 'mother-id',
    keywords: ['มรณบัตร|ใบมรณบัตร|มรณะบัตร|ใบมรณะบัตร|ใบมรณะ|มรณะ|ใบมรณ|ใบตาย|death certificate|death + @mother-id'],
  },
  {
    id: 'spouse-id',
    label: 'สำเนาบัตรประจำตัวประชาชน คู่สมรส',
    required: false,
    keywords: ['คู่สมรส', 'คู่สมรท', 'คุ่สมรส', 'สามี', 'ภรรยา', 'ภริยา', 'spouse', 'wife', 'husband', '@id-card + @spouse-id'],
  },
  {
    id: 'child-id',
    label: 'สำเนาบัตรประจำตัวประชาชน บุตร',
    required: false,
    multiple: true,
    keywords: ['บุตร', 'บุตรชาย', 'บุตรสาว', 'ลูก', 'ลูกชาย', 'ลูกสาว', 'child', 'children', 'son', 'daughter', '@id-card + @child-id'],
  },
  {
    id: 'appointment-education',
    label: 'วุฒิการศึกษาที่ใช้บรรจุ (ปริญญาบัตรและทรานสคริปต์)',
    required: true,
    parts: ['degree', 'transcript'],
    // The level only; degree/transcript words are the parts, known to classify.ts.
    keywords: ['บรรจุ', 'ใช้บรรจุ', 'วุฒิบรรจุ', 'แรกบรรจุ', 'บันจุ', 'บรรจ', 'เข้ารับราชการ', 'appointment', 'appoint'],
  },
  {
    id: 'highest-education',
    label: 'วุฒิการศึกษาสูงสุด (ปริญญาบัตรและทรานสคริปต์)',
    required: true,
    parts: ['degree', 'transcript'],
    keywords: ['สูงสุด', 'วุฒิสูงสุด', 'สูงสูด', 'สุงสุด', 'highest'],
  },
  {
    id: 'professional-license',
    label: 'สำเนาใบอนุญาตประกอบวิชาชีพ',
    required: false,
    keywords: [
      'ใบอนุญาตประกอบวิชาชีพ',
      'ใบอนุญาต',
      'ใบอนุญาติ',
      'ใบอณุญาต',
      'ใบประกอบวิชาชีพ',
      'ใบประกอบ',
      'วิชาชีพ',
      'license',
      'licence',
      'professional license',
    ],
  },
];

/** Unit-scope checklists: what a unit's report must contain. The items are judged from the data, not file names. */
export const LOGIN_STATUS_CHECKLIST: ChecklistItem[] = [
  { id: 'login-counts', label: 'จำนวนข้าราชการทั้งหมด จำนวนผู้เข้าใช้งานได้ และจำนวนผู้เข้าใช้งานไม่ได้', required: true, keywords: [] },
  { id: 'cannot-login-list', label: 'รายชื่อผู้ที่ไม่สามารถเข้าใช้งานได้ (ชื่อ-นามสกุล เลขประจำตัวประชาชน อีเมล)', required: true, keywords: [] },
];

export const ADMIN_APPOINTMENT_CHECKLIST: ChecklistItem[] = [
  { id: 'appointment-order', label: 'คำสั่งแต่งตั้งผู้ดูแลระบบ (ไฟล์ PDF)', required: true, keywords: ['คำสั่ง', 'แต่งตั้ง', 'order'] },
  { id: 'dpis-admin', label: 'ผู้ดูแลระบบ DPIS V6 (ชื่อ ตำแหน่ง โทรศัพท์ อีเมล)', required: true, keywords: [] },
  { id: 'seis-admin', label: 'ผู้ดูแลระบบ SEIS (ชื่อ ตำแหน่ง โทรศัพท์ อีเมล)', required: true, keywords: [] },
];

/**
 * The circular's three requests. Who sends what (its note): province offices all three; central units the
 * per-person documents and login-status only; the Community Development Institute all three, and its study
 * and development centres admin-appointment.
 */
export const DEFAULT_CAMPAIGNS = [
  {
    id: 'seis-certification',
    title: 'การรับรองข้อมูลทะเบียนประวัติข้าราชการ (SEIS)',
    deadline: '2566-09-22',
    latePolicy: 'accept' as const,
    scope: 'person' as const,
    checklist: SEIS_CERTIFICATION_CHECKLIST,
    routing: {
      subjectKeywords: ['รับรองข้อมูล', 'รับรองทะเบียนประวัติ', 'ทะเบียนประวัติ', 'certification', 'certify'],
      plusTags: ['cert', 'certification', 'docs'],
    },
    expectedFrom: ['province-office' as const, 'central' as const, 'institute' as const],
  },
  {
    id: 'login-status',
    title: 'รายงานสถานะการเข้าใช้งานระบบ SEIS',
    deadline: '2566-09-22',
    latePolicy: 'accept' as const,
    scope: 'unit' as const,
    folder: 'login-status',
    form: 'login-status' as const,
    checklist: LOGIN_STATUS_CHECKLIST,
    routing: {
      subjectKeywords: [
        'เข้าใช้งาน',
        'ไม่สามารถเข้าใช้',
        'เข้าใช้ไม่ได้',
        'สถานะการเข้าใช้',
        'เข้าระบบไม่ได้',
        'login',
        'log in',
        'sign in',
      ],
      plusTags: ['login', 'login-status'],
    },
    expectedFrom: ['province-office' as const, 'central' as const, 'institute' as const],
  },
  {
    id: 'admin-appointment',
    title: 'การแต่งตั้งผู้ดูแลระบบ DPIS V6 และ SEIS',
    deadline: '2566-09-15',
    latePolicy: 'accept' as const,
    scope: 'unit' as const,
    folder: 'admin-appointment',
    form: 'admin-appointment' as const,
    checklist: ADMIN_APPOINTMENT_CHECKLIST,
    routing: {
      subjectKeywords: ['ผู้ดูแลระบบ', 'แต่งตั้ง', 'คำสั่งแต่งตั้ง', 'admin', 'administrator', 'dpis'],
      plusTags: ['admin', 'admin-appointment'],
    },
    expectedFrom: ['province-office' as const, 'institute' as const, 'centre' as const],
  },
];

/**
 * The circular's reminder schedule: 7, 3 and 1 days before the deadline at 09:00 Bangkok, and one overdue notice the
 * working day after it. Step ids are a contract (records, Message-IDs, `remind --step`).
 */
export const DEFAULT_REMINDER_STEPS = [
  { id: 'd-7', daysBefore: 7, at: '09:00' },
  { id: 'd-3', daysBefore: 3, at: '09:00' },
  { id: 'd-1', daysBefore: 1, at: '09:00' },
  { id: 'overdue', workingDaysAfter: 1, at: '09:00' },
];
