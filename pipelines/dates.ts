// Deadline parsing and Buddhist-Era formatting. Thailand has no daylight saving: Asia/Bangkok is always UTC+7,
// so a fixed offset is exact and keeps these functions free of ICU time-zone data.

import { BANGKOK_OFFSET_MS, BE_OFFSET, parseDeadline, toCeYear } from '../config/deadline.ts';

export { parseDeadline, toCeYear };

const THAI_MONTHS = [
  'มกราคม',
  'กุมภาพันธ์',
  'มีนาคม',
  'เมษายน',
  'พฤษภาคม',
  'มิถุนายน',
  'กรกฎาคม',
  'สิงหาคม',
  'กันยายน',
  'ตุลาคม',
  'พฤศจิกายน',
  'ธันวาคม',
];
const THAI_MONTHS_SHORT = [
  'ม.ค.',
  'ก.พ.',
  'มี.ค.',
  'เม.ย.',
  'พ.ค.',
  'มิ.ย.',
  'ก.ค.',
  'ส.ค.',
  'ก.ย.',
  'ต.ค.',
  'พ.ย.',
  'ธ.ค.',
];

function bangkokParts(date: Date) {
  const local = new Date(date.getTime() + BANGKOK_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth(),
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

/** "22 กันยายน 2566" */
export function formatThaiDate(date: Date, opts: { short?: boolean } = {}): string {
  const p = bangkokParts(date);
  const months = opts.short ? THAI_MONTHS_SHORT : THAI_MONTHS;
  return `${p.day} ${months[p.month]} ${p.year + BE_OFFSET}`;
}

/** "22 กันยายน 2566 เวลา 23:59 น." */
export function formatThaiDateTime(date: Date, opts: { short?: boolean } = {}): string {
  const p = bangkokParts(date);
  const hh = String(p.hour).padStart(2, '0');
  const mm = String(p.minute).padStart(2, '0');
  return `${formatThaiDate(date, opts)} เวลา ${hh}:${mm} น.`;
}

/** Whole days from `now` until the deadline's Bangkok calendar day (negative once passed). */
export function daysUntil(deadline: Date, now: Date): number {
  const day = (x: Date) => {
    const p = bangkokParts(x);
    return Date.UTC(p.year, p.month, p.day);
  };
  return Math.round((day(deadline) - day(now)) / 86_400_000);
}
