import { EventEmitter } from 'node:events';
import type { Job, Worker } from 'bullmq';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArchiveStore } from '../../../adapters/archive-store.ts';
import { metrics } from '../../../adapters/metrics.ts';
import { attachJobMetrics } from '../../../workers/job-metrics.ts';

beforeEach(() => metrics.registry.resetMetrics());

async function latency(): Promise<{ count: number; sum: number }> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'seis_append_to_reply_seconds');
  const values = (metric?.values ?? []) as Array<{ metricName?: string; value: number }>;
  const pick = (suffix: string) => values.find((v) => v.metricName === `seis_append_to_reply_seconds${suffix}`)?.value ?? 0;
  return { count: pick('_count'), sum: pick('_sum') };
}

function replyWorker(store: Partial<ArchiveStore>) {
  const worker = Object.assign(new EventEmitter(), { name: 'reply' }) as unknown as Worker;
  attachJobMetrics(worker, { store: store as ArchiveStore, now: () => Date.parse('2026-12-04T10:00:09Z') });
  const job = { data: { messageKey: 'k1' }, processedOn: 1, finishedOn: 2 } as unknown as Job;
  return (result: unknown) => (worker as unknown as EventEmitter).emit('completed', job, result);
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('the APPEND → reply latency metric', () => {
  it('comes from the reply job result, without reading the message record again', async () => {
    let reads = 0;
    const complete = replyWorker({ getMessageRecord: async () => (reads++, undefined) });
    complete({ sent: true, via: 'smtp', receivedAt: '2026-12-04T10:00:00Z', sentAt: '2026-12-04T10:00:02.500Z' });
    await settle();
    expect(reads).toBe(0);
    expect(await latency()).toEqual({ count: 1, sum: 2.5 });
  });

  it('falls back to the record for a result without the times (a job of an older version)', async () => {
    const record = { receivedAt: '2026-12-04T10:00:00Z', reply: { sentAt: '2026-12-04T10:00:04Z' } };
    const complete = replyWorker({ getMessageRecord: async () => record as never });
    complete({ sent: true, via: 'smtp' });
    await settle();
    expect(await latency()).toEqual({ count: 1, sum: 4 });
  });

  it('times a reply left in the outbox to the event', async () => {
    const complete = replyWorker({ getMessageRecord: async () => undefined });
    complete({ sent: true, via: 'outbox', receivedAt: '2026-12-04T10:00:00Z' });
    await settle();
    expect(await latency()).toEqual({ count: 1, sum: 9 });
  });
});
