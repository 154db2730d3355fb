// The circular's default campaign. Checklist ids are a stable contract (reports, manifests, replies).
// Keywords are classification hints, lower-case NFC; pipelines/classify.ts decides how they combine.
import type { ChecklistItem } from '../pipelines/types.ts';

export const SEIS_CERTIFICATION_CHECKLIST: ChecklistItem[] = [
  { id: 'id-card', label: 'สำเนาบัตรประจำตัวประชาชน', required: true, keywords: [] },
  { id: 'house-registration', label: 'สำเนาทะเบียนบ้าน', required: true, keywords: [] },
  {
    id: 'father-id', label: 'สำเนาบัตรประจำตัวประชาชน บิดา', required: true,
    replacedBy: ['father-death-certificate'], keywords: [],
  },
  { id: 'father-death-certificate', label: 'สำเนาใบมรณบัตร บิดา', required: false, replaces: 'father-id', keywords: [] },
  {
    id: 'mother-id', label: 'สำเนาบัตรประจำตัวประชาชน มารดา', required: true,
    replacedBy: ['mother-death-certificate'], keywords: [],
  },
  { id: 'mother-death-certificate', label: 'สำเนาใบมรณบัตร มารดา', required: false, replaces: 'mother-id', keywords: [] },
  { id: 'spouse-id', label: 'สำเนาบัตรประจำตัวประชาชน คู่สมรส', required: false, keywords: [] },
  { id: 'child-id', label: 'สำเนาบัตรประจำตัวประชาชน บุตร', required: false, multiple: true, keywords: [] },
  {
    id: 'appointment-education', label: 'วุฒิการศึกษาที่ใช้บรรจุ (ปริญญาบัตรและทรานสคริปต์)', required: true,
    parts: ['degree', 'transcript'], keywords: [],
  },
  {
    id: 'highest-education', label: 'วุฒิการศึกษาสูงสุด (ปริญญาบัตรและทรานสคริปต์)', required: true,
    parts: ['degree', 'transcript'], keywords: [],
  },
  { id: 'professional-license', label: 'สำเนาใบอนุญาตประกอบวิชาชีพ', required: false, keywords: [] },
];

export const DEFAULT_CAMPAIGNS = [
  {
    id: 'seis-certification',
    title: 'การรับรองข้อมูลทะเบียนประวัติข้าราชการ (SEIS)',
    deadline: '2566-09-22',
    latePolicy: 'accept' as const,
    scope: 'person' as const,
    checklist: SEIS_CERTIFICATION_CHECKLIST,
  },
];
