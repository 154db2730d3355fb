import { describe, expect, it } from 'vitest';
import { SEIS_CERTIFICATION_CHECKLIST as CHECKLIST } from '../../../config/default-campaigns.ts';
import { summarisePerson } from '../../../dashboard/person-summary.ts';
import { searchPersons, suggestOwners } from '../../../dashboard/search.ts';
import { parseDeadline } from '../../../pipelines/dates.ts';
import type { ParsedMessage } from '../../../pipelines/types.ts';
import { PRASERT, ROSTER, SOMCHAI, SOMSRI } from '../../helpers/people.ts';

const campaign = { id: 'seis-certification', deadline: parseDeadline('2566-09-22')!, checklist: CHECKLIST };
const NOW = new Date('2023-09-20T00:00:00Z');
const entries = ROSTER.map((p) => summarisePerson(campaign, p, undefined, { inRoster: true, now: NOW }));
const byId = new Map(entries.map((e) => [e.nationalId, e]));
const ids = (list: Array<{ nationalId: string }>) => list.map((p) => p.nationalId);

const toThaiDigits = (s: string) => s.replace(/\d/g, (d) => '๐๑๒๓๔๕๖๗๘๙'[Number(d)]);

describe('search by national ID', () => {
  it('finds a person however the ID is written', () => {
    const id = SOMCHAI.nationalId;
    const dashed = `${id[0]}-${id.slice(1, 5)}-${id.slice(5, 10)}-${id.slice(10, 12)}-${id[12]}`;
    for (const q of [id, dashed, id.replace(/(\d{4})/g, '$1 '), toThaiDigits(id)]) expect(ids(searchPersons(entries, q))).toEqual([id]);
  });

  it('matches part of an ID from four digits on', () => {
    expect(ids(searchPersons(entries, SOMSRI.nationalId.slice(0, 6)))).toEqual([SOMSRI.nationalId]);
    expect(searchPersons(entries, '123')).toEqual([]);
  });
});

describe('search by name', () => {
  it('finds Thai names with or without the title prefix', () => {
    expect(ids(searchPersons(entries, 'นางสาวสมศรี รักงานสมมุติ'))).toEqual([SOMSRI.nationalId]);
    expect(ids(searchPersons(entries, 'สมศรี รักงานสมมุติ'))).toEqual([SOMSRI.nationalId]);
    expect(ids(searchPersons(entries, 'ว่าที่ร้อยตรีประเสริฐ'))).toEqual([PRASERT.nationalId]);
    expect(ids(searchPersons(entries, 'ทองคำตัวอย่าง'))).toEqual([PRASERT.nationalId]);
  });

  it('matches part of a first name across people', () => {
    expect(ids(searchPersons(entries, 'สม')).sort()).toEqual([SOMCHAI.nationalId, SOMSRI.nationalId].sort());
    expect(searchPersons(entries, 'ไม่มีคนนี้')).toEqual([]);
  });
});

describe('owner suggestions for unmatched mail', () => {
  const msg = (subject: string, text: string, from?: string): Pick<ParsedMessage, 'subject' | 'text' | 'files' | 'from'> => ({
    subject,
    text,
    files: [],
    ...(from ? { from: { name: '', address: from } } : {}),
  });

  it('suggests people named or numbered in the message, and the sender by address', () => {
    expect(ids(suggestOwners(byId, msg('ส่งเอกสาร', `ของ นายสมชาย ใจดีทดสอบ`), undefined))).toEqual([SOMCHAI.nationalId]);
    expect(ids(suggestOwners(byId, msg(`เลขบัตร ${toThaiDigits(SOMSRI.nationalId)}`, ''), undefined))).toEqual([SOMSRI.nationalId]);
    expect(ids(suggestOwners(byId, msg('ส่งเอกสาร', 'ตามแนบ', PRASERT.email), undefined))).toEqual([PRASERT.nationalId]);
    expect(suggestOwners(byId, msg('ส่งเอกสารครับ', 'ตามที่แจ้ง', 'stranger@example.test'), undefined)).toEqual([]);
  });
});
