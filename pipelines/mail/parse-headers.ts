// Reads the header facts the pipeline decides on straight from the raw header lines, because
// mailparser replaces an unparseable Date with "now" and drops the order of Received: lines.
import type { HeaderLines } from 'mailparser';
import type { ParsedMessage } from '../types.ts';

export interface HeaderInfo {
  messageId?: string;
  date?: Date;
  dateRaw?: string;
  receivedAt?: Date;
  references: string[];
  headers: ParsedMessage['headers'];
}

/** The headers the reply guard reads, by lower-case name, and the field of ParsedMessage['headers'] each goes to. */
export const GUARD_HEADERS: Record<string, keyof ParsedMessage['headers']> = {
  'auto-submitted': 'autoSubmitted',
  precedence: 'precedence',
  'list-id': 'listId',
  'list-unsubscribe': 'listUnsubscribe',
  'return-path': 'returnPath',
  'content-type': 'contentType',
  'x-auto-response-suppress': 'xAutoResponseSuppress',
  'x-autoreply': 'xAutoreply',
  'x-autorespond': 'xAutorespond',
  'authentication-results': 'authenticationResults',
};

function valueOf(line: string): string {
  const colon = line.indexOf(':');
  return (colon === -1 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** RFC 5322 dates with "(ICT)" comments and sloppy spacing; undefined rather than a made-up date. */
export function parseMailDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const clean = text.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (!clean) return undefined;
  for (const candidate of [clean, clean.replace(/^[A-Za-z]{3},?\s*/, '')]) {
    const date = new Date(candidate);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return undefined;
}

function ids(value: string): string[] {
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
  if (bracketed.length > 0) return bracketed;
  return value.split(/[\s,]+/).filter((v) => v.includes('@'));
}

export function headerInfo(lines: HeaderLines): HeaderInfo {
  const first = new Map<string, string>();
  for (const { key, line } of lines) if (!first.has(key)) first.set(key, valueOf(line));
  const headers: ParsedMessage['headers'] = {};
  for (const [name, field] of Object.entries(GUARD_HEADERS)) {
    const v = first.get(name);
    if (v !== undefined) headers[field] = v.toLowerCase();
  }
  const rawId = first.get('message-id') ?? '';
  const messageId = ids(rawId)[0] ?? (rawId.replace(/[<>\s]/g, '') || undefined);
  // The topmost Received: is the one our own server added on arrival.
  const received = first.get('received');
  const receivedAt = received && received.includes(';') ? parseMailDate(received.slice(received.lastIndexOf(';') + 1)) : undefined;
  const dateRaw = first.get('date');
  return {
    ...(messageId ? { messageId } : {}),
    ...(dateRaw ? { dateRaw } : {}),
    date: parseMailDate(dateRaw),
    receivedAt,
    // Clients that thread by In-Reply-To only (older Outlook) still count as replies (RFC 5322 §3.6.4).
    references: ids(first.get('references') ?? first.get('in-reply-to') ?? ''),
    headers,
  };
}
