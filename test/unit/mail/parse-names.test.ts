import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { parseMessage } from '../../../pipelines/mail/parse.ts';
import * as E from '../../helpers/eml.ts';
import { SOMCHAI, fullName } from '../../helpers/people.ts';

const limits = configSchema.parse({}).limits;
const THAI = 'สำเนาบัตรประจำตัวประชาชน บิดา.pdf';

async function nameOf(spec: Omit<E.AttachmentSpec, 'content'>): Promise<string[]> {
  const m = await parseMessage(E.submission({ attachments: [{ ...spec, content: E.fakePdf() }] }), { limits });
  return m.files.map((f) => f.name);
}

describe('parse: attachment names, whatever the client did', () => {
  const cases: Array<[string, Omit<E.AttachmentSpec, 'content'>]> = [
    ['RFC 2231 UTF-8', { name: THAI, style: 'rfc2231' }],
    ['RFC 2231 UTF-8 with continuations', { name: THAI, style: 'rfc2231', chunk: 24 }],
    ['RFC 2231 windows-874 with continuations', { name: THAI, style: 'rfc2231', charset: 'windows-874', chunk: 10 }],
    ['RFC 2231 TIS-620', { name: THAI, style: 'rfc2231', charset: 'TIS-620' }],
    ['RFC 2047 B UTF-8', { name: THAI, style: 'b' }],
    ['RFC 2047 Q UTF-8', { name: THAI, style: 'q' }],
    ['RFC 2047 B windows-874', { name: THAI, style: 'b', charset: 'windows-874' }],
    ['RFC 2047 Q TIS-620', { name: THAI, style: 'q', charset: 'TIS-620' }],
    ['RFC 2047 B ISO-8859-11', { name: THAI, style: 'b', charset: 'ISO-8859-11' }],
    ['raw 8-bit UTF-8', { name: THAI, style: 'raw', charset: 'UTF-8' }],
    ['raw 8-bit windows-874', { name: THAI, style: 'raw', charset: 'windows-874' }],
    ['name only in Content-Type', { name: THAI, style: 'content-type-only', disposition: 'none' }],
    ['application/octet-stream with a filename', { name: THAI, style: 'b', contentType: 'application/octet-stream' }],
    ['NFD from macOS', { name: THAI.normalize('NFD'), style: 'rfc2231' }],
  ];
  for (const [label, spec] of cases) {
    it(`decodes a Thai name sent as ${label}`, async () => {
      expect(await nameOf(spec)).toEqual([THAI]);
    });
  }

  it('joins RFC 2047 words that split a UTF-8 character between them (Outlook)', async () => {
    const bytes = Buffer.from(THAI);
    const [w1, w2] = [bytes.subarray(0, 7), bytes.subarray(7)].map((b) => `=?UTF-8?B?${b.toString('base64')}?=`);
    const part: E.MimePart = {
      headers: [`Content-Type: application/pdf;\r\n name="${w1}\r\n ${w2}"`, 'Content-Transfer-Encoding: base64'],
      body: Buffer.from(E.fakePdf().toString('base64')),
    };
    const m = await parseMessage(E.message({ body: E.multipart('mixed', [E.textPart('x'), part]) }), { limits });
    expect(m.files.map((f) => f.name)).toEqual([THAI]);
  });

  it('sees a PDF sent as application/octet-stream as a PDF', async () => {
    const m = await parseMessage(E.submission({ attachments: [{ name: 'scan', content: E.fakePdf(), contentType: 'application/octet-stream' }] }), { limits });
    expect(m.files[0].contentType).toBe('application/pdf');
  });

  it('falls back to attachment-N with an extension from the content type when there is no name', async () => {
    expect(await nameOf({ style: 'none', contentType: 'application/pdf' })).toEqual(['attachment-1.pdf']);
  });

  it('decodes a raw 8-bit windows-874 Subject and sender name', async () => {
    const raw = E.submission({
      subject: E.rawHeader('x', `ส่งเอกสาร ${fullName(SOMCHAI)}`).subarray(3),
      from: Buffer.concat([E.rawHeader('x', fullName(SOMCHAI)).subarray(3), Buffer.from(` <${SOMCHAI.email}>`)]),
      attachments: [{ name: THAI, content: E.fakePdf(), style: 'raw', charset: 'windows-874' }],
    });
    const m = await parseMessage(raw, { limits });
    expect(m.subject).toBe(`ส่งเอกสาร ${fullName(SOMCHAI)}`);
    expect(m.from).toEqual({ name: fullName(SOMCHAI), address: SOMCHAI.email });
  });

  it('keeps a raw 8-bit UTF-8 Subject as it is', async () => {
    const m = await parseMessage(E.submission({ subject: E.rawHeader('x', 'ส่งเอกสาร', 'UTF-8').subarray(3) }), { limits });
    expect(m.subject).toBe('ส่งเอกสาร');
  });

  it('leaves a windows-874 body sent 8bit intact while repairing the headers', async () => {
    const raw = E.message({
      subject: E.rawHeader('x', 'ส่งเอกสาร').subarray(3),
      body: E.multipart('mixed', [
        E.textPart(`เลขประจำตัว ${SOMCHAI.nationalId}`, { charset: 'windows-874', encoding: '8bit' }),
        E.attachment({ name: 'a.pdf', content: E.fakePdf() }),
      ]),
    });
    const m = await parseMessage(raw, { limits });
    expect(m.text).toBe(`เลขประจำตัว ${SOMCHAI.nationalId}`);
  });
});
