// Page checks for staff: blank, unreadable (too little text, or OCR unsure of it), low resolution, and text
// without the "สำเนาถูกต้อง" certification. Flags describe; whether one rejects a file is the config's call.
import { THRESHOLDS } from './lexicon.ts';
import { meaningfulChars } from './normalise.ts';
import type { PageFlag, PageText } from './types.ts';

/**
 * `recognised`: the page was given a kind. A low-resolution page that could not be is unreadable too (the issue
 * counts scans under ~150 dpi among unreadable pages); one that was read with confidence keeps only the flag.
 */
export function pageFlags(page: PageText, certified: boolean, recognised = true): PageFlag[] {
  const flags: PageFlag[] = [];
  const chars = meaningfulChars(page.text);
  const gaveUp = page.timedOut || page.failed || page.source === 'none';
  const lowDpi = page.dpi !== undefined && page.dpi < THRESHOLDS.lowDpi;
  const blank = !gaveUp && chars < THRESHOLDS.blankChars && !((page.ink ?? 0) >= THRESHOLDS.blankInk);
  const unreadable = !blank && (gaveUp || chars < THRESHOLDS.unreadableChars
    || (page.confidence !== undefined && page.confidence < THRESHOLDS.unreadableConfidence) || (lowDpi && !recognised));
  if (blank) flags.push('blank');
  if (unreadable) flags.push('unreadable');
  if (lowDpi) flags.push('low-resolution');
  if (!blank && !unreadable && !certified) flags.push('no-certification');
  return flags;
}
