import { describe, expect, it } from 'vitest';
import { matchesOf } from '../../../pipelines/identity/matches.ts';

const same = (re: RegExp, text: string) => {
  const want = [...text.matchAll(new RegExp(re.source, re.flags))].map((m) => [m.index, ...m]);
  expect(matchesOf(re, text).map((m) => [m.index, ...m])).toEqual(want);
  expect(re.lastIndex).toBe(0);
};

describe('matchesOf: matchAll without a copy of the regex', () => {
  it('gives the same matches, empty ones and surrogate pairs included, and leaves the regex reusable', () => {
    same(/(?<![\d])(\d(?:[ \-.]?\d){12})(?![\d])/g, 'บัตร 1-2345-67890-12-3 และ 3900000000007 โทร 0812345678901234');
    same(/บิดา|มารดา|แม่(?!ฮ่องสอน)/gi, 'บัตรแม่ฮ่องสอน บิดา มารดา แม่');
    same(/x*/g, 'axxb');
    same(/x*/gu, 'a😀xx😀');
    same(/z/g, '');
  });

  it('refuses a regex without the g flag (exec would loop on the first match)', () => {
    expect(() => matchesOf(/a/, 'aa')).toThrow(TypeError);
  });
});
