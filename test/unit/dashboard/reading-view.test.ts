// What content reading shows on the dashboard: thumbnails beside every document, source and confidence, the words
// seen, page flags in Thai, the pages of a combined PDF each document came from, the combined originals, and the
// "เฉพาะที่มีข้อสังเกต" filter on the unit page, the search page and the overview.
import { describe, expect, it } from 'vitest';
import { SEIS_CERTIFICATION_CHECKLIST as CHECKLIST } from '../../../config/default-campaigns.ts';
import { addToTally, emptyTally, summarisePerson } from '../../../dashboard/person-summary.ts';
import { flaggedPersons, searchPersons } from '../../../dashboard/search.ts';
import { overviewView } from '../../../dashboard/views/overview.ts';
import { personView } from '../../../dashboard/views/person.ts';
import { pageRanges, readingView } from '../../../dashboard/views/reading.ts';
import { unitView } from '../../../dashboard/views/unit.ts';
import { unmatchedDetailView } from '../../../dashboard/views/unmatched.ts';
import { html } from '../../../dashboard/html.ts';
import { parseDeadline } from '../../../pipelines/dates.ts';
import type { DocumentReading, ManifestDocument, PersonManifest } from '../../../pipelines/types.ts';
import { PRASERT, ROSTER, SOMCHAI, SOMSRI } from '../../helpers/people.ts';

const campaign = { id: 'seis-certification', deadline: parseDeadline('2566-09-22')!, checklist: CHECKLIST };
const NOW = new Date('2023-09-20T00:00:00Z');
const SHA = (n: number) => String(n).repeat(64).slice(0, 64);

function doc(item: string, path: string, more: Partial<ManifestDocument> = {}): ManifestDocument {
  return {
    item,
    path,
    originalName: path,
    sha256: SHA(path.length % 10),
    size: 2048,
    pages: 1,
    receivedAt: '2023-09-10T03:00:00Z',
    messageId: '<m@x>',
    messageKey: 'm1',
    late: false,
    current: true,
    ...more,
  };
}

const reading = (r: Partial<DocumentReading>): DocumentReading => ({ source: 'content', flags: [], evidence: [], ...r });

function manifestOf(person = SOMCHAI, documents: ManifestDocument[] = [], extra: Partial<PersonManifest> = {}): PersonManifest {
  return {
    schema: 1,
    campaign: campaign.id,
    person,
    inRoster: true,
    documents,
    problems: [],
    messages: [],
    decisions: [],
    updatedAt: '',
    ...extra,
  };
}

const entryOf = (m: PersonManifest) => summarisePerson(campaign, m.person, { dir: 'x', manifest: m }, { inRoster: true, now: NOW });

describe('reading beside a document', () => {
  it('writes page ranges as Thai readers do', () => {
    expect(pageRanges([3, 1, 2, 5])).toBe('1–3, 5');
    expect(pageRanges([7])).toBe('7');
    expect(pageRanges([2, 4, 6, 7])).toBe('2, 4, 6–7');
  });

  it('says who decided the item, how sure, the words seen and the flags, in Thai', () => {
    const out = readingView(reading({
      source: 'both',
      confidence: 0.873,
      flags: ['no-certification', 'low-resolution'],
      evidence: ['บัตรประจำตัวประชาชน', 'เลขประจำตัวประชาชน', 'Thai National ID Card', 'วันออกบัตร', 'วันบัตรหมดอายุ', 'ศาสนา', 'ที่อยู่', '<b>'],
    })).value;
    expect(out).toContain('ระบุจาก: <strong>ทั้งสองอย่าง</strong>');
    expect(out).toContain('ความมั่นใจ <span data-confidence>87%</span>');
    expect(out).toContain('คำที่พบ: บัตรประจำตัวประชาชน, เลขประจำตัวประชาชน');
    expect(out).toContain('และอีก 2 คำ');
    expect(out).toContain('data-flag="no-certification">ไม่มีคำรับรองสำเนาถูกต้อง</span>');
    expect(out).toContain('data-flag="low-resolution">ความละเอียดต่ำ</span>');
    expect(readingView(reading({ source: 'name', evidence: ['<script>'] })).value).toContain('&lt;script&gt;');
    expect(readingView(reading({ source: 'name' })).value).toContain('<strong>ชื่อไฟล์</strong>');
    expect(readingView(reading({ source: 'content', flags: ['blank', 'unreadable'] })).value).toMatch(/หน้าว่าง[\s\S]*อ่านไม่ออก/);
    expect(readingView(undefined).value).toBe('');
  });

  it('puts a thumbnail beside every document, problem file, superseded copy and combined original of the person page', () => {
    const split = { originalName: 'รวม.pdf', sha256: SHA(9), pages: [3, 4] };
    const m = manifestOf(SOMCHAI, [
      doc('id-card', 'id-card.pdf', { reading: reading({ source: 'content', confidence: 0.95, splitFrom: { ...split, pages: [1, 2] } }) }),
      doc('house-registration', 'house-registration.pdf', { reading: reading({ flags: ['blank'], splitFrom: split }) }),
      doc('mother-id', '_superseded/บัตรแม่.pdf', { current: false, relabelled: true }),
    ], {
      problems: [{ path: '_problems/scan0003.pdf', originalName: 'scan0003.pdf', sha256: SHA(3), size: 10, code: 'unclassified',
        receivedAt: '2023-09-10T03:00:00Z', messageId: '<m@x>', messageKey: 'm1', reading: reading({ source: 'name', evidence: ['ปริญญา'] }) }],
      combined: [{ path: '_combined/รวม.pdf', originalName: 'รวม.pdf', sha256: SHA(9), size: 4096, parts: 2, receivedAt: '2023-09-10T03:00:00Z',
        messageId: '<m@x>', messageKey: 'm1' }],
    });
    const out = personView({ campaignId: campaign.id, checklist: CHECKLIST, manifest: m, entry: entryOf(m), csrf: 't' }).value;
    const base = `/c/${campaign.id}/p/${SOMCHAI.nationalId}`;
    for (const p of ['id-card.pdf', 'house-registration.pdf', '_superseded/บัตรแม่.pdf', '_problems/scan0003.pdf', '_combined/รวม.pdf']) {
      const q = new URLSearchParams({ path: p }).toString();
      expect(out, p).toContain(`<img src="${base}/thumb?${q}"`);
      expect(out, p).toContain(`<a class="thumb" href="${base}/file?${q}"`);
    }
    expect(out).toContain('แยกจากไฟล์ <bdi>รวม.pdf</bdi> หน้า 1–2');
    expect(out).toContain('<li>สำเนาบัตรประจำตัวประชาชน — หน้า 1–2</li>');
    expect(out).toContain('สำเนาทะเบียนบ้าน — หน้า 3–4');
    expect(out).toMatch(/href="[^"]*_combined[^"]*" download="รวม.pdf">ดาวน์โหลดไฟล์รวม/);
    expect(out).toContain('ย้ายออกเมื่ออ่านเนื้อหาแล้ว');
    expect(out).toMatch(/<dd data-person-flags><span class="badge flag" data-flag="blank">หน้าว่าง<\/span>/);
    expect(out).toContain('คำที่พบ: ปริญญา');
  });

  it('shows no combined section and no reading lines for folders filed by names alone', () => {
    const m = manifestOf(SOMCHAI, [doc('id-card', 'id-card.pdf')]);
    const out = personView({ campaignId: campaign.id, checklist: CHECKLIST, manifest: m, entry: entryOf(m), csrf: 't' }).value;
    expect(out).not.toContain('data-combined');
    expect(out).not.toContain('ระบุจาก');
    expect(out).not.toContain('data-person-flags');
    expect(out).toContain('/thumb?path=id-card.pdf');
  });

  it('shows each file of an unmatched message with its first page', () => {
    const record = {
      messageKey: 'k1',
      messageId: '<k@x>',
      subject: 'ส่งเอกสาร',
      receivedAt: '2023-09-10T03:00:00Z',
      reason: 'unidentified',
      emlPath: 'e.eml',
      files: [{ name: 'scan0001.pdf', path: 'c/_unmatched/k1/scan0001.pdf', sha256: SHA(1), size: 5 }],
    };
    const out = unmatchedDetailView({ campaignId: campaign.id, record, mail: html``, csrf: 't', query: '', suggestions: [], results: [] }).value;
    expect(out).toContain(`<img src="/c/${campaign.id}/unmatched/k1/thumb?n=0"`);
  });
});

describe('the flagged filter', () => {
  const flaggedSomsri = manifestOf(SOMSRI, [
    doc('id-card', 'id-card.pdf', { reading: reading({ flags: ['no-certification'] }) }),
    doc('house-registration', 'house-registration.pdf', { reading: reading({}) }),
    doc('father-id', '_superseded/old.pdf', { current: false, reading: reading({ flags: ['blank'] }) }),
  ]);
  const flaggedPrasert = manifestOf(PRASERT, [
    doc('house-registration', 'house-registration.pdf', { reading: reading({ flags: ['unreadable', 'low-resolution'] }) }),
  ]);
  const plain = manifestOf(SOMCHAI, [doc('id-card', 'id-card.pdf')]);
  const entries = [entryOf(plain), entryOf(flaggedSomsri), entryOf(flaggedPrasert),
    ...ROSTER.slice(3).map((p) => summarisePerson(campaign, p, undefined, { inRoster: true, now: NOW }))];

  it('knows the flags of each person from their current documents only', () => {
    const somsri = entries[1];
    expect(somsri.flags).toEqual(['no-certification']);
    expect(somsri.flagged).toEqual([{ item: 'id-card', path: 'id-card.pdf', flags: ['no-certification'] }]);
    expect(entries[0].flags).toEqual([]);
    const tally = emptyTally();
    for (const e of entries) addToTally(tally, e);
    expect(tally.flagged).toBe(2);
  });

  it('lists only persons with flags, in search and on their own', () => {
    expect(flaggedPersons(entries).map((p) => p.nationalId).sort()).toEqual([SOMSRI.nationalId, PRASERT.nationalId].sort());
    expect(searchPersons(entries, '', 200, { flagged: true })).toHaveLength(2);
    expect(searchPersons(entries, '')).toEqual([]);
    expect(searchPersons(entries, 'สม', 200, { flagged: true }).map((p) => p.nationalId)).toEqual([SOMSRI.nationalId]);
    expect(searchPersons(entries, 'สม').length).toBe(2);
  });

  it('filters the unit page to persons with flags and shows which document carries which flag', () => {
    const all = unitView({ campaignId: campaign.id, unit: 'หน่วย', persons: entries, checklist: CHECKLIST }).value;
    const only = unitView({ campaignId: campaign.id, unit: 'หน่วย', persons: entries, checklist: CHECKLIST, flaggedOnly: true }).value;
    expect(all).toContain(`data-person="${SOMCHAI.nationalId}"`);
    expect(only).not.toContain(`data-person="${SOMCHAI.nationalId}"`);
    expect(only).toContain(`data-person="${SOMSRI.nationalId}"`);
    expect(only).toContain(`data-person="${PRASERT.nationalId}"`);
    expect(only).toMatch(/data-flagged="id-card.pdf">บัตร ปชช\.: <span class="badge flag" data-flag="no-certification">ไม่มีคำรับรองสำเนาถูกต้อง/);
    expect(only).toContain(
      'href="/c/seis-certification/units/%E0%B8%AB%E0%B8%99%E0%B9%88%E0%B8%A7%E0%B8%A2?flags=1" aria-current="page">เฉพาะที่มีข้อสังเกต (2 คน)',
    );
    const none = unitView({ campaignId: campaign.id, unit: 'หน่วย', persons: [entries[0]], checklist: CHECKLIST, flaggedOnly: true }).value;
    expect(none).toContain('ไม่มีเอกสารที่มีข้อสังเกตในหน่วยงานนี้');
    // names-only units keep their table as it was
    expect(unitView({ campaignId: campaign.id, unit: 'หน่วย', persons: [entries[0]], checklist: CHECKLIST }).value).not.toContain('ข้อสังเกตจากการอ่านเอกสาร</th>');
  });

  it('counts flagged persons on the overview and links to their list', () => {
    const tally = emptyTally();
    for (const e of entries) addToTally(tally, e);
    const out = overviewView({ campaign: { id: campaign.id, title: 't', deadline: campaign.deadline }, tally, units: [], openUnmatched: 0, now: NOW }).value;
    expect(out).toMatch(/data-count="flagged"><div class="n">2</);
    expect(out).toContain('href="/c/seis-certification/search?flags=1"');
    const quiet =
      overviewView({ campaign: { id: campaign.id, title: 't', deadline: campaign.deadline }, tally: emptyTally(), units: [], openUnmatched: 0, now: NOW })
        .value;
    expect(quiet).not.toContain('search?flags=1');
  });
});
