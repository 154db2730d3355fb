import { describe, expect, it } from 'vitest';
import { prefixedNameFinder } from '../../../pipelines/identity/prefixed-names.ts';
import { TEXT_PREFIXES, locateNamedPersons } from '../../../pipelines/identity/thai-names.ts';

// The regular expression the finder stands in for (thai-names.ts used it until its compiling cost showed).
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const THAI_WORD = '[\\u0E01-\\u0E3A\\u0E40-\\u0E4E]+';
const REGEX = new RegExp(
  `((?:(?:ว่าที่[ \\t]*)?(?:${TEXT_PREFIXES.map(escape).join('|')})[ \\t]*){1,3})(${THAI_WORD})[ \\t\\u00A0_\\-]+(${THAI_WORD})`,
  'g',
);
const viaRegex = (text: string) =>
  [...text.matchAll(REGEX)].map((m) => ({ index: m.index, prefixes: m[1], first: m[2], last: m[3], end: m.index + m[0].length }));
const find = prefixedNameFinder(TEXT_PREFIXES);

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}

describe('prefixed names found without a regex', () => {
  it('finds what the regex finds in officers\' text and file names', () => {
    for (
      const text of [
        'ขอส่งเอกสารของ นายสมชาย ใจดี เลขประจำตัวประชาชน 3900000000007',
        'ว่าที่ ร.ต.หญิง สมศรี_ใจดี และ ผศ.ดร.สมชาย ทองคำ',
        'นางสาวสมศรี รักงาน นาง สาวิตรี ดีใจ นายก เทศมนตรี',
        'ว่าที่ร้อยตรีประเสริฐ-ทองคำ ว่าที่ ว่าที่ร้อยตรี ก ข',
        'บัตรประชาชน_นิพร.pdf',
        'ร.ต.ต. ร.ต. สม ชาย',
      ]
    ) expect(find(text)).toEqual(viaRegex(text));
  });

  it('finds what the regex finds in random mixes of prefixes, Thai letters, blanks and gaps', () => {
    const next = random(13);
    const pieces = [...TEXT_PREFIXES, 'ว่าที่', 'ว่าที่ ', ' ', '  ', '\t', '_', '-', '\u00A0', '.', 'สม', 'ชาย', 'ใจดี', 'ก', 'ร', 'ต', 'หญิง', '1', 'a', '\n'];
    for (let i = 0; i < 20000; i++) {
      let text = '';
      const n = 1 + Math.floor(next() * 8);
      for (let j = 0; j < n; j++) text += pieces[Math.floor(next() * pieces.length)];
      expect(find(text), JSON.stringify(text)).toEqual(viaRegex(text));
    }
  });

  it('keeps the spans locateNamedPersons gives', () => {
    expect(locateNamedPersons('ผศ.ดร.สมชาย ใจดีบัตรประชาชน')).toEqual([
      { prefix: 'ผศ.ดร.', firstName: 'สมชาย', lastName: 'ใจดี', index: 0, end: 16 },
    ]);
  });
});
