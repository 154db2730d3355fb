// Parse stage: raw email bytes → ParsedMessage (files, text, the headers later stages decide on).
// Never throws for bad input: damage becomes problems. It does not judge the files (validate does).
import type { AppConfig } from '../../config/schema.ts';
import { memoryBody, memorySink, type BodySink, type FileBody } from '../body.ts';
import { sha256 } from '../hash.ts';
import type { Address, ParsedMessage } from '../types.ts';
import { parseLevel, skeletonOf } from './parse-level.ts';
import { headerInfo } from './parse-headers.ts';
import { addresses } from './parse-mime.ts';
import { bodyHashOf, headerEndOf, readSource, sourceOf, type Source } from './source.ts';
import { SpoolWriteError } from './spool.ts';

type Limits = AppConfig['limits'];

export interface ParseContext {
  limits: AppConfig['limits'];
  /** Where attachment bodies and unpacked entries go; memory when not given. */
  sink?: BodySink;
}

export function parseMessage(raw: Buffer, ctx: ParseContext): Promise<ParsedMessage> {
  return parseMessageStream(memoryBody(raw), ctx);
}

/**
 * Parses a message without holding it: one streaming pass puts attachment bodies into the sink and leaves a
 * small skeleton for the MIME parse. The same result as parsing the bytes whole.
 */
export async function parseMessageStream(message: FileBody, ctx: ParseContext): Promise<ParsedMessage> {
  try {
    return await parseTop(message, ctx.limits, ctx.sink ?? memorySink);
  } catch (err) {
    if (err instanceof SpoolWriteError) throw err.cause;
    // Last resort: a bug or an input no parser survives still yields a message we can file and report.
    const detail = `unparseable: ${(err as Error).message}`;
    const messageId = `${message.sha256}@seis-intake.invalid`;
    return { ...emptyMessage(messageId, false), problems: [{ code: 'corrupt-mime', detail }] };
  }
}

/** A message with nothing read from it but its id: no files, no text, no problems, no guard headers. */
export function emptyMessage(messageId: string, hasOwnMessageId: boolean): ParsedMessage {
  return {
    messageId,
    hasOwnMessageId,
    dedupeKey: dedupeKeyOf(messageId, []),
    subject: '',
    to: [],
    references: [],
    text: '',
    headers: {},
    isBounce: false,
    files: [],
    problems: [],
  };
}

/** Only the header block, for messages too large to unpack: enough to identify and reply. */
async function headerBlock(raw: Source): Promise<Buffer> {
  const end = (await headerEndOf(raw)) ?? Math.min(raw.size, 256 * 1024);
  const bytes = await readSource(raw, 0, Math.min(end, 1024 * 1024));
  const head = bytes.toString('latin1').replace(/^content-type:.*(\r?\n[ \t].*)*\r?\n/gim, '');
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from('\r\n')]);
}

async function parseTop(input: FileBody, limits: Limits, sink: BodySink): Promise<ParsedMessage> {
  const raw = await sourceOf(input);
  const tooLarge = raw.size > limits.maxMessageBytes;
  const skeleton = tooLarge ? { raw: await headerBlock(raw), parts: [], token: '' } : await skeletonOf(raw, limits, sink);
  const level = await parseLevel(skeleton, limits, 0, sink);
  const problems = [...level.problems];
  let files = level.files;
  if (tooLarge) problems.unshift({ code: 'message-too-large', detail: `${raw.size} bytes > ${limits.maxMessageBytes}` });
  if (files.length > limits.maxFilesPerMessage) {
    problems.push({ code: 'too-many-files', detail: `${files.length} files; only the first ${limits.maxFilesPerMessage} kept, the rest dropped` });
    files = files.slice(0, limits.maxFilesPerMessage);
  }
  if (files.length === 0 && !tooLarge) problems.push({ code: 'no-attachments' });

  const info = headerInfo(level.mime.headerLines);
  const from = addresses(level.mime.headers.get('from') as never)[0];
  const subject = String(level.mime.headers.get('subject') ?? '').normalize('NFC');
  const text = level.text.normalize('NFC').replace(/\s+$/, '');
  let messageId = info.messageId;
  if (!messageId) {
    // The raw body joins the seed: two different unparseable messages must not look like one, while a
    // redelivery (same body, other trace headers) still does.
    const seed = [from?.address ?? '', info.dateRaw ?? '', subject, text, await bodyHashOf(raw), ...files.map((f) => f.sha256)].join('\n');
    messageId = `${sha256(seed)}@seis-intake.invalid`;
  }
  const isBounce = level.bounceParts
    || (/^multipart\/report/.test(level.topContentType) && /report-type\s*=\s*"?delivery-status/i.test(info.headers.contentType ?? ''))
    || (/^(mailer-daemon|postmaster)@/i.test(from?.address ?? '')
      && /undeliver|delivery|returned|failure|fail|bounce|ไม่สามารถ|ส่งไม่ได้/i.test(subject));
  const replyTo: Address | undefined = addresses(level.mime.headers.get('reply-to') as never)[0];
  return {
    messageId,
    hasOwnMessageId: Boolean(info.messageId),
    dedupeKey: dedupeKeyOf(messageId, files),
    subject,
    ...(from ? { from } : {}),
    ...(replyTo ? { replyTo } : {}),
    to: addresses(level.mime.headers.get('to') as never),
    ...(info.date ? { date: info.date } : {}),
    ...(info.receivedAt ? { receivedHeaderAt: info.receivedAt } : {}),
    references: info.references,
    text,
    headers: info.headers,
    isBounce,
    files,
    problems,
  };
}

function dedupeKeyOf(messageId: string, files: Array<{ sha256: string }>): string {
  const hashes = files.map((f) => f.sha256).sort();
  return sha256([messageId, ...hashes].join('\n'));
}
