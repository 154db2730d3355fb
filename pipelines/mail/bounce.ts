// Reads a delivery status notification (RFC 3464, and the looser forms Exchange and Postfix send) for
// the addresses that failed and the reply Message-IDs it mentions. It does not decide what to do about them.

export interface BounceAnalysis {
  /** Lower-cased addresses that permanently failed. */
  recipients: string[];
  /** Our reply ids (<reply-KEY@…>) quoted in the report, when the bounce is of one of our replies. */
  ourReplyIds: string[];
  /** Ids of staff mail (<return-…@…>, <assign-…@…>: revision requests, acknowledgements) quoted in it. */
  ourStaffMailIds: string[];
  /** Ids of our reminders (<remind-…@…>) quoted in it. */
  ourReminderIds: string[];
}

const MAX_SCAN_BYTES = 512 * 1024; // a DSN's machine part sits near the top; the quoted original can be huge

export function analyseBounce(raw: Buffer): BounceAnalysis {
  const text = raw.subarray(0, MAX_SCAN_BYTES).toString('latin1');
  const recipients = new Set<string>();
  for (const block of text.split(/\r?\n\r?\n/)) {
    const final = /^Final-Recipient:\s*rfc822;\s*<?([^\s>]+@[^\s>]+)>?/im.exec(block);
    if (!final) continue;
    const action = /^Action:\s*(\S+)/im.exec(block)?.[1]?.toLowerCase();
    const status = /^Status:\s*(\d)\./im.exec(block)?.[1];
    if ((action === undefined || action === 'failed') && status !== '2' && status !== '4') recipients.add(final[1].toLowerCase());
  }
  for (const m of text.matchAll(/^X-Failed-Recipients:\s*(.+)$/gim)) {
    for (const addr of m[1].split(',')) if (addr.includes('@')) recipients.add(addr.trim().replace(/^<|>$/g, '').toLowerCase());
  }
  const ids = (pattern: RegExp) => [...new Set([...text.matchAll(pattern)].map((m) => m[0]))];
  return {
    recipients: [...recipients],
    ourReplyIds: ids(/<reply-[0-9a-f]{8,64}@[^>\s]+>/gi),
    ourStaffMailIds: ids(/<(?:return|assign)-[0-9A-Za-z-]{8,120}@[^>\s]+>/g),
    ourReminderIds: ids(/<remind-[a-z0-9-]{1,160}-[pu][0-9a-f]{20}@[^>\s]+>/g),
  };
}
