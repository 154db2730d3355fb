import { describe, expect, it } from 'vitest';
import { SEIS_CERTIFICATION_CHECKLIST as CHECKLIST } from '../../../config/default-campaigns.ts';
import { judgeChecklist } from '../../../pipelines/person/checklist.ts';
import type { ManifestDocument } from '../../../pipelines/types.ts';

let n = 0;
function doc(item: string, extra: Partial<ManifestDocument> = {}): ManifestDocument {
  n++;
  return {
    item,
    path: `${item}-${n}.pdf`,
    originalName: `${item}.pdf`,
    sha256: String(n).padStart(64, '0'),
    size: 100,
    pages: 1,
    receivedAt: '2023-09-10T00:00:00Z',
    messageId: 'm@x',
    messageKey: 'k',
    late: false,
    current: true,
    ...extra,
  };
}

const education = (item: string) => [doc(item, { part: 'degree' }), doc(item, { part: 'transcript' })];
const allRequired =
  () => [doc('id-card'), doc('house-registration'), doc('father-id'), doc('mother-id'), ...education('appointment-education'),
    doc('highest-education', { part: 'both' })];

describe('checklist judgement', () => {
  it('calls a person with nothing filed not-submitted, with every required item missing', () => {
    const j = judgeChecklist([], CHECKLIST);
    expect(j.status).toBe('not-submitted');
    expect(j.missing).toEqual(['id-card', 'house-registration', 'father-id', 'mother-id', 'appointment-education', 'highest-education']);
  });

  it('is complete with every required item, optional ones not needed', () => {
    const j = judgeChecklist(allRequired(), CHECKLIST);
    expect(j.status).toBe('complete');
    expect(j.missing).toEqual([]);
  });

  it('counts a parent\'s death certificate instead of that parent\'s ID card', () => {
    const docs = allRequired().filter((d) => d.item !== 'father-id').concat(doc('father-death-certificate'));
    const j = judgeChecklist(docs, CHECKLIST);
    expect(j.status).toBe('complete');
    expect(j.satisfied).toContain('father-id');
  });

  it('needs both the degree certificate and the transcript of a qualification', () => {
    const docs = allRequired().filter((d) => !(d.item === 'appointment-education' && d.part === 'transcript'));
    const j = judgeChecklist(docs, CHECKLIST);
    expect(j.status).toBe('incomplete');
    expect(j.missing).toEqual(['appointment-education']);
    expect(j.missingParts).toEqual({ 'appointment-education': 'transcript' });
  });

  it('stops counting superseded and returned documents', () => {
    const docs = allRequired().map((d) => (d.item === 'id-card' ? { ...d, review: { state: 'returned' as const, reason: 'ไม่ได้รับรองสำเนา' } } : d));
    docs.push(doc('house-registration', { current: false }));
    const j = judgeChecklist(docs.filter((d) => d.item !== 'house-registration' || !d.current), CHECKLIST);
    expect(j.missing).toEqual(['id-card', 'house-registration']);
    expect(j.status).toBe('incomplete');
  });

  it('is late when a counted document arrived after the deadline', () => {
    expect(judgeChecklist([...allRequired(), doc('spouse-id', { late: true })], CHECKLIST).late).toBe(true);
    expect(judgeChecklist(allRequired(), CHECKLIST).late).toBe(false);
  });
});
