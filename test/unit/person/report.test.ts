import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { SEIS_CERTIFICATION_CHECKLIST } from '../../../config/default-campaigns.ts';
import { parseDeadline } from '../../../pipelines/dates.ts';
import { planFiling, type FilingDocument } from '../../../pipelines/person/file-plan.ts';
import { buildReport, type Report } from '../../../pipelines/person/report.ts';
import { reportToCsv, reportToXlsx, sheetName } from '../../../pipelines/person/report-formats.ts';
import type { PersonManifest, Person, UnmatchedRecord } from '../../../pipelines/types.ts';
import { withCheckDigit } from '../../../pipelines/identity/national-id.ts';
import { PRASERT, ROSTER, SOMCHAI, SOMSRI, WANDEE } from '../../helpers/people.ts';
import { memoryBody } from '../../../pipelines/body.ts';

const DEADLINE = parseDeadline('2566-09-22')!;
const NOW = new Date('2023-09-25T02:00:00Z');
const campaign = { id: 'seis-certification', deadline: DEADLINE, checklist: SEIS_CERTIFICATION_CHECKLIST };

function docs(spec: Array<[string, string[]]>): FilingDocument[] {
  return spec.map(([name, items], i) => ({
    originalName: name,
    sha256: `${i}`.padStart(64, 'a'),
    size: 10,
    body: memoryBody(Buffer.from(name)),
    ext: 'pdf',
    classification: { items, ...(items[0]?.includes('education') ? { part: 'both' as const } : {}) },
    validation: items.length ? { ok: true as const, pages: 2 } : { ok: false as const, code: 'image-not-pdf' as const },
  }));
}

function manifestFor(person: Person, receivedAt: string, spec: Array<[string, string[]]>, inRoster = true): PersonManifest {
  return planFiling(undefined, {
    campaignId: campaign.id,
    checklist: campaign.checklist,
    person,
    inRoster,
    late: false,
    now: NOW,
    documents: docs(spec),
    message: { messageId: `${person.nationalId}@example.test`, messageKey: `k${person.nationalId}`, receivedAt, subject: 's', emlPath: 'x.eml', late: false },
  }).manifest;
}

const COMPLETE: Array<[string, string[]]> = [
  ['id.pdf', ['id-card']],
  ['house.pdf', ['house-registration']],
  ['father.pdf', ['father-id']],
  ['mother-death.pdf', ['mother-death-certificate']],
  ['degree.pdf', ['appointment-education', 'highest-education']],
];

const STRANGER: Person = { nationalId: withCheckDigit('199990000001'), firstName: 'คนนอก', lastName: '=HYPERLINK("x")', unit: '=cmd|calc' };

function sample(): Report {
  const dirOf = (p: Person) => `seis-certification/${p.unit}/${p.nationalId}`;
  const unmatched: UnmatchedRecord[] = [
    { messageKey: 'u2', messageId: 'b@x', from: 'b@example.test', subject: '', receivedAt: '2023-09-21T00:00:00Z', reason: 'unidentified', emlPath: 'e',
      files: [] },
    { messageKey: 'u1', messageId: 'a@x', subject: '', receivedAt: '2023-09-20T00:00:00Z', reason: 'no-attachments', emlPath: 'e', files: [] },
    { messageKey: 'u3', messageId: 'c@x', subject: '', receivedAt: '2023-09-19T00:00:00Z', reason: 'unidentified', emlPath: 'e', files: [],
      resolved: { nationalId: SOMSRI.nationalId, by: 's', at: 'x' } },
  ];
  return buildReport({
    campaign,
    roster: ROSTER,
    now: NOW,
    unmatched,
    persons: [
      { dir: dirOf(SOMCHAI), manifest: manifestFor(SOMCHAI, '2023-09-20T03:00:00Z', COMPLETE) },
      { dir: dirOf(WANDEE), manifest: manifestFor(WANDEE, '2023-09-23T03:00:00Z', [['id.pdf', ['id-card']], ['scan.jpg', []]]) },
      { dir: dirOf(STRANGER), manifest: manifestFor(STRANGER, '2023-09-21T03:00:00Z', [['id, "copy".pdf', ['id-card']]], false) },
    ],
  });
}

describe('buildReport', () => {
  it('reports complete, incomplete and not-submitted persons, roster or not, ordered by unit then ID', () => {
    const report = sample();
    expect(report.campaign).toBe('seis-certification');
    expect(report.deadline).toBe(DEADLINE.toISOString());
    expect(report.generatedAt).toBe(NOW.toISOString());
    const rows = report.persons.map((p) => [p.nationalId, p.status]);
    expect(rows).toEqual([
      [STRANGER.nationalId, 'incomplete'],
      [WANDEE.nationalId, 'incomplete'], // ขอนแก่น before เชียงใหม่: Thai order ignores the leading vowel
      [SOMCHAI.nationalId, 'complete'],
      [SOMSRI.nationalId, 'not-submitted'],
      [PRASERT.nationalId, 'not-submitted'],
    ]);
  });

  it('lists every required id as missing for a roster person with nothing received', () => {
    const somsri = sample().persons.find((p) => p.nationalId === SOMSRI.nationalId)!;
    expect(somsri).toMatchObject({ name: 'นางสาวสมศรี รักงานสมมุติ', late: false, documents: [], invalid: [] });
    expect(somsri.missing).toEqual(SEIS_CERTIFICATION_CHECKLIST.filter((c) => c.required).map((c) => c.id));
  });

  it('counts a death certificate for the parent, flags late arrivals and lists invalid files', () => {
    const report = sample();
    const somchai = report.persons.find((p) => p.nationalId === SOMCHAI.nationalId)!;
    expect(somchai.missing).toEqual([]);
    expect(somchai.late).toBe(false);
    const wandee = report.persons.find((p) => p.nationalId === WANDEE.nationalId)!;
    expect(wandee.late).toBe(true);
    expect(wandee.missing).toContain('mother-id');
    expect(wandee.invalid).toEqual([{ file: 'scan.jpg', reason: 'image-not-pdf' }]);
  });

  it('gives document paths relative to the archive root, one per filed item', () => {
    const somchai = sample().persons.find((p) => p.nationalId === SOMCHAI.nationalId)!;
    const dir = `seis-certification/${SOMCHAI.unit}/${SOMCHAI.nationalId}`;
    expect(somchai.documents.map((d) => d.path)).toEqual([
      'id-card.pdf',
      'house-registration.pdf',
      'father-id.pdf',
      'mother-death-certificate.pdf',
      'appointment-education.pdf',
      'highest-education.pdf',
    ].map((f) => `${dir}/${f}`));
    expect(somchai.documents[0]).toMatchObject({ item: 'id-card', pages: 2, receivedAt: '2023-09-20T03:00:00Z',
      messageId: `${SOMCHAI.nationalId}@example.test` });
  });

  it('lists unresolved unmatched mail in arrival order', () => {
    expect(sample().unmatched).toEqual([
      { messageId: 'a@x', receivedAt: '2023-09-20T00:00:00Z', reason: 'no-attachments' },
      { messageId: 'b@x', from: 'b@example.test', receivedAt: '2023-09-21T00:00:00Z', reason: 'unidentified' },
    ]);
  });
});

describe('reportToCsv', () => {
  it('writes UTF-8 with a BOM, Thai headers and RFC 4180 quoting that round-trips', () => {
    const csv = reportToCsv(sample(), { checklist: campaign.checklist });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\n');
    const rows: string[][] = parse(csv.slice(1), { relaxColumnCount: false });
    expect(rows[0].slice(0, 4)).toEqual(['เลขประจำตัวประชาชน', 'ชื่อ-นามสกุล', 'สังกัด', 'สถานะ']);
    expect(rows).toHaveLength(1 + 5);
    const stranger = rows.find((r) => r[0] === STRANGER.nationalId)!;
    expect(stranger[3]).toBe('ส่งไม่ครบ');
    const somsri = rows.find((r) => r[0] === SOMSRI.nationalId)!;
    expect(somsri[5]).toContain('สำเนาบัตรประจำตัวประชาชน');
    expect(somsri[3]).toBe('ยังไม่ส่ง');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    const rows: string[][] = parse(reportToCsv(sample(), { checklist: campaign.checklist }).slice(1));
    const stranger = rows.find((r) => r[0] === STRANGER.nationalId)!;
    expect(stranger[2]).toBe('\'=cmd|calc');
    expect(stranger[1]).toBe('คนนอก =HYPERLINK("x")');
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@]/);
  });
});

describe('reportToXlsx', () => {
  it('has a summary sheet and one sheet per unit with valid names and IDs stored as text', async () => {
    const report = sample();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await reportToXlsx(report, { checklist: campaign.checklist }) as unknown as ArrayBuffer);
    const names = workbook.worksheets.map((s) => s.name);
    expect(names[0]).toBe('สรุป');
    expect(names).toHaveLength(1 + new Set(report.persons.map((p) => p.unit)).size + 1);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/[[\]:*?/\\]/);
    }
    const chiangMai = workbook.worksheets.find((s) => s.name.startsWith('สำนักงานพัฒนาชุมชนจังหวัดเชียง'))!;
    expect(chiangMai.getRow(1).getCell(1).value).toBe('เลขประจำตัวประชาชน');
    const idCell = chiangMai.getRow(2).getCell(1);
    expect(idCell.value).toBe(SOMCHAI.nationalId);
    expect(typeof idCell.value).toBe('string');
    expect(idCell.numFmt).toBe('@');
    expect(chiangMai.rowCount).toBe(3);
    const summary = workbook.getWorksheet('สรุป')!;
    const total = summary.getColumn(1).values.indexOf('รวม');
    expect(summary.getRow(total).values).toEqual([undefined, 'รวม', 5, 1, 2, 2, 1]);
  });

  it('makes sheet names Excel accepts: ≤ 31 characters, no []:*?/\\, unique', () => {
    const used = new Set<string>();
    const long = 'สำนักงานพัฒนาชุมชนจังหวัดพระนครศรีอยุธยา';
    const a = sheetName(long, used);
    const b = sheetName(long, used);
    expect(a.length).toBeLessThanOrEqual(31);
    expect(b).toMatch(/ \(2\)$/);
    expect(b.length).toBeLessThanOrEqual(31);
    expect(sheetName('a/b:c*[d]?', used)).toBe('a b c d');
    expect(sheetName('\'History\'', used)).not.toBe('History');
  });
});

describe('invalid files that a later copy settles', () => {
  const bad = (name: string, items: string[]): FilingDocument => ({
    originalName: name,
    sha256: Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64),
    size: 10,
    body: memoryBody(Buffer.from('<html>')),
    ext: 'pdf',
    classification: { items },
    validation: { ok: false, code: 'fake-pdf' },
  });
  const message = (key: string, receivedAt: string) => ({ messageId: `${key}@x`, messageKey: key, receivedAt, subject: 's', emlPath: 'x.eml', late: false });

  it('stops listing a fake house registration once a real one arrives later, but keeps unrelated bad files', () => {
    const first = planFiling(undefined, {
      campaignId: campaign.id,
      checklist: campaign.checklist,
      person: SOMSRI,
      inRoster: true,
      late: false,
      now: NOW,
      message: message('m1', '2023-09-12T02:00:00Z'),
      documents: [bad('ทะเบียนบ้าน.pdf', ['house-registration']), bad('เอกสาร.pdf', [])],
    }).manifest;
    const before = buildReport({ campaign, roster: [SOMSRI], now: NOW, unmatched: [], persons: [{ dir: 'd', manifest: first }] });
    expect(before.persons[0].invalid.map((i) => i.file)).toEqual(['ทะเบียนบ้าน.pdf', 'เอกสาร.pdf']);

    const second = planFiling(first, {
      campaignId: campaign.id,
      checklist: campaign.checklist,
      person: SOMSRI,
      inRoster: true,
      late: false,
      now: NOW,
      message: message('m2', '2023-09-15T02:00:00Z'),
      documents: docs([['ทะเบียนบ้าน.pdf', ['house-registration']]]),
    }).manifest;
    const after = buildReport({ campaign, roster: [SOMSRI], now: NOW, unmatched: [], persons: [{ dir: 'd', manifest: second }] });
    expect(after.persons[0].invalid).toEqual([{ file: 'เอกสาร.pdf', reason: 'fake-pdf' }]);
    expect(second.problems).toHaveLength(2); // the archive still keeps both bad files
  });
});
