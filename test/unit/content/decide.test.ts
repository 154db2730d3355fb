import { describe, expect, it } from 'vitest';
import { SEIS_CERTIFICATION_CHECKLIST as checklist } from '../../../config/default-campaigns.ts';
import { assignEducation, decideFile, identifyByContent, parentsFrom, whoseCard, whoseDeathCertificate, type ContentReading, type DocumentSegment,
  type Parents } from '../../../pipelines/content/index.ts';
import { buildRoster, withCheckDigit } from '../../../pipelines/identity/index.ts';
import { SOMCHAI, WANDEE } from '../../helpers/people.ts';

const FATHER = { nationalId: withCheckDigit('350010023456'), prefix: 'นาย', firstName: 'บุญมี', lastName: 'ใจดีทดสอบ' };
const MOTHER = { nationalId: withCheckDigit('350010034567'), prefix: 'นาง', firstName: 'บุญมา', lastName: 'ใจดีทดสอบ' };
const NO_PARENTS: Parents = { father: [], mother: [], fatherIds: [], motherIds: [] };

function segment(kind: DocumentSegment['kind'], more: Partial<DocumentSegment> = {}): DocumentSegment {
  return { kind, firstPage: 1, lastPage: 1, pages: [1], confidence: 0.9, items: [], ids: [], names: [], flags: [], ...more };
}
function reading(...segments: DocumentSegment[]): ContentReading {
  const pages = segments.flatMap((s) =>
    s.pages.map((page) => ({
      page,
      kind: s.kind,
      confidence: s.confidence,
      evidence: ['word'],
      items: [],
      ids: s.ids,
      names: s.names,
      flags: s.flags,
      certified: true,
      ...(s.level ? { level: s.level } : {}),
    }))
  );
  return { pages, segments, blankPages: [] };
}
const card = (p: typeof FATHER, page = 1) =>
  segment('id-card', {
    pages: [page],
    firstPage: page,
    lastPage: page,
    ids: [{ id: p.nationalId, role: 'holder' }],
    names: [{ prefix: p.prefix, firstName: p.firstName, lastName: p.lastName, role: 'holder' }],
  });

describe('whose an ID card is', () => {
  it('is the person\'s own only when the number is theirs', () => {
    expect(whoseCard(card({ ...SOMCHAI, prefix: 'นาย' }), SOMCHAI, NO_PARENTS).item).toBe('id-card');
    const other = whoseCard(card(FATHER), SOMCHAI, NO_PARENTS);
    expect(other.item).toBeUndefined();
    expect(other.confident).toBe(false);
  });

  it('takes a relative item from the file name, or the parents from the house registration by ID or closest name', () => {
    expect(whoseCard(card(MOTHER), SOMCHAI, NO_PARENTS, 'spouse-id').item).toBe('spouse-id');
    const parents = { father: [FATHER], mother: [MOTHER], fatherIds: [], motherIds: [] };
    // บุญมี and บุญมา differ by one vowel that OCR also drops: the closer name wins.
    expect(whoseCard(card(MOTHER), SOMCHAI, parents).item).toBe('mother-id');
    expect(whoseCard(card(FATHER), SOMCHAI, parents).item).toBe('father-id');
    expect(whoseCard(card(MOTHER), SOMCHAI, { ...NO_PARENTS, motherIds: [MOTHER.nationalId] }).item).toBe('mother-id');
  });

  it('reads the parents from a house-registration page that names the person', () => {
    const house = segment('house-registration', {
      ids: [{ id: SOMCHAI.nationalId }, { id: MOTHER.nationalId, role: 'mother' }],
      names: [{ firstName: SOMCHAI.firstName, lastName: SOMCHAI.lastName }, { ...MOTHER, role: 'mother' }, { ...FATHER, role: 'father' }],
    });
    const parents = parentsFrom([house], SOMCHAI);
    expect(parents.motherIds).toEqual([MOTHER.nationalId]);
    expect(parents.father.map((f) => f.firstName)).toEqual(['บุญมี']);
    expect(parentsFrom([house], WANDEE).father).toEqual([]);
  });

  it('tells a father\'s death certificate from a mother\'s by the house registration, else by the title', () => {
    const cert = segment('death-certificate', { names: [{ ...MOTHER, role: 'deceased' }] });
    expect(whoseDeathCertificate(cert, NO_PARENTS).item).toBe('mother-death-certificate');
    expect(whoseDeathCertificate(segment('death-certificate', { names: [{ ...FATHER, role: 'deceased' }] }), NO_PARENTS).item)
      .toBe('father-death-certificate');
    expect(whoseDeathCertificate(segment('death-certificate'), NO_PARENTS).confident).toBe(false);
  });
});

describe('deciding a file from its name and its pages', () => {
  const ctx = { person: SOMCHAI, checklist, parents: NO_PARENTS };

  it('takes the pages when the name says nothing, both when they agree, the pages with a note when they disagree', () => {
    const house = reading(segment('house-registration'));
    const notes: string[] = [];
    expect(decideFile({ originalName: 'scan.pdf', classification: { items: [] }, reading: house }, ctx, notes).parts[0])
      .toMatchObject({ source: 'content', classification: { items: ['house-registration'] } });
    expect(decideFile({ originalName: 'ทะเบียนบ้าน.pdf', classification: { items: ['house-registration'] }, reading: house }, ctx, notes)
      .parts[0].source).toBe('both');
    expect(notes).toEqual([]);
    const wrong = decideFile({ originalName: 'id.pdf', classification: { items: ['id-card'] }, reading: house }, ctx, notes);
    expect(wrong.parts[0]).toMatchObject({ source: 'content', classification: { items: ['house-registration'] } });
    expect(notes[0]).toMatch(/^ไฟล์ id\.pdf เป็นสำเนาทะเบียนบ้าน/);
  });

  it('refuses a stranger\'s card named as the person\'s own, and keeps the name when the pages say nothing', () => {
    const notes: string[] = [];
    const d = decideFile({ originalName: 'บัตร.pdf', classification: { items: ['id-card'] }, reading: reading(card(FATHER)) }, ctx, notes);
    expect(d.parts[0].classification.items).toEqual([]);
    expect(notes[0]).toContain('ของผู้อื่น');
    const unknown = decideFile({ originalName: 'บัตร.pdf', classification: { items: ['id-card'] }, reading: reading(segment('unknown')) }, ctx, []);
    expect(unknown.parts[0]).toMatchObject({ source: 'name', classification: { items: ['id-card'] } });
  });

  it('cuts a combined file into its documents by page range', () => {
    const own = card({ ...SOMCHAI, prefix: 'นาย' });
    const house = segment('house-registration', { pages: [2, 3], firstPage: 2, lastPage: 3 });
    const d = decideFile({ originalName: 'all.pdf', classification: { items: [] }, reading: reading(own, house) }, ctx, []);
    expect(d.split).toBe(true);
    expect(d.parts.map((p) => [p.pages, p.classification.items])).toEqual([[[1], ['id-card']], [[2, 3], ['house-registration']]]);
  });

  it('makes the lower degree the appointment qualification and the higher the highest, one level counting for both', () => {
    const parts = [
      { pages: [1], classification: { items: ['appointment-education', 'highest-education'], part: 'degree' as const, assumed: true },
        source: 'content' as const, evidence: [], flags: [], kind: 'degree' as const, level: 'master' as const },
      { pages: [2], classification: { items: ['appointment-education', 'highest-education'], part: 'degree' as const, assumed: true },
        source: 'content' as const, evidence: [], flags: [], kind: 'degree' as const, level: 'bachelor' as const },
    ];
    assignEducation(parts, []);
    expect(parts.map((p) => p.classification.items)).toEqual([['highest-education'], ['appointment-education']]);
    const alone = [{ ...parts[0], classification: { items: ['appointment-education', 'highest-education'], assumed: true } }];
    assignEducation(alone, []);
    expect(alone[0].classification.items).toEqual(['appointment-education', 'highest-education']);
    assignEducation(alone, ['doctor']);
    expect(alone[0].classification.items).toEqual(['appointment-education']);
  });
});

describe('naming the person from the scans', () => {
  it('takes the one card in the roster, a lone card outside it, and nobody when cards disagree', () => {
    const roster = buildRoster([SOMCHAI]);
    const own = reading(card({ ...SOMCHAI, prefix: 'นาย' }));
    expect(identifyByContent([own, reading(card(FATHER))], roster, new Set())?.person.nationalId).toBe(SOMCHAI.nationalId);
    expect(identifyByContent([reading(card(FATHER))], undefined, new Set())).toMatchObject({ inRoster: false, person: { firstName: 'บุญมี' } });
    expect(identifyByContent([reading(card(FATHER)), reading(card(MOTHER))], undefined, new Set())).toBeUndefined();
    expect(identifyByContent([reading(card(FATHER))], undefined, new Set([0]))).toBeUndefined();
  });
});
