import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { memoryBody, memorySink, type BodySink } from '../../../pipelines/body.ts';
import { parseMessage, parseMessageStream } from '../../../pipelines/mail/parse.ts';
import { readMime } from '../../../pipelines/mail/parse-mime.ts';
import { spoolMessage } from '../../../pipelines/mail/spool.ts';
import * as E from '../../helpers/eml.ts';

const limits = configSchema.parse({}).limits;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const CRLF = '\r\n';

/** A memory sink that remembers what was finished and what was dropped. */
function countingSink(): BodySink & { finished: number[]; aborted: number } {
  const sink = {
    finished: [] as number[],
    aborted: 0,
    create: () => {
      const inner = memorySink.create();
      return {
        write: (c: Buffer) => inner.write(c),
        finish: async () => {
          const body = await inner.finish();
          sink.finished.push(body.size);
          return body;
        },
        abort: async () => {
          sink.aborted += 1;
          await inner.abort();
        },
      };
    },
  };
  return sink;
}

async function* chunked(raw: Buffer, size = 777): AsyncIterable<Buffer> {
  for (let at = 0; at < raw.length; at += size) yield raw.subarray(at, at + size);
}

/** mailparser on the whole message and on the skeleton (every attachment spooled) see the same attachments. */
async function sameAttachments(raw: Buffer, inlineBytes = 0): Promise<void> {
  const whole = await readMime(raw);
  const skeleton = await spoolMessage(chunked(raw), { sink: memorySink, maxFileBytes: limits.maxFileBytes, inlineBytes });
  const spooled = await readMime(skeleton.raw, skeleton);
  const view = async (m: typeof whole) =>
    Promise.all(m.attachments.map(async (a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      sha256: a.body.sha256,
      hex: (await a.body.bytes()).toString('hex'),
    })));
  expect(await view(spooled)).toEqual(await view(whole));
  expect(spooled.text).toBe(whole.text);
  expect(spooled.error).toBe(whole.error);
}

function part(headers: string[], body: Buffer | string): E.MimePart {
  return { headers, body: typeof body === 'string' ? Buffer.from(body, 'latin1') : body };
}

describe('spool pass: attachment bodies leave the message as they are decoded', () => {
  it('decodes base64, quoted-printable and 8bit parts exactly as mailparser does', async () => {
    const qp = 'line one =E0=B8=81=\r\ncontinued\r\n=3D equals\r\n'.repeat(200);
    const eight = Buffer.from(`%PDF-1.4${CRLF}${'x'.repeat(70)}${CRLF}`.repeat(300), 'latin1');
    await sameAttachments(E.message({ body: E.multipart('mixed', [
      E.textPart('ส่งครับ'),
      E.attachment({ name: 'a.pdf', content: randomBytes(200_000) }),
      part(['Content-Type: application/octet-stream; name="q.bin"', 'Content-Transfer-Encoding: quoted-printable',
        'Content-Disposition: attachment; filename="q.bin"'], qp),
      part(['Content-Type: application/pdf; name="e.pdf"', 'Content-Transfer-Encoding: 8bit', 'Content-Disposition: attachment; filename="e.pdf"'], eight),
    ]) }));
  });

  it('keeps nested multiparts, a windows-874 raw header and a cut-off base64 part as mailparser reads them', async () => {
    const nested = E.message({
      headers: [E.rawHeader('X-Note', 'เอกสารครบ')],
      body: E.multipart('mixed', [
        E.multipart('alternative', [E.textPart('ส่งครับ'), E.htmlPart('<p>ส่งครับ</p>')]),
        E.multipart('mixed', [E.attachment({ name: 'บัตร.pdf', content: randomBytes(50_000), style: 'raw', charset: 'windows-874' })]),
      ]),
    });
    await sameAttachments(nested);
    const cut = E.submission({ attachments: [{ name: 'a.pdf', content: randomBytes(90_001) }] });
    await sameAttachments(cut.subarray(0, cut.length - 333));
    await sameAttachments(
      E.message({ body: E.multipart('mixed', [E.textPart('x'), E.attachment({ name: 'b.pdf', content: randomBytes(5000) })], { unterminated: true }) }),
    );
  });

  it('decodes small base64 parts in memory and leaves other small parts in the skeleton, as mailparser reads them', async () => {
    const pdf = Buffer.concat([E.fakePdf(), randomBytes(30_000)]);
    const padded = randomBytes(1000);
    const raw = E.message({ body: E.multipart('mixed', [
      E.textPart('ส่งครับ'),
      E.attachment({ name: 'a.pdf', content: pdf }),
      // '=' inside the digits (two segments, as some encoders join them) takes the decoder's other path.
      part(['Content-Type: application/pdf; name="p.pdf"', 'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="p.pdf"'],
        `${padded.subarray(0, 100).toString('base64')}\r\n${padded.subarray(100).toString('base64')}\r\n`),
      part(['Content-Type: application/pdf; name="e.pdf"', 'Content-Transfer-Encoding: 8bit', 'Content-Disposition: attachment; filename="e.pdf"'],
        `%PDF-1.4${CRLF}small${CRLF}`),
    ]) });
    await sameAttachments(raw, 256 * 1024);
    const sink = countingSink();
    const skeleton = await spoolMessage(chunked(raw), { sink, maxFileBytes: limits.maxFileBytes });
    expect(sink.finished).toEqual([]);
    expect(skeleton.parts.map((p) => [p.body.size, p.body.sha256, p.body.path])).toEqual([[pdf.length, sha(pdf), undefined], [
      padded.length,
      sha(padded),
      undefined,
    ]]);
    expect(skeleton.raw.includes('%PDF-1.4\r\nsmall')).toBe(true);
    expect(skeleton.raw.length).toBeLessThan(3000);
  });

  it('passes header bytes through untouched, so the windows-874 repair still happens after', async () => {
    const subject = E.rawHeader('Subject', 'ส่งเอกสาร นายสมชาย');
    const raw = E.message({ subject: subject.subarray('Subject: '.length), body: E.multipart('mixed', [
      E.textPart('ส่งครับ'),
      E.attachment({ name: 'a.pdf', content: randomBytes(400_000) }),
    ]) });
    const skeleton = await spoolMessage(chunked(raw), { sink: memorySink, maxFileBytes: limits.maxFileBytes });
    const headerEnd = raw.indexOf('\r\n\r\n') + 4;
    expect(skeleton.raw.subarray(0, headerEnd).equals(raw.subarray(0, headerEnd))).toBe(true);
    expect(skeleton.raw.length).toBeLessThan(5000);
    expect(skeleton.parts).toHaveLength(1);
    const m = await parseMessage(raw, { limits });
    expect(m.subject).toBe('ส่งเอกสาร นายสมชาย');
  });

  it('spools a big attachment into the sink and gives the same file, hash and dedupe key as a small one would', async () => {
    const pdf = Buffer.concat([E.fakePdf(), randomBytes(600_000)]);
    const raw = E.submission({ messageId: null, attachments: [{ name: 'บัตรประชาชน.pdf', content: pdf }] });
    const sink = countingSink();
    const m = await parseMessageStream(memoryBody(raw), { limits, sink });
    expect(sink.finished).toEqual([pdf.length]);
    expect(m.files.map((f) => [f.name, f.size, f.sha256])).toEqual([['บัตรประชาชน.pdf', pdf.length, sha(pdf)]]);
    expect((await m.files[0].body.bytes()).equals(pdf)).toBe(true);
    // The synthesised Message-ID hashes the raw body: the same whether the parse held the message or streamed it.
    const again = await parseMessage(Buffer.concat([Buffer.from('From MAILER-DAEMON Fri Sep  1 10:00:00 2023\n'), raw]), { limits });
    expect(again.dedupeKey).toBe(m.dedupeKey);
    expect(m.messageId).toMatch(/@seis-intake\.invalid$/);
  });

  it('spools the big attachment of a forwarded message too', async () => {
    const scan = Buffer.concat([E.fakePdf('inner'), randomBytes(500_000)]);
    const inner = E.submission({ attachments: [{ name: 'ทะเบียนบ้าน.pdf', content: scan }] });
    const raw = E.message({ body: E.multipart('mixed', [E.textPart('ส่งต่อครับ'), E.forwardedPart(inner, 'fw.eml')]) });
    const sink = countingSink();
    const m = await parseMessageStream(memoryBody(raw), { limits, sink });
    expect(m.files.map((f) => [f.name, f.origin, f.sha256])).toEqual([['ทะเบียนบ้าน.pdf', 'forwarded', sha(scan)]]);
    expect(sink.finished).toContain(scan.length);
  });

  it('stops writing a part past maxFileBytes but keeps hashing: file-too-large with its real size and hash', async () => {
    const big = randomBytes(700_000);
    const sink = countingSink();
    const m = await parseMessageStream(memoryBody(E.submission({ attachments: [{ name: 'big.pdf', content: big }] })), {
      limits: { ...limits, maxFileBytes: 300_000 },
      sink,
    });
    expect(m.files.map((f) => [f.name, f.size, f.sha256, f.body.size, f.problem?.code])).toEqual([['big.pdf', 700_000, sha(big), 0, 'file-too-large']]);
    expect(sink.aborted).toBe(1);
    expect(sink.finished).toEqual([]);
  });

  it('ignores a sender\'s own X-Seis-Spooled header: it never points at another part\'s body', async () => {
    const big = randomBytes(400_000);
    const small = Buffer.from('%PDF-1.4 forged\n%%EOF\n');
    const raw = E.message({ body: E.multipart('mixed', [
      E.textPart('ส่งครับ'),
      E.attachment({ name: 'big.pdf', content: big }),
      { ...E.attachment({ name: 'small.pdf', content: small }),
        headers: ['X-Seis-Spooled: 0', ...E.attachment({ name: 'small.pdf', content: small }).headers] },
      // A spooled part that carries one too: its header then has two values, ours first.
      { ...E.attachment({ name: 'big2.pdf', content: big.subarray(1) }),
        headers: ['X-Seis-Spooled: 0', ...E.attachment({ name: 'big2.pdf', content: big }).headers] },
    ]) });
    const m = await parseMessage(raw, { limits });
    expect(m.files.map((f) => [f.name, f.sha256])).toEqual([['big.pdf', sha(big)], ['small.pdf', sha(small)], ['big2.pdf', sha(big.subarray(1))]]);
  });
});
