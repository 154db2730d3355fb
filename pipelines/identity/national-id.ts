// Thai 13-digit national ID: normalisation (Thai digits, dashes, spaces) and the check digit
// (11 − Σ dᵢ·(13−i) mod 11) mod 10 over the first twelve digits.
import { matchesOf } from './matches.ts';

const THAI_DIGITS = '๐๑๒๓๔๕๖๗๘๙';

/** Thai digits ๐-๙ and full-width digits become ASCII; everything else is kept. */
export function asciiDigits(text: string): string {
  return text.replace(/[๐-๙０-９]/g, (ch) => {
    const thai = THAI_DIGITS.indexOf(ch);
    return String(thai >= 0 ? thai : ch.charCodeAt(0) - 0xff10);
  });
}

export function checkDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}

export function isValidNationalId(id: string): boolean {
  return /^\d{13}$/.test(id) && id[0] !== '0' && checkDigit(id) === Number(id[12]);
}

/** Completes twelve digits into a valid ID (for fictional test people and demo data). */
export function withCheckDigit(first12: string): string {
  if (!/^\d{12}$/.test(first12)) throw new Error('need exactly 12 digits');
  return first12 + String(checkDigit(first12));
}

export interface NationalIdCandidate {
  id: string;
  valid: boolean;
}

/** Thirteen digits, single spaces, dashes or dots between them, not glued to more digits. */
const ID_RUN = /(?<![\d])(\d(?:[ \-.]?\d){12})(?![\d])/g;

/**
 * Finds 13-digit runs written as 1234567890123, 1-2345-67890-12-3, 1 2345 67890 12 3 or in Thai digits.
 * Digits glued to longer digit runs are ignored (phone numbers, bank accounts).
 */
export function findNationalIds(text: string): NationalIdCandidate[] {
  const normalised = asciiDigits(text.normalize('NFC'));
  const found = new Map<string, NationalIdCandidate>();
  for (const match of matchesOf(ID_RUN, normalised)) {
    const id = match[1].replace(/[ \-.]/g, '');
    if (id.length !== 13) continue;
    if (!found.has(id)) found.set(id, { id, valid: isValidNationalId(id) });
  }
  return [...found.values()];
}

/** "1-2345-67890-12-3": the way IDs are printed on the card. */
export function formatNationalId(id: string): string {
  return `${id[0]}-${id.slice(1, 5)}-${id.slice(5, 10)}-${id.slice(10, 12)}-${id[12]}`;
}

export interface NationalIdOccurrence extends NationalIdCandidate {
  /** Where the ID starts and ends in the text given (Thai digits are one UTF-16 unit, so offsets line up). */
  index: number;
  end: number;
}

/** Every occurrence of a 13-digit run, with its position; same rules as findNationalIds. */
export function locateNationalIds(text: string): NationalIdOccurrence[] {
  const normalised = asciiDigits(text);
  const out: NationalIdOccurrence[] = [];
  for (const match of matchesOf(ID_RUN, normalised)) {
    const id = match[1].replace(/[ \-.]/g, '');
    if (id.length !== 13) continue;
    out.push({ id, valid: isValidNationalId(id), index: match.index, end: match.index + match[0].length });
  }
  return out;
}

/** "x-xxxx-xxxx7-89-0" (as the reply prints IDs): enough to recognise, useless to a mailbox thief. */
export function maskNationalId(id: string): string {
  return `x-xxxx-xxxx${id[9]}-${id.slice(10, 12)}-${id[12]}`;
}
