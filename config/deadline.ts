// Deadline parsing for the config (and every stage, through pipelines/dates.ts). Thailand has no daylight
// saving: Asia/Bangkok is always UTC+7, so a fixed offset is exact and needs no ICU time-zone data.

export const BANGKOK_OFFSET_MS = 7 * 60 * 60 * 1000;
export const BE_OFFSET = 543;
/** Years above this are read as Buddhist Era (2400 BE = 1857 CE: no plausible CE date is that late). */
const FIRST_BE_YEAR = 2400;

export function toCeYear(year: number): number {
  return year >= FIRST_BE_YEAR ? year - BE_OFFSET : year;
}

/**
 * Accepts `2566-09-22`, `2023-09-22`, `22/09/2566`, ISO date-times with or without an offset (no offset =
 * Bangkok local time), and Date objects. A bare date means the last millisecond of that day in Bangkok.
 * Returns undefined when the text is not a date.
 */
export function parseDeadline(input: string | Date): Date | undefined {
  if (input instanceof Date) return Number.isNaN(input.getTime()) ? undefined : input;
  const text = input.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text) ?? null;
  let y: number, mo: number, d: number;
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text))) {
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    m = /^(\d{4})(-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
    if (!m) return undefined;
    const iso = `${toCeYear(Number(m[1]))}${m[2].replace(' ', 'T')}${m[3] ?? '+07:00'}`;
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const ce = toCeYear(y);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const endOfDayUtc = Date.UTC(ce, mo - 1, d, 23, 59, 59, 999) - BANGKOK_OFFSET_MS;
  const check = new Date(endOfDayUtc + BANGKOK_OFFSET_MS);
  if (check.getUTCDate() !== d) return undefined; // 31 February and the like
  return new Date(endOfDayUtc);
}
