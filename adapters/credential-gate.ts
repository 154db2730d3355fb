// The mailbox account's credentials as every part of `run` sees them. When the provider refuses them (a revoked
// OAuth grant, a changed password) the watcher pauses and reply and move jobs wait, with ONE operator error;
// when they work again, one line says so and everything resumes. It decides and logs; the callers wait.
import { classifyError, type ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';

/** Refusals that retrying cannot fix until someone (operator or provider) restores the credentials. */
const CREDENTIAL_CODES = new Set<ErrorCode>(['oauth.refused', 'imap.auth', 'smtp.auth']);

export type CredentialUser = 'imap' | 'smtp';

export function isCredentialError(err: unknown): boolean {
  return CREDENTIAL_CODES.has(classifyError(err).code);
}

export class CredentialGate {
  private readonly refused = new Map<CredentialUser, { since: number; code: ErrorCode }>();

  /** `retryMs`: how long the paused parts wait before trying the credentials again. */
  constructor(private readonly log: Logger, readonly retryMs: number, private readonly now: () => number = Date.now) {}

  get paused(): boolean {
    return this.refused.size > 0;
  }

  isPaused(user: CredentialUser): boolean {
    return this.refused.has(user);
  }

  /** `user` was refused: the first refusal while all was well is the operator's one error. */
  refuse(user: CredentialUser, err: unknown): void {
    if (this.refused.has(user)) return;
    const { code } = classifyError(err);
    const first = this.refused.size === 0;
    this.refused.set(user, { since: this.now(), code });
    const fields = { code: 'auth.refused', via: user, errorCode: code, retrySeconds: Math.round(this.retryMs / 1000) };
    if (first) {
      this.log.error(fields, code === 'oauth.refused'
        ? 'the mailbox OAuth grant was refused (revoked or expired): watching and replies are paused until it works again; '
          + 'get a new refresh token (OAUTH_REFRESH_TOKEN) and restart, or restore the grant'
        : 'the mailbox login was refused: watching and replies are paused until it works again; check the credentials');
    } else {
      this.log.warn(fields, 'the mailbox credentials were refused here too');
    }
  }

  /** `user` logged in: when nothing is refused any more, one line says work resumed. */
  accept(user: CredentialUser): void {
    const was = this.refused.get(user);
    if (!was) return;
    this.refused.delete(user);
    if (this.refused.size === 0) {
      this.log.info({ code: 'auth.restored', via: user, pausedSeconds: Math.round((this.now() - was.since) / 1000) },
        'the mailbox credentials work again: watching and replies resume');
    }
  }
}
