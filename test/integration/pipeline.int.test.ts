// The whole core pipeline on real .eml bytes into a real archive on disk: what staff and officers see.
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardedPart, message, multipart, submission, textPart } from '../helpers/eml.ts';
import { encryptedPdf, makePdf, makeDocx, TINY_JPEG } from '../helpers/pdf.ts';
import { buildZip, zipBomb } from '../helpers/zip.ts';
import { fullName, mistyped, PRASERT, SOMCHAI, SOMSRI, WANDEE } from '../helpers/people.ts';
import { listTree, readJson, testPipeline } from '../helpers/pipeline.ts';
import type { PersonManifest } from '../../pipelines/types.ts';

let pdf1: Buffer;
let pdf2: Buffer;
const pdfs: Buffer[] = [];
beforeAll(async () => {
  pdf1 = await makePdf(1);
  pdf2 = await makePdf(2);
  for (let i = 1; i <= 8; i++) pdfs.push(await makePdf(i));
});

const ALL_REQUIRED = ['บัตรประชาชน.pdf', 'ทะเบียนบ้าน.pdf', 'บัตรประชาชนบิดา.pdf', 'บัตรประชาชนมารดา.pdf', 'วุฒิที่ใช้บรรจุ ปริญญาบัตร.pdf', 'วุฒิที่ใช้บรรจุ ทรานสคริปต์.pdf',
  'วุฒิสูงสุด ปริญญาบัตรและทรานสคริปต์.pdf'];
const received = (iso: string) => [`from mail.office.example.test by mx.dep.example.test; ${new Date(iso).toUTCString().replace('GMT', '+0000')}`];

describe('core pipeline into the archive', () => {
  it('files a complete submission with windows-874 names, renamed by checklist item, and answers accepted', async () => {
    const p = testPipeline();
    const raw = submission({
      from: `${fullName(SOMCHAI)} <${SOMCHAI.email}>`,
      subject: `ส่งเอกสาร SEIS ${fullName(SOMCHAI)} ${SOMCHAI.nationalId}`,
      received: received('2023-09-10T03:00:00Z'),
      messageId: 'complete-1@office.example.test',
      attachments: ALL_REQUIRED.map((name, i) => ({ name, content: pdfs[i], style: i % 2 ? 'rfc2231' : 'b', charset: 'windows-874' })),
    });
    const out = await p.ingest(raw);
    expect(out.outcome).toBe('accepted');
    expect(out.persons).toEqual([SOMCHAI.nationalId]);

    const files = await listTree(p.root);
    const personDir = `seis-certification/${SOMCHAI.unit}/${SOMCHAI.nationalId} ${fullName(SOMCHAI)}`;
    for (const f of ['id-card.pdf', 'house-registration.pdf', 'father-id.pdf', 'mother-id.pdf', 'manifest.json']) {
      expect(files).toContain(`${personDir}/${f}`);
    }
    expect(files.filter((f) => f.startsWith('_messages/') && f.endsWith('.eml'))).toHaveLength(1);
    expect(files.some((f) => f.startsWith(`${personDir}/_originals/`))).toBe(true);

    const manifest = await readJson<PersonManifest>(join(p.root, personDir, 'manifest.json'));
    expect(manifest.documents.find((d) => d.item === 'father-id')?.originalName).toBe('บัตรประชาชนบิดา.pdf');
    expect(manifest.documents.find((d) => d.item === 'id-card')?.pages).toBe(1);
    expect(manifest.messages[0].messageId).toBe('complete-1@office.example.test');

    const reply = out.replyMail!;
    expect(reply.headers.get('x-seis-intake-status')).toBe('accepted');
    expect(reply.headers.get('auto-submitted')).toBe('auto-replied');
    expect(reply.inReplyTo).toBe('<complete-1@office.example.test>');
    expect(String(reply.headers.get('references'))).toContain('complete-1@office.example.test');
    expect(reply.to && 'text' in reply.to ? reply.to.text : '').toContain(SOMCHAI.email);
    expect(reply.text).toContain(`${SOMCHAI.firstName} ${SOMCHAI.lastName}`);
    expect(reply.text).toContain('22 กันยายน 2566');
  });

  it('completes a person with a resubmission, superseding the earlier copy but keeping it', async () => {
    const p = testPipeline();
    const first = await p.ingest(submission({
      from: SOMSRI.email!,
      subject: `เอกสาร ${SOMSRI.nationalId}`,
      received: received('2023-09-12T02:00:00Z'),
      attachments: [{ name: 'บัตรประชาชน.pdf', content: pdf1 }, { name: 'ทะเบียนบ้าน.pdf', content: pdf1 }],
    }));
    expect(first.outcome).toBe('incomplete');
    expect(first.replyMail!.text).toContain('สำเนาบัตรประจำตัวประชาชน บิดา');
    expect((await p.report()).persons.find((x) => x.nationalId === SOMSRI.nationalId)?.status).toBe('incomplete');

    const second = await p.ingest(submission({
      from: SOMSRI.email!,
      subject: `ส่งเพิ่ม ${SOMSRI.nationalId}`,
      received: received('2023-09-15T02:00:00Z'),
      attachments: [
        { name: 'บัตรประชาชน.pdf', content: pdf2 },
        { name: 'บัตรบิดา.pdf', content: pdf1 },
        { name: 'มรณบัตรมารดา.pdf', content: pdf1 },
        { name: 'ปริญญาบัตรและทรานสคริปต์.pdf', content: pdf2 },
      ],
    }));
    expect(second.outcome).toBe('accepted');
    const person = (await p.report()).persons.find((x) => x.nationalId === SOMSRI.nationalId)!;
    expect(person.status).toBe('complete');
    expect(person.missing).toEqual([]);
    expect(person.documents.find((d) => d.item === 'id-card')?.pages).toBe(2);
    const files = await listTree(p.root);
    expect(files.filter((f) => f.includes('/_superseded/id-card'))).toHaveLength(1);
  });

  it('files a message delivered twice once, and answers it once', async () => {
    const p = testPipeline();
    const body = submission({ from: WANDEE.email!, subject: WANDEE.nationalId, messageId: 'twice@x.test',
      attachments: [{ name: 'บัตรประชาชน.pdf', content: pdf1 }] });
    const a = await p.ingest(Buffer.concat([Buffer.from(`Received: from relay1 by mx; ${new Date('2023-09-01T01:00:00Z').toUTCString()}\r\n`), body]));
    const b = await p.ingest(Buffer.concat([Buffer.from(`Received: from relay2 by mx; ${new Date('2023-09-01T01:05:00Z').toUTCString()}\r\n`), body]));
    const c = await p.ingest(Buffer.concat([Buffer.from(`Received: from relay2 by mx; ${new Date('2023-09-01T01:05:00Z').toUTCString()}\r\n`), body]));
    expect(a.duplicate).toBe(false);
    expect(a.reply).toBeDefined();
    expect(b.duplicate && c.duplicate).toBe(true);
    expect(b.messageKey).toBe(a.messageKey);
    const record = await p.store.getMessageRecord(a.messageKey);
    expect(record?.rawKeys).toHaveLength(2); // two distinct raw copies kept, one filing
    const manifest = (await p.store.readPerson('seis-certification', WANDEE.nationalId))!.manifest;
    expect(manifest.documents).toHaveLength(1);
    expect(manifest.messages).toHaveLength(1);
  });

  it('flags a late submission, and refuses it under the reject policy', async () => {
    const late = submission({ from: PRASERT.email!, subject: PRASERT.nationalId, received: received('2023-09-23T01:00:00Z'),
      attachments: [{ name: 'บัตรประชาชน.pdf', content: pdf1 }] });
    const after = new Date('2023-09-25T00:00:00Z');
    const accept = testPipeline({ now: after });
    const a = await accept.ingest(late);
    expect(a.late).toBe(true);
    expect(a.outcome).toBe('incomplete');
    expect((await accept.report()).persons.find((x) => x.nationalId === PRASERT.nationalId)?.late).toBe(true);
    expect(a.replyMail!.text).toMatch(/หลังกำหนด|ล่าช้า/);

    const reject = testPipeline({ now: after });
    reject.config.campaigns[0].latePolicy = 'reject';
    const r = await reject.ingest(late);
    expect(r.outcome).toBe('rejected');
    const manifest = (await reject.store.readPerson('seis-certification', PRASERT.nationalId))!.manifest;
    expect(manifest.documents).toHaveLength(0);
    expect(manifest.problems.map((x) => x.code)).toEqual(['late-rejected']);
  });

  it('files a ZIP with one cp874-named folder per person into two people', async () => {
    const p = testPipeline();
    const zip = await buildZip([
      { name: `${SOMCHAI.firstName} ${SOMCHAI.lastName}/บัตรประชาชน.pdf`, content: pdf1, nameEncoding: 'cp874' },
      { name: `${SOMCHAI.firstName} ${SOMCHAI.lastName}/ทะเบียนบ้าน.pdf`, content: pdf2, nameEncoding: 'cp874' },
      { name: `${WANDEE.nationalId} ${WANDEE.firstName}/บัตรประชาชน.pdf`, content: pdf2, nameEncoding: 'cp874' },
    ]);
    const out = await p.ingest(
      submission({ from: 'office@example.test', subject: 'ส่งเอกสาร 2 ราย',
        attachments: [{ name: 'เอกสาร.zip', content: zip, contentType: 'application/zip' }] }),
    );
    expect(out.persons.sort()).toEqual([SOMCHAI.nationalId, WANDEE.nationalId].sort());
    const somchai = (await p.store.readPerson('seis-certification', SOMCHAI.nationalId))!.manifest;
    expect(somchai.documents.map((d) => d.item).sort()).toEqual(['house-registration', 'id-card']);
    expect(somchai.documents.find((d) => d.item === 'id-card')?.originalName).toBe('บัตรประชาชน.pdf');
  });

  it('files the attachments of a forwarded message', async () => {
    const p = testPipeline();
    const inner = submission({ from: SOMSRI.email!, subject: `เอกสาร ${fullName(SOMSRI)}`, attachments: [{ name: 'ทะเบียนบ้าน.pdf', content: pdf1 }] });
    const outer = message({
      from: 'boss@example.test',
      subject: `Fwd: เอกสาร ${fullName(SOMSRI)}`,
      body: multipart('mixed', [textPart('ส่งต่อครับ'), forwardedPart(inner, 'forward.eml')]),
    });
    const out = await p.ingest(outer);
    expect(out.persons).toEqual([SOMSRI.nationalId]);
    const manifest = (await p.store.readPerson('seis-certification', SOMSRI.nationalId))!.manifest;
    expect(manifest.documents.map((d) => d.item)).toEqual(['house-registration']);
  });

  it('keeps every bad file with its reason, and says why in the reply', async () => {
    const p = testPipeline();
    const bomb = await zipBomb(50 * 1024 * 1024);
    const out = await p.ingest(submission({
      from: SOMCHAI.email!,
      subject: SOMCHAI.nationalId,
      attachments: [
        { name: 'บัตรประชาชน.jpg', content: TINY_JPEG, contentType: 'image/jpeg' },
        { name: 'ทะเบียนบ้าน.pdf', content: Buffer.from('<html><body>not a pdf</body></html>') },
        { name: 'บัตรบิดา.pdf', content: encryptedPdf('aes256-user') },
        { name: 'บัตรมารดา.pdf', content: pdf1.subarray(0, 200) },
        { name: 'วุฒิบรรจุ.docx', content: await makeDocx(), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
        { name: 'bomb.zip', content: bomb, contentType: 'application/zip' },
        { name: 'รูปแมว.pdf', content: pdf1 },
      ],
    }));
    expect(out.outcome).toBe('rejected');
    const manifest = (await p.store.readPerson('seis-certification', SOMCHAI.nationalId))!.manifest;
    const codes = Object.fromEntries(manifest.problems.map((x) => [x.originalName, x.code]));
    expect(codes).toMatchObject({
      'บัตรประชาชน.jpg': 'image-not-pdf',
      'ทะเบียนบ้าน.pdf': 'fake-pdf',
      'บัตรบิดา.pdf': 'encrypted-pdf',
      'บัตรมารดา.pdf': 'corrupt-pdf',
      'วุฒิบรรจุ.docx': 'unsupported-type',
      'bomb.zip': 'zip-bomb',
      'รูปแมว.pdf': 'unclassified',
    });
    const text = out.replyMail!.text!;
    for (const name of Object.keys(codes)) expect(text).toContain(name);
    expect(text).toMatch(/PDF/);
    expect(out.replyMail!.headers.get('x-seis-intake-status')).toBe('rejected');
  });

  it('keeps hostile file names inside the person folder', async () => {
    const p = testPipeline();
    await p.ingest(submission({
      from: SOMCHAI.email!,
      subject: SOMCHAI.nationalId,
      attachments: [
        { name: '../../../../etc/passwd', content: 'x', contentType: 'text/plain' },
        { name: '/root/.ssh/authorized_keys.pdf', content: pdf1 },
        { name: `${'ก'.repeat(400)}.pdf`, content: pdf1 },
        { name: 'evil\u202Efdp.exe', content: 'MZ', contentType: 'application/octet-stream' },
      ],
    }));
    const root = realpathSync(p.root);
    const files = await listTree(root);
    for (const f of files) expect(resolve(root, f).startsWith(root)).toBe(true);
    expect(files.some((f) => f.includes('passwd'))).toBe(true);
    for (const f of files) for (const part of f.split('/')) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(255);
  });

  it('answers unidentified mail with guidance and keeps it in the unmatched folder', async () => {
    const p = testPipeline();
    const out = await p.ingest(submission({ from: 'stranger@example.test', subject: 'ส่งเอกสารครับ', attachments: [{ name: 'scan001.pdf', content: pdf1 }] }));
    expect(out.outcome).toBe('rejected');
    expect(out.persons).toEqual([]);
    expect(out.replyMail!.text).toMatch(/เลขประจำตัวประชาชน/);
    const unmatched = await p.store.listUnmatched('seis-certification');
    expect(unmatched).toHaveLength(1);
    expect(unmatched[0].reason).toBe('unidentified');
    expect((await p.report()).unmatched[0]).toMatchObject({ from: 'stranger@example.test', reason: 'unidentified' });
  });

  it('matches a mistyped national ID through the name in the roster', async () => {
    const p = testPipeline();
    const out = await p.ingest(submission({
      from: 'office@example.test',
      subject: `ส่งเอกสาร ${fullName(WANDEE)} ${mistyped(WANDEE.nationalId)}`,
      attachments: [{ name: 'บัตรประชาชน.pdf', content: pdf1 }],
    }));
    expect(out.persons).toEqual([WANDEE.nationalId]);
  });

  it('does not answer automatic mail, but still files a scanner mail from a no-reply address', async () => {
    const p = testPipeline();
    const vacation = await p.ingest(message({
      from: SOMCHAI.email!,
      subject: 'Automatic reply: ไม่อยู่',
      headers: ['Auto-Submitted: auto-replied'],
      body: textPart('ไม่อยู่สำนักงาน'),
    }));
    expect(vacation.outcome).toBe('ignored');
    expect(vacation.reply).toBeUndefined();

    const list = await p.ingest(submission({ from: 'list@example.test', subject: 'news', headers: ['List-Id: <news.example.test>', 'Precedence: list'] }));
    expect(list.reply).toBeUndefined();

    const scanner = await p.ingest(submission({
      from: 'noreply@scanner.example.test',
      subject: `scan ${SOMSRI.nationalId}`,
      attachments: [{ name: 'บัตรประชาชน.pdf', content: pdf1 }],
    }));
    expect(scanner.reply).toBeUndefined();
    expect(scanner.replySuppressed).toBe('no-reply-sender');
    expect(scanner.persons).toEqual([SOMSRI.nationalId]);

    const own = await p.ingest(submission({ from: 'seis@dep.example.test', subject: 'loop', attachments: [{ name: 'x.pdf', content: pdf1 }] }));
    expect(own.reply).toBeUndefined();
  });

  it('ignores a bounce of one of our replies and names the address that failed', async () => {
    const p = testPipeline();
    const dsn = message({
      from: 'MAILER-DAEMON@mx.example.test',
      subject: 'Undelivered Mail Returned to Sender',
      body: multipart('report', [
        textPart('could not deliver'),
        { headers: ['Content-Type: message/delivery-status'],
          body: Buffer.from('Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; gone@example.test\r\nAction: failed\r\nStatus: 5.1.1\r\n') },
      ], { params: 'report-type=delivery-status' }),
    });
    const out = await p.ingest(dsn);
    expect(out.outcome).toBe('ignored');
    expect(out.isBounce).toBe(true);
    expect(out.bouncedRecipients).toEqual(['gone@example.test']);
    expect(out.reply).toBeUndefined();
  });

  it('keeps corrupt MIME and winmail.dat, and answers with what to do', async () => {
    const p = testPipeline();
    const corrupt = Buffer.concat([
      Buffer.from(
        `From: ${SOMCHAI.email}\r\nSubject: ${SOMCHAI.nationalId}\r\nMessage-ID: <corrupt@x>\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\nContent-Type: application/pdf; name="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n`,
      ),
      Buffer.from('JVBERi0xLjQK%%%garbage'),
    ]);
    const c = await p.ingest(corrupt);
    expect(['rejected', 'incomplete']).toContain(c.outcome);
    expect(await readFile(join(p.root, c.emlPath))).toEqual(corrupt);

    const tnef = await p.ingest(submission({
      from: SOMSRI.email!,
      subject: SOMSRI.nationalId,
      attachments: [{ name: 'winmail.dat', content: Buffer.from([0x78, 0x9f, 0x3e, 0x22, 0, 0, 0, 0]), contentType: 'application/ms-tnef' }],
    }));
    expect(tnef.outcome).toBe('rejected');
    expect(tnef.replyMail!.text).toMatch(/winmail\.dat/);
  });

  it('loses no update when messages for one person are processed at the same time', async () => {
    const p = testPipeline();
    const names = ['บัตรประชาชน.pdf', 'ทะเบียนบ้าน.pdf', 'บัตรบิดา.pdf', 'บัตรมารดา.pdf', 'บัตรคู่สมรส.pdf', 'ใบอนุญาตประกอบวิชาชีพ.pdf'];
    const outs = await Promise.all(names.map((name, i) =>
      p.ingest(submission({
        from: SOMCHAI.email!,
        subject: `${SOMCHAI.nationalId} ส่งครั้งที่ ${i}`,
        messageId: `conc-${i}@x`,
        attachments: [{ name, content: pdfs[i] }],
      }))
    ));
    expect(outs.every((o) => o.persons[0] === SOMCHAI.nationalId)).toBe(true);
    const manifest = (await p.store.readPerson('seis-certification', SOMCHAI.nationalId))!.manifest;
    expect(manifest.messages).toHaveLength(names.length);
    expect(manifest.documents.map((d) => d.item).sort()).toEqual(
      ['father-id', 'house-registration', 'id-card', 'mother-id', 'professional-license', 'spouse-id'],
    );
  });

  it('files a reply to our reply for the one person it was about, even without the ID (In-Reply-To only)', async () => {
    const p = testPipeline();
    const first = await p.ingest(submission({
      from: 'office@example.test',
      subject: 'ส่งเอกสาร',
      text: `เอกสารของ ${fullName(SOMSRI)} ${SOMSRI.nationalId}`,
      attachments: [{ name: 'บัตรประชาชน.pdf', content: pdf1 }],
    }));
    expect(first.persons).toEqual([SOMSRI.nationalId]);
    const answer = await p.ingest(submission({
      from: 'office@example.test',
      subject: `Re: ${first.replyMail!.subject}`,
      text: 'ส่งเพิ่มครับ',
      headers: [`In-Reply-To: ${first.reply!.messageId}`],
      attachments: [{ name: 'ทะเบียนบ้าน.pdf', content: pdf2 }],
    }));
    expect(answer.persons).toEqual([SOMSRI.nationalId]);
    const manifest = (await p.store.readPerson('seis-certification', SOMSRI.nationalId))!.manifest;
    expect(manifest.documents.map((d) => d.item).sort()).toEqual(['house-registration', 'id-card']);
    expect(answer.replyMail!.text).toContain('อีเมลตอบกลับของระบบ');

    const stranger = await p.ingest(submission({
      from: 'other@example.test',
      subject: 'ส่งเพิ่ม',
      headers: ['References: <reply-00000000000000000000000000000000@x.test>'],
      attachments: [{ name: 'ทะเบียนบ้าน.pdf', content: pdf1 }],
    }));
    expect(stranger.persons).toEqual([]); // an unknown reply id identifies nobody
  });

  it('uses IMAP INTERNALDATE before any header for lateness', async () => {
    const p = testPipeline({ now: new Date('2023-09-25T00:00:00Z') });
    const raw = submission({ from: SOMCHAI.email!, subject: SOMCHAI.nationalId, received: received('2023-09-01T00:00:00Z'),
      attachments: [{ name: 'บัตรประชาชน.pdf', content: pdf1 }] });
    const out = await p.ingest(raw, { internalDate: new Date('2023-09-23T00:00:00Z') });
    expect(out.late).toBe(true);
  });
});
