// Fictional civil servants for fixtures. IDs are made here with a valid check digit; none is a real person's.
import { withCheckDigit } from '../../pipelines/identity/national-id.ts';
import type { Person } from '../../pipelines/types.ts';

export const SOMCHAI: Person = {
  nationalId: withCheckDigit('110170012345'),
  prefix: 'นาย',
  firstName: 'สมชาย',
  lastName: 'ใจดีทดสอบ',
  unit: 'สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่',
  email: 'somchai.test@example.test',
};
export const SOMSRI: Person = {
  nationalId: withCheckDigit('310150098765'),
  prefix: 'นางสาว',
  firstName: 'สมศรี',
  lastName: 'รักงานสมมุติ',
  unit: 'สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่',
  email: 'somsri.test@example.test',
};
export const WANDEE: Person = {
  nationalId: withCheckDigit('570020011122'),
  prefix: 'นาง',
  firstName: 'วันดี',
  lastName: 'มีสุขจำลอง',
  unit: 'สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น',
  email: 'wandee.test@example.test',
};
export const PRASERT: Person = {
  nationalId: withCheckDigit('840030044455'),
  prefix: 'ว่าที่ร้อยตรี',
  firstName: 'ประเสริฐ',
  lastName: 'ทองคำตัวอย่าง',
  unit: 'สำนักงานพัฒนาชุมชนจังหวัดสงขลา',
  email: 'prasert.test@example.test',
};

export const ROSTER: Person[] = [SOMCHAI, SOMSRI, WANDEE, PRASERT];

export function fullName(p: Person): string {
  return `${p.prefix ?? ''}${p.firstName} ${p.lastName}`;
}

/** A wrong check digit on a real-looking ID: a typo officers make. */
export function mistyped(id: string): string {
  const last = (Number(id[12]) + 1) % 10;
  return id.slice(0, 12) + String(last);
}
