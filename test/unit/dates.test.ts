import { describe, expect, it } from 'vitest';
import { daysUntil, formatThaiDate, formatThaiDateTime, parseDeadline } from '../../pipelines/dates.ts';

describe('deadline parsing', () => {
  it('reads a Buddhist-Era bare date as the end of that day in Bangkok', () => {
    expect(parseDeadline('2566-09-22')?.toISOString()).toBe('2023-09-22T16:59:59.999Z');
  });
  it('reads the same day written in the Common Era and as dd/mm/yyyy', () => {
    expect(parseDeadline('2023-09-22')?.toISOString()).toBe('2023-09-22T16:59:59.999Z');
    expect(parseDeadline('22/09/2566')?.toISOString()).toBe('2023-09-22T16:59:59.999Z');
  });
  it('takes a time without offset as Bangkok time, and honours an explicit offset', () => {
    expect(parseDeadline('2566-09-15T16:30')?.toISOString()).toBe('2023-09-15T09:30:00.000Z');
    expect(parseDeadline('2023-09-15T16:30:00Z')?.toISOString()).toBe('2023-09-15T16:30:00.000Z');
  });
  it('refuses text that is not a date and impossible days', () => {
    expect(parseDeadline('next friday')).toBeUndefined();
    expect(parseDeadline('2566-02-30')).toBeUndefined();
    expect(parseDeadline('2566-13-01')).toBeUndefined();
  });
});

describe('Thai date formatting', () => {
  it('shows Buddhist-Era dates in Bangkok time', () => {
    const deadline = parseDeadline('2566-09-22')!;
    expect(formatThaiDate(deadline)).toBe('22 กันยายน 2566');
    expect(formatThaiDateTime(deadline)).toBe('22 กันยายน 2566 เวลา 23:59 น.');
    expect(formatThaiDate(new Date('2023-09-21T17:30:00Z'), { short: true })).toBe('22 ก.ย. 2566');
  });
  it('counts calendar days left in Bangkok', () => {
    const deadline = parseDeadline('2566-09-22')!;
    expect(daysUntil(deadline, new Date('2023-09-20T18:00:00Z'))).toBe(1);
    expect(daysUntil(deadline, new Date('2023-09-22T10:00:00Z'))).toBe(0);
    expect(daysUntil(deadline, new Date('2023-09-25T00:00:00Z'))).toBe(-3);
  });
});
