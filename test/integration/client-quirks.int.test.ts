// Whole submissions that real clients shape oddly, through the real pipeline into an archive on disk: the answer
// must be the one the documents deserve, whatever else the client put in the mail.
import { beforeAll, describe, expect, it } from 'vitest';
import { message, textPart } from '../helpers/eml.ts';
import { outlookInviteWithDocuments, uuencode } from '../helpers/client-quirks.ts';
import { makePdf } from '../helpers/pdf.ts';
import { fullName, SOMCHAI, SOMSRI } from '../helpers/people.ts';
import { testPipeline } from '../helpers/pipeline.ts';
import { build7z } from '../helpers/sevenz.ts';

const ALL_REQUIRED = ['บัตรประชาชน.pdf', 'ทะเบียนบ้าน.pdf', 'บัตรประชาชนบิดา.pdf', 'บัตรประชาชนมารดา.pdf', 'วุฒิที่ใช้บรรจุ ปริญญาบัตร.pdf', 'วุฒิที่ใช้บรรจุ ทรานสคริปต์.pdf',
  'วุฒิสูงสุด ปริญญาบัตรและทรานสคริปต์.pdf'];
const pdfs: Buffer[] = [];
beforeAll(async () => {
  for (let i = 1; i <= ALL_REQUIRED.length; i++) pdfs.push(await makePdf(i));
});

describe('client quirks through the whole pipeline', () => {
  it('answers a complete Outlook submission that carries a meeting invite "accepted"', async () => {
    const p = testPipeline();
    const out = await p.ingest(outlookInviteWithDocuments({
      from: `${fullName(SOMCHAI)} <${SOMCHAI.email}>`,
      subject: `ส่งเอกสาร SEIS ${SOMCHAI.nationalId}`,
      text: `ส่งเอกสารของ ${fullName(SOMCHAI)}`,
      attachments: ALL_REQUIRED.map((name, i) => ({ name, content: pdfs[i] })),
    }));
    expect(out.outcome).toBe('accepted');
    expect(out.replyMail?.headers.get('x-seis-intake-status')).toBe('accepted');
    expect(out.replyMail?.text).not.toMatch(/attachment-\d+\.bin|invite\.ics/);
  });

  it('files a complete submission sent as one 7z with a folder per person', async () => {
    const p = testPipeline();
    const folder = `${SOMSRI.nationalId} ${fullName(SOMSRI)}`;
    const archive = await build7z(ALL_REQUIRED.map((name, i) => ({ name: `${folder}/${name}`, content: pdfs[i] })));
    const out = await p.ingest(message({
      from: SOMSRI.email,
      subject: 'ส่งเอกสาร',
      body: { headers: ['Content-Type: multipart/mixed; boundary="b7z"'], body: Buffer.concat([
        Buffer.from('--b7z\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nส่งเอกสารครับ\r\n--b7z\r\n'),
        Buffer.from('Content-Type: application/x-7z-compressed; name="docs.7z"\r\nContent-Transfer-Encoding: base64\r\n\r\n'),
        Buffer.from(archive.toString('base64').replace(/.{76}/g, '$&\r\n')),
        Buffer.from('\r\n--b7z--\r\n'),
      ]) },
    }));
    expect(out.persons).toEqual([SOMSRI.nationalId]);
    expect(out.outcome).toBe('accepted');
  });

  it('files the uuencoded documents of an Outlook Express plain-text mail', async () => {
    const p = testPipeline();
    const body = [`ส่งเอกสาร ${fullName(SOMCHAI)} ${SOMCHAI.nationalId}`, '', uuencode('id-card.pdf', pdfs[0]), '', uuencode('ทะเบียนบ้าน.pdf', pdfs[1]), ''].join(
      '\r\n',
    );
    const out = await p.ingest(
      message({ from: SOMCHAI.email, body: textPart(body, { encoding: '8bit' }), headers: ['X-Mailer: Microsoft Outlook Express 6.00.2900.5931'] }),
    );
    expect(out.persons).toEqual([SOMCHAI.nationalId]);
    expect(out.outcome).toBe('incomplete');
    const report = await p.report();
    const person = report.persons.find((x) => x.nationalId === SOMCHAI.nationalId)!;
    expect(person.documents.map((d) => d.item).sort()).toEqual(['house-registration', 'id-card']);
  });
});
