// What may exist in the archive, as pure rules over relative paths, for `seis-intake verify`: the system areas
// (_messages, _state, _outbox, _audit) and the names the store writes and leaves behind (temp files, locks).
// Campaign folders are checked against their manifests, not here. Features that add a state area add it here.
// It does no I/O and decides nothing about damage beyond "this path has a place in the layout".

/** Areas under _state/ and the file names each holds. */
const STATE_AREAS: Record<string, RegExp> = {
  messages: /^[A-Za-z0-9][A-Za-z0-9._@+=-]{0,199}\.json$/,
  persons: /^[a-z0-9][a-z0-9-]*\/\d{13}\.json$/,
  suppressed: /^[0-9a-f]{32}\.json$/,
  'staff-mail': /^[a-z]+-[0-9a-zA-Z_-]+(\.result)?\.json$/,
  dashboard: /^admin\.json$/,
  // what each file's pages said, by the file's sha256 (adapters/content-cache.ts)
  content: /^[0-9a-f]{2}\/[0-9a-f]{64}\.json$/,
  // the dashboard's first-page thumbnails, by the file's sha256 (adapters/thumbnail-cache.ts)
  thumbs: /^[0-9a-f]{2}\/[0-9a-f]{64}\.png$/,
  // the newest rotated OAuth refresh token per account (adapters/oauth-token-store.ts)
  oauth: /^[0-9a-f]{16}\.json$/,
  // the /readyz write probe (adapters/health-probes.ts): one per process, removed after each probe
  health: /^probe-\d+$/,
  // lock directories of proper-lockfile (anything below them is the lock library's)
  locks: /^.+$/,
  // what `verify --repair` moved aside: never deleted, never checked again
  quarantine: /^.+$/,
  // attachment bodies of the messages being processed (adapters/spool.ts): one directory per run, removed after it
  spool: /^\d+-[0-9a-f]{12}\.[A-Za-z0-9_-]+(\/\d+\.part)?$/,
};

/** Where adapters/spool.ts keeps the bodies of the messages being processed. */
export const SPOOL_DIR = '_state/spool';

export type SystemPathKind = 'original' | 'message-record' | 'person-index' | 'state' | 'outbox' | 'audit' | 'quarantine' | 'lock' | 'health-probe';

export interface TempName {
  /** The writing process (writeVia temp files); absent for `<name>.tmp` files. */
  pid?: number;
}

/** writeVia's `.tmp-<pid>-<12 hex>` and auth.ts's `<file>.tmp`: a write that never finished if nobody is writing. */
export function tempName(name: string): TempName | undefined {
  const m = /^\.tmp-(\d+)-[0-9a-f]{12}$/.exec(name);
  if (m) return { pid: Number(m[1]) };
  return name.endsWith('.tmp') ? {} : undefined;
}

export const ORIGINAL_PATH = /^_messages\/\d{4}\/\d{2}\/([0-9a-f]{64})\.eml$/;

/** The raw key (sha256 of the bytes) an original's path names. */
export function rawKeyOfPath(rel: string): string | undefined {
  return ORIGINAL_PATH.exec(rel)?.[1];
}

export type StateVerdict = { kind: SystemPathKind } | { unknownArea: string } | undefined;

/**
 * Where a path under a system area belongs: a kind, an unknown _state area (a newer feature, or debris), or
 * undefined when it has no place at all. Paths outside the system areas return undefined too.
 */
export function classifySystemPath(rel: string): StateVerdict {
  if (rel.startsWith('_messages/')) return ORIGINAL_PATH.test(rel) ? { kind: 'original' } : undefined;
  if (rel.startsWith('_outbox/')) return /^_outbox\/[A-Za-z0-9][A-Za-z0-9._@+=-]{0,199}\.eml$/.test(rel) ? { kind: 'outbox' } : undefined;
  if (rel.startsWith('_audit/')) return /^_audit\/\d{4}-\d{2}-\d{2}\.jsonl$/.test(rel) ? { kind: 'audit' } : undefined;
  if (!rel.startsWith('_state/')) return undefined;
  const rest = rel.slice('_state/'.length);
  const slash = rest.indexOf('/');
  const area = slash < 0 ? rest : rest.slice(0, slash);
  const inside = slash < 0 ? '' : rest.slice(slash + 1);
  const rule = STATE_AREAS[area];
  if (!rule) return { unknownArea: area };
  if (!rule.test(inside)) return undefined;
  const kinds: Record<string, SystemPathKind> = {
    messages: 'message-record',
    persons: 'person-index',
    locks: 'lock',
    quarantine: 'quarantine',
    health: 'health-probe',
  };
  return { kind: kinds[area] ?? 'state' };
}

/** Top-level names the store may create besides campaign folders. */
export const SYSTEM_DIRS = ['_messages', '_state', '_outbox', '_audit'];

/** A campaign or unit-campaign folder name (config/schema.ts: ids and folders are lower-case words joined by "-"). */
export function isCampaignFolderName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]*$/.test(name);
}

/** `_state/quarantine/<stamp>/<rel>`: where repair moves a file it must take out of the way. */
export function quarantinePath(stamp: string, rel: string): string {
  return `_state/quarantine/${stamp}/${rel}`;
}
