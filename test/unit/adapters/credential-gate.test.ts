import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CredentialGate, isCredentialError } from '../../../adapters/credential-gate.ts';
import { WorkError } from '../../../adapters/errors.ts';

const revoked = new WorkError('OAuth token refresh failed: invalid_grant', 'oauth.refused', 'permanent');
const imapRefused = Object.assign(new Error('Command failed'), { authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED' });
const smtpRefused = Object.assign(new Error('Invalid login: 535'), { code: 'EAUTH', responseCode: 535, command: 'AUTH XOAUTH2' });

function gateWithLog() {
  const lines: Array<Record<string, unknown>> = [];
  let clock = 1_000_000;
  const gate = new CredentialGate(pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) }), 5000, () => clock);
  return { gate, lines, tick: (ms: number) => (clock += ms) };
}

describe('CredentialGate', () => {
  it('knows refused credentials from other failures', () => {
    expect([revoked, imapRefused, smtpRefused].map(isCredentialError)).toEqual([true, true, true]);
    const others = [Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), Object.assign(new Error('x'), { responseCode: 451, code: 'EMESSAGE' }),
      new WorkError('down', 'oauth.unavailable', 'transient')];
    expect(others.map(isCredentialError)).toEqual([false, false, false]);
  });

  it('logs one error however often and wherever the credentials are refused, and one line when they work again', () => {
    const { gate, lines, tick } = gateWithLog();
    gate.refuse('smtp', revoked);
    gate.refuse('smtp', smtpRefused);
    gate.refuse('imap', imapRefused);
    gate.refuse('imap', revoked);
    expect(gate.paused).toBe(true);
    expect(lines.filter((l) => Number(l.level) >= 50).map((l) => [l.code, l.via, l.errorCode])).toEqual([['auth.refused', 'smtp', 'oauth.refused']]);
    expect(lines.filter((l) => l.level === 40).map((l) => l.via)).toEqual(['imap']);
    tick(42_000);
    gate.accept('imap');
    expect(gate.isPaused('smtp')).toBe(true);
    expect(lines.some((l) => l.code === 'auth.restored')).toBe(false);
    gate.accept('smtp');
    gate.accept('smtp');
    expect(gate.paused).toBe(false);
    expect(lines.filter((l) => l.code === 'auth.restored').map((l) => l.pausedSeconds)).toEqual([42]);
  });
});
