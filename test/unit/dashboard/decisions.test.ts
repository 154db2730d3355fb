import { describe, expect, it } from 'vitest';
import { SEIS_CERTIFICATION_CHECKLIST as CHECKLIST } from '../../../config/default-campaigns.ts';
import { planAssignItem, planAssignMessage, planReview } from '../../../dashboard/decision-plans.ts';
import { renderRevisionRequest } from '../../../dashboard/revision-mail.ts';
import { judgeChecklist } from '../../../pipelines/person/checklist.ts';
import { parseDeadline } from '../../../pipelines/dates.ts';
import { planFiling, type FilingDocument } from '../../../pipelines/person/file-plan.ts';
import type { ManifestMessage, PersonManifest } from '../../../pipelines/types.ts';
import { SOMCHAI, SOMSRI } from '../../helpers/people.ts';
import { memoryBody } from '../../../pipelines/body.ts';

const NOW = new Date('2023-09-20T03:00:00Z');
const DEADLINE = parseDeadline('2566-09-22')!;

function doc(name: string, items: string[], n: number, part?: 'degree' | 'transcript' | 'both'): FilingDocument {
  return {
    originalName: name,
    sha256: String(n).padStart(64, 'b'),
    size: 100 + n,
    body: memoryBody(Buffer.from(`pdf ${n}`)),
    ext: 'pdf',
    classification: { items, ...(part ? { part } : {}) },
    validation: { ok: true, pages: 1 },
  };
}

function message(key: string, receivedAt = '2023-09-10T03:00:00.000Z'): ManifestMessage {
  return { messageId: `${key}@example.test`, messageKey: key, receivedAt, from: 'somchai.test@example.test', subject: 'ส่งเอกสาร',
    emlPath: `_messages/2023/09/${key}.eml`, late: false };
}

const COMPLETE = [
  doc('บัตร.pdf', ['id-card'], 1),
  doc('ทะเบียนบ้าน.pdf', ['house-registration'], 2),
  doc('บิดา.pdf', ['father-id'], 3),
  doc('มารดา.pdf', ['mother-id'], 4),
  doc('วุฒิ.pdf', ['appointment-education', 'highest-education'], 5, 'both'),
  doc('scan001.pdf', [], 6),
];

function filed(): PersonManifest {
  return planFiling(undefined, {
    campaignId: 'seis-certification',
    person: SOMCHAI,
    inRoster: true,
    message: message('m1'),
    late: false,
    documents: COMPLETE,
    now: NOW,
    checklist: CHECKLIST,
  }).manifest;
}

describe('review decisions', () => {
  it('accepting records who and when, and a decision in the manifest', () => {
    const { plan, outcome } = planReview(filed(), { path: 'id-card.pdf', decision: 'accept', by: 'somying', now: NOW });
    expect(outcome).toBe('done');
    expect(plan.manifest.documents.find((d) => d.path === 'id-card.pdf')?.review).toEqual({ state: 'accepted', by: 'somying', at: NOW.toISOString() });
    expect(plan.manifest.decisions).toEqual([{ at: NOW.toISOString(), by: 'somying', action: 'accept-document',
      detail: expect.objectContaining({ path: 'id-card.pdf', item: 'id-card' }) }]);
  });

  it('a returned document stops counting: a complete person becomes incomplete', () => {
    const before = filed();
    expect(judgeChecklist(before.documents, CHECKLIST).status).toBe('complete');
    const { plan } = planReview(before, { path: 'house-registration.pdf', decision: 'return', reason: 'ไม่ได้รับรองสำเนาถูกต้อง', by: 'somying', now: NOW });
    const judgement = judgeChecklist(plan.manifest.documents, CHECKLIST);
    expect(judgement.status).toBe('incomplete');
    expect(judgement.missing).toEqual(['house-registration']);
    expect(plan.manifest.documents.find((d) => d.path === 'house-registration.pdf')?.review?.reason).toBe('ไม่ได้รับรองสำเนาถูกต้อง');
  });

  it('repeating a decision changes nothing; unknown paths are not found', () => {
    const accepted = planReview(filed(), { path: 'id-card.pdf', decision: 'accept', by: 'a', now: NOW }).plan.manifest;
    expect(planReview(accepted, { path: 'id-card.pdf', decision: 'accept', by: 'a', now: NOW }).outcome).toBe('unchanged');
    expect(planReview(accepted, { path: '../../etc/passwd', decision: 'accept', by: 'a', now: NOW }).outcome).toBe('not-found');
    expect(planReview(undefined, { path: 'id-card.pdf', decision: 'accept', by: 'a', now: NOW }).outcome).toBe('not-found');
  });

  it('decisions survive the next message for the person (a re-run of the pipeline)', () => {
    const returned = planReview(filed(), { path: 'id-card.pdf', decision: 'return', reason: 'อ่านไม่ออก', by: 'a', now: NOW }).plan.manifest;
    const next = planFiling(returned, {
      campaignId: 'seis-certification',
      person: SOMCHAI,
      inRoster: true,
      message: message('m2', '2023-09-15T00:00:00.000Z'),
      late: false,
      documents: [doc('คู่สมรส.pdf', ['spouse-id'], 7)],
      now: NOW,
      checklist: CHECKLIST,
    }).manifest;
    expect(next.decisions.map((d) => d.action)).toEqual(['return-document']);
    expect(next.documents.find((d) => d.path === 'id-card.pdf')?.review?.state).toBe('returned');
    // and the same message again changes nothing at all
    expect(planFiling(next, {
      campaignId: 'seis-certification',
      person: SOMCHAI,
      inRoster: true,
      message: message('m2'),
      late: false,
      documents: [doc('คู่สมรส.pdf', ['spouse-id'], 7)],
      now: NOW,
      checklist: CHECKLIST,
    }).changed).toBe(false);
  });
});

describe('assigning an unclassified file to a checklist item', () => {
  it('moves the file from _problems to its checklist name and counts it', () => {
    const start = planFiling(undefined, {
      campaignId: 'seis-certification',
      person: SOMCHAI,
      inRoster: true,
      message: message('m1'),
      late: false,
      documents: COMPLETE.filter((d) => !d.classification.items.includes('mother-id')),
      now: NOW,
      checklist: CHECKLIST,
    }).manifest;
    expect(judgeChecklist(start.documents, CHECKLIST).missing).toEqual(['mother-id']);
    const { plan, outcome } = planAssignItem(start, {
      campaignId: 'seis-certification',
      problemPath: '_problems/scan001.pdf',
      item: 'mother-id',
      pages: 2,
      ext: 'pdf',
      checklist: CHECKLIST,
      by: 'somying',
      now: NOW,
    });
    expect(outcome).toBe('done');
    expect(plan.writes).toEqual([]);
    expect(plan.moves).toEqual([{ from: '_problems/scan001.pdf', to: 'mother-id.pdf', sha256: COMPLETE[5].sha256 }]);
    expect(plan.manifest.problems).toEqual([]);
    expect(plan.manifest.messages).toEqual(start.messages);
    const moved = plan.manifest.documents.find((d) => d.item === 'mother-id');
    expect(moved).toMatchObject({ path: 'mother-id.pdf', originalName: 'scan001.pdf', pages: 2, current: true, messageKey: 'm1' });
    expect(judgeChecklist(plan.manifest.documents, CHECKLIST).status).toBe('complete');
    expect(plan.manifest.decisions.at(-1)).toMatchObject({ action: 'assign-item', by: 'somying',
      detail: { item: 'mother-id', from: '_problems/scan001.pdf' } });
  });

  it('supersedes the document it replaces, keeping the old version', () => {
    const { plan } = planAssignItem(filed(), {
      campaignId: 'seis-certification',
      problemPath: '_problems/scan001.pdf',
      item: 'id-card',
      pages: 1,
      ext: 'pdf',
      checklist: CHECKLIST,
      by: 'somying',
      now: NOW,
    });
    expect(plan.moves[0]).toMatchObject({ from: 'id-card.pdf', to: expect.stringMatching(/^_superseded\/id-card-2566-09-10-/) });
    expect(plan.moves[1]).toMatchObject({ from: '_problems/scan001.pdf', to: 'id-card.pdf' });
    expect(plan.manifest.documents.filter((d) => d.item === 'id-card').map((d) => d.current)).toEqual([false, true]);
  });

  it('refuses files that are not unclassified and items not in the checklist', () => {
    const m = filed();
    expect(
      planAssignItem(m, { campaignId: 'seis-certification', problemPath: 'id-card.pdf', item: 'mother-id', pages: 1, ext: 'pdf', checklist: CHECKLIST, by: 'a',
        now: NOW }).outcome,
    ).toBe('not-found');
    expect(
      planAssignItem(m, { campaignId: 'seis-certification', problemPath: '_problems/scan001.pdf', item: 'passport', pages: 1, ext: 'pdf', checklist: CHECKLIST,
        by: 'a', now: NOW }).outcome,
    ).toBe('not-found');
  });
});

describe('assigning an unmatched message to a person', () => {
  it('files its documents with the normal filing rules and records the decision', () => {
    const { plan } = planAssignMessage(undefined, {
      campaignId: 'seis-certification',
      person: SOMSRI,
      inRoster: true,
      message: message('u1'),
      documents: [doc('บัตรประชาชน.pdf', ['id-card'], 11), doc('อื่นๆ.pdf', [], 12)],
      checklist: CHECKLIST,
      by: 'somying',
      now: NOW,
    });
    expect(plan.manifest.person).toEqual(SOMSRI);
    expect(plan.manifest.documents.map((d) => d.path)).toEqual(['id-card.pdf']);
    expect(plan.manifest.problems.map((p) => p.code)).toEqual(['unclassified']);
    expect(plan.writes.map((w) => w.relPath).sort()).toEqual(['_problems/อื่นๆ.pdf', 'id-card.pdf']);
    expect(plan.manifest.decisions).toEqual([
      expect.objectContaining({ action: 'assign-message', by: 'somying', detail: expect.objectContaining({ messageKey: 'u1' }) }),
    ]);
  });

  it('adds orphan files of a message already in the person folder', () => {
    const start = filed();
    const { plan } = planAssignMessage(start, {
      campaignId: 'seis-certification',
      person: SOMCHAI,
      inRoster: true,
      message: message('m1'),
      documents: [doc('คู่สมรส.pdf', ['spouse-id'], 21)],
      checklist: CHECKLIST,
      by: 'a',
      now: NOW,
    });
    expect(plan.manifest.messages).toEqual(start.messages);
    expect(plan.manifest.documents.some((d) => d.item === 'spouse-id' && d.messageKey === 'm1')).toBe(true);
  });
});

describe('revision request mail', () => {
  it('names the document and the reason, in Thai, threaded to the original message', () => {
    const m = filed();
    const document = m.documents[0];
    const mail = renderRevisionRequest({
      person: SOMCHAI,
      document,
      itemLabel: 'สำเนาบัตรประจำตัวประชาชน',
      reason: 'ไม่ได้รับรองสำเนาถูกต้อง',
      message: m.messages[0],
      to: 'somchai.test@example.test',
      campaign: { title: 'SEIS', deadline: DEADLINE },
      replyFrom: 'SEIS <seis@example.test>',
      messageId: 'return-1@example.test',
      now: NOW,
    });
    expect(mail.to).toBe('somchai.test@example.test');
    expect(mail.subject).toContain('สำเนาบัตรประจำตัวประชาชน');
    expect(mail.text).toContain('ไม่ได้รับรองสำเนาถูกต้อง');
    expect(mail.text).toContain('บัตร.pdf');
    expect(mail.text).toContain('22 กันยายน 2566');
    expect(mail.headers['In-Reply-To']).toBe('<m1@example.test>');
    expect(mail.headers['Auto-Submitted']).toBe('auto-generated');
  });
});
