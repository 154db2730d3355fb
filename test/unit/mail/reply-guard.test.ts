import { describe, expect, it } from 'vitest';
import { simpleParser, type AddressObject } from 'mailparser';
import { normaliseAddress } from '../../../pipelines/mail/address.ts';
import { authenticated, replyGuard } from '../../../pipelines/mail/reply-guard.ts';
import type { Address, ParsedMessage } from '../../../pipelines/types.ts';
import { GUARD_HEADERS } from '../../../pipelines/mail/parse-headers.ts';
import { parsedMessage } from '../../helpers/parsed-message.ts';

// Header sets as the real clients and servers write them (addresses changed to fictional ones). mailparser
// reads them; the parse stage's own header map picks what it keeps for the guard (first value, lower-cased).

function first(obj: AddressObject | AddressObject[] | undefined): Address | undefined {
  const list = Array.isArray(obj) ? obj : obj ? [obj] : [];
  const a = list.flatMap((o) => o.value)[0];
  return a?.address ? { name: a.name, address: a.address } : undefined;
}

async function message(head: string, isBounce = false): Promise<ParsedMessage> {
  const raw = `${head.trim().replace(/\n/g, '\r\n')}\r\n\r\nbody\r\n`;
  const mail = await simpleParser(Buffer.from(raw));
  const headers: ParsedMessage['headers'] = {};
  for (const { key, line } of mail.headerLines) {
    const field = GUARD_HEADERS[key];
    if (field && headers[field] === undefined) {
      headers[field] = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim().toLowerCase();
    }
  }
  return parsedMessage({
    messageId: mail.messageId ?? 'x@test',
    subject: mail.subject ?? '',
    from: first(mail.from),
    replyTo: first(mail.replyTo),
    headers,
    isBounce,
  });
}

const ctx = { ownAddresses: ['SEIS Intake <seis-intake@dcd.example.go.th>', 'saraban@dcd.example.go.th'] };

const OFFICER = `
Return-Path: <somchai.test@gmail.com>
Received: from mail-lf1-f54.google.com (mail-lf1-f54.google.com [209.85.167.54]) by mx.dcd.example.go.th
 (Postfix) with ESMTPS id 4RqY1X; Fri, 22 Sep 2023 10:12:01 +0700 (+07)
Authentication-Results: mx.dcd.example.go.th; dkim=pass (2048-bit key; unprotected) header.d=gmail.com
 header.i=@gmail.com header.b=Xy12; spf=pass (gmail.com: 209.85.167.54 is authorized) smtp.mailfrom=somchai.test@gmail.com;
 dmarc=pass (p=none dis=none) header.from=gmail.com
From: =?UTF-8?B?4Liq4Lih4LiK4Liy4Lii?= <somchai.test@gmail.com>
To: seis-intake@dcd.example.go.th
Subject: ส่งเอกสาร SEIS
Date: Fri, 22 Sep 2023 10:11:58 +0700
Message-ID: <CAF1x@mail.gmail.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
`;

describe('replyGuard: ordinary mail gets a reply', () => {
  it('answers an officer writing from Gmail', async () => {
    expect(replyGuard(await message(OFFICER), ctx)).toEqual({ reply: true });
  });

  it('answers mail that says Auto-Submitted: no', async () => {
    expect(replyGuard(await message(`${OFFICER.trim()}\nAuto-Submitted: no`), ctx)).toEqual({ reply: true });
  });

  it('answers when Exchange only suppresses read receipts and OOF, not auto-replies', async () => {
    expect(replyGuard(await message(`${OFFICER.trim()}\nX-Auto-Response-Suppress: DR, RN, NRN, OOF`), ctx)).toEqual({ reply: true });
  });
});

describe('replyGuard: machines never get a reply', () => {
  it('ignores a Gmail vacation responder', async () => {
    const msg = await message(`
Return-Path: <somsri.test@gmail.com>
From: =?UTF-8?B?4Liq4Lih4Lio4Lij4Li1?= <somsri.test@gmail.com>
To: seis-intake@dcd.example.go.th
Subject: ลาพักร้อน Re: ผลการตรวจเอกสาร
Message-ID: <CAK2y@mail.gmail.com>
In-Reply-To: <reply-abc@seis-intake>
Auto-Submitted: auto-replied
Precedence: bulk
Content-Type: text/plain; charset="UTF-8"`);
    expect(replyGuard(msg, ctx)).toEqual({ reply: false, reason: 'auto-submitted' });
  });

  it('ignores an Outlook / Exchange Online automatic reply', async () => {
    const msg = await message(`
From: Wandee Test <wandee.test@dcd.example.go.th.onmicrosoft.test>
To: SEIS Intake <seis-intake@dcd.example.go.th>
Subject: Automatic reply: [ยังไม่ครบ] Re: ส่งเอกสาร
Thread-Topic: ส่งเอกสาร
Auto-Submitted: auto-generated
X-MS-Exchange-Inbox-Rules-Loop: wandee.test@dcd.example.go.th.onmicrosoft.test
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset="utf-8"`);
    expect(replyGuard(msg, ctx)).toEqual({ reply: false, reason: 'auto-submitted' });
  });

  it('ignores an old Exchange out-of-office that carries only X-Auto-Response-Suppress', async () => {
    const msg = await message(`
From: Prasert Test <prasert.test@exchange2010.example.test>
To: seis-intake@dcd.example.go.th
Subject: Out of Office: ส่งเอกสาร
X-Auto-Response-Suppress: All
Content-Type: text/plain`);
    expect(replyGuard(msg, ctx)).toEqual({ reply: false, reason: 'auto-reply' });
  });

  it('ignores an Exchange non-delivery report', async () => {
    const msg = await message(`
From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@dcd.example.go.th>
To: seis-intake@dcd.example.go.th
Subject: Undeliverable: [ยังไม่ครบ] Re: ส่งเอกสาร
Content-Type: multipart/report; report-type=delivery-status;
 boundary="_000_abcdef_"
X-MS-Exchange-Message-Is-Ndr:
Auto-Submitted: auto-replied`);
    expect(replyGuard(msg, ctx)).toMatchObject({ reply: false });
    const withoutAutoSubmitted = await message(`
From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@dcd.example.go.th>
Subject: Undeliverable: ส่งเอกสาร
Content-Type: multipart/report; report-type=delivery-status; boundary="_000_abcdef_"`);
    expect(replyGuard(withoutAutoSubmitted, ctx)).toEqual({ reply: false, reason: 'bounce' });
  });

  it('ignores a Postfix bounce (empty Return-Path, MAILER-DAEMON, multipart/report)', async () => {
    const head = `
Return-Path: <>
From: MAILER-DAEMON@mx.example.test (Mail Delivery System)
To: seis-intake@dcd.example.go.th
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4RqY1X.1695352321/mx.example.test"`;
    expect(replyGuard(await message(head), ctx)).toMatchObject({ reply: false });
    // Each signal alone is enough.
    expect(replyGuard(await message(head.replace(/^Auto-Submitted.*\n/m, '')), ctx)).toEqual({ reply: false, reason: 'bounce' });
    const plain = `Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.test\nSubject: failure notice\nContent-Type: text/plain`;
    expect(replyGuard(await message(plain), ctx)).toEqual({ reply: false, reason: 'null-sender' });
    const daemonOnly = `From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.test>\nSubject: failure notice`;
    expect(replyGuard(await message(daemonOnly), ctx)).toEqual({ reply: false, reason: 'no-reply-sender' });
  });

  it('ignores anything the parse stage flagged as a bounce', async () => {
    expect(replyGuard(await message(OFFICER, true), ctx)).toEqual({ reply: false, reason: 'bounce' });
  });

  it('ignores mailing-list mail (Mailman) and newsletters', async () => {
    const mailman = await message(`
From: Somchai <somchai.test@example.test>
To: staff@lists.example.test
Subject: [staff] ประชุม
List-Id: Staff announcements <staff.lists.example.test>
List-Unsubscribe: <https://lists.example.test/mailman/options/staff>, <mailto:staff-request@lists.example.test?subject=unsubscribe>
Precedence: list`);
    expect(replyGuard(mailman, ctx)).toEqual({ reply: false, reason: 'list' });
    const newsletter = await message(`
From: Training Centre <news@training.example.test>
Subject: ข่าวสารประจำเดือน
List-Unsubscribe: <mailto:unsub-7f3a@training.example.test>
List-Unsubscribe-Post: List-Unsubscribe=One-Click`);
    expect(replyGuard(newsletter, ctx)).toEqual({ reply: false, reason: 'list' });
  });

  it.each(['bulk', 'junk'])('ignores Precedence: %s', async (value) => {
    expect(replyGuard(await message(`${OFFICER.trim()}\nPrecedence: ${value}`), ctx)).toEqual({ reply: false, reason: 'bulk' });
  });

  it.each(['X-Autoreply: yes', 'X-Autorespond: Thank you for your message'])('ignores autoresponders marked %s', async (line) => {
    expect(replyGuard(await message(`${OFFICER.trim()}\n${line}`), ctx)).toEqual({ reply: false, reason: 'auto-reply' });
  });

  it.each([
    'noreply@saraban.example.go.th',
    'no-reply@accounts.example.test',
    'No_Reply@hr.example.test',
    'do-not-reply@e-office.example.test',
    'DoNotReply@ocsc.example.test',
    'noreply-dmarc-support@example.test',
    'postmaster@mx.example.test',
    'bounces+12345-abcd@sendgrid.example.test',
  ])('never answers the no-reply sender %s', async (address) => {
    const msg = await message(`From: System <${address}>\nTo: seis-intake@dcd.example.go.th\nSubject: แจ้งเตือน`);
    expect(replyGuard(msg, ctx)).toEqual({ reply: false, reason: 'no-reply-sender' });
  });

  it('never answers a no-reply address given as Reply-To', async () => {
    const msg = await message(`${OFFICER.trim()}\nReply-To: noreply@gmail.com`);
    expect(replyGuard(msg, ctx)).toEqual({ reply: false, reason: 'no-reply-sender' });
  });
});

describe('replyGuard: loops and missing senders', () => {
  it('never answers our own address, whatever its case or +tag', async () => {
    const msg = await message('From: SEIS <Seis-Intake+outbox@DCD.example.go.th>\nSubject: Re: ส่งเอกสาร');
    expect(replyGuard(msg, ctx)).toEqual({ reply: false, reason: 'own-address' });
    const viaReplyTo = await message(`${OFFICER.trim()}\nReply-To: saraban@dcd.example.go.th`);
    expect(replyGuard(viaReplyTo, ctx)).toEqual({ reply: false, reason: 'own-address' });
  });

  it('refuses when there is no usable address to answer', async () => {
    expect(replyGuard(await message('Subject: no sender at all'), ctx)).toEqual({ reply: false, reason: 'no-address' });
    expect(replyGuard(await message('From: undisclosed-recipients:;\nSubject: x'), ctx)).toEqual({ reply: false, reason: 'no-address' });
  });
});

describe('replyGuard: REPLY_REQUIRE_AUTH', () => {
  const strict = { ...ctx, requireAuth: true };

  it('answers when our server saw SPF, DKIM and DMARC pass', async () => {
    expect(replyGuard(await message(OFFICER), strict)).toEqual({ reply: true });
  });

  it('refuses when there is no Authentication-Results at all', async () => {
    const msg = await message(OFFICER.replace(/^Authentication-Results:.*\n(^ .*\n)*/m, ''));
    expect(msg.headers.authenticationResults).toBeUndefined();
    expect(replyGuard(msg, strict)).toEqual({ reply: false, reason: 'unauthenticated' });
    expect(replyGuard(msg, ctx)).toEqual({ reply: true });
  });

  it('refuses a forged From whose only pass is the spammer\'s own SPF', async () => {
    const forged = await message(`
Authentication-Results: mx.dcd.example.go.th; spf=pass smtp.mailfrom=bulk@spam.example.test; dkim=none; dmarc=fail header.from=gmail.com
From: Somchai <somchai.test@gmail.com>
Subject: ส่งเอกสาร`);
    expect(replyGuard(forged, strict)).toEqual({ reply: false, reason: 'unauthenticated' });
  });

  it('reads Microsoft 365 results, with comments, and accepts an aligned subdomain', () => {
    const m365 = 'spf=pass (sender ip is 40.107.1.1) smtp.mailfrom=mail.dcd.example.go.th; dkim=fail (body hash did not verify) '
      + 'header.d=dcd.example.go.th;dmarc=fail action=none header.from=dcd.example.go.th;compauth=pass reason=100';
    expect(authenticated(m365, 'wandee@dcd.example.go.th')).toBe(true);
    expect(authenticated('mx; spf=softfail smtp.mailfrom=x@dcd.example.go.th; dkim=neutral', 'wandee@dcd.example.go.th')).toBe(false);
    expect(authenticated('mx; arc=pass; spf=none', 'wandee@dcd.example.go.th')).toBe(false);
  });
});

describe('normaliseAddress', () => {
  it('lower-cases, drops the display name, brackets and +tag', () => {
    expect(normaliseAddress('SEIS Intake <Seis-Intake+x@Example.TEST>')).toBe('seis-intake@example.test');
    expect(normaliseAddress(' plain@example.test ')).toBe('plain@example.test');
  });
});
