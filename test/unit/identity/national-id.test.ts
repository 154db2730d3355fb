import { describe, expect, it } from 'vitest';
import { asciiDigits, checkDigit, findNationalIds, formatNationalId, isValidNationalId, locateNationalIds, maskNationalId,
  withCheckDigit } from '../../../pipelines/identity/national-id.ts';
import { ROSTER, SOMCHAI, mistyped } from '../../helpers/people.ts';

describe('check digit', () => {
  it('computes (11 − Σ dᵢ·(13−i) mod 11) mod 10 over the first twelve digits', () => {
    // 1·13 + 1·12 + 0·11 + 1·10 + 7·9 + 0·8 + 0·7 + 1·6 + 2·5 + 3·4 + 4·3 + 5·2 = 148; 148 mod 11 = 5; 11 − 5 = 6
    expect(checkDigit('110170012345')).toBe(6);
    // 1·4 + 1·3 + 2·2 = 11 ≡ 0 → 11 − 0 = 11 → 1;  1·4 + 4·2 = 12 ≡ 1 → 11 − 1 = 10 → 0
    expect(checkDigit('000000000112')).toBe(1);
    expect(checkDigit('000000000104')).toBe(0);
  });

  it('accepts every fictional test person and rejects each one-digit typo of the last digit', () => {
    for (const p of ROSTER) {
      expect(isValidNationalId(p.nationalId)).toBe(true);
      expect(isValidNationalId(mistyped(p.nationalId))).toBe(false);
    }
  });

  it.each([
    ['12 digits', '110170012345'],
    ['14 digits', '11017001234567'],
    ['a leading zero', withCheckDigit('010170012345')],
    ['a dash inside', '1-101700123456'],
  ])('rejects %s', (_, id) => {
    expect(isValidNationalId(id)).toBe(false);
  });

  it('refuses to complete anything but twelve digits', () => {
    expect(() => withCheckDigit('12345')).toThrow();
    expect(withCheckDigit('110170012345')).toHaveLength(13);
  });
});

describe('finding IDs in text', () => {
  const id = SOMCHAI.nationalId;
  const thai = id.replace(/\d/g, (d) => '๐๑๒๓๔๕๖๗๘๙'[Number(d)]);
  it.each([
    ['plain', `เลข ${id}`],
    ['card dashes', `เลข ${formatNationalId(id)}`],
    ['spaces', formatNationalId(id).replace(/-/g, ' ')],
    ['dots', formatNationalId(id).replace(/-/g, '.')],
    ['Thai digits', `เลขประจำตัว ${thai}`],
    ['full-width digits', id.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))],
    ['glued to Thai text in a file name', `บัตรประชาชน${id}สมชาย.pdf`],
    ['before an underscore', `${id}_บัตร.pdf`],
  ])('finds the ID written as %s', (_, text) => {
    expect(findNationalIds(text)).toEqual([{ id, valid: true }]);
  });

  it('marks a mistyped ID as invalid instead of dropping it', () => {
    expect(findNationalIds(`เลข ${mistyped(id)}`)).toEqual([{ id: mistyped(id), valid: false }]);
  });

  it('ignores longer digit runs, phone numbers and dates, and reports each ID once', () => {
    expect(findNationalIds(`บัญชี 12345678901234 โทร 081-234-5678 วันที่ 2566-09-22`)).toEqual([]);
    expect(findNationalIds(`${id} และ ${formatNationalId(id)}`)).toEqual([{ id, valid: true }]);
  });

  it('locates every occurrence with offsets into the text as given', () => {
    const text = `ก ${thai} ข ${formatNationalId(id)}`;
    const found = locateNationalIds(text);
    expect(found.map((o) => text.slice(o.index, o.end))).toEqual([thai, formatNationalId(id)]);
    expect(found.every((o) => o.id === id && o.valid)).toBe(true);
  });
});

describe('display', () => {
  it('formats as printed on the card and masks all but the last four digits', () => {
    expect(formatNationalId('1101700123456')).toBe('1-1017-00123-45-6');
    expect(maskNationalId('1101700123456')).toBe('x-xxxx-xxxx3-45-6');
    expect(findNationalIds(maskNationalId('1101700123456'))).toEqual([]);
  });

  it('turns Thai and full-width digits into ASCII and leaves other text alone', () => {
    expect(asciiDigits('ทร.๑๔ ２０２３ abc')).toBe('ทร.14 2023 abc');
  });
});
