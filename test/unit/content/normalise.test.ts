import { describe, expect, it } from 'vitest';
import { findIdsInText, findKnownName, findNamesInText, fixDigitRuns, joinIdGroups, meaningfulChars, normaliseOcrText,
  skeleton } from '../../../pipelines/content/index.ts';
import { withCheckDigit } from '../../../pipelines/identity/index.ts';
import { SOMCHAI, SOMSRI } from '../../helpers/people.ts';

const ID = SOMCHAI.nationalId; // 1101700123454
const grouped = (id: string) => `${id[0]} ${id.slice(1, 5)} ${id.slice(5, 10)} ${id.slice(10, 12)} ${id[12]}`;

describe('normaliseOcrText', () => {
  it('composes the sara am tesseract splits, and makes Thai digits ASCII', () => {
    expect(normaliseOcrText('บัตรประจ\u0E4D\u0E32ตัวประชาชน')).toBe('บัตรประจำตัวประชาชน');
    expect(normaliseOcrText('พ.ศ. ๒๕๖๖')).toBe('พ.ศ. 2566');
  });

  it('joins an ID printed in groups, however OCR moved the spaces', () => {
    for (const printed of [grouped(ID), `${ID.slice(0, 5)} ${ID.slice(5, 10)} ${ID.slice(10, 12)} ${ID[12]}`, `1 101 7 00123 45 ${ID[12]}`,
      `1-1017-00123-45-${ID[12]}`, `1  1017  00123 45 ${ID[12]}`]) {
      expect(normaliseOcrText(`เลขประจำตัวประชาชน ${printed} ชื่อ`)).toBe(`เลขประจำตัวประชาชน ${ID} ชื่อ`);
    }
  });

  it('reads O, l, I, |, S and B as digits inside a digit run, nowhere else', () => {
    expect(fixDigitRuns('1 1O17 OO123 45 4')).toBe('1 1017 00123 45 4');
    expect(fixDigitRuns('4l7 2S0B')).toBe('417 2508');
    expect(fixDigitRuns('SEIS DPIS Blood 0K B+ A')).toBe('SEIS DPIS Blood 0K B+ A');
    expect(normaliseOcrText(`1 1O17 OO123 45 ${ID[12]}`)).toBe(ID);
  });

  it('leaves digit groups alone that do not make a valid ID (grade columns, dates, phone numbers)', () => {
    expect(joinIdGroups('3 3 3 3 3 3 3 3 3 3 3 3 3')).toBe('3 3 3 3 3 3 3 3 3 3 3 3 3');
    expect(joinIdGroups('โทร 0 5311 2345 ที่ 123/2566')).toBe('โทร 0 5311 2345 ที่ 123/2566');
    expect(joinIdGroups(`ลำดับที่ 2 ${grouped(ID)}`)).toBe(`ลำดับที่ 2 ${ID}`);
    // 13 digits with a passing check digit, but grouped 4-2-7 like a card-request number, not like an ID
    const requestLike = `${ID.slice(0, 4)}-${ID.slice(4, 6)}-${ID.slice(6)}`;
    expect(joinIdGroups(requestLike)).toBe(requestLike);
  });

  it('compares words without spaces, small marks or look-alike letters', () => {
    expect(skeleton('สำเนาถูกต้อง')).toBe(skeleton('สํ าเนาถูกตอง'));
    expect(skeleton('ลงชื่อ')).toBe(skeleton('ลงซือ'));
    expect(skeleton('Transcript of Records')).toBe('transcriptofrecords');
  });

  it('counts letters and digits, not the stray marks of a blank scan', () => {
    expect(meaningfulChars(' \' , . | — _\n\n')).toBe(0);
    expect(meaningfulChars('ทะเบียนบ้าน 12')).toBeGreaterThan(8);
  });
});

describe('IDs and names in OCR text', () => {
  it('reports only IDs whose check digit passes, with the role the line gives', () => {
    const father = withCheckDigit('350010023456');
    const text = normaliseOcrText([
      `ชื่อ นายสมชาย ชื่อสกุล ใจดีทดสอบ`,
      `เลขประจําตัวประชาชน ${grouped(ID)}`,
      `เลขประจำตัวประชาชนบิดา ${grouped(father)}`,
      `เลขที่ 1 2345 67890 12 0`,
    ].join('\n'));
    expect(findIdsInText(text)).toEqual([{ id: ID }, { id: father, role: 'father' }]);
  });

  it('reads names split by the form\'s labels and layout, with their roles', () => {
    const text = normaliseOcrText([
      'ชื่อ นา',
      'ผตาย',
      'VO ูนายบุญมี',
      'ชอสกุล ใจดีทดสอบ',
      'มารดา ชื่อ ูนางสายใจ แสงทองสมมุติ สัญชาติ ไทย',
      'ผู้แจ้งการตาย ชื่อ นายสมชาย ใจดีทดสอบ เกี่ยวข้องเป็น บุตร',
      '(นายสมชาย ใจดีทดสอบ)',
    ].join('\n'));
    expect(findNamesInText(text)).toEqual([
      { prefix: 'นาย', firstName: 'บุญมี', lastName: 'ใจดีทดสอบ', role: 'deceased' },
      { prefix: 'นาง', firstName: 'สายใจ', lastName: 'แสงทองสมมุติ', role: 'mother' },
      { prefix: 'นาย', firstName: 'สมชาย', lastName: 'ใจดีทดสอบ', role: 'informant' },
    ]);
  });

  it('finds a known person in text that lost small marks or a letter, and not someone else', () => {
    expect(findKnownName(skeleton('(นางสาวสมศร รกงานสมมุต)'), SOMSRI)).toEqual({ distance: 0 });
    expect(findKnownName(skeleton('นางสาวสมศรี รักงานสมมติ'), SOMSRI)).toBeDefined();
    expect(findKnownName(skeleton('นางสาวสมศรี รักงานสมมุติ'), SOMCHAI)).toBeUndefined();
  });
});
