// The words classify.ts knows besides the checklist's own keywords: education parts and levels, documents that
// are on no checklist, and look-alike words that must not count. Kept apart so the matching logic stays readable.
/** Degree-certificate and transcript words (the parts of an education item), with common misspellings. */
export const PART_TERMS: Record<'degree' | 'transcript', string[]> = {
  degree: ['ปริญญาบัตร', 'ใบปริญญาบัตร', 'ใบปริญญา', 'ปริญญา', 'ปริญาบัตร', 'ปริญญบัตร', 'ปริญยาบัตร', 'ปริญบัตร', 'วุฒิบัตร', 'ประกาศนียบัตร', 'ประกาศนียบัติ', 'ประกาศณียบัตร',
    'ใบประกาศนียบัตร', 'ใบประกาศ', 'degree', 'diploma', 'certificate', 'cert'],
  transcript: ['ทรานสคริปต์', 'ทรานสคริปท์', 'ทรานสคริป', 'ทรานสคริบ', 'ทรานสคิป', 'ทรานคริปต์', 'ทรานคริป', 'ทรานสคลิป', 'ทรานสคริปส์', 'ทรานสคริปซ์', 'ใบแสดงผลการเรียน',
    'ใบแสดงผลการศึกษา', 'ใบรายงานผลการศึกษา', 'ใบรายงานผลการเรียน', 'ระเบียนแสดงผลการเรียน', 'ใบระเบียนผลการเรียน', 'ใบรับรองผลการเรียน', 'ใบรับรองผลการศึกษา',
    'ผลการเรียน', 'ผลการศึกษา', 'transcript', 'transcripts', 'tran script', 'transcrip'],
};
/** Education in general, and degree levels (ปริญญาโท is a level, not the certificate): no part named. */
export const EDUCATION_TERMS = ['วุฒิการศึกษา', 'วุฒิ', 'คุณวุฒิ', 'การศึกษา', 'education', 'qualification', 'ปริญญาตรี', 'ปริญญาโท', 'ปริญญาเอก', 'ป.ตรี', 'ป.โท', 'ป.เอก',
  'ปวส', 'ปวช', 'bachelor', 'master', 'phd'];
/** Documents that are not on any checklist: they take their words away from the items (บัตร in บัตรข้าราชการ). */
export const OTHER_DOCUMENTS = ['บัตรข้าราชการ', 'บัตรประจำตัวข้าราชการ', 'บัตรประจำตัวเจ้าหน้าที่ของรัฐ', 'บัตรประจำตัวเจ้าหน้าที่', 'บัตรเจ้าหน้าที่ของรัฐ', 'บัตรเจ้าหน้าที่', 'บัตรขรก',
  'บัตรข้าราชการบำนาญ', 'บัตรทอง', 'บัตรนักศึกษา', 'บัตรสวัสดิการ', 'บัตรเครดิต', 'บัตรatm', 'บัตรผู้พิการ', 'ทะเบียนสมรส', 'ใบทะเบียนสมรส', 'ใบสำคัญการสมรส', 'ทะเบียนหย่า',
  'ใบหย่า', 'ใบเปลี่ยนชื่อ', 'ใบเปลี่ยนนามสกุล', 'ใบเปลี่ยนชื่อสกุล', 'เปลี่ยนชื่อ', 'เปลี่ยนนามสกุล', 'สูติบัตร', 'ใบเกิด', 'birth certificate', 'marriage certificate', 'ใบขับขี่',
  'ใบอนุญาตขับขี่', 'ใบอนุญาตขับรถ', 'driving licence', 'driving license', 'driver license', 'หนังสือเดินทาง', 'passport', 'คำสั่ง', 'ทะเบียนประวัติ', 'ก.พ.7', 'กพ7',
  'สมุดบัญชี', 'bookbank', 'หนังสือนำส่ง', 'บันทึกข้อความ', 'แบบฟอร์ม', 'ใบลา', 'พ่อตา', 'แม่ยาย', 'พ่อสามี', 'แม่สามี', 'บิดาคู่สมรส', 'มารดาคู่สมรส', 'บิดาสามี', 'มารดาสามี',
  'บิดาภรรยา', 'มารดาภรรยา'];
/** Words that only look like keywords (แม่ in แม่ฮ่องสอน, ลูก in ลูกจ้าง) and filler: consumed, then ignored. */
export const NEUTRAL = ['สำเนา', 'รับรองสำเนา', 'สำเนาถูกต้อง', 'copy', 'scan', 'สแกน', 'แม่ฮ่องสอน', 'แม่สาย', 'แม่ริม', 'แม่แตง', 'แม่แจ่ม', 'แม่จัน', 'แม่สอด', 'แม่ทะ',
  'แม่เมาะ', 'แม่ลาว', 'แม่วาง', 'แม่ออน', 'แม่อาย', 'แม่ระมาด', 'แม่พริก', 'แม่ค้า', 'แม่บ้าน', 'พ่อค้า', 'พ่อบ้าน', 'ลูกจ้าง', 'ลูกค้า', 'ลูกเสือ', 'ลูกหนี้', 'ลูกศิษย์', 'บุตรหลาน',
  'บุตรี'];
