import { describe, expect, it } from 'vitest';
import { followupJobId, ingestJobId, ingestPayload, mailboxTag, replyJobId } from '../../../adapters/queues.ts';

describe('job ids', () => {
  const ref = { mailbox: 'INBOX', uidValidity: '1795673845', uid: 42 };

  it('are derived from the message: the same message gives the same id, another UID or UIDVALIDITY another', () => {
    expect(ingestJobId(ref)).toBe(ingestJobId({ ...ref }));
    expect(ingestJobId({ ...ref, uid: 43 })).not.toBe(ingestJobId(ref));
    expect(ingestJobId({ ...ref, uidValidity: '1795673846' })).not.toBe(ingestJobId(ref));
    expect(ingestJobId({ ...ref, mailbox: 'Submissions' })).not.toBe(ingestJobId(ref));
    expect(followupJobId(ref)).not.toBe(ingestJobId(ref));
  });

  it('never contain ":" and are never all digits (BullMQ refuses both)', () => {
    const odd = { mailbox: 'Shared: งานรับรอง/2566', uidValidity: '1', uid: 1 };
    for (const id of [ingestJobId(odd), followupJobId(odd), replyJobId('0123456789abcdef0123456789abcdef')]) {
      expect(id).not.toContain(':');
      expect(id).not.toMatch(/^\d+$/);
    }
    expect(mailboxTag(odd.mailbox)).toMatch(/^[0-9a-f]{10}$/);
  });
});

describe('ingest payload schema', () => {
  it('accepts references and refuses a payload without the stored original', () => {
    expect(ingestPayload.safeParse({ ...{ mailbox: 'INBOX', uidValidity: '7', uid: 1 }, emlPath: '_messages/2023/09/a.eml' }).success).toBe(true);
    expect(ingestPayload.safeParse({ mailbox: 'INBOX', uidValidity: '7', uid: 1 }).success).toBe(false);
    expect(ingestPayload.safeParse({ mailbox: 'INBOX', uidValidity: 7n, uid: 1, emlPath: 'x' }).success).toBe(false);
  });
});
