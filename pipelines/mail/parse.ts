// Parse stage: raw email bytes → ParsedMessage (files, text, the headers later stages decide on).
// Never throws for bad input: damage becomes problems. It does not judge the files (validate does).
import type { AppConfig } from '../../config/schema.ts';
import type { Address, ExtractedFile, MessageProblem, ParsedMessage } from '../types.ts';
import { scanMime } from './mime-scan.ts';
import { addresses, readMime, type MimeAttachment, type MimeResult } from './parse-mime.ts';
import { safeFileName } from '../safe-name.ts';
import { guessType, isArchive, unzipFile } from '../archives/index.ts';
import { sha256 } from '../hash.ts';
import { EMPTY_BODY, memoryBody, memorySink, type BodySink, type FileBody } from '../body.ts';
import { spoolMessage, SpoolWriteError, type Skeleton } from './spool.ts';
import { bodyHashOf, headerEndOf, readSource, sourceOf, type Source } from './source.ts';
import { headerInfo } from './parse-headers.ts';
import { bodyPartKind, INLINE_DOCUMENT_MIN_BYTES, isPdfPart } from './body-parts.ts';
import { extractUuencoded } from './uuencode.ts';

type Limits = AppConfig['limits'];

/** Forwarded inside forwarded inside…: deeper than this is kept as one unsupported file. */
const MAX_FORWARD_DEPTH = 3;
/** Parts that are never documents: signatures and delivery-report machinery. */
const NOISE_TYPES = new Set([
  'application/pgp-signature',
  'application/pkcs7-signature',
  'application/x-pkcs7-signature',
  'message/delivery-status',
  'message/disposition-notification',
  'message/feedback-report',
  'text/rfc822-headers',
  'message/global-delivery-status',
  'message/global-headers',
]);
const TNEF_MAGIC = 0x223e9f78;
const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/tiff': 'tif',
  'image/heic': 'heic',
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  'text/plain': 'txt',
  'application/vnd.rar': 'rar',
  'application/x-rar-compressed': 'rar',
  'text/html': 'html',
  'message/rfc822': 'eml',
  'application/msword': 'doc',
};

interface Level {
  sink: BodySink;
  mime: MimeResult;
  files: ExtractedFile[];
  problems: MessageProblem[];
  text: string;
  bounceParts: boolean;
  topContentType: string;
}

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
    return {
      messageId,
      hasOwnMessageId: false,
      dedupeKey: dedupeKeyOf(messageId, []),
      subject: '',
      to: [],
      references: [],
      text: '',
      headers: {},
      isBounce: false,
      files: [],
      problems: [{ code: 'corrupt-mime', detail }],
    };
  }
}

/** Only the header block, for messages too large to unpack: enough to identify and reply. */
async function headerBlock(raw: Source): Promise<Buffer> {
  const end = (await headerEndOf(raw)) ?? Math.min(raw.size, 256 * 1024);
  const bytes = await readSource(raw, 0, Math.min(end, 1024 * 1024));
  const head = bytes.toString('latin1').replace(/^content-type:.*(\r?\n[ \t].*)*\r?\n/gim, '');
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from('\r\n')]);
}

/** The skeleton and spooled parts of one level; a message the splitter cannot read is parsed whole, as before. */
async function skeletonOf(raw: Source, limits: Limits, sink: BodySink): Promise<Skeleton> {
  try {
    return await spoolMessage(raw.stream(), { sink, maxFileBytes: limits.maxFileBytes });
  } catch (err) {
    if (err instanceof SpoolWriteError) throw err;
    return { raw: await readSource(raw, 0, raw.size), parts: [], token: '' };
  }
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

async function parseLevel(skeleton: Skeleton, limits: Limits, depth: number, sink: BodySink): Promise<Level> {
  const scan = scanMime(skeleton.raw);
  const mime = await readMime(scan.raw, skeleton);
  const problems: MessageProblem[] = [];
  const damage = [...scan.damage, ...(mime.error ? [mime.error] : [])];
  if (damage.length > 0) problems.push({ code: 'corrupt-mime', detail: damage.join('; ') });
  const level: Level = {
    sink,
    mime,
    files: [],
    problems,
    text: mime.text,
    topContentType: scan.contentTypes[0] ?? 'text/plain',
    bounceParts: scan.contentTypes.some((t) => t === 'message/delivery-status' || t === 'message/global-delivery-status'),
  };
  let index = 0;
  for (const att of mime.attachments) {
    index += 1;
    if (NOISE_TYPES.has(att.contentType)) continue;
    if (att.related && !isPdfPart(att) && att.size < INLINE_DOCUMENT_MIN_BYTES) continue;
    if (bodyPartKind(att, { parentType: att.partId ? scan.parents.get(att.partId) : undefined, cids: mime.cids })) continue;
    if (att.contentType === 'message/rfc822') {
      await addForwarded(level, att, index, limits, depth);
      continue;
    }
    level.files.push(...(await toFiles(att, index, limits, level)));
  }
  await addUuencoded(level, limits);
  return level;
}

/** Files uuencoded into the plain-text body become attachments, and their blocks leave the text. */
async function addUuencoded(level: Level, limits: Limits): Promise<void> {
  const found = extractUuencoded(level.text);
  if (found.files.length === 0) return;
  level.text = found.text;
  let index = level.mime.attachments.length;
  for (const uu of found.files) {
    const att: MimeAttachment = {
      filename: uu.name,
      contentType: 'application/octet-stream',
      related: false,
      body: memoryBody(uu.content),
      size: uu.content.length,
      sha256: '',
    };
    level.files.push(...(await toFiles(att, ++index, limits, level)));
  }
}

async function addForwarded(level: Level, att: MimeAttachment, index: number, limits: Limits, depth: number): Promise<void> {
  if (depth + 1 > MAX_FORWARD_DEPTH) {
    level.files.push({
      ...baseFile(att, index, limits),
      problem: { code: 'unsupported-type', detail: `forwarded message nested deeper than ${MAX_FORWARD_DEPTH} levels` },
    });
    return;
  }
  const forwarded = { size: att.body.size, read: att.body.read, stream: () => att.body.stream() };
  const inner = await parseLevel(await skeletonOf(forwarded, limits, level.sink), limits, depth + 1, level.sink);
  const info = headerInfo(inner.mime.headerLines);
  const from = addresses(inner.mime.headers.get('from') as never)[0];
  const heading = [
    '---------- Forwarded message ----------',
    from ? `From: ${from.name ? `${from.name} <${from.address}>` : from.address}` : '',
    info.dateRaw ? `Date: ${info.dateRaw}` : '',
    `Subject: ${String(inner.mime.headers.get('subject') ?? '')}`,
  ].filter(Boolean).join('\n');
  level.text = [level.text, `${heading}\n\n${inner.text}`].filter((t) => t.trim() !== '').join('\n\n');
  for (const f of inner.files) level.files.push(f.origin === 'attachment' ? { ...f, origin: 'forwarded' } : f);
  for (const p of inner.problems) {
    if (p.code === 'tnef' && !level.problems.some((q) => q.code === 'tnef')) level.problems.push(p);
    if (p.code === 'corrupt-mime') level.problems.push({ code: 'corrupt-mime', detail: `forwarded message: ${p.detail ?? ''}` });
  }
}

function fallbackName(index: number, contentType: string): string {
  return `attachment-${index}.${EXTENSIONS[contentType] ?? 'bin'}`;
}

function baseFile(att: MimeAttachment, index: number, limits: Limits): ExtractedFile {
  const decoded = (att.filename ?? '').normalize('NFC').trim();
  const name = decoded ? safeFileName(decoded, limits.maxNameLength) : fallbackName(index, att.contentType);
  let contentType = att.contentType;
  if (contentType === 'application/octet-stream') contentType = guessType(name, att.body.head);
  return {
    name,
    folders: [],
    origin: 'attachment',
    contentType,
    size: att.size,
    sha256: att.sha256 || att.body.sha256,
    body: att.body,
  };
}

function isTnef(file: ExtractedFile): boolean {
  return /^winmail\.dat$/i.test(file.name) || /ms-tnef/.test(file.contentType)
    || (file.body.head.length >= 4 && file.body.head.readUInt32LE(0) === TNEF_MAGIC);
}

async function toFiles(att: MimeAttachment, index: number, limits: Limits, level: Level): Promise<ExtractedFile[]> {
  const problems = level.problems;
  const file = baseFile(att, index, limits);
  if (isTnef(file)) {
    if (!problems.some((p) => p.code === 'tnef')) problems.push({ code: 'tnef', detail: file.name });
    return [{ ...file, problem: { code: 'tnef', detail: 'Outlook winmail.dat: resend as plain attachments' } }];
  }
  // A ZIP or RAR is bounded by the message size; its entries are bounded by the file and ZIP limits.
  if (isArchive(file.body.head, file.name, file.contentType)) return unzipFile(file, limits, level.sink);
  if (file.size > limits.maxFileBytes) {
    return [{ ...file, body: EMPTY_BODY, problem: { code: 'file-too-large', detail: `${file.size} bytes > ${limits.maxFileBytes}` } }];
  }
  return [file];
}
