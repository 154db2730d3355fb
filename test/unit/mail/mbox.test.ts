import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { looksLikeMbox, splitMbox } from '../../../pipelines/mail/mbox.ts';
import { parseMessage } from '../../../pipelines/mail/parse.ts';
import * as E from '../../helpers/eml.ts';

const limits = configSchema.parse({}).limits;

describe('mbox', () => {
  const one = E.message({ messageId: 'm1@example.test', body: E.multipart('mixed', [
    E.textPart('From here on the body starts\r\n>From quoted already\r\n', { encoding: '8bit' }),
    E.attachment({ name: 'a.pdf', content: E.fakePdf() }),
  ]) });
  const two = E.submission({ messageId: 'm2@example.test', text: 'second' });

  it('tells an mbox from a single message', () => {
    expect(looksLikeMbox(E.mbox([one]))).toBe(true);
    expect(looksLikeMbox(one)).toBe(false);
    expect(looksLikeMbox(Buffer.from('From me to you, a letter.\nhello'))).toBe(false);
  });

  it('splits messages and undoes >From quoting (mboxrd)', async () => {
    const parts = splitMbox(E.mbox([one, two]));
    expect(parts).toHaveLength(2);
    const body = parts[0].toString('latin1');
    expect(body).toContain('\nFrom here on the body starts');
    expect(body).toContain('\n>From quoted already');
    const parsed = await Promise.all(parts.map((p) => parseMessage(p, { limits })));
    expect(parsed.map((m) => m.messageId)).toEqual(['m1@example.test', 'm2@example.test']);
    expect(parsed[0].files.map((f) => f.name)).toEqual(['a.pdf']);
    expect(parsed[0].problems).toEqual([]);
  });

  it('reads mboxo from Thunderbird: "From - date" postmarks and CRLF lines', () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const data = Buffer.from(
      crlf('From - Fri Sep  1 10:00:00 2023\nSubject: a\n\nbody a\n>From the start\n\nFrom - Sat Sep  2 10:00:00 2023\nSubject: b\n\nbody b\n'),
    );
    const parts = splitMbox(data).map((b) => b.toString());
    expect(parts).toEqual([crlf('Subject: a\n\nbody a\nFrom the start\n'), crlf('Subject: b\n\nbody b\n')]);
  });

  it('returns a plain message unchanged and nothing for empty data', () => {
    expect(splitMbox(one)).toEqual([one]);
    expect(splitMbox(Buffer.alloc(0))).toEqual([]);
  });
});
