// The fictional people on the scan fixtures: the roster's officers (test/helpers/people.ts) and their parents.
// Every ID is made by withCheckDigit from invented digits; none is a real person's.
import { withCheckDigit } from '../../../pipelines/identity/index.ts';
import type { Person } from '../../../pipelines/types.ts';
import { PRASERT, SOMCHAI, SOMSRI, WANDEE } from '../people.ts';

export interface CardHolder extends Person {
  /** Romanised, as the English side of an ID card prints it. */
  english: { prefix: string; first: string; last: string };
  birthTh: string;
  birthEn: string;
  address: string;
  religion: string;
}

const ADDRESS_CM = '99/1 หมู่ที่ 3 ต.สุเทพ อ.เมืองเชียงใหม่ จ.เชียงใหม่';

export const OFFICER_SOMCHAI: CardHolder = {
  ...SOMCHAI,
  english: { prefix: 'Mr.', first: 'Somchai', last: 'Jaideethodsob' },
  birthTh: '12 ม.ค. 2528',
  birthEn: '12 Jan. 1985',
  address: ADDRESS_CM,
  religion: 'พุทธ',
};
export const OFFICER_SOMSRI: CardHolder = {
  ...SOMSRI,
  english: { prefix: 'Miss', first: 'Somsri', last: 'Rakngansommut' },
  birthTh: '3 ก.พ. 2533',
  birthEn: '3 Feb. 1990',
  address: '12 ถ.ช้างคลาน ต.ช้างคลาน อ.เมืองเชียงใหม่ จ.เชียงใหม่',
  religion: 'พุทธ',
};
export const OFFICER_WANDEE: CardHolder = {
  ...WANDEE,
  english: { prefix: 'Mrs.', first: 'Wandee', last: 'Meesukjamlong' },
  birthTh: '21 ส.ค. 2521',
  birthEn: '21 Aug. 1978',
  address: '45 หมู่ที่ 7 ต.ในเมือง อ.เมืองขอนแก่น จ.ขอนแก่น',
  religion: 'พุทธ',
};
export const OFFICER_PRASERT: CardHolder = {
  ...PRASERT,
  english: { prefix: 'Acting Sub Lt.', first: 'Prasert', last: 'Thongkhamtuayang' },
  birthTh: '9 ธ.ค. 2530',
  birthEn: '9 Dec. 1987',
  address: '7 ถ.ราษฎร์อุทิศ ต.หาดใหญ่ อ.หาดใหญ่ จ.สงขลา',
  religion: 'อิสลาม',
};

/** Somchai's father (deceased: his death certificate is a fixture) and mother (her card is a fixture). */
export const FATHER_BOONMEE: CardHolder = {
  nationalId: withCheckDigit('350010023456'),
  prefix: 'นาย',
  firstName: 'บุญมี',
  lastName: 'ใจดีทดสอบ',
  english: { prefix: 'Mr.', first: 'Boonmee', last: 'Jaideethodsob' },
  birthTh: '5 มิ.ย. 2482',
  birthEn: '5 Jun. 1939',
  address: ADDRESS_CM,
  religion: 'พุทธ',
};
export const MOTHER_BOONMA: CardHolder = {
  nationalId: withCheckDigit('350010034567'),
  prefix: 'นาง',
  firstName: 'บุญมา',
  lastName: 'ใจดีทดสอบ',
  english: { prefix: 'Mrs.', first: 'Boonma', last: 'Jaideethodsob' },
  birthTh: '17 ต.ค. 2487',
  birthEn: '17 Oct. 1944',
  address: ADDRESS_CM,
  religion: 'พุทธ',
};

export const CAST = { OFFICER_SOMCHAI, OFFICER_SOMSRI, OFFICER_WANDEE, OFFICER_PRASERT, FATHER_BOONMEE, MOTHER_BOONMA };

export function thaiName(p: Person, space = ''): string {
  return `${p.prefix ?? ''}${space}${p.firstName} ${p.lastName}`;
}

/** "1 1017 00123 45 4": the grouping printed on cards. */
export function cardGrouping(id: string): string {
  return `${id[0]} ${id.slice(1, 5)} ${id.slice(5, 10)} ${id.slice(10, 12)} ${id[12]}`;
}

const THAI_DIGITS = '๐๑๒๓๔๕๖๗๘๙';
export function thaiDigits(s: string): string {
  return s.replace(/\d/g, (d) => THAI_DIGITS[Number(d)]);
}

/** Wandee's parents, named in her house registration (her maiden name). */
export const FATHER_SOMPONG: Person = {
  nationalId: withCheckDigit('340050045678'),
  prefix: 'นาย',
  firstName: 'สมปอง',
  lastName: 'แสงทองสมมุติ',
};
export const MOTHER_SAIJAI: Person = {
  nationalId: withCheckDigit('340050056789'),
  prefix: 'นาง',
  firstName: 'สายใจ',
  lastName: 'แสงทองสมมุติ',
};
