import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { parseMessage } from '../../../pipelines/mail/parse.ts';
import * as E from '../../helpers/eml.ts';
import { PRASERT, SOMCHAI, SOMSRI, WANDEE, fullName } from '../../helpers/people.ts';

const limits = configSchema.parse({}).limits;
const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/mail/${name}`, import.meta.url));
const parse = (raw: Buffer) => parseMessage(raw, { limits });
const names = (files: Array<{ name: string }>) => files.map((f) => f.name);

describe('parse: committed client fixtures', () => {
  it('reads a Gmail message: RFC 2047 UTF-8 names, sender name, body from the plain part, arrival from Received', async () => {
    const m = await parse(fixture('gmail-utf8-encoded-words.eml'));
    expect(names(m.files)).toEqual(['สำเนาบัตรประชาชน.pdf', 'สำเนาทะเบียนบ้าน.pdf']);
    expect(m.from).toEqual({ name: fullName(SOMCHAI), address: SOMCHAI.email });
    expect(m.subject).toContain(SOMCHAI.nationalId);
    expect(m.text).toContain(`ส่งเอกสารของ ${fullName(SOMCHAI)}`);
    expect(m.text).not.toContain('<div');
    expect(m.messageId).toBe('CAF3x9vQ8mZ0p1Gm@mail.gmail.com');
    expect(m.hasOwnMessageId).toBe(true);
    expect(m.receivedHeaderAt?.toISOString()).toBe('2023-09-18T02:12:47.000Z');
    expect(m.date?.toISOString()).toBe('2023-09-18T02:12:44.000Z');
    expect(m.problems).toEqual([]);
    for (const f of m.files) {
      expect(f.origin).toBe('attachment');
      const content = await f.body.bytes();
      expect(f.sha256).toBe(createHash('sha256').update(content).digest('hex'));
      expect(f.size).toBe(content.length);
    }
  });

  it('joins Thunderbird RFC 2231 continuations into one long Thai name', async () => {
    const m = await parse(fixture('thunderbird-rfc2231-continuations.eml'));
    expect(names(m.files)).toEqual(['วุฒิการศึกษาที่ใช้บรรจุ ปริญญาบัตรและทรานสคริปต์ ฉบับสมบูรณ์.pdf']);
    expect(m.text).toContain(SOMSRI.nationalId);
  });

  it('decodes Outlook windows-874 encoded words and leaves out the logo embedded in the HTML', async () => {
    const m = await parse(fixture('outlook-windows874-inline-logo.eml'));
    expect(names(m.files)).toEqual(['สำเนาบัตรประชาชน บิดา.pdf', 'ใบมรณบัตร มารดา.pdf']);
    expect(m.from?.name).toBe(fullName(WANDEE));
    expect(m.text).toContain(WANDEE.nationalId);
  });

  it('decodes raw 8-bit windows-874 headers from Outlook Express without mojibake', async () => {
    const m = await parse(fixture('outlook-express-8bit-windows874.eml'));
    expect(m.subject).toBe(`ส่งเอกสาร ${fullName(PRASERT)}`);
    expect(m.from?.name).toBe(fullName(PRASERT));
    expect(names(m.files)).toEqual(['ปริญญาบัตร.pdf']);
    expect(m.text).toContain(PRASERT.nationalId);
    expect(JSON.stringify(m.files.map((f) => f.name)) + m.subject).not.toMatch(/[\u00c0-\u00ff\ufffd]/);
  });

  it('normalises Apple Mail NFD names and subject to NFC and counts inline PDFs', async () => {
    const raw = fixture('apple-mail-nfd-inline.eml');
    const m = await parse(raw);
    expect(names(m.files)).toEqual(['สำเนาทะเบียนบ้าน.pdf'.normalize('NFC')]);
    expect(m.files[0].name).toBe(m.files[0].name.normalize('NFC'));
    expect(m.subject).toBe(`ส่งเอกสาร ${SOMCHAI.firstName}`.normalize('NFC'));
  });

  it('counts the attachments of a forwarded message and appends its body', async () => {
    const m = await parse(fixture('forwarded-as-attachment.eml'));
    expect(m.files.map((f) => [f.name, f.origin])).toEqual([['สำเนาบัตรประชาชน มารดา.pdf', 'forwarded']]);
    expect(m.text).toContain('ส่งต่อเอกสารของน้องครับ');
    expect(m.text).toContain(SOMSRI.nationalId);
    expect(m.text).toContain(`ส่งเอกสาร ${fullName(SOMSRI)}`);
    expect(m.messageId).toBe('fwd-0001@example.test');
  });

  it('recognises winmail.dat as TNEF: a message problem and the file kept with the problem', async () => {
    const m = await parse(fixture('outlook-winmail-dat.eml'));
    expect(m.problems.map((p) => p.code)).toEqual(['tnef']);
    expect(m.files.map((f) => [f.name, f.problem?.code])).toEqual([['winmail.dat', 'tnef']]);
  });

  it('unpacks a ZIP from Thai Windows with cp874 names into one folder per person, junk left out', async () => {
    const m = await parse(fixture('zip-cp874-person-folders.eml'));
    expect(m.files.map((f) => [f.folders, f.name, f.origin, f.container])).toEqual([
      [[`${SOMCHAI.firstName} ${SOMCHAI.lastName}`], 'บัตรประชาชน.pdf', 'zip', 'เอกสาร.zip'],
      [[`${SOMSRI.firstName} ${SOMSRI.lastName}`], 'ทะเบียนบ้าน.pdf', 'zip', 'เอกสาร.zip'],
    ]);
    expect(m.files.every((f) => f.body.head.subarray(0, 5).toString() === '%PDF-')).toBe(true);
  });
});

describe('parse: identity and trace headers', () => {
  const received = (at: string) => [
    `from relay2.example.test by mx.seis.example.test; ${at}`,
    'from client.example.test by relay2.example.test; Fri, 01 Sep 2023 09:00:00 +0700',
  ];
  const copy = (at: string) =>
    E.submission({
      messageId: 'same-0001@example.test',
      received: received(at),
      attachments: [{ name: 'บัตร.pdf', content: E.fakePdf('id') }],
    });

  it('gives the same dedupeKey to one message delivered twice with different Received headers', async () => {
    const a = await parse(copy('Fri, 01 Sep 2023 10:00:05 +0700'));
    const b = await parse(copy('Sat, 02 Sep 2023 08:00:00 +0700'));
    expect(a.dedupeKey).toBe(b.dedupeKey);
    expect(a.receivedHeaderAt?.toISOString()).toBe('2023-09-01T03:00:05.000Z');
    expect(b.receivedHeaderAt?.toISOString()).toBe('2023-09-02T01:00:00.000Z');
  });

  it('gives a different dedupeKey when the attachments differ under the same Message-ID', async () => {
    const a = await parse(copy('Fri, 01 Sep 2023 10:00:05 +0700'));
    const other = await parse(E.submission({ messageId: 'same-0001@example.test', attachments: [{ name: 'บัตร.pdf', content: E.fakePdf('other') }] }));
    expect(other.dedupeKey).not.toBe(a.dedupeKey);
  });

  it('synthesises a stable Message-ID from content when the header is missing', async () => {
    // One message delivered twice: the same bytes behind different trace headers.
    const message = E.submission({ messageId: null, attachments: [{ name: 'a.pdf', content: E.fakePdf() }] });
    const raw = (trace: string) => Buffer.concat([Buffer.from(`Received: ${trace}\r\n`), message]);
    const a = await parse(raw('from x by y; Fri, 01 Sep 2023 10:00:00 +0700'));
    const b = await parse(raw('from x by z; Fri, 01 Sep 2023 11:00:00 +0700'));
    expect(a.hasOwnMessageId).toBe(false);
    expect(a.messageId).toMatch(/^[0-9a-f]{64}@seis-intake\.invalid$/);
    expect(a.messageId).toBe(b.messageId);
    expect(a.dedupeKey).toBe(b.dedupeKey);
  });

  it('does not take two different unparseable messages for one', async () => {
    const a = await parse(Buffer.from('\x00\x01 garbage one'));
    const b = await parse(Buffer.from('\x00\x02 garbage two'));
    const empty = await parse(Buffer.alloc(0));
    expect(new Set([a.dedupeKey, b.dedupeKey, empty.dedupeKey]).size).toBe(3);
  });

  it('keeps an unparseable Date undefined instead of inventing the current time', async () => {
    const m = await parse(E.submission({ date: 'not a date', attachments: [{ name: 'a.pdf', content: E.fakePdf() }] }));
    expect(m.date).toBeUndefined();
  });

  it('exposes the reply-guard headers lower-cased and the references without brackets', async () => {
    const m = await parse(E.submission({
      headers: ['Auto-Submitted: Auto-Replied', 'Precedence: Bulk', 'List-Id: <Staff.Example.Test>', 'X-Auto-Response-Suppress: All',
        'Return-Path: <Bounce@Example.Test>', 'References: <a@x.test>\r\n <b@x.test>', 'Reply-To: Office <Office@Example.Test>'],
      attachments: [{ name: 'a.pdf', content: E.fakePdf() }],
    }));
    expect(m.headers).toMatchObject({
      autoSubmitted: 'auto-replied',
      precedence: 'bulk',
      listId: '<staff.example.test>',
      xAutoResponseSuppress: 'all',
      returnPath: '<bounce@example.test>',
    });
    expect(m.headers.contentType).toMatch(/^multipart\/mixed/);
    expect(m.references).toEqual(['a@x.test', 'b@x.test']);
    expect(m.replyTo).toEqual({ name: 'Office', address: 'office@example.test' });
  });

  it('flags a delivery status report as a bounce', async () => {
    const dsn = E.message({
      from: 'MAILER-DAEMON@mx.example.test',
      subject: 'Undelivered Mail Returned to Sender',
      body: E.multipart('report', [
        E.textPart('This is the mail system at host mx.example.test.'),
        { headers: ['Content-Type: message/delivery-status'],
          body: Buffer.from('Reporting-MTA: dns; mx.example.test\r\n\r\nFinal-Recipient: rfc822; x@example.test\r\nAction: failed\r\nStatus: 5.1.1\r\n') },
      ], { params: 'report-type=delivery-status' }),
    });
    const m = await parse(dsn);
    expect(m.isBounce).toBe(true);
    expect(m.files).toEqual([]);
  });

  it('flags a plain-text failure notice from MAILER-DAEMON as a bounce', async () => {
    const m = await parse(E.message({
      from: 'Mail Delivery System <MAILER-DAEMON@mx.example.test>',
      subject: 'Mail delivery failed: returning message to sender',
      body: E.textPart('This message was created automatically by mail delivery software.'),
    }));
    expect(m.isBounce).toBe(true);
  });

  it('does not flag an ordinary submission as a bounce', async () => {
    const m = await parse(fixture('gmail-utf8-encoded-words.eml'));
    expect(m.isBounce).toBe(false);
  });

  it('turns an HTML-only body into text', async () => {
    const raw = E.message({ body: E.multipart('mixed', [
      E.htmlPart(`<html><head><style>p{}</style></head><body><p>เลขประจำตัว&nbsp;${SOMCHAI.nationalId}</p><p>ชื่อ &amp; สกุล</p></body></html>`),
      E.attachment({ name: 'a.pdf', content: E.fakePdf() }),
    ]) });
    const m = await parse(raw);
    expect(m.text).toContain(`เลขประจำตัว ${SOMCHAI.nationalId}`);
    expect(m.text).toContain('ชื่อ & สกุล');
    expect(m.text).not.toMatch(/<|p\{\}/);
  });

  it('parses a message that starts with an mbox postmark line', async () => {
    const raw = Buffer.concat([Buffer.from('From somchai.test@example.test Fri Sep  1 10:00:00 2023\n'),
      E.submission({ attachments: [{ name: 'a.pdf', content: E.fakePdf() }] })]);
    const m = await parse(raw);
    expect(m.problems).toEqual([]);
    expect(names(m.files)).toEqual(['a.pdf']);
  });
});
