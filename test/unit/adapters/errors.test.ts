import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyError, toJobError, WorkError } from '../../../adapters/errors.ts';

// Hand-built error objects shaped like the ones imapflow, nodemailer, ioredis and fs really throw.
const err = (message: string, props: Record<string, unknown>) => Object.assign(new Error(message), props);

describe('classifyError', () => {
  it('retries SMTP 4xx replies and connection trouble, not 5xx or bad credentials', () => {
    expect(classifyError(err('Message failed: 451 4.3.0 try later', { code: 'EMESSAGE', responseCode: 451, command: 'DATA' })))
      .toEqual({ kind: 'transient', code: 'smtp.temporary' });
    expect(classifyError(err('Connection closed', { code: 'ECONNECTION', command: 'CONN' })))
      .toEqual({ kind: 'transient', code: 'smtp.connection' });
    expect(classifyError(err('550 5.1.1 user unknown', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' })))
      .toEqual({ kind: 'permanent', code: 'smtp.rejected' });
    expect(classifyError(err('Invalid login: 535 5.7.8', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })))
      .toEqual({ kind: 'permanent', code: 'smtp.auth' });
  });

  it('retries a dropped IMAP connection or throttling but not a refused login', () => {
    expect(classifyError(err('Connection not available', { code: 'NoConnection' }))).toEqual({ kind: 'transient', code: 'imap.connection' });
    expect(classifyError(err('connect ECONNREFUSED 127.0.0.1:1143', { code: 'ECONNREFUSED' }))).toEqual({ kind: 'transient', code: 'imap.connection' });
    expect(classifyError(err('Command failed', { code: 'ETHROTTLE', throttleReset: 1000 }))).toEqual({ kind: 'transient', code: 'imap.throttled' });
    expect(classifyError(err('Authentication failed', { authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED' })))
      .toEqual({ kind: 'permanent', code: 'imap.auth' });
    expect(classifyError(err('Command failed', { responseStatus: 'NO', serverResponseCode: 'OVERQUOTA' }))).toMatchObject({ kind: 'transient' });
    expect(classifyError(err('Command failed', { responseStatus: 'NO', serverResponseCode: 'NOPERM' }))).toMatchObject({ kind: 'permanent' });
    expect(classifyError(err('Command failed', { responseStatus: 'BAD' }))).toEqual({ kind: 'permanent', code: 'imap.protocol' });
  });

  it('treats Redis going away as transient and a Redis script error as permanent', () => {
    expect(classifyError(new Error('Connection is closed.'))).toEqual({ kind: 'transient', code: 'redis.unavailable' });
    expect(classifyError(err('Reached the max retries per request limit (which is 2).', { name: 'MaxRetriesPerRequestError' })))
      .toEqual({ kind: 'transient', code: 'redis.unavailable' });
    expect(classifyError(err('OOM command not allowed when used memory > maxmemory', { name: 'ReplyError' })))
      .toEqual({ kind: 'transient', code: 'redis.unavailable' });
    expect(classifyError(err('WRONGTYPE Operation against a key holding the wrong kind of value', { name: 'ReplyError' })))
      .toEqual({ kind: 'permanent', code: 'redis.rejected' });
  });

  it('tells a full disk (wait) from a missing original or a denied path (operator)', () => {
    expect(classifyError(err('no space left', { code: 'ENOSPC' }))).toEqual({ kind: 'transient', code: 'fs.busy' });
    expect(classifyError(err('no such file', { code: 'ENOENT' }))).toEqual({ kind: 'permanent', code: 'fs.missing' });
    expect(classifyError(err('permission denied', { code: 'EACCES' }))).toEqual({ kind: 'permanent', code: 'fs.denied' });
  });

  it('never retries a payload that fails its schema or a programming error', () => {
    const zodError = z.object({ uid: z.number() }).safeParse({ uid: 'x' }).error;
    expect(classifyError(zodError)).toEqual({ kind: 'permanent', code: 'payload.invalid' });
    expect(classifyError(new TypeError('Cannot read properties of undefined (reading \'x\')'))).toEqual({ kind: 'permanent', code: 'internal.bug' });
  });

  it('keeps the kind our own errors were given, and retries what it does not know', () => {
    expect(classifyError(new WorkError('revoked', 'oauth.refused', 'permanent'))).toEqual({ kind: 'permanent', code: 'oauth.refused' });
    expect(classifyError(new Error('something odd'))).toEqual({ kind: 'transient', code: 'unknown' });
    expect(classifyError('a string')).toEqual({ kind: 'transient', code: 'unknown' });
  });
});

describe('toJobError', () => {
  it('turns permanent failures into UnrecoverableError and keeps transient ones retryable, both named by their code', () => {
    const permanent = toJobError(err('550 no such user', { code: 'EENVELOPE', responseCode: 550 }));
    expect(permanent).toBeInstanceOf(UnrecoverableError);
    expect(permanent.message).toMatch(/^smtp\.rejected: /);
    const transient = toJobError(err('connect ECONNREFUSED 127.0.0.1:2525', { code: 'ESOCKET', command: 'CONN' }));
    expect(transient).not.toBeInstanceOf(UnrecoverableError);
    expect(transient.message).toBe('smtp.connection: connect ECONNREFUSED 127.0.0.1:2525');
    expect(classifyError(transient)).toEqual({ kind: 'transient', code: 'smtp.connection' });
    expect(toJobError(transient)).toBe(transient);
  });
});
