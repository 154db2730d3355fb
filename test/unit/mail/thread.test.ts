import { describe, expect, it } from 'vitest';
import { answeredReplyKeys } from '../../../pipelines/mail/thread.ts';

describe('answered reply keys', () => {
  it('finds our reply ids in a thread, newest first, without duplicates', () => {
    const a = 'a'.repeat(32);
    const b = '0123456789abcdef0123456789ABCDEF';
    expect(answeredReplyKeys([`orig@office.test`, `reply-${a}@seis.example.test`, `<reply-${b}@seis.example.test>`, `reply-${a}@x`]))
      .toEqual([a, b.toLowerCase()]);
  });
  it('ignores ids that only look similar', () => {
    expect(answeredReplyKeys(['reply-123@x', 'xreply-' + 'a'.repeat(32) + '@x', 'reply-' + 'g'.repeat(32) + '@x'])).toEqual([]);
  });
});
