// Names of every folder and file in the archive, as pure functions, so the store and the filing plan agree
// and hostile names are neutralised in one place. It does no I/O: adapters/archive-store.ts checks the disk.
import { displayName } from './person-name.ts';
import { isWindowsReserved, stripUnsafeChars, truncate } from './safe-name.ts';
import type { EducationPart, Person } from './types.ts';

export const UNKNOWN_UNIT = 'ไม่ระบุสังกัด';
/** Linux allows 255 bytes per name; Thai letters take 3 bytes each in UTF-8. Leaves room for " (99)". */
const MAX_SEGMENT_BYTES = 200;
const BANGKOK_OFFSET_MS = 7 * 60 * 60 * 1000;
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+=-]{0,199}$/;

/**
 * One path segment that is safe on Linux, macOS and Windows shares: the attachment-name rules of
 * safe-name.ts, plus no leading dots/underscores (hidden files, our `_` folders) and a byte bound.
 */
export function safeSegment(name: string, fallback = 'file', maxBytes = MAX_SEGMENT_BYTES): string {
  let text = stripUnsafeChars(name, true)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[._\s]+/, '');
  text = truncate(text, Number.POSITIVE_INFINITY, maxBytes).replace(/[.\s]+$/, '');
  if (!text || text === '.' || text === '..') return fallback;
  if (isWindowsReserved(text)) text = `file-${text}`;
  return text;
}

/** A file name that keeps its extension when it has to be shortened. */
export function safeFileName(name: string, fallback = 'file'): string {
  const clean = safeSegment(name, fallback, Number.POSITIVE_INFINITY);
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  const base = ext ? clean.slice(0, dot) : clean;
  const room = MAX_SEGMENT_BYTES - Buffer.byteLength(ext);
  return safeSegment(truncate(base, Number.POSITIVE_INFINITY, room) + ext, fallback);
}

/** `name.pdf` → `name (2).pdf`: the n-th name for a different file of the same name. */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

/**
 * The first of make(1), make(2), … that `taken` does not hold: the next free numbered name. `key` is how names
 * compare (lower case where the disk does not tell case apart).
 */
export function nextFreeName(make: (n: number) => string, taken: { has(name: string): boolean }, key = (name: string) => name): string {
  for (let n = 1;; n++) {
    const name = make(n);
    if (!taken.has(key(name))) return name;
  }
}

/** Keys used as file names (message keys, raw sha256 keys) must already be plain; anything else is a bug upstream. */
export function assertKey(key: string, what = 'key'): string {
  if (!KEY_PATTERN.test(key) || key.includes('..')) throw new Error(`unsafe ${what} for a file name: ${JSON.stringify(key)}`);
  return key;
}

export function assertNationalId(id: string): string {
  if (!/^\d{13}$/.test(id)) throw new Error(`not a 13-digit national ID: ${JSON.stringify(id)}`);
  return id;
}

export function assertCampaignId(id: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new Error(`unsafe campaign id: ${JSON.stringify(id)}`);
  return id;
}

export function unitFolder(unit: string | undefined): string {
  return safeSegment(unit ?? '', UNKNOWN_UNIT);
}

/** `<nationalId> <prefix><first> <last>`, or just the ID when there is no name. */
export function personFolder(person: Person): string {
  const id = assertNationalId(person.nationalId);
  const name = person.firstName?.trim() ? safeSegment(displayName(person), '') : '';
  return name ? `${id} ${name}` : id;
}

/** Relative to the archive root, POSIX separators (as stored in manifests and reports). */
export function personDirPath(campaignId: string, person: Person): string {
  return `${assertCampaignId(campaignId)}/${unitFolder(person.unit)}/${personFolder(person)}`;
}

function bangkok(date: Date) {
  const local = new Date(date.getTime() + BANGKOK_OFFSET_MS);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    year: local.getUTCFullYear(),
    month: pad(local.getUTCMonth() + 1),
    day: pad(local.getUTCDate()),
    time: `${pad(local.getUTCHours())}${pad(local.getUTCMinutes())}${pad(local.getUTCSeconds())}`,
  };
}

/** `_messages/YYYY/MM/<sha256>.eml`, month of arrival in Bangkok, Common Era (a system area, sorted by tools). */
export function messageEmlPath(rawKey: string, receivedAt: Date): string {
  const t = bangkok(receivedAt);
  return `_messages/${t.year}/${t.month}/${assertKey(rawKey, 'raw key')}.eml`;
}

export const MESSAGES_DIR = '_messages';
/** The text a file's pages gave (content reading), by the file's sha256: nothing is read twice. */
export const contentCachePath = (sha256: string) => {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad sha256 for the content cache');
  return `_state/content/${sha256.slice(0, 2)}/${sha256}.json`;
};
/** A file's first page as a small PNG (the dashboard's thumbnail), by the file's sha256: rendered once. */
export const thumbnailPath = (sha256: string) => {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad sha256 for the thumbnail cache');
  return `_state/thumbs/${sha256.slice(0, 2)}/${sha256}.png`;
};
export const messageRecordPath = (messageKey: string) => `_state/messages/${assertKey(messageKey, 'message key')}.json`;
export const messageLockPath = (messageKey: string) => `_state/locks/messages/${assertKey(messageKey, 'message key')}.lock`;
/** Held while one mail (a reply, a staff mail) is being delivered, beside the lock of its record. */
export const deliveryLockPath = (scope: 'messages' | 'staff-mail' | 'reminders', id: string) => `_state/locks/${scope}/${assertKey(id, 'mail id')}.send.lock`;
export const personIndexPath = (campaignId: string, nationalId: string) =>
  `_state/persons/${assertCampaignId(campaignId)}/${assertNationalId(nationalId)}.json`;
export const personLockPath = (campaignId: string, nationalId: string) => `_state/locks/${assertCampaignId(campaignId)}/${assertNationalId(nationalId)}.lock`;
export const outboxPath = (messageKey: string) => `_outbox/${assertKey(messageKey, 'message key')}.eml`;
export const unmatchedDirPath = (campaignId: string, messageKey: string) =>
  `${assertCampaignId(campaignId)}/_unmatched/${assertKey(messageKey, 'message key')}`;
export const unmatchedLockPath = (campaignId: string, messageKey: string) =>
  `_state/locks/${assertCampaignId(campaignId)}/unmatched-${assertKey(messageKey, 'message key')}.lock`;

/** Inside a person folder. */
export const MANIFEST = 'manifest.json';
export const SUPERSEDED_DIR = '_superseded';
export const PROBLEMS_DIR = '_problems';
export const COMBINED_DIR = '_combined';
export const ORIGINALS_DIR = '_originals';
export const originalLinkPath = (messageKey: string) => `${ORIGINALS_DIR}/${assertKey(messageKey, 'message key')}.eml`;

export function safeExt(ext: string | undefined, fallback = 'pdf'): string {
  const clean = (ext ?? '').replace(/^\./, '').toLowerCase();
  return /^[a-z0-9]{1,8}$/.test(clean) ? clean : fallback;
}

/** `id-card.pdf`, `appointment-education-degree.pdf`, `child-id-2.pdf` (n ≥ 2 for further files of one item). */
export function documentFileName(item: string, part: EducationPart | undefined, ext: string, n = 1): string {
  const base = safeSegment(item, 'document') + (part && part !== 'both' ? `-${part}` : '');
  return `${base}${n > 1 ? `-${n}` : ''}.${safeExt(ext)}`;
}

/**
 * `_superseded/id-card-2566-09-20-101500.pdf`: staff read these names, so the stamp is the Bangkok time
 * the old version arrived, in Buddhist Era; `-2`, `-3`… when two versions arrived in the same second.
 */
export function supersededPath(fileName: string, receivedAt: Date, n = 1): string {
  const t = bangkok(receivedAt);
  const dot = fileName.lastIndexOf('.');
  const base = dot > 0 ? fileName.slice(0, dot) : fileName;
  const ext = dot > 0 ? fileName.slice(dot) : '';
  const stamp = `${t.year + 543}-${t.month}-${t.day}-${t.time}`;
  return `${SUPERSEDED_DIR}/${base}-${stamp}${n > 1 ? `-${n}` : ''}${ext}`;
}

/** `_combined/<original name>`: a combined PDF kept as it came, beside the documents cut out of it. */
export function combinedPath(originalName: string, n = 1): string {
  return `${COMBINED_DIR}/${numberedName(safeFileName(originalName), n)}`;
}

export function problemPath(originalName: string, n = 1): string {
  return `${PROBLEMS_DIR}/${numberedName(safeFileName(originalName), n)}`;
}
