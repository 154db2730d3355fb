// The reply worker's one-call Redis check (markerThenSlots) keeps deliver-once's order: a record that settles the
// mail, then the sent marker, then addresses that bounced, then the hourly slots.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../adapters/logger.ts';
import { createDeliverer, type DeliveryRecord, type OutgoingMail } from '../../../usecases/deliver-once.ts';

function mail(events: string[], to = 'Officer <Officer@Office.example.test>'): OutgoingMail {
  const record: DeliveryRecord = {
    settled: async () => false,
    sent: async (at) => void events.push(`record.sent ${at}`),
    suppressed: async (reason) => void events.push(`record.suppressed ${reason}`),
    leftInOutbox: async () => 'never',
    keptUnsent: async () => 'never',
    clearUnsent: async () => void events.push('record.clearUnsent'),
  };
  return { kind: 'reply', id: 'key-1', to, eml: async () => Buffer.from('mail'), record };
}

function deliverer(events: string[], check: { sentAt: string } | { allowed: boolean }, bounced = false) {
  return createDeliverer({
    from: 'SEIS <seis@dep.example.test>',
    now: () => new Date('2023-09-01T03:00:00Z'),
    mailer: {
      send: async () => {
        events.push('smtp.send');
        return { response: '250 ok' };
      },
    },
    suppression: { get: async (address) => (bounced ? { address, since: '', bounceMessageKey: 'b', replyMessageIds: [] } : undefined) },
    markers: { get: async () => 'markers.get must not be called', marker: (id, value) => ({ key: id, value, ttlSeconds: 1 }) },
    markerThenSlots: async (id, to) => {
      events.push(`check ${id} [${to.join(',')}]`);
      return check;
    },
    exclusive: (_mail, fn) => fn(),
    onFailure: 'retry',
  });
}

describe('deliver once with the marker and the slots checked in one call', () => {
  it('finishes only the bookkeeping when the marker says the mail went out', async () => {
    const events: string[] = [];
    const result = await deliverer(events, { sentAt: '2023-09-01T02:00:00.000Z' })(mail(events), silentLogger);
    expect(result).toEqual({ status: 'already-sent' });
    expect(events).toEqual(['check key-1 [officer@office.example.test]', 'record.sent 2023-09-01T02:00:00.000Z']);
  });

  it('sends when a slot was taken, and suppresses as rate-limited when the window is full', async () => {
    const sent: string[] = [];
    expect((await deliverer(sent, { allowed: true })(mail(sent), silentLogger)).status).toBe('sent');
    expect(sent).toEqual(['check key-1 [officer@office.example.test]', 'smtp.send', 'record.sent 2023-09-01T03:00:00.000Z', 'record.clearUnsent']);
    const limited: string[] = [];
    expect(await deliverer(limited, { allowed: false })(mail(limited), silentLogger)).toEqual({ status: 'suppressed', reason: 'rate-limited' });
    expect(limited).toEqual(['check key-1 [officer@office.example.test]', 'record.suppressed rate-limited']);
  });

  it('asks for no slot for an address that bounced, and still lets a marker win', async () => {
    const bounced: string[] = [];
    expect(await deliverer(bounced, { allowed: true }, true)(mail(bounced), silentLogger)).toEqual({ status: 'suppressed', reason: 'bounced-address' });
    expect(bounced).toEqual(['check key-1 []', 'record.suppressed bounced-address']);
    const marked: string[] = [];
    expect(await deliverer(marked, { sentAt: 'then' }, true)(mail(marked), silentLogger)).toEqual({ status: 'already-sent' });
  });
});
