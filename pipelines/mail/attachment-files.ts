// One MIME attachment → the files it holds: a plain file, Outlook's winmail.dat refused, or a ZIP/RAR unpacked.
import type { AppConfig } from '../../config/schema.ts';
import { guessType, isArchive, unzipFile } from '../archives/index.ts';
import { EMPTY_BODY, type BodySink } from '../body.ts';
import { safeFileName } from '../safe-name.ts';
import type { ExtractedFile, MessageProblem } from '../types.ts';
import type { MimeAttachment } from './parse-mime.ts';

type Limits = AppConfig['limits'];

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

function fallbackName(index: number, contentType: string): string {
  return `attachment-${index}.${EXTENSIONS[contentType] ?? 'bin'}`;
}

export function baseFile(att: MimeAttachment, index: number, limits: Limits): ExtractedFile {
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

export async function toFiles(
  att: MimeAttachment,
  index: number,
  limits: Limits,
  level: { problems: MessageProblem[]; sink: BodySink },
): Promise<ExtractedFile[]> {
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
