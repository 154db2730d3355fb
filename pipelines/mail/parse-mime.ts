// Runs mailparser over one message level and collects what the parse stage needs, never rejecting:
// a parser error ends the read with whatever was complete. Embedded messages stay attachments here.
import { MailParser } from 'mailparser';
import type { AddressObject, AttachmentStream, HeaderLines, Headers, MailParserOptions, MessageText } from 'mailparser';
import type { Address } from '../types.ts';
import { memoryBody, type FileBody } from '../body.ts';
import { SPOOLED_HEADER, spooledPart, type Skeleton } from './spool.ts';

export interface MimeAttachment {
  filename?: string;
  contentType: string;
  disposition?: string;
  /** Inside multipart/related with a Content-ID: an image the HTML body embeds. */
  related: boolean;
  /** IMAP-style part number ("2.3"), the key of MimeScan.parents. */
  partId?: string;
  /** Content-ID without the angle brackets, lower-cased. */
  contentId?: string;
  /** In the sink when the spool pass took it out of the message, else in memory. */
  body: FileBody;
  size: number;
  sha256: string;
}

export interface MimeResult {
  headerLines: HeaderLines;
  headers: Headers;
  text: string;
  attachments: MimeAttachment[];
  /** Content-IDs the HTML body shows (`src="cid:…"`), lower-cased. */
  cids: Set<string>;
  /** Set when mailparser gave up part way. */
  error?: string;
}

// ignoreEmbedded is a mailsplit option mailparser passes through (not in its typings): every
// message/rfc822 part then arrives as an attachment the parse stage parses on its own, depth-limited.
const OPTIONS = {
  ignoreEmbedded: true,
  keepCidLinks: true,
  skipImageLinks: true,
  skipTextLinks: true,
  skipTextToHtml: true,
  checksumAlgo: 'sha256',
} as MailParserOptions;

/** Reads a (skeleton) message; a part carrying the spool header gets its body from `spooled`. */
export function readMime(raw: Buffer, spooled: Pick<Skeleton, 'parts' | 'token'> = { parts: [], token: '' }): Promise<MimeResult> {
  return new Promise((resolve) => {
    const result: MimeResult = { headerLines: [], headers: new Map(), text: '', attachments: [], cids: new Set() };
    let html = '';
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      if (error) result.error = error.message;
      if (!result.text.trim() && html) result.text = htmlToText(html);
      for (const m of html.matchAll(/cid:([^"'\s>)]+)/gi)) result.cids.add(safeDecode(m[1]).toLowerCase());
      resolve(result);
    };
    let parser: MailParser;
    try {
      parser = new MailParser(OPTIONS);
    } catch (err) {
      return finish(err as Error);
    }
    parser.on('headers', (headers: Headers) => {
      result.headers = headers;
    });
    parser.on('headerLines', (lines: HeaderLines) => {
      result.headerLines = lines;
    });
    parser.on('error', (err: Error) => finish(err));
    parser.on('end', () => finish());
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'text') {
        result.text = data.text ?? '';
        html = typeof data.html === 'string' ? data.html : '';
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      // A sender's own header of that name makes the value a list, ours first: each is tried.
      const part = ([] as unknown[]).concat(data.headers.get(SPOOLED_HEADER)).map((value) => spooledPart(spooled, value)).find(Boolean);
      data.content.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
      });
      data.content.on('error', (err: Error) => finish(err));
      data.content.on('end', () => {
        const extra = data as AttachmentStream & { checksum?: string; related?: boolean; partId?: string | null; cid?: string };
        result.attachments.push({
          filename: data.filename,
          ...(extra.partId ? { partId: extra.partId } : {}),
          ...(extra.cid ? { contentId: extra.cid.toLowerCase() } : {}),
          contentType: (data.contentType || 'application/octet-stream').toLowerCase(),
          disposition: data.contentDisposition,
          related: extra.related === true,
          ...(part
            ? { body: part.body, size: part.body.size, sha256: part.body.sha256 }
            : { body: memoryBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), extra.checksum), size, sha256: extra.checksum ?? '' }),
        });
        chunks.length = 0;
        data.release?.();
      });
    });
    try {
      parser.end(raw);
    } catch (err) {
      finish(err as Error);
    }
  });
}

export function addresses(value: AddressObject | AddressObject[] | undefined): Address[] {
  const out: Address[] = [];
  const visit = (list: Array<{ name?: string; address?: string; group?: unknown[] }>): void => {
    for (const a of list) {
      if (a.group) visit(a.group as typeof list);
      else if (a.address) out.push({ name: (a.name ?? '').normalize('NFC'), address: a.address.toLowerCase() });
    }
  };
  for (const obj of ([] as AddressObject[]).concat(value ?? [])) visit(obj.value ?? []);
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', nbsp: ' ' };

/** Enough HTML → text for finding names and IDs in an HTML-only body; not a renderer. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|tr|li|h[1-6]|table|blockquote)\s*>/gi, '\n')
    .replace(/<\/t[dh]\s*>/gi, '\t')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
