// Decides whether a failure is worth retrying: one pure map from imapflow, nodemailer, ioredis, fs and
// OAuth errors to a kind and a stable code. It does not log, retry or alert; the workers do that.
import { UnrecoverableError } from 'bullmq';

export type ErrorKind = 'transient' | 'permanent';

export type ErrorCode =
  | 'payload.invalid'
  | 'job.unrecoverable'
  | 'internal.bug'
  | 'redis.unavailable'
  | 'redis.rejected'
  | 'imap.connection'
  | 'imap.auth'
  | 'imap.throttled'
  | 'imap.refused'
  | 'imap.protocol'
  | 'smtp.connection'
  | 'smtp.auth'
  | 'smtp.tls'
  | 'smtp.temporary'
  | 'smtp.rejected'
  | 'oauth.unavailable'
  | 'oauth.refused'
  | 'fs.busy'
  | 'fs.missing'
  | 'fs.denied'
  | 'lock.busy'
  | 'ocr.tool-missing'
  | 'ocr.busy'
  | 'ocr.failed'
  | 'ocr.timeout'
  | 'scan.unsupported'
  | 'pdf.unreadable'
  | 'pdf.encrypted'
  | 'unknown';

export interface Classified {
  kind: ErrorKind;
  code: ErrorCode;
}

/** An error of our own with a code already decided (payload checks, OAuth, locks). */
export class WorkError extends Error {
  constructor(message: string, readonly code: ErrorCode, readonly kind: ErrorKind) {
    super(message);
    this.name = 'WorkError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ESOCKET',
  'ECONNECTION',
  'EDNS',
  'ETIMEOUT',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'UPGRADE_TIMEOUT',
  'NoConnection',
  'EConnectionClosed',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'StateLogout',
  'LockTimeout',
  'PollFailed',
]);
const FS_BUSY = new Set(['ENOSPC', 'EMFILE', 'ENFILE', 'EBUSY', 'EAGAIN', 'EIO', 'ESTALE', 'EDQUOT', 'ELOCKED']);
const FS_DENIED = new Set(['EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR']);
/** IMAP response codes (RFC 5530) that say "try again later" rather than "never". */
const IMAP_TEMPORARY = new Set(['UNAVAILABLE', 'INUSE', 'LIMIT', 'OVERQUOTA', 'SERVERBUG', 'EXPUNGEISSUED', 'CONTACTADMIN']);

interface ErrorShape {
  name?: string;
  message?: string;
  code?: string;
  responseCode?: number;
  command?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  responseStatus?: string;
  tlsFailed?: boolean;
  issues?: unknown[];
}

export function classifyError(err: unknown): Classified {
  if (err instanceof WorkError) return { kind: err.kind, code: err.code };
  if (err instanceof UnrecoverableError) return { kind: 'permanent', code: 'job.unrecoverable' };
  if (typeof err !== 'object' || err === null) return { kind: 'transient', code: 'unknown' };
  const e = err as ErrorShape;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';

  if (e.name === 'ZodError' || Array.isArray(e.issues)) return { kind: 'permanent', code: 'payload.invalid' };

  // nodemailer: SMTP replies carry responseCode; 4xx is "later", 5xx is "never".
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) {
    if (code === 'EAUTH') return { kind: 'permanent', code: 'smtp.auth' };
    return e.responseCode >= 500 ? { kind: 'permanent', code: 'smtp.rejected' } : { kind: 'transient', code: 'smtp.temporary' };
  }
  if (code === 'EAUTH' || code === 'ENOAUTH') return { kind: 'permanent', code: 'smtp.auth' };
  if (code === 'ETLS' || code === 'EREQUIRETLS') return { kind: 'permanent', code: 'smtp.tls' };
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return { kind: 'permanent', code: 'smtp.rejected' };

  // imapflow
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED' || e.serverResponseCode === 'AUTHORIZATIONFAILED') {
    return { kind: 'permanent', code: 'imap.auth' };
  }
  if (code === 'ETHROTTLE') return { kind: 'transient', code: 'imap.throttled' };
  if (e.responseStatus === 'NO') {
    return IMAP_TEMPORARY.has(e.serverResponseCode ?? '') || !e.serverResponseCode
      ? { kind: 'transient', code: 'imap.refused' }
      : { kind: 'permanent', code: 'imap.refused' };
  }
  if (e.responseStatus === 'BAD' || code?.startsWith('ParserError') || code === 'InvalidResponse') {
    return { kind: 'permanent', code: 'imap.protocol' };
  }

  // ioredis and BullMQ talking to Redis
  if (e.name === 'MaxRetriesPerRequestError' || e.name === 'ConnectionClosedError'
    || /Connection is closed|Stream isn't writeable|max retries per request/i.test(message)) {
    return { kind: 'transient', code: 'redis.unavailable' };
  }
  if (e.name === 'ReplyError') {
    return /^(OOM|LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY)/.test(message)
      ? { kind: 'transient', code: 'redis.unavailable' }
      : { kind: 'permanent', code: 'redis.rejected' };
  }

  if (code && NETWORK_CODES.has(code)) {
    if (isSmtpish(e)) return { kind: 'transient', code: 'smtp.connection' };
    return { kind: 'transient', code: isRedisish(e) ? 'redis.unavailable' : 'imap.connection' };
  }
  if (code === 'ENOENT') return { kind: 'permanent', code: 'fs.missing' };
  if (code && FS_BUSY.has(code)) return { kind: 'transient', code: 'fs.busy' };
  if (code && FS_DENIED.has(code)) return { kind: 'permanent', code: 'fs.denied' };

  if (err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError || err instanceof SyntaxError) {
    return { kind: 'permanent', code: 'internal.bug' };
  }
  return { kind: 'transient', code: 'unknown' };
}

function isSmtpish(e: ErrorShape): boolean {
  return typeof e.command === 'string' && /^(CONN|EHLO|HELO|MAIL|RCPT|DATA|AUTH|STARTTLS|API)/.test(e.command)
    || /smtp/i.test(e.message ?? '');
}

function isRedisish(e: ErrorShape): boolean {
  return /redis|:6379\b/i.test(`${e.name ?? ''} ${e.message ?? ''}`);
}

/**
 * What a BullMQ processor throws: permanent failures become UnrecoverableError (no retry); transient ones keep
 * their properties (so they classify the same) and, like permanent ones, carry the code in the message, which
 * is what `seis-intake jobs` shows as the failed reason.
 */
export function toJobError(err: unknown): Error {
  if (err instanceof UnrecoverableError) return err;
  const { kind, code } = classifyError(err);
  const message = `${code}: ${err instanceof Error ? err.message : String(err)}`;
  if (kind === 'permanent') {
    const wrapped = new UnrecoverableError(message);
    wrapped.cause = err;
    return wrapped;
  }
  if (!(err instanceof Error)) return new Error(message);
  if (err.message.startsWith(`${code}: `)) return err;
  return Object.assign(Object.create(Object.getPrototypeOf(err)) as Error, err, { message, stack: err.stack, name: err.name, cause: err });
}
