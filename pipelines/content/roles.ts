// Whose name or ID a line gives: the kinship or form word just before it ("บิดา ชื่อ …", "เลขประจำตัว
// ประชาชนมารดา …", the heading "ผู้ตาย" above the deceased's name). Words are matched with their small
// marks optional, as OCR drops them.
import { ROLE_WORDS } from './lexicon.ts';
import type { PersonRole } from './types.ts';

const MARK = /[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E]/;
const escape = (ch: string): string => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regex source for `word` with every small mark optional and an optional space between letters. */
export function tolerantSource(word: string): string {
  return [...word.normalize('NFC')].map((ch) => (MARK.test(ch) ? `${escape(ch)}?` : ch === ' ' ? '\\s*' : `${escape(ch)}\\s?`)).join('');
}

const ROLE_PATTERNS = ROLE_WORDS.map(({ role, words, acrossLines }) => ({
  role,
  acrossLines: acrossLines ?? false,
  pattern: new RegExp(words.map(tolerantSource).join('|'), 'gi'),
}));
/** How far back a role word may stand: "บิดา ชื่อ นาย" is 14 characters; a heading a line or two above, 60. */
const LOOK_BACK = 40;
const LOOK_BACK_LINES = 60;

/** The role named closest before `index`, if any. */
export function roleBefore(text: string, index: number): PersonRole | undefined {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  let best: { role: PersonRole; end: number; length: number } | undefined;
  for (const { role, pattern, acrossLines } of ROLE_PATTERNS) {
    const from = acrossLines ? Math.max(0, index - LOOK_BACK_LINES) : Math.max(lineStart, index - LOOK_BACK);
    for (const m of text.slice(from, index).matchAll(pattern)) {
      const end = from + m.index + m[0].length;
      if (!best || end > best.end || (end === best.end && m[0].length > best.length)) best = { role, end, length: m[0].length };
    }
  }
  return best?.role;
}
