// Decides when a message arrived and whether that was after the campaign deadline.
// It trusts the server's clock over the sender's (Date: is whatever the sender's PC says) and leaves the
// per-person checklist to pipelines/person/checklist.ts.
import type { Arrival, ManifestMessage, ParsedMessage } from './types.ts';

/** Before this no submission can exist: a year-1970 or year-1900 stamp is a broken clock, not a date. */
const EARLIEST = Date.UTC(2000, 0, 1);
/** Clocks drift and time zones get mislabelled; more than a day ahead of us is not an arrival time. */
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

function plausible(date: Date | undefined, now: Date): date is Date {
  if (!(date instanceof Date)) return false;
  const t = date.getTime();
  return Number.isFinite(t) && t >= EARLIEST && t <= now.getTime() + MAX_FUTURE_MS;
}

/**
 * Priority: IMAP INTERNALDATE (the server's arrival), the topmost Received: (the last hop, our server),
 * Date:, the .eml file's mtime, then now. An implausible value falls through to the next source.
 */
export function judgeArrival(
  input: { internalDate?: Date; receivedHeaderAt?: Date; date?: Date; fileMtime?: Date; now: Date },
  campaign: { deadline: Date },
): Arrival {
  const sources: Array<[Date | undefined, Arrival['source']]> = [
    [input.internalDate, 'imap-internaldate'],
    [input.receivedHeaderAt, 'received-header'],
    [input.date, 'date-header'],
    [input.fileMtime, 'file-mtime'],
  ];
  const found = sources.find(([date]) => plausible(date, input.now));
  const [receivedAt, source] = found ? [found[0] as Date, found[1]] : [input.now, 'clock' as const];
  return { receivedAt, source, late: receivedAt.getTime() > campaign.deadline.getTime() };
}

/** The manifest's entry for a message filed on arrival: the sender's headers, when it arrived, where its .eml is kept. */
export function manifestMessage(parsed: ParsedMessage, arrival: Arrival, filed: { messageKey: string; emlPath: string; late: boolean }): ManifestMessage {
  return {
    messageId: parsed.messageId,
    messageKey: filed.messageKey,
    receivedAt: arrival.receivedAt.toISOString(),
    from: parsed.from?.address,
    subject: parsed.subject,
    emlPath: filed.emlPath,
    late: filed.late,
  };
}
