import { describe, expect, it } from 'vitest';
import { identifyPersons } from '../../../pipelines/identity/identify.ts';
import { buildRoster } from '../../../pipelines/identity/roster.ts';
import { findNationalIds, formatNationalId, withCheckDigit } from '../../../pipelines/identity/national-id.ts';
import { parseMessage } from '../../../pipelines/mail/parse.ts';
import { configSchema } from '../../../config/schema.ts';
import type { Identification, ParsedMessage, Person } from '../../../pipelines/types.ts';
import { PRASERT, ROSTER, SOMCHAI, SOMSRI, WANDEE, mistyped } from '../../helpers/people.ts';
import { fakePdf, message, multipart, attachment, rawHeader, submission, textPart, forwardedPart } from '../../helpers/eml.ts';
import { buildZip } from '../../helpers/zip.ts';
import { THAI_PREFIXES, cleanThai, extractNamedPersons, normaliseThaiName, stripPrefix } from '../../../pipelines/identity/thai-names.ts';
import { EMPTY_BODY } from '../../../pipelines/body.ts';
import { parsedMessage } from '../../helpers/parsed-message.ts';

const roster = buildRoster(ROSTER);
/** Fictional relatives and newcomers: valid IDs that are not in the roster. */
const FATHER_ID = withCheckDigit('310990011223');
const NEWCOMER: Person = { nationalId: withCheckDigit('390010055566'), prefix: 'นาย', firstName: 'มาใหม่', lastName: 'ยังไม่มีชื่อ' };
const THAI_DIGITS = (id: string) => id.replace(/\d/g, (d) => '๐๑๒๓๔๕๖๗๘๙'[Number(d)]);

type FileSpec = string | { name: string; folders?: string[]; container?: string };
function msg(opts: { subject?: string; text?: string; from?: string; files?: FileSpec[] }): ParsedMessage {
  return parsedMessage({
    messageId: 'm1@example.test',
    dedupeKey: 'k1',
    subject: opts.subject ?? '',
    text: opts.text ?? '',
    from: { name: '', address: opts.from ?? 'someone.test@example.test' },
    files: (opts.files ?? ['เอกสาร.pdf']).map((f) => {
      const spec = typeof f === 'string' ? { name: f } : f;
      return {
        name: spec.name,
        folders: spec.folders ?? [],
        origin: spec.container ? 'zip' : 'attachment',
        ...(spec.container ? { container: spec.container } : {}),
        contentType: 'application/pdf',
        size: 10,
        sha256: 'x',
        body: EMPTY_BODY,
      };
    }),
  });
}

/** nationalId → file indexes, the shape most assertions need. */
function owners(result: Identification): Record<string, number[]> {
  return Object.fromEntries(result.persons.map((p) => [p.person.nationalId, p.fileIndexes]));
}

describe('identifyPersons with a roster: one person', () => {
  it.each([
    ['plain digits', `ส่งเอกสาร ${SOMCHAI.nationalId}`],
    ['dashes as on the card', `ส่งเอกสาร ${formatNationalId(SOMCHAI.nationalId)}`],
    ['spaces', `ส่งเอกสาร ${formatNationalId(SOMCHAI.nationalId).replace(/-/g, ' ')}`],
    ['Thai digits', `ส่งเอกสาร เลขประจำตัว ${THAI_DIGITS(SOMCHAI.nationalId)}`],
  ])('finds the roster person by a valid ID in the subject (%s)', (_, subject) => {
    const result = identifyPersons(msg({ subject, files: ['บัตรประชาชน.pdf', 'ทะเบียนบ้าน.pdf'] }), { roster });
    expect(result.persons).toEqual([{ person: SOMCHAI, inRoster: true, evidence: ['national-id'], fileIndexes: [0, 1] }]);
    expect(result.orphanFileIndexes).toEqual([]);
  });

  it('corrects an ID with a wrong check digit by the name next to it, and says so without the full ID', () => {
    const typo = mistyped(SOMCHAI.nationalId);
    const result = identifyPersons(msg({ subject: `ส่งเอกสาร นายสมชาย ใจดีทดสอบ ${typo}` }), { roster });
    expect(result.persons).toEqual([expect.objectContaining({ person: SOMCHAI, evidence: ['corrected-id', 'name'] })]);
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toContain('เลขตรวจสอบไม่ถูกต้อง');
    expect(result.notes[0]).toContain(`x-xxxx-xxxx${typo.slice(9, 10)}-${typo.slice(10, 12)}-${typo[12]}`);
    expect(findNationalIds(result.notes.join('\n'))).toEqual([]);
  });

  it('corrects a valid ID that is not in the roster when the name beside it matches one person', () => {
    const result = identifyPersons(msg({ subject: `${SOMSRI.firstName} ${SOMSRI.lastName} ${FATHER_ID}` }), { roster });
    expect(result.persons).toEqual([expect.objectContaining({ person: SOMSRI, inRoster: true, evidence: ['corrected-id', 'name'] })]);
    expect(result.notes[0]).toContain('ไม่พบเลขนี้ในทะเบียนรายชื่อ');
  });

  it('corrects an unknown valid ID even when the roster name beside it carries a prefix', () => {
    const result = identifyPersons(msg({ subject: `นางสาวสมศรี รักงานสมมุติ ${FATHER_ID}` }), { roster });
    expect(result.persons).toEqual([expect.objectContaining({ person: SOMSRI, inRoster: true, evidence: ['corrected-id', 'name'] })]);
    expect(result.notes).toHaveLength(1);
  });

  it('corrects a mistyped ID in the subject by the one roster name in the body', () => {
    const result = identifyPersons(msg({
      subject: `ส่งเอกสาร ${mistyped(WANDEE.nationalId)}`,
      text: 'เรียน เจ้าหน้าที่\n\nขอส่งเอกสารค่ะ\nนางวันดี มีสุขจำลอง',
    }), { roster });
    expect(result.persons).toEqual([expect.objectContaining({ person: WANDEE, evidence: ['corrected-id'] })]);
  });

  it('reports a mistyped ID it cannot correct and identifies nobody', () => {
    const result = identifyPersons(msg({ subject: `ส่งเอกสาร ${mistyped(WANDEE.nationalId)}` }), { roster });
    expect(result.persons).toEqual([]);
    expect(result.orphanFileIndexes).toEqual([0]);
    expect(result.notes.some((n) => n.includes('เลขตรวจสอบผิด'))).toBe(true);
  });

  it.each([
    ['no prefix, in the body', { text: 'ข้าพเจ้า สมศรี รักงานสมมุติ ขอส่งเอกสารค่ะ' }],
    ['นางสาว prefix glued to the name', { subject: 'ส่งเอกสารนางสาวสมศรี รักงานสมมุติ' }],
    ['น.ส. abbreviation', { subject: 'เอกสาร น.ส.สมศรี รักงานสมมุติ' }],
    ['underscores in a file name', { files: ['สมศรี_รักงานสมมุติ_บัตรประชาชน.pdf'] }],
    ['no space between first and last name', { subject: 'ส่งเอกสาร สมศรีรักงานสมมุติ' }],
  ])('finds a person by name alone (%s)', (_, opts) => {
    const result = identifyPersons(msg(opts), { roster });
    expect(result.persons).toEqual([expect.objectContaining({ person: SOMSRI, evidence: ['name'], fileIndexes: [0] })]);
  });

  it.each([
    ['ว่าที่ ร.ต.ประเสริฐ ทองคำตัวอย่าง'],
    ['ว่าที่ร้อยตรีประเสริฐ ทองคำตัวอย่าง'],
    ['ว่าที่ร.ต.ประเสริฐ_ทองคำตัวอย่าง'],
  ])('reads the acting sub-lieutenant prefix in %s', (name) => {
    const result = identifyPersons(msg({ files: [`${name}.pdf`] }), { roster });
    expect(result.persons.map((p) => p.person)).toEqual([PRASERT]);
  });

  it('does not guess between two roster people with the same name, unless an ID settles it', () => {
    const twin: Person = { ...SOMCHAI, nationalId: withCheckDigit('120030066677'), unit: 'อื่น', email: undefined };
    const twins = buildRoster([...ROSTER, twin]);
    const byName = identifyPersons(msg({ subject: 'ส่งเอกสาร นายสมชาย ใจดีทดสอบ' }), { roster: twins });
    expect(byName.persons).toEqual([]);
    expect(byName.notes.some((n) => n.includes('ตรงกับผู้มีรายชื่อ 2 คน'))).toBe(true);
    const withId = identifyPersons(msg({ subject: `ส่งเอกสาร นายสมชาย ใจดีทดสอบ ${twin.nationalId}` }), { roster: twins });
    expect(withId.persons.map((p) => p.person)).toEqual([twin]);
    expect(withId.notes).toEqual([]);
  });

  it('keeps a valid ID that is not in the roster as a person outside it, named from the text', () => {
    const result = identifyPersons(msg({ subject: `ส่งเอกสาร ${NEWCOMER.nationalId} นายมาใหม่ ยังไม่มีชื่อ` }), { roster });
    expect(result.persons).toEqual([{ person: NEWCOMER, inRoster: false, evidence: ['national-id', 'name'], fileIndexes: [0] }]);
  });

  it('keeps a valid unknown ID with empty names when no name is written', () => {
    const result = identifyPersons(msg({ subject: `เอกสาร ${NEWCOMER.nationalId}` }), { roster });
    expect(result.persons).toEqual([{
      person: { nationalId: NEWCOMER.nationalId, firstName: '', lastName: '' },
      inRoster: false,
      evidence: ['national-id'],
      fileIndexes: [0],
    }]);
  });

  it('falls back to the sender address only when nothing else names anyone', () => {
    const bySender = identifyPersons(msg({ subject: 'ส่งเอกสาร', from: 'Wandee.Test@example.test' }), { roster });
    expect(bySender.persons).toEqual([expect.objectContaining({ person: WANDEE, evidence: ['sender'], fileIndexes: [0] })]);
    const byId = identifyPersons(msg({ subject: `ส่งเอกสาร ${SOMCHAI.nationalId}`, from: WANDEE.email }), { roster });
    expect(byId.persons.map((p) => p.person)).toEqual([SOMCHAI]);
  });

  it('does not pick one of several people who share a unit mailbox', () => {
    const shared = buildRoster([{ ...SOMCHAI, email: 'unit.test@example.test' }, { ...SOMSRI, email: 'unit.test@example.test' }]);
    const result = identifyPersons(msg({ subject: 'ส่งเอกสาร', from: 'unit.test@example.test' }), { roster: shared });
    expect(result.persons).toEqual([]);
    expect(result.notes.some((n) => n.includes('2 คน'))).toBe(true);
  });

  it('ignores phone numbers, dates and the masked IDs of a quoted reply', () => {
    const text = 'โทร 081-234-5678 วันที่ 2566-09-01\n> เอกสารของ นาย ทดสอบ (เลขประจำตัวประชาชน x-xxxx-xxxx1-23-4)';
    const result = identifyPersons(msg({ subject: 'ส่งเอกสาร', text, from: 'nobody.test@example.test' }), { roster });
    expect(result.persons).toEqual([]);
  });
});

describe('identifyPersons: relatives\' IDs and names', () => {
  it.each([
    ['a file name after บัตรบิดา', [`บัตรบิดา ${FATHER_ID}.pdf`]],
    ['a file name after มารดา_', [`สำเนาบัตรประชาชน_มารดา_${FATHER_ID}.pdf`]],
    ['a name and ID after บิดา', ['บัตรประชาชนบิดา นายสมปอง ใจดีทดสอบ ' + FATHER_ID + '.pdf']],
  ])('never turns a relative\'s ID into a new person (%s), with or without a roster', (_, files) => {
    for (const r of [roster, undefined]) {
      const result = identifyPersons(msg({ subject: `ส่งเอกสาร ${SOMCHAI.nationalId}`, files: ['บัตรประชาชน.pdf', ...files] }), { roster: r });
      expect(result.persons.map((p) => p.person.nationalId)).toEqual([SOMCHAI.nationalId]);
      expect(result.persons[0].fileIndexes).toEqual([0, 1]);
    }
  });

  it('treats an unknown ID without a kinship word, in a file of an identified person, as not a new person', () => {
    const result = identifyPersons(msg({ subject: `ส่งเอกสาร ${SOMCHAI.nationalId}`, files: ['บัตรประชาชน.pdf', `สำเนา ${FATHER_ID}.pdf`] }), { roster });
    expect(owners(result)).toEqual({ [SOMCHAI.nationalId]: [0, 1] });
    expect(result.notes.some((n) => n.includes('ไม่ถือเป็นผู้ส่งอีกราย'))).toBe(true);
  });

  it('does not take a parent who is also in the roster for the sender', () => {
    const result = identifyPersons(msg({
      subject: `ส่งเอกสาร ${SOMCHAI.nationalId}`,
      files: ['บัตรประชาชน.pdf', `บัตรมารดา ${WANDEE.nationalId}.pdf`],
      text: 'มารดาชื่อ นางวันดี มีสุขจำลอง',
    }), { roster });
    expect(owners(result)).toEqual({ [SOMCHAI.nationalId]: [0, 1] });
  });

  it('reads the officer\'s own ID at the start of a file name about a parent as the officer\'s', () => {
    const result = identifyPersons(msg({ subject: 'ส่งเอกสาร', files: [`${SOMCHAI.nationalId}_บัตรบิดา.pdf`] }), {});
    expect(owners(result)).toEqual({ [SOMCHAI.nationalId]: [0] });
  });

  it('reads "บิดา มารดา นายสมชาย" as a list of documents followed by the officer', () => {
    const result = identifyPersons(msg({ subject: 'ส่งสำเนาบัตรประชาชน บิดา มารดา นายสมชาย ใจดีทดสอบ' }), { roster });
    expect(result.persons.map((p) => p.person)).toEqual([SOMCHAI]);
  });
});

describe('identifyPersons: several persons in one message', () => {
  it('gives each ZIP folder its person and a loose file to the one person named in the subject', () => {
    const result = identifyPersons(msg({
      subject: `ส่งเอกสาร ${WANDEE.nationalId}`,
      files: [
        { name: 'บัตรประชาชน.pdf', folders: ['เอกสาร', 'นายสมชาย ใจดีทดสอบ'], container: 'รวม.zip' },
        { name: 'บัตรประชาชน.pdf', folders: ['เอกสาร', `${SOMSRI.nationalId} สมศรี`], container: 'รวม.zip' },
        'หนังสือนำส่ง.pdf',
      ],
    }), { roster });
    expect(owners(result)).toEqual({ [WANDEE.nationalId]: [2], [SOMCHAI.nationalId]: [0], [SOMSRI.nationalId]: [1] });
    expect(result.persons.find((p) => p.person === SOMCHAI)?.evidence).toEqual(['name', 'folder']);
  });

  it('sends files prefixed per person (by ID or name) to each, and an unmarked file to nobody', () => {
    const result = identifyPersons(msg({
      subject: 'ส่งเอกสารของเจ้าหน้าที่ในสังกัด',
      files: [`${SOMCHAI.nationalId}_บัตรประชาชน.pdf`, 'สมศรี รักงานสมมุติ-ทะเบียนบ้าน.pdf', `${SOMCHAI.nationalId}_ทะเบียนบ้าน.pdf`, 'scan001.pdf'],
    }), { roster });
    expect(owners(result)).toEqual({ [SOMCHAI.nationalId]: [0, 2], [SOMSRI.nationalId]: [1] });
    expect(result.orphanFileIndexes).toEqual([3]);
  });

  it('gives unmarked files to the only person in the message even when only a file names them', () => {
    const result = identifyPersons(msg({ subject: 'ส่งเอกสาร', files: [`${SOMCHAI.nationalId}.pdf`, 'ทะเบียนบ้าน.pdf'] }), { roster });
    expect(owners(result)).toEqual({ [SOMCHAI.nationalId]: [0, 1] });
  });

  it('orphans unmarked files when the subject names two people, and keeps both people', () => {
    const result = identifyPersons(msg({ subject: `ส่งเอกสาร ${SOMCHAI.nationalId} และ ${SOMSRI.nationalId}`, files: ['a.pdf', 'b.pdf'] }), { roster });
    expect(result.persons.map((p) => p.person.nationalId)).toEqual([SOMCHAI.nationalId, SOMSRI.nationalId]);
    expect(result.orphanFileIndexes).toEqual([0, 1]);
  });

  it('uses the body only when the subject names nobody: a signature does not steal the files', () => {
    const result = identifyPersons(msg({
      subject: `ส่งเอกสารของ ${SOMCHAI.nationalId}`,
      text: 'ส่งแทนค่ะ\n\nนางสาวสมศรี รักงานสมมุติ\nเจ้าหน้าที่ธุรการ',
    }), { roster });
    expect(owners(result)).toEqual({ [SOMCHAI.nationalId]: [0] });
  });

  it('reads a ZIP named after its owner', () => {
    const result = identifyPersons(msg({ subject: 'เอกสาร 2 คน', files: [
      { name: 'บัตร.pdf', container: `${WANDEE.nationalId}.zip` },
      { name: 'บัตร.pdf', container: 'นายสมชาย ใจดีทดสอบ.zip' },
    ] }), { roster });
    expect(owners(result)).toEqual({ [WANDEE.nationalId]: [0], [SOMCHAI.nationalId]: [1] });
  });
});

describe('identifyPersons without a roster', () => {
  it('needs a valid ID and takes the name from the text', () => {
    const result = identifyPersons(msg({ subject: `ส่งเอกสาร นางสาวสมศรี รักงานสมมุติ ${SOMSRI.nationalId}` }), {});
    expect(result.persons).toEqual([{
      person: { nationalId: SOMSRI.nationalId, prefix: 'นางสาว', firstName: 'สมศรี', lastName: 'รักงานสมมุติ' },
      inRoster: false,
      evidence: ['national-id', 'name'],
      fileIndexes: [0],
    }]);
  });

  it('names a person from the subject when the ID is alone in the signature', () => {
    const result = identifyPersons(msg({ subject: 'ส่งเอกสาร นางวันดี มีสุขจำลอง', text: `ขอบคุณค่ะ\n\n\n\nเลขบัตร ${WANDEE.nationalId}` }), {});
    expect(result.persons.map((p) => p.person)).toEqual([{ nationalId: WANDEE.nationalId, prefix: 'นาง', firstName: 'วันดี', lastName: 'มีสุขจำลอง' }]);
  });

  it('pairs each ID with the name on its own line in a list', () => {
    const text = `1. นายสมชาย ใจดีทดสอบ ${SOMCHAI.nationalId}\n2. นางวันดี มีสุขจำลอง ${WANDEE.nationalId}`;
    const result = identifyPersons(msg({ text, files: [] }), {});
    expect(result.persons.map((p) => [p.person.nationalId, p.person.firstName])).toEqual([
      [SOMCHAI.nationalId, 'สมชาย'],
      [WANDEE.nationalId, 'วันดี'],
    ]);
  });

  it('does not identify anyone by a name alone or by a mistyped ID', () => {
    const byName = identifyPersons(msg({ subject: 'ส่งเอกสาร นายสมชาย ใจดีทดสอบ' }), {});
    expect(byName.persons).toEqual([]);
    expect(byName.notes).toEqual(['ไม่พบเลขประจำตัวประชาชน 13 หลักที่ถูกต้อง']);
    const byTypo = identifyPersons(msg({ subject: `นายสมชาย ใจดีทดสอบ ${mistyped(SOMCHAI.nationalId)}` }), {});
    expect(byTypo.persons).toEqual([]);
    expect(byTypo.notes[0]).toContain('เลขตรวจสอบผิด');
  });

  it('matches a file named only by name to the person the message identified by ID', () => {
    const result = identifyPersons(msg({
      text: `นายสมชาย ใจดีทดสอบ ${SOMCHAI.nationalId}\nนางวันดี มีสุขจำลอง ${WANDEE.nationalId}`,
      files: ['สมชาย ใจดีทดสอบ บัตร.pdf', 'วันดี_มีสุขจำลอง_บัตร.pdf'],
    }), {});
    expect(owners(result)).toEqual({ [SOMCHAI.nationalId]: [0], [WANDEE.nationalId]: [1] });
  });
});

describe('identifyPersons on real .eml bytes', () => {
  const limits = configSchema.parse({}).limits;

  it('reads a Thai subject and RFC 2231 file names', async () => {
    const raw = submission({
      subject: `ส่งเอกสารรับรอง SEIS ${formatNationalId(SOMSRI.nationalId)}`,
      attachments: [
        { name: 'บัตรประชาชน.pdf', content: fakePdf(), style: 'rfc2231' },
        { name: `บัตรบิดา ${FATHER_ID}.pdf`, content: fakePdf(), style: 'b' },
      ],
    });
    const parsed = await parseMessage(raw, { limits });
    expect(owners(identifyPersons(parsed, { roster }))).toEqual({ [SOMSRI.nationalId]: [0, 1] });
  });

  it('reads a raw windows-874 subject with a name only', async () => {
    const raw = message({
      subject: rawHeader('Subject', 'ส่งเอกสาร ว่าที่ร้อยตรีประเสริฐ ทองคำตัวอย่าง').subarray('Subject: '.length),
      body: multipart('mixed', [textPart('ส่งครับ'), attachment({ name: 'tr14.pdf', content: fakePdf() })]),
    });
    const parsed = await parseMessage(raw, { limits });
    expect(identifyPersons(parsed, { roster }).persons.map((p) => p.person)).toEqual([PRASERT]);
  });

  it('splits a ZIP with one cp874 folder per person', async () => {
    const zip = await buildZip([
      { name: 'นายสมชาย ใจดีทดสอบ/บัตรประชาชน.pdf', content: fakePdf('a'), nameEncoding: 'cp874' },
      { name: `${WANDEE.nationalId}/บัตรประชาชน.pdf`, content: fakePdf('b'), nameEncoding: 'cp874' },
    ]);
    const raw = submission({ subject: 'เอกสารของเจ้าหน้าที่ 2 ราย', attachments: [{ name: 'เอกสาร.zip', content: zip, contentType: 'application/zip' }] });
    const parsed = await parseMessage(raw, { limits });
    const result = identifyPersons(parsed, { roster });
    const pdfs = (id: string) => (owners(result)[id] ?? []).map((i) => parsed.files[i].folders.join('/'));
    expect(pdfs(SOMCHAI.nationalId)).toEqual(['นายสมชาย ใจดีทดสอบ']);
    expect(pdfs(WANDEE.nationalId)).toEqual([WANDEE.nationalId]);
  });

  it('finds the ID in the body of a forwarded message', async () => {
    const inner = submission({ subject: 'เอกสาร', text: `เลขประจำตัวประชาชน ${SOMCHAI.nationalId}`, attachments: [] });
    const raw = message({
      subject: 'Fwd: เอกสาร',
      body: multipart('mixed', [textPart('ส่งต่อครับ'), forwardedPart(inner, 'เอกสาร.eml'), attachment({ name: 'บัตร.pdf', content: fakePdf() })]),
    });
    const parsed = await parseMessage(raw, { limits });
    expect(identifyPersons(parsed, { roster }).persons.map((p) => p.person)).toEqual([SOMCHAI]);
  });
});

describe('Thai names', () => {
  it.each([
    ['นายสมชาย', 'นาย', 'สมชาย'],
    ['นางสาวสมศรี', 'นางสาว', 'สมศรี'],
    ['นางวันดี', 'นาง', 'วันดี'],
    ['น.ส. สมศรี', 'น.ส.', 'สมศรี'],
    ['ผศ.ดร.สมหมาย', 'ผศ.ดร.', 'สมหมาย'],
    ['ว่าที่ ร.ต.หญิง สมใจ', 'ว่าที่ ร.ต.หญิง', 'สมใจ'],
    ['ว่าที่ ร.ต. หญิง สมใจ', 'ว่าที่ ร.ต. หญิง', 'สมใจ'],
    ['จ.ส.อ.สมพงษ์', 'จ.ส.อ.', 'สมพงษ์'],
    ['พ.ต.ท.สมยศ', 'พ.ต.ท.', 'สมยศ'],
    ['Mrs Jane', 'Mrs', 'Jane'],
  ])('strips the prefix of %s', (name, prefix, rest) => {
    expect(stripPrefix(name)).toEqual({ prefix, rest });
  });

  it('leaves a bare prefix and a name without one alone', () => {
    expect(stripPrefix('นาย')).toEqual({ rest: 'นาย' });
    expect(stripPrefix('สมชาย')).toEqual({ rest: 'สมชาย' });
  });

  it('lists the prefixes officers use, spelled out and abbreviated', () => {
    for (const p of ['นาย', 'นาง', 'นางสาว', 'น.ส.', 'ว่าที่ร้อยตรี', 'ว่าที่ ร.ต.', 'ดร.', 'จ.ส.อ.', 'ร.ต.อ.', 'นพ.', 'ผศ.']) {
      expect(THAI_PREFIXES).toContain(p);
    }
  });

  it('compares names without prefixes, punctuation, extra spaces or decomposed ำ', () => {
    expect(normaliseThaiName('  นางสาว  สมศรี   รักงาน ')).toBe('สมศรี รักงาน');
    expect(normaliseThaiName('น.ส.สมศรี_รักงาน')).toBe('สมศรี รักงาน');
    expect(normaliseThaiName('ทองค\u0E4D\u0E32')).toBe(normaliseThaiName('ทองคำ'));
    expect(cleanThai('\u0E40\u0E40ก\u200B่\u00A0ค\u0E4D\u200D\u0E32 e\u0301')).toBe('แก่ คำ \u00E9');
  });

  it('extracts prefixed and labelled names from free text, stopping at a glued document word', () => {
    expect(extractNamedPersons('ข้าพเจ้า นายสมชาย ใจดีทดสอบ ตำแหน่ง นักพัฒนาชุมชน')).toEqual([{ prefix: 'นาย', firstName: 'สมชาย', lastName: 'ใจดีทดสอบ' }]);
    expect(extractNamedPersons('ว่าที่ร้อยตรีประเสริฐ_ทองคำตัวอย่าง_บัตรประชาชน.pdf')).toEqual([
      { prefix: 'ว่าที่ร้อยตรี', firstName: 'ประเสริฐ', lastName: 'ทองคำตัวอย่าง' },
    ]);
    expect(extractNamedPersons('สมชาย ใจดีทดสอบบัตรประชาชน นายสมชาย ใจดีทดสอบบัตรบิดา')).toEqual([
      { prefix: 'นาย', firstName: 'สมชาย', lastName: 'ใจดีทดสอบ' },
    ]);
    expect(extractNamedPersons('ชื่อ-สกุล สมศรี รักงาน')).toEqual([{ firstName: 'สมศรี', lastName: 'รักงาน' }]);
    expect(extractNamedPersons('ชื่อ สมศรี นามสกุล รักงาน')).toEqual([{ firstName: 'สมศรี', lastName: 'รักงาน' }]);
  });

  it('does not read offices and everyday phrases as names', () => {
    expect(extractNamedPersons('เรียน นายทะเบียนอำเภอ เมือง และนายกเทศมนตรี ทดสอบ')).toEqual([]);
    expect(extractNamedPersons('ทราบว่าที่อยู่ ไม่ถูกต้อง')).toEqual([]);
    expect(extractNamedPersons('นายสมชาย\nใจดีทดสอบ')).toEqual([]);
  });
});
