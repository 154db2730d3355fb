// Keeps the newest refresh token of a rotating OAuth grant (Microsoft's rotate on every use) in the archive,
// `_state/oauth/<account>.json`, mode 600, so a restarted process goes on with it instead of the configured,
// older one that the provider eventually refuses. Processes sharing the archive refresh one at a time.
// It leaves out encrypting the file: the archive's permissions guard it, as they guard the documents.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { isCode, json, readJson, writeAtomic } from './atomic-fs.ts';

export interface RefreshTokenStore {
  /** The newest stored token of the configured grant; undefined when none, or when the operator configured another grant since. */
  load(): Promise<string | undefined>;
  save(refreshToken: string): Promise<void>;
  /** Runs `fn` while no other process refreshes the same grant (a rotated token must not be used twice). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

interface StoredToken {
  version: 1;
  /** sha256 of the configured OAUTH_REFRESH_TOKEN this one descends from: a newly configured grant wins. */
  configured: string;
  refreshToken: string;
  savedAt: string;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
/** A refresh is one HTTP round trip: a holder silent this long has died. */
const STALE_MS = 30_000;
const LOCK_RETRIES = { retries: 200, factor: 1.2, minTimeout: 20, maxTimeout: 500, randomize: true };

export class FileRefreshTokenStore implements RefreshTokenStore {
  readonly file: string;
  private readonly configured: string;

  constructor(archiveDir: string, account: { tokenUrl: string; clientId: string; user?: string; configuredToken: string },
    private readonly now = () => new Date()) {
    const name = hash([account.tokenUrl, account.clientId, account.user ?? ''].join('\n')).slice(0, 16);
    this.file = path.join(path.resolve(archiveDir), '_state', 'oauth', `${name}.json`);
    this.configured = hash(account.configuredToken);
  }

  async load(): Promise<string | undefined> {
    const stored = await readJson<StoredToken>(this.file).catch(() => undefined);
    return stored?.configured === this.configured && typeof stored.refreshToken === 'string' ? stored.refreshToken : undefined;
  }

  async save(refreshToken: string): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const record: StoredToken = { version: 1, configured: this.configured, refreshToken, savedAt: this.now().toISOString() };
    await writeAtomic(this.file, json(record), 0o600);
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const lockPath = `${this.file}.lock`;
    const release = await lockfile.lock(lockPath, { lockfilePath: lockPath, realpath: false, stale: STALE_MS, retries: LOCK_RETRIES });
    try {
      return await fn();
    } finally {
      await release().catch((err: unknown) => {
        if (!isCode(err, 'ENOENT', 'ERELEASED')) throw err;
      });
    }
  }
}
