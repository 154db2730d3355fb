import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { parseMessage } from '../../../pipelines/mail/index.ts';
import { attachment, fakePdf, htmlPart, message, multipart, textPart } from '../../helpers/eml.ts';
import { alternativeRenderings, calendarPart, outlookInviteWithDocuments, signatureParts, uuencode, uuencodeBase64,
  type SignatureStyle } from '../../helpers/client-quirks.ts';
import { makePng, TINY_JPEG } from '../../helpers/pdf.ts';
import { fullName, SOMCHAI } from '../../helpers/people.ts';

const limits = configSchema.parse({}).limits;
const parse = (raw: Buffer) => parseMessage(raw, { limits });
const names = (files: Array<{ name: string }>) => files.map((f) => f.name);
const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/mail/${name}`, import.meta.url));

describe('parse: body parts are not submitted files', () => {
  it('keeps an Outlook meeting invite (text/calendar alternative and invite.ics) out of the files', async () => {
    const m = await parse(outlookInviteWithDocuments({
      text: `ส่งเอกสาร ${fullName(SOMCHAI)}`,
      attachments: [{ name: 'บัตรประชาชน.pdf', content: fakePdf('id') }, { name: 'ทะเบียนบ้าน.pdf', content: fakePdf('house') }],
    }));
    expect(names(m.files)).toEqual(['บัตรประชาชน.pdf', 'ทะเบียนบ้าน.pdf']);
    expect(m.text).toContain(fullName(SOMCHAI));
    expect(m.problems).toEqual([]);
  });

  it('reads the committed Outlook invite fixture: two PDFs, no attachment-N.bin', async () => {
    const m = await parse(fixture('outlook-meeting-invite.eml'));
    expect(names(m.files)).toEqual(['สำเนาบัตรประชาชน.pdf', 'สำเนาทะเบียนบ้าน.pdf']);
    expect(m.text).toContain(SOMCHAI.nationalId);
  });

  it('drops a calendar alternative even without method= or a name, and a lone invite is a message without files', async () => {
    const m = await parse(message({ body: multipart('alternative', [textPart('นัดประชุม'), htmlPart('<p>นัดประชุม</p>'), calendarPart({ method: false })]) }));
    expect(m.files).toEqual([]);
    expect(m.problems.map((p) => p.code)).toEqual(['no-attachments']);
  });

  it('treats other alternative renderings (text/enriched, watch-html, AMP) as body', async () => {
    const m = await parse(message({ body: multipart('mixed', [alternativeRenderings('ส่งเอกสารครับ'), attachment({ name: 'a.pdf', content: fakePdf() })]) }));
    expect(names(m.files)).toEqual(['a.pdf']);
    expect(m.text).toBe('ส่งเอกสารครับ');
  });

  it('still keeps a PDF that a broken client put inside multipart/alternative', async () => {
    const m = await parse(message({ body: multipart('alternative', [textPart('ส่งครับ'), attachment({ name: 'scan.pdf', content: fakePdf() })]) }));
    expect(names(m.files)).toEqual(['scan.pdf']);
  });

  it.each<SignatureStyle>(['outlook-plain-reply', 'cid-outside-related', 'outlook-mobile', 'vcard'])(
    'leaves out a signature attached as %s',
    async (style) => {
      const m = await parse(
        message({ body: multipart('mixed', [...signatureParts(style, 'ส่งเอกสารครับ'), attachment({ name: 'id.pdf', content: fakePdf() })]) }),
      );
      expect(names(m.files)).toEqual(['id.pdf']);
    },
  );

  it('keeps images that are documents: a named scan attached, an inline photo the HTML does not show, a large pasted photo', async () => {
    const big = Buffer.concat([makePng(40, 20), Buffer.alloc(120 * 1024)]);
    const m = await parse(message({
      body: multipart('mixed', [
        multipart('related', [htmlPart('<p>ส่งครับ</p><img src="cid:photo@x">'),
          attachment({ name: 'photo.png', content: big, contentType: 'image/png', disposition: 'inline', contentId: 'photo@x' })]),
        attachment({ name: 'บัตรประชาชน.jpg', content: TINY_JPEG, contentType: 'image/jpeg' }),
        attachment({ name: 'IMG_0042.png', content: makePng(30, 30), contentType: 'image/png', disposition: 'inline', contentId: 'ABCD-1234' }),
      ]),
    }));
    expect(names(m.files).sort()).toEqual(['IMG_0042.png', 'photo.png', 'บัตรประชาชน.jpg']);
  });
});

describe('parse: uuencoded attachments in a plain-text body', () => {
  const pdf = Buffer.concat([fakePdf('uu'), Buffer.from([0, 1, 2, 0xff, 0x80, 0x7f])]);

  it('extracts classic uuencode blocks and takes them out of the text', async () => {
    const text = `ส่งเอกสาร ${fullName(SOMCHAI)} ${SOMCHAI.nationalId}\r\n\r\n${uuencode('id-card.pdf', pdf)}\r\n\r\n${
      uuencode('house.pdf', fakePdf('house'))
    }\r\nขอบคุณครับ`;
    const m = await parse(message({ body: textPart(text, { encoding: '8bit' }) }));
    expect(names(m.files)).toEqual(['id-card.pdf', 'house.pdf']);
    expect((await m.files[0].body.bytes()).equals(pdf)).toBe(true);
    expect(m.files[0].size).toBe(pdf.length);
    expect(m.text).toContain(SOMCHAI.nationalId);
    expect(m.text).toContain('ขอบคุณครับ');
    expect(m.text).not.toMatch(/begin 644|^end$/m);
    expect(m.problems).toEqual([]);
  });

  it('extracts begin-base64 blocks next to real attachments', async () => {
    const m = await parse(message({
      body: multipart('mixed', [textPart(`ส่งครับ\n${uuencodeBase64('ปริญญาบัตร.pdf', pdf)}\n`), attachment({ name: 'a.pdf', content: fakePdf() })]),
    }));
    expect(names(m.files)).toEqual(['a.pdf', 'ปริญญาบัตร.pdf']);
    expect((await m.files[1].body.bytes()).equals(pdf)).toBe(true);
  });

  it('leaves a sentence that only looks like a block, and a cut-off block, in the text', async () => {
    const text = 'begin 644 is how uuencode starts\nnothing else here\n\n' + uuencode('cut.pdf', pdf).split('\r\n').slice(0, 2).join('\n');
    const m = await parse(message({ body: textPart(text, { encoding: '8bit' }) }));
    expect(m.files).toEqual([]);
    expect(m.text).toContain('begin 644 is how uuencode starts');
    expect(m.text).toContain('begin 644 cut.pdf');
  });
});
