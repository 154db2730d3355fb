// One level of a message (the message itself, or one forwarded inside it): its MIME tree walked into text,
// files and problems; forwarded messages recurse, uuencoded blocks in the text become files.
import type { AppConfig } from '../../config/schema.ts';
import { memoryBody, type BodySink } from '../body.ts';
import type { ExtractedFile, MessageProblem } from '../types.ts';
import { baseFile, toFiles } from './attachment-files.ts';
import { bodyPartKind, INLINE_DOCUMENT_MIN_BYTES, isPdfPart } from './body-parts.ts';
import { scanMime } from './mime-scan.ts';
import { headerInfo } from './parse-headers.ts';
import { addresses, readMime, type MimeAttachment, type MimeResult } from './parse-mime.ts';
import { readSource, type Source } from './source.ts';
import { spoolMessage, SpoolWriteError, type Skeleton } from './spool.ts';
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
export interface Level {
  sink: BodySink;
  mime: MimeResult;
  files: ExtractedFile[];
  problems: MessageProblem[];
  text: string;
  bounceParts: boolean;
  topContentType: string;
}

/** The skeleton and spooled parts of one level; a message the splitter cannot read is parsed whole, as before. */
export async function skeletonOf(raw: Source, limits: Limits, sink: BodySink): Promise<Skeleton> {
  try {
    return await spoolMessage(raw.stream(), { sink, maxFileBytes: limits.maxFileBytes });
  } catch (err) {
    if (err instanceof SpoolWriteError) throw err;
    return { raw: await readSource(raw, 0, raw.size), parts: [], token: '' };
  }
}

export async function parseLevel(skeleton: Skeleton, limits: Limits, depth: number, sink: BodySink): Promise<Level> {
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
