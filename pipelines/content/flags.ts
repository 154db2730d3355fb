// Page checks for staff: blank, unreadable (too little text, or OCR unsure of it), low resolution, and text
// without the "สำเนาถูกต้อง" certification. Flags describe; whether one rejects a file is the config's call.
import { THRESHOLDS } from './lexicon.ts';
import { meaningfulChars } from './normalise.ts';
import type { PageFlag, PageText } from './types.ts';

export function pageFlags(page: PageText, certified: boolean): PageFlag[] {
  const flags: PageFlag[] = [];
  const chars = meaningfulChars(page.text);
  const gaveUp = page.timedOut || page.failed || page.source === 'none';
  const blank = !gaveUp && chars < THRESHOLDS.blankChars && !((page.ink ?? 0) >= THRESHOLDS.blankInk);
  const unreadable = !blank && (gaveUp || chars < THRESHOLDS.unreadableChars
    || (page.confidence !== undefined && page.confidence < THRESHOLDS.unreadableConfidence));
  if (blank) flags.push('blank');
  if (unreadable) flags.push('unreadable');
  if (page.dpi !== undefined && page.dpi < THRESHOLDS.lowDpi) flags.push('low-resolution');
  if (!blank && !unreadable && !certified) flags.push('no-certification');
  return flags;
}
