import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import type { MessageRecord } from '../../../pipelines/types.ts';
import { folderFor } from '../../../workers/followup.worker.ts';
import { reconnectBackoffMs } from '../../../workers/mailbox-watcher.ts';
import { replySettled } from '../../../workers/reply.worker.ts';

describe('watcher reconnect backoff', () => {
  it('doubles from half a second up to thirty, with jitter that never exceeds the step', () => {
    for (let failures = 1; failures <= 12; failures++) {
      const step = Math.min(30_000, 500 * 2 ** (failures - 1));
      for (let i = 0; i < 50; i++) {
        const delay = reconnectBackoffMs(failures);
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
      }
    }
  });
});

describe('follow-up folder', () => {
  it('files each outcome in its configured folder', () => {
    const config = loadConfig({ env: { IMAP_FOLDER_REJECTED: 'ไม่รับ' } });
    expect(['accepted', 'incomplete', 'rejected', 'ignored'].map((o) => folderFor(config, o as never)))
      .toEqual(['Processed', 'Processed', 'ไม่รับ', 'Ignored']);
  });
});

describe('reply settled', () => {
  const rendered = { to: 'a@example.test', subject: 's', text: 't', html: 'h', messageId: '<reply-1@x>', headers: {} };
  const record = (reply: MessageRecord['reply']): MessageRecord => ({
    messageKey: 'k',
    dedupeKey: 'k',
    messageId: 'm',
    rawKeys: [],
    emlPath: 'e',
    campaign: 'c',
    receivedAt: '',
    processedAt: '',
    outcome: 'incomplete',
    persons: [],
    reply,
  });

  it('holds the original in the mailbox only while a rendered reply is neither sent, written out, nor suppressed', () => {
    expect(replySettled(record({ messageId: '<reply-1@x>', status: 'incomplete', rendered }))).toBe(false);
    expect(replySettled(record({ messageId: '<reply-1@x>', status: 'incomplete', rendered, sentAt: '2023-09-01T03:00:00Z' }))).toBe(true);
    expect(replySettled(record({ messageId: '<reply-1@x>', status: 'incomplete', rendered, outboxPath: '_outbox/k.eml' }))).toBe(true);
    expect(replySettled(record({ messageId: '<reply-1@x>', status: 'incomplete', rendered, suppressed: 'rate-limited' }))).toBe(true);
    expect(replySettled(record({ messageId: '', status: 'rejected', suppressed: 'auto-submitted' }))).toBe(true);
    expect(replySettled(undefined)).toBe(true);
  });
});
