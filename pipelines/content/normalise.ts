// OCR text made comparable: NFC and Thai typing fixes, Thai digits as ASCII, letters OCR confuses with digits
// fixed inside digit runs only, and ID numbers printed in groups joined. skeleton() goes further for matching
// words: no spaces or punctuation, no small marks (OCR drops them), look-alike letters folded.
import { asciiDigits, cleanThai } from '../identity/index.ts';
import { joinIdGroups } from './ids.ts';

const CONFUSED: Record<string, string> = { O: '0', o: '0', l: '1', I: '1', '|': '1', S: '5', B: '8' };

/**
 * Inside a run of digits, O/o → 0, l/I/| → 1, S → 5, B → 8. A run must hold at least two real digits and
 * no more look-alikes than digits, and must not touch a Latin word ("SOLID", "B2B", "Blood" are left alone).
 */
export function fixDigitRuns(text: string): string {
  return text.replace(/(?<![A-Za-z])[0-9OoIlSB|]+(?![A-Za-z])/g, (run) => {
    const digits = run.replace(/\D/g, '').length;
    if (digits < 2 || digits < run.length - digits) return run;
    return run.replace(/[OoIlSB|]/g, (ch) => CONFUSED[ch]);
  });
}

/** The text every other step reads: one form per character, ASCII digits, IDs as 13 digits. */
export function normaliseOcrText(text: string): string {
  const clean = asciiDigits(cleanThai(text.replace(/\u0E4D[ \t]+\u0E32/g, '\u0E33')))
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2010-\u2015\u2212]/g, '-') // dashes OCR produces for "-"
    .replace(/[ \t\u3000]+/g, ' ')
    .replace(/ ?\n[\s]*\n */g, '\n'); // tesseract puts a blank line between blocks
  return joinIdGroups(fixDigitRuns(clean));
}

/** Above- and below-line vowels, tone marks, thanthakhat, nikhahit: what blurred scans lose first. */
const SMALL_MARKS = /[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E]/g;
/** Letters OCR confuses with each other in Thai print, folded to one; ำ loses its circle as often as a mark does. */
const LOOK_ALIKE: Record<string, string> = { ซ: 'ช', ป: 'บ', ฟ: 'พ', ฝ: 'ผ', ฏ: 'ฎ', ฬ: 'ห', ำ: 'า' };

/** The comparison form: lower case, letters and digits only, no small marks, look-alikes folded. */
export function skeleton(text: string): string {
  return normaliseOcrText(text)
    .toLowerCase()
    .replace(SMALL_MARKS, '')
    .replace(/[^\u0E01-\u0E30\u0E32\u0E33\u0E40-\u0E46a-z0-9]/g, '')
    .replace(/[ซปฟฝฏฬำ]/g, (ch) => LOOK_ALIKE[ch]);
}

/** Letters and digits: how much a page really says (OCR of a blank page yields a few stray marks). */
export function meaningfulChars(text: string): number {
  return (text.match(/[\u0E01-\u0E2E\u0E30-\u0E39\u0E40-\u0E44A-Za-z0-9๐-๙]/g) ?? []).length;
}
