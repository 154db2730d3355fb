// Hand-written MIME for tests: every client quirk the parse stage must survive, byte for byte.
// Use nodemailer's MailComposer for well-formed mail; use this when the bytes themselves are the point.
import iconv from 'iconv-lite';

/** A MIME entity: header lines (string = UTF-8, Buffer = raw bytes as a client sent them) and a body. */
export interface MimePart {
  headers: Array<string | Buffer>;
  body: Buffer;
}

const CRLF = '\r\n';
let boundaryCounter = 0;

function bytes(text: string, charset: string): Buffer {
  return /^utf-?8$/i.test(charset) ? Buffer.from(text, 'utf8') : iconv.encode(text, charset);
}

/** RFC 2047 B word, e.g. =?windows-874?B?...?= (long text is split into several words). */
export function encodedWordB(text: string, charset = 'UTF-8'): string {
  const raw = bytes(text, charset);
  const words: string[] = [];
  // 45 bytes → 60 base64 chars per word keeps lines short; UTF-8 split points are kept on char boundaries.
  let start = 0;
  while (start < raw.length) {
    let end = Math.min(start + 45, raw.length);
    if (/^utf-?8$/i.test(charset)) { while (end < raw.length && (raw[end] & 0xc0) === 0x80) end--; }
    words.push(`=?${charset}?B?${raw.subarray(start, end).toString('base64')}?=`);
    start = end;
  }
  return words.join(`${CRLF} `);
}

/** RFC 2047 Q word. */
export function encodedWordQ(text: string, charset = 'UTF-8'): string {
  const raw = bytes(text, charset);
  let out = '';
  for (const b of raw) {
    if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) out += String.fromCharCode(b);
    else if (b === 0x20) out += '_';
    else out += `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `=?${charset}?Q?${out}?=`;
}

/** RFC 2231 parameter, split into `name*0*=` continuations of `chunk` encoded bytes. */
export function rfc2231Param(param: string, value: string, charset = 'UTF-8', chunk = 0): string {
  const raw = bytes(value, charset);
  const pieces: string[] = [];
  let current = '';
  for (const b of raw) {
    const safe = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2e || b === 0x2d;
    const enc = safe ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (chunk > 0 && current.length + enc.length > chunk) {
      pieces.push(current);
      current = '';
    }
    current += enc;
  }
  pieces.push(current);
  if (pieces.length === 1) return `${param}*=${charset}''${pieces[0]}`;
  return pieces.map((p, i) => (i === 0 ? `${param}*0*=${charset}''${p}` : `${param}*${i}*=${p}`)).join(`;${CRLF} `);
}

/** A header line with raw 8-bit bytes in it (what old clients send without encoding). */
export function rawHeader(name: string, value: string, charset = 'windows-874'): Buffer {
  return Buffer.concat([Buffer.from(`${name}: `), bytes(value, charset)]);
}

function wrapBase64(data: Buffer): Buffer {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return Buffer.from(lines.join(CRLF));
}

export function textPart(text: string, opts: { charset?: string; subtype?: 'plain' | 'html'; encoding?: '8bit' | 'base64' } = {}): MimePart {
  const charset = opts.charset ?? 'UTF-8';
  const encoding = opts.encoding ?? 'base64';
  const raw = bytes(text, charset);
  return {
    headers: [`Content-Type: text/${opts.subtype ?? 'plain'}; charset="${charset}"`, `Content-Transfer-Encoding: ${encoding}`],
    body: encoding === 'base64' ? wrapBase64(raw) : raw,
  };
}

export function htmlPart(html: string, charset = 'UTF-8'): MimePart {
  return textPart(html, { charset, subtype: 'html' });
}

/**
 * How the client put the file name in the headers:
 * - rfc2231: filename*=charset''… in Content-Disposition (and name*= in Content-Type), `chunk` for continuations
 * - b / q: RFC 2047 encoded words in quotes (Outlook, Gmail)
 * - raw: the bytes of `charset` straight in the header (Outlook Express, old webmail)
 * - content-type-only: only name= in Content-Type, no Content-Disposition filename
 * - none: no name at all
 */
export type NameStyle = 'rfc2231' | 'b' | 'q' | 'raw' | 'content-type-only' | 'none' | 'plain';

export interface AttachmentSpec {
  name?: string;
  content: Buffer | string;
  contentType?: string;
  style?: NameStyle;
  charset?: string;
  chunk?: number;
  disposition?: 'attachment' | 'inline' | 'none';
  contentId?: string;
}

export function attachment(spec: AttachmentSpec): MimePart {
  const type = spec.contentType ?? 'application/pdf';
  const style: NameStyle = spec.style ?? (spec.name && /[^\x20-\x7e]/.test(spec.name) ? 'b' : 'plain');
  const charset = spec.charset ?? 'UTF-8';
  const disposition = spec.disposition ?? 'attachment';
  const name = spec.name ?? '';
  const headers: Array<string | Buffer> = [];
  const typeParam = (p: string): string | Buffer => {
    switch (style) {
      case 'rfc2231':
        return `${rfc2231Param(p, name, charset, spec.chunk ?? 0)}`;
      case 'b':
        return `${p}="${encodedWordB(name, charset)}"`;
      case 'q':
        return `${p}="${encodedWordQ(name, charset)}"`;
      case 'raw':
        return Buffer.concat([Buffer.from(`${p}="`), bytes(name, charset), Buffer.from('"')]);
      default:
        return `${p}="${name}"`;
    }
  };
  const line = (head: string, param: string | Buffer): string | Buffer =>
    typeof param === 'string' ? `${head};${CRLF} ${param}` : Buffer.concat([Buffer.from(`${head};${CRLF} `), param]);
  headers.push(style === 'none' ? `Content-Type: ${type}` : line(`Content-Type: ${type}`, typeParam('name')));
  headers.push('Content-Transfer-Encoding: base64');
  if (disposition !== 'none') {
    const withName = style !== 'none' && style !== 'content-type-only';
    headers.push(withName ? line(`Content-Disposition: ${disposition}`, typeParam('filename')) : `Content-Disposition: ${disposition}`);
  }
  if (spec.contentId) headers.push(`Content-ID: <${spec.contentId}>`);
  const content = typeof spec.content === 'string' ? Buffer.from(spec.content) : spec.content;
  return { headers, body: wrapBase64(content) };
}

export function multipart(subtype: string, parts: MimePart[], opts: { boundary?: string; params?: string; unterminated?: boolean } = {}): MimePart {
  const boundary = opts.boundary ?? `----=_Part_${++boundaryCounter}_seis.${Date.UTC(2023, 8, 1)}`;
  const chunks: Buffer[] = [Buffer.from(`This is a multi-part message in MIME format.${CRLF}`)];
  for (const part of parts) chunks.push(Buffer.from(`${CRLF}--${boundary}${CRLF}`), renderPart(part));
  if (!opts.unterminated) chunks.push(Buffer.from(`${CRLF}--${boundary}--${CRLF}`));
  return {
    headers: [`Content-Type: multipart/${subtype}; boundary="${boundary}"${opts.params ? `; ${opts.params}` : ''}`],
    body: Buffer.concat(chunks),
  };
}

/** A whole message as a message/rfc822 part (forwarded as attachment). */
export function forwardedPart(message: Buffer, name?: string): MimePart {
  return {
    headers: [`Content-Type: message/rfc822${name ? `; name="${name}"` : ''}`, `Content-Disposition: ${name ? `attachment; filename="${name}"` : 'inline'}`],
    body: message,
  };
}

export function renderPart(part: MimePart): Buffer {
  const chunks: Buffer[] = [];
  for (const h of part.headers) chunks.push(typeof h === 'string' ? Buffer.from(h, 'utf8') : h, Buffer.from(CRLF));
  chunks.push(Buffer.from(CRLF), part.body);
  return Buffer.concat(chunks);
}

export interface MessageSpec {
  from?: string | Buffer;
  to?: string;
  subject?: string | Buffer;
  date?: string;
  /** null = no Message-ID header at all. */
  messageId?: string | null;
  /** Received: values, topmost first. */
  received?: string[];
  headers?: Array<string | Buffer>;
  body: MimePart;
}

/** Top-level headers + the body part, CRLF line ends. Subject strings with non-ASCII are B-encoded. */
export function message(spec: MessageSpec): Buffer {
  const headers: Array<string | Buffer> = [];
  for (const r of spec.received ?? []) headers.push(`Received: ${r}`);
  const subj = spec.subject ?? 'ส่งเอกสาร';
  headers.push(
    typeof subj === 'string' ? `Subject: ${/[^\x20-\x7e]/.test(subj) ? encodedWordB(subj) : subj}` : Buffer.concat([Buffer.from('Subject: '), subj]),
  );
  const from = spec.from ?? 'somchai.test@example.test';
  headers.push(typeof from === 'string' ? `From: ${from}` : Buffer.concat([Buffer.from('From: '), from]));
  headers.push(`To: ${spec.to ?? 'seis-intake@example.test'}`);
  headers.push(`Date: ${spec.date ?? 'Fri, 01 Sep 2023 10:00:00 +0700'}`);
  if (spec.messageId !== null) headers.push(`Message-ID: <${spec.messageId ?? `test-${++boundaryCounter}@example.test`}>`);
  headers.push('MIME-Version: 1.0', ...(spec.headers ?? []));
  return renderPart({ headers: [...headers, ...spec.body.headers], body: spec.body.body });
}

/** The common case: a text body plus attachments in multipart/mixed. */
export function submission(opts: Omit<MessageSpec, 'body'> & { text?: string; attachments?: AttachmentSpec[] }): Buffer {
  const { text, attachments, ...rest } = opts;
  const parts = [textPart(text ?? 'ส่งเอกสารประกอบการรับรองครับ'), ...(attachments ?? []).map(attachment)];
  return message({ ...rest, body: multipart('mixed', parts) });
}

/** A minimal valid-looking PDF body (magic bytes and an EOF marker); the validate stage has its own builders. */
export function fakePdf(label = 'test'): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
}

/** An mboxrd file of the messages (">From " quoting of body lines, LF line ends as mbox tools write). */
export function mbox(messages: Buffer[], sender = 'MAILER-DAEMON'): Buffer {
  const out: Buffer[] = [];
  for (const msg of messages) {
    const lines = msg.toString('latin1').replace(/\r\n/g, '\n').split('\n').map((l) => (/^>*From /.test(l) ? `>${l}` : l));
    out.push(Buffer.from(`From ${sender} Fri Sep  1 10:00:00 2023\n${lines.join('\n').replace(/\n*$/, '\n')}\n`, 'latin1'));
  }
  return Buffer.concat(out);
}
