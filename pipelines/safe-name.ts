// Makes any attachment or ZIP entry name safe to show and to use as one path segment in the archive.
// It does not decide folders: callers split ZIP paths into segments and pass each one here.

/** Bidi overrides/isolates and marks (U+202E turns "fdp.exe" into "exe.pdf" on screen), zero-width chars, BOM. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff]/g;
/** C0, DEL and C1 controls, NUL included. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Characters Windows (and Samba shares staff browse) refuse in names. */
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Most file systems cap one name at 255 bytes; keep a margin for "-2" style suffixes added later. */
const MAX_NAME_BYTES = 240;
const FALLBACK = 'file';

const segmenter = new Intl.Segmenter('th', { granularity: 'grapheme' });

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Removes control and invisible characters and replaces characters Windows refuses (and path separators). */
export function stripUnsafeChars(text: string, separators = false): string {
  const clean = text.normalize('NFC').replace(CONTROL, '').replace(INVISIBLE, '').replace(WINDOWS_FORBIDDEN, '_');
  return separators ? clean.replace(/[/\\]/g, '_') : clean;
}

export function isWindowsReserved(name: string): boolean {
  return WINDOWS_RESERVED.test(name);
}

/** Cuts whole graphemes (a Thai consonant keeps its vowels and tone marks) to fit both bounds. */
export function truncate(text: string, maxChars: number, maxBytes: number): string {
  let out = '';
  let chars = 0;
  let bytes = 0;
  for (const { segment } of segmenter.segment(text)) {
    const c = [...segment].length;
    const b = utf8Length(segment);
    if (chars + c > maxChars || bytes + b > maxBytes) break;
    out += segment;
    chars += c;
    bytes += b;
  }
  return out;
}

/** Splits "name.ext" when the extension looks like one (short, no spaces); otherwise no extension. */
function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return [name, ''];
  const ext = name.slice(dot);
  if (ext.length > 11 || /\s/.test(ext)) return [name, ''];
  return [name.slice(0, dot), ext];
}

/**
 * Never '', '.' or '..'; no / \ NUL or control characters; NFC; at most maxLength characters and
 * MAX_NAME_BYTES UTF-8 bytes; the extension is kept when the name has to be shortened.
 */
export function safeFileName(name: string, maxLength: number): string {
  let text = String(name ?? '').normalize('NFC');
  // A full client path (old Outlook sends C:\Users\…\scan.pdf) keeps only its last segment.
  const segments = text.split(/[/\\]+/).filter((s) => s.trim() !== '' && s !== '.' && s !== '..');
  text = segments.length > 0 ? segments[segments.length - 1] : '';
  text = stripUnsafeChars(text);
  text = text.replace(/\s+/g, ' ').trim();
  // Trailing dots and spaces vanish on Windows; a leading dot hides the file.
  text = text.replace(/[. ]+$/, '');
  if (text.startsWith('.')) text = `_${text}`;
  if (text === '' || /^[._ ]*$/.test(text)) text = FALLBACK;
  if (WINDOWS_RESERVED.test(text)) text = `_${text}`;

  const maxChars = Math.max(1, Math.floor(maxLength));
  if ([...text].length > maxChars || utf8Length(text) > MAX_NAME_BYTES) {
    const [stem, ext] = splitExtension(text);
    const extChars = [...ext].length;
    const keepExt = ext !== '' && extChars < maxChars;
    const room = keepExt ? maxChars - extChars : maxChars;
    const roomBytes = keepExt ? MAX_NAME_BYTES - utf8Length(ext) : MAX_NAME_BYTES;
    let cut = truncate(keepExt ? stem : text, room, roomBytes).replace(/[. ]+$/, '');
    if (cut === '') cut = keepExt ? FALLBACK.slice(0, Math.max(1, room)) : FALLBACK.slice(0, maxChars);
    // Shortening "console.pdf" to "con.pdf" would make a reserved name again.
    if (WINDOWS_RESERVED.test(keepExt ? cut + ext : cut)) cut = `_${[...cut].slice(0, -1).join('')}`;
    text = keepExt ? cut + ext : cut;
  }
  return text;
}
