import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SEIS_CERTIFICATION_CHECKLIST } from '../../../config/default-campaigns.ts';
import { judgeChecklist } from '../../../pipelines/person/checklist.ts';
import { planFiling, type FilingDocument, type FilingInput } from '../../../pipelines/person/file-plan.ts';
import type { Classification, EducationPart, FileProblemCode, ManifestMessage, PersonManifest } from '../../../pipelines/types.ts';
import { SOMCHAI } from '../../helpers/people.ts';
import { memoryBody } from '../../../pipelines/body.ts';

const NOW = new Date('2023-09-20T03:00:00Z');

function pdf(label: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);
}

function doc(name: string, items: string[], opts: { part?: EducationPart; assumed?: boolean; body?: string } = {}): FilingDocument {
  const content = pdf(opts.body ?? name);
  const classification: Classification = { items, ...(opts.part ? { part: opts.part } : {}), ...(opts.assumed ? { assumed: true } : {}) };
  return {
    originalName: name,
    body: memoryBody(content),
    size: content.length,
    ext: 'pdf',
    sha256: createHash('sha256').update(content).digest('hex'),
    classification,
    validation: { ok: true, pages: 1 },
  };
}

function bad(name: string, code: FileProblemCode, body = name): FilingDocument {
  const content = Buffer.from(body);
  return {
    originalName: name,
    body: memoryBody(content),
    size: content.length,
    ext: 'jpg',
    sha256: createHash('sha256').update(content).digest('hex'),
    classification: { items: [] },
    validation: { ok: false, code, detail: 'test' },
  };
}

let seq = 0;
function input(documents: FilingDocument[], over: Partial<FilingInput> = {}): FilingInput {
  seq++;
  const receivedAt = new Date(NOW.getTime() + seq * 60_000).toISOString();
  const message: ManifestMessage = {
    messageId: `m${seq}@example.test`,
    messageKey: `key${seq}`,
    receivedAt,
    subject: 'ส่งเอกสาร',
    emlPath: `_messages/2023/09/raw${seq}.eml`,
    late: false,
  };
  return { campaignId: 'seis-certification', person: SOMCHAI, inRoster: true, message, late: false, documents, now: NOW,
    checklist: SEIS_CERTIFICATION_CHECKLIST, ...over };
}

/** Plans, then pretends the store applied it: the next call sees the new manifest. */
function file(current: PersonManifest | undefined, docs: FilingDocument[], over: Partial<FilingInput> = {}) {
  return planFiling(current, input(docs, over));
}

const current = (m: PersonManifest, item: string) => m.documents.filter((d) => d.item === item && d.current);

describe('planFiling', () => {
  it('files a valid document under its checklist id, awaiting review, and records the message', () => {
    const plan = file(undefined, [doc('บัตรประชาชน.pdf', ['id-card'])]);
    expect(plan.changed).toBe(true);
    expect(plan.writes.map((w) => w.relPath)).toEqual(['id-card.pdf']);
    expect(plan.manifest.documents[0]).toMatchObject({
      item: 'id-card',
      path: 'id-card.pdf',
      originalName: 'บัตรประชาชน.pdf',
      current: true,
      review: { state: 'awaiting-review' },
    });
    expect(plan.manifest.messages).toHaveLength(1);
    expect(plan.filed).toEqual([{ item: 'id-card', originalName: 'บัตรประชาชน.pdf', pages: 1, path: 'id-card.pdf' }]);
  });

  it('moves the current version aside when a new version of the item arrives', () => {
    const first = file(undefined, [doc('id-v1.pdf', ['id-card'])]).manifest;
    const plan = file(first, [doc('id-v2.pdf', ['id-card'])]);
    expect(plan.moves).toHaveLength(1);
    expect(plan.moves[0].from).toBe('id-card.pdf');
    expect(plan.moves[0].to).toMatch(/^_superseded\/id-card-2566-09-20-\d{6}\.pdf$/);
    expect(plan.writes.map((w) => w.relPath)).toEqual(['id-card.pdf']);
    const docs = plan.manifest.documents;
    expect(docs.map((d) => [d.originalName, d.current, d.path])).toEqual([
      ['id-v1.pdf', false, plan.moves[0].to],
      ['id-v2.pdf', true, 'id-card.pdf'],
    ]);
  });

  it('changes no file when the same bytes are sent again for an item, but records the message', () => {
    const first = file(undefined, [doc('id.pdf', ['id-card'])]).manifest;
    const plan = file(first, [doc('id-again.pdf', ['id-card'], { body: 'id.pdf' })]);
    expect(plan.writes).toEqual([]);
    expect(plan.moves).toEqual([]);
    expect(plan.manifest.documents).toHaveLength(1);
    expect(plan.manifest.messages).toHaveLength(2);
    expect(plan.filed[0].path).toBe('id-card.pdf');
  });

  it('does nothing for a message already in the manifest, and reports what it filed then', () => {
    const inp = input([doc('id.pdf', ['id-card']), bad('scan.jpg', 'image-not-pdf')]);
    const once = planFiling(undefined, inp);
    const twice = planFiling(once.manifest, inp);
    expect(twice.changed).toBe(false);
    expect(twice.writes).toEqual([]);
    expect(twice.moves).toEqual([]);
    expect(twice.manifest).toBe(once.manifest);
    expect(twice.filed.map((f) => f.item)).toEqual(['id-card']);
    expect(twice.problems.map((p) => p.code)).toEqual(['image-not-pdf']);
  });

  it('accumulates children instead of superseding them', () => {
    let m = file(undefined, [doc('ลูกคนแรก.pdf', ['child-id'])]).manifest;
    const plan = file(m, [doc('ลูกคนที่สอง.pdf', ['child-id']), doc('ลูกคนที่สาม.pdf', ['child-id'])]);
    m = plan.manifest;
    expect(plan.moves).toEqual([]);
    expect(current(m, 'child-id').map((d) => d.path)).toEqual(['child-id.pdf', 'child-id-2.pdf', 'child-id-3.pdf']);
  });

  it('supersedes education per part: a degree replaces the degree, a combined file replaces both', () => {
    let m = file(undefined, [
      doc('ปริญญาบัตร.pdf', ['appointment-education'], { part: 'degree' }),
      doc('transcript.pdf', ['appointment-education'], { part: 'transcript' }),
    ]).manifest;
    expect(current(m, 'appointment-education').map((d) => d.path))
      .toEqual(['appointment-education-degree.pdf', 'appointment-education-transcript.pdf']);

    const degree2 = file(m, [doc('ปริญญาบัตร-ใหม่.pdf', ['appointment-education'], { part: 'degree' })]);
    expect(degree2.moves.map((mv) => mv.from)).toEqual(['appointment-education-degree.pdf']);
    m = degree2.manifest;
    expect(current(m, 'appointment-education').map((d) => d.originalName)).toEqual(['transcript.pdf', 'ปริญญาบัตร-ใหม่.pdf']);

    const both = file(m, [doc('วุฒิบรรจุ.pdf', ['appointment-education'], { part: 'both' })]);
    expect(both.moves.map((mv) => mv.from).sort()).toEqual(['appointment-education-degree.pdf', 'appointment-education-transcript.pdf']);
    expect(current(both.manifest, 'appointment-education').map((d) => d.path)).toEqual(['appointment-education.pdf']);
  });

  it('counts an unqualified degree for both education items, each with a real file of its own', () => {
    const plan = file(undefined, [doc('วุฒิการศึกษา.pdf', ['appointment-education', 'highest-education'], { part: 'both', assumed: true })]);
    expect(plan.writes.map((w) => w.relPath)).toEqual(['appointment-education.pdf', 'highest-education.pdf']);
    expect(plan.manifest.documents.every((d) => d.assumed && d.current)).toBe(true);
    expect(plan.filed.map((f) => [f.item, f.path, f.assumed])).toEqual([
      ['appointment-education', 'appointment-education.pdf', true],
      ['highest-education', 'highest-education.pdf', true],
    ]);
    const judged = judgeChecklist(plan.manifest.documents, SEIS_CERTIFICATION_CHECKLIST);
    expect(judged.missing).not.toContain('highest-education');
    expect(judged.missing).not.toContain('appointment-education');
  });

  it('keeps invalid and unclassified files under _problems/, numbering different files of one name', () => {
    const unclassified: FilingDocument = { ...doc('เอกสาร.pdf', []), classification: { items: [] } };
    const plan = file(undefined, [bad('scan.jpg', 'image-not-pdf', 'one'), bad('scan.jpg', 'image-not-pdf', 'two'), unclassified]);
    expect(plan.manifest.documents).toEqual([]);
    expect(plan.problems.map((p) => [p.path, p.code])).toEqual([
      ['_problems/scan.jpg', 'image-not-pdf'],
      ['_problems/scan (2).jpg', 'image-not-pdf'],
      ['_problems/เอกสาร.pdf', 'unclassified'],
    ]);
    expect(plan.writes.map((w) => w.relPath)).toEqual(plan.problems.map((p) => p.path));
    const again = file(plan.manifest, [bad('scan.jpg', 'image-not-pdf', 'one')]);
    expect(again.writes).toEqual([]);
    expect(again.problems).toHaveLength(1);
    expect(again.manifest.problems).toHaveLength(3);
  });

  it('writes an older version straight to _superseded/ when one message carries two versions', () => {
    const plan = file(undefined, [doc('id-a.pdf', ['id-card']), doc('id-b.pdf', ['id-card'])]);
    expect(plan.moves).toEqual([]);
    const paths = plan.writes.map((w) => w.relPath).sort();
    expect(paths[0]).toMatch(/^_superseded\/id-card-/);
    expect(paths[1]).toBe('id-card.pdf');
    expect(plan.filed.map((f) => [f.originalName, f.path])).toEqual([['id-a.pdf', paths[0]], ['id-b.pdf', 'id-card.pdf']]);
    expect(plan.manifest.documents.map((d) => [d.originalName, d.current])).toEqual([['id-a.pdf', false], ['id-b.pdf', true]]);
  });

  it('preserves staff decisions and reviews, and the roster name over a name typed in mail', () => {
    const m = file(undefined, [doc('id.pdf', ['id-card'])]).manifest;
    m.documents[0].review = { state: 'accepted', by: 'staff1', at: NOW.toISOString() };
    m.decisions.push({ at: NOW.toISOString(), by: 'staff1', action: 'accept', detail: { item: 'id-card' } });
    const typed = { ...SOMCHAI, firstName: 'สมชัย', unit: undefined };
    const plan = file(m, [doc('house.pdf', ['house-registration'])], { person: typed, inRoster: false });
    expect(plan.manifest.documents[0].review?.state).toBe('accepted');
    expect(plan.manifest.decisions).toHaveLength(1);
    expect(plan.manifest.person.firstName).toBe('สมชาย');
    expect(plan.manifest.inRoster).toBe(true);
    expect(m.documents).toHaveLength(1); // the input manifest is not mutated
  });

  it('completes a person over several messages', () => {
    let m: PersonManifest | undefined;
    for (const [name, items, part] of [
      ['id.pdf', ['id-card']],
      ['house.pdf', ['house-registration']],
      ['father.pdf', ['father-death-certificate']],
      ['mother.pdf', ['mother-id']],
      ['degree.pdf', ['appointment-education', 'highest-education'], 'both'],
    ] as Array<[string, string[], EducationPart?]>) {
      m = file(m, [doc(name, items, { part })]).manifest;
      expect(m.documents.filter((d) => d.current).every((d) => d.review?.state === 'awaiting-review')).toBe(true);
    }
    expect(judgeChecklist(m!.documents, SEIS_CERTIFICATION_CHECKLIST).status).toBe('complete');
  });
});
