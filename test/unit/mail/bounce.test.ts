import { describe, expect, it } from 'vitest';
import { analyseBounce } from '../../../pipelines/mail/bounce.ts';

const dsn = (action: string, status: string) =>
  Buffer.from([
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
    'Final-Recipient: rfc822; Officer.Gone@Example.test',
    `Action: ${action}`,
    `Status: ${status}`,
    '',
    '--b',
    'Content-Type: text/rfc822-headers',
    '',
    'Message-ID: <reply-0123456789abcdef0123456789abcdef@seis.example.test>',
    'Auto-Submitted: auto-replied',
    '',
    '--b--',
    '',
  ].join('\r\n'));

describe('bounce analysis', () => {
  it('finds the failed recipient and the reply of ours it bounced', () => {
    const result = analyseBounce(dsn('failed', '5.1.1'));
    expect(result.recipients).toEqual(['officer.gone@example.test']);
    expect(result.ourReplyIds).toEqual(['<reply-0123456789abcdef0123456789abcdef@seis.example.test>']);
  });
  it('does not treat a delay warning as a failure', () => {
    expect(analyseBounce(dsn('delayed', '4.4.7')).recipients).toEqual([]);
  });
  it('reads Exim-style X-Failed-Recipients', () => {
    const raw = Buffer.from('From: MAILER-DAEMON@x.test\r\nX-Failed-Recipients: a@x.test, <B@y.test>\r\n\r\nfailed\r\n');
    expect(analyseBounce(raw).recipients.sort()).toEqual(['a@x.test', 'b@y.test']);
  });
});
