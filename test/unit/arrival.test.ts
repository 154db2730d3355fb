import { describe, expect, it } from 'vitest';
import { judgeArrival } from '../../pipelines/arrival.ts';
import { parseDeadline } from '../../pipelines/dates.ts';

// 2566-09-22 end of day, Bangkok.
const deadline = parseDeadline('2566-09-22')!;
const campaign = { deadline };
const now = new Date('2023-10-01T03:00:00Z');
const at = (iso: string) => new Date(iso);

describe('judgeArrival', () => {
  it('reads the BE deadline as the last millisecond of 22 September 2023 in Bangkok', () => {
    expect(deadline.toISOString()).toBe('2023-09-22T16:59:59.999Z');
  });

  it('prefers IMAP INTERNALDATE over every header', () => {
    const arrival = judgeArrival({
      internalDate: at('2023-09-20T02:00:00Z'),
      receivedHeaderAt: at('2023-09-23T02:00:00Z'),
      date: at('2023-09-24T02:00:00Z'),
      fileMtime: at('2023-09-25T02:00:00Z'),
      now,
    }, campaign);
    expect(arrival).toEqual({ receivedAt: at('2023-09-20T02:00:00Z'), source: 'imap-internaldate', late: false });
  });

  it('uses the topmost Received: header for an .eml file, not the sender-set Date:', () => {
    const arrival = judgeArrival({ receivedHeaderAt: at('2023-09-23T01:00:00Z'), date: at('2023-09-22T10:00:00Z'), now }, campaign);
    expect(arrival).toMatchObject({ source: 'received-header', late: true });
  });

  it('falls back to Date:, then the file mtime, then the clock', () => {
    expect(judgeArrival({ date: at('2023-09-21T00:00:00Z'), fileMtime: at('2023-09-30T00:00:00Z'), now }, campaign))
      .toMatchObject({ source: 'date-header', late: false });
    expect(judgeArrival({ fileMtime: at('2023-09-30T00:00:00Z'), now }, campaign))
      .toMatchObject({ source: 'file-mtime', late: true });
    expect(judgeArrival({ now }, campaign)).toEqual({ receivedAt: now, source: 'clock', late: true });
  });

  it('is on time at the last millisecond of the deadline and late one millisecond after', () => {
    expect(judgeArrival({ internalDate: at('2023-09-22T16:59:59.999Z'), now }, campaign).late).toBe(false);
    expect(judgeArrival({ internalDate: at('2023-09-22T17:00:00.000Z'), now }, campaign).late).toBe(true);
  });

  it('counts 23:30 Bangkok time on the deadline day as on time even though it is the 22nd in UTC', () => {
    const arrival = judgeArrival({ receivedHeaderAt: at('2023-09-22T23:30:00+07:00'), now }, campaign);
    expect(arrival.late).toBe(false);
  });

  it('ignores a Date: more than a day in the future and uses the next source', () => {
    const arrival = judgeArrival({ date: at('2024-01-01T00:00:00Z'), fileMtime: at('2023-09-21T00:00:00Z'), now }, campaign);
    expect(arrival).toMatchObject({ source: 'file-mtime', late: false });
  });

  it('tolerates a Date: a few hours ahead (a sender clock that runs fast)', () => {
    const arrival = judgeArrival({ date: at('2023-10-01T10:00:00Z'), now }, campaign);
    expect(arrival).toMatchObject({ source: 'date-header', receivedAt: at('2023-10-01T10:00:00Z') });
  });

  it('ignores stamps before 2000 (a scanner PC with a dead clock battery) and invalid dates', () => {
    const arrival = judgeArrival({
      receivedHeaderAt: new Date('garbage'),
      date: at('1970-01-01T00:00:00Z'),
      fileMtime: at('2023-09-21T00:00:00Z'),
      now,
    }, campaign);
    expect(arrival).toMatchObject({ source: 'file-mtime', late: false });
  });

  it('does not trust an INTERNALDATE from the future either', () => {
    const arrival = judgeArrival({ internalDate: at('2030-01-01T00:00:00Z'), receivedHeaderAt: at('2023-09-21T00:00:00Z'), now }, campaign);
    expect(arrival.source).toBe('received-header');
  });
});
