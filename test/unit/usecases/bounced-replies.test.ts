import { describe, expect, it } from 'vitest';
import { analyseBounce, type BounceAnalysis } from '../../../pipelines/mail/index.ts';
import type { MessageRecord } from '../../../pipelines/types.ts';
import { bouncedReplyRecipients } from '../../../usecases/bounced-replies.ts';

const KEY = '0123456789abcdef0123456789abcdef';
const REPLY_ID = `<reply-${KEY}@seis.example.test>`;

/** A delivery status notification, analysed as ingest analyses every bounce (once). */
function dsn(finalRecipient: string | undefined, quotedId: string): BounceAnalysis {
  return analyseBounce(Buffer.from([
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.test>',
    'Subject: Undelivered Mail Returned to Sender',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'I could not deliver your message.',
    '',
    '--b',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.test',
    '',
    ...(finalRecipient ? [`Final-Recipient: rfc822; ${finalRecipient}`, 'Action: failed', 'Status: 5.1.1', ''] : []),
    '--b',
    'Content-Type: text/rfc822-headers',
    '',
    `Message-ID: ${quotedId}`,
    'Auto-Submitted: auto-replied',
    '',
    '--b--',
    '',
  ].join('\r\n')));
}

const record = (to: string): MessageRecord => ({
  messageKey: KEY,
  dedupeKey: KEY,
  messageId: 'orig@example.test',
  rawKeys: [],
  emlPath: 'x.eml',
  campaign: 'c',
  receivedAt: '2023-09-01T03:00:00.000Z',
  processedAt: '2023-09-01T03:00:01.000Z',
  outcome: 'incomplete',
  persons: [],
  reply: { messageId: REPLY_ID, to, status: 'incomplete' },
});
const lookup = (to: string) => async (key: string) => (key === KEY ? record(to) : undefined);

describe('bounce of one of our replies', () => {
  it('names the recipient our reply went to', async () => {
    expect(await bouncedReplyRecipients(dsn('Officer.Gone@Example.test', REPLY_ID), lookup('นาย ก <officer.gone@example.test>')))
      .toEqual([{ address: 'officer.gone@example.test', replyMessageIds: [REPLY_ID] }]);
  });

  it('falls back to the reply recipient when the report names nobody', async () => {
    expect(await bouncedReplyRecipients(dsn(undefined, REPLY_ID), lookup('officer.gone@example.test')))
      .toEqual([{ address: 'officer.gone@example.test', replyMessageIds: [REPLY_ID] }]);
  });

  it('suppresses nobody for a bounce of someone else\'s mail or of a reply we never sent to that address', async () => {
    expect(await bouncedReplyRecipients(dsn('x@example.test', '<newsletter-1@shop.example>'), lookup('x@example.test'))).toEqual([]);
    expect(await bouncedReplyRecipients(dsn('victim@example.test', REPLY_ID), lookup('officer@example.test'))).toEqual([]);
    expect(await bouncedReplyRecipients(dsn('x@example.test', `<reply-${'f'.repeat(32)}@seis.example.test>`), lookup('x@example.test'))).toEqual([]);
  });
});

describe('bounce of staff mail (a revision request)', () => {
  const STAFF_ID = 'return-1101700123456-0a1b2c3d-20230920031500000';
  const staffTo = async (id: string) => (id === STAFF_ID ? 'officer.gone@example.test' : undefined);

  it('names the recipient the revision request went to', async () => {
    const quoted = `<${STAFF_ID}@seis.example.test>`;
    expect(await bouncedReplyRecipients(dsn('officer.gone@example.test', quoted), lookup('x@example.test'), staffTo))
      .toEqual([{ address: 'officer.gone@example.test', replyMessageIds: [quoted] }]);
  });

  it('suppresses nobody for a staff id we have no record of, or another recipient', async () => {
    expect(
      await bouncedReplyRecipients(dsn('officer.gone@example.test', '<return-9999999999999-00000000-1@seis.example.test>'), lookup('x@example.test'), staffTo),
    ).toEqual([]);
    expect(await bouncedReplyRecipients(dsn('victim@example.test', `<${STAFF_ID}@seis.example.test>`), lookup('x@example.test'), staffTo)).toEqual([]);
  });
});

describe('bounce of a reminder', () => {
  const REMINDER_ID = 'remind-seis-certification-d-3-u0123456789abcdef0123';
  const reminderTo = async (id: string) => (id === REMINDER_ID ? ['hr.one@example.test', 'hr.gone@example.test'] : undefined);
  const none = async () => undefined;

  it('names only the unit contact the report says failed', async () => {
    const quoted = `<${REMINDER_ID}@seis.example.test>`;
    expect(await bouncedReplyRecipients(dsn('hr.gone@example.test', quoted), lookup('x@example.test'), none, reminderTo))
      .toEqual([{ address: 'hr.gone@example.test', replyMessageIds: [quoted] }]);
  });

  it('suppresses nobody for a reminder id we have no record of', async () => {
    const unknown = '<remind-seis-certification-d-3-u9999999999999999999f@seis.example.test>';
    expect(await bouncedReplyRecipients(dsn('hr.gone@example.test', unknown), lookup('x@example.test'), none, reminderTo)).toEqual([]);
  });
});
