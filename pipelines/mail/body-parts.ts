// Tells the parts that belong to the body (an Outlook meeting invite's text/calendar alternative, a vCard, a
// signature logo however the client attached it) from the files the officer sent. It leaves out judging files.
import type { MimeAttachment } from './parse-mime.ts';

export type BodyPartKind = 'calendar' | 'contact' | 'alternative' | 'signature-image';

/**
 * Images embedded in an HTML body are usually logos and signatures (a few KB). A photo of an ID card pasted
 * into the body is far larger: keep those, so the officer is told it must be a PDF instead of hearing nothing.
 */
export const INLINE_DOCUMENT_MIN_BYTES = 100 * 1024;

const CALENDAR_TYPES = /^(text\/(calendar|x-vcalendar)|application\/(ics|x-ics|x-ical|calendar))$/;
const CONTACT_TYPES = /^(text\/(vcard|x-vcard|directory)|application\/vcard)$/;
/**
 * What clients call the images of a signature when it is attached rather than embedded: Outlook's image001.png
 * (also in plain-text replies), Outlook mobile's and OWA's Outlook-<random>.png, Word's ~WRL0001.jpg.
 */
const SIGNATURE_NAMES = /^(image\d{3}|outlook-[a-z0-9]{4,}|~wrl\d{4})\.(png|jpe?g|gif|bmp)$/i;

const magic = (content: Buffer, hex: string): boolean => content.subarray(0, hex.length / 2).equals(Buffer.from(hex, 'hex'));

/** A PDF or an archive is a document wherever it sits: never dropped as body. */
function looksLikeDocument(att: MimeAttachment): boolean {
  const c = att.body.head;
  return att.contentType === 'application/pdf' || magic(c, '255044462d') || magic(c, '504b0304')
    || magic(c, '526172211a07') || magic(c, '377abcaf271c');
}

export function isPdfPart(att: MimeAttachment): boolean {
  return att.contentType === 'application/pdf' || magic(att.body.head, '255044462d');
}

/**
 * Why this attachment is part of the body, or undefined when it is a submitted file.
 * `parentType` is the enclosing multipart's type; `cids` the Content-IDs the HTML body shows.
 */
export function bodyPartKind(att: MimeAttachment, ctx: { parentType?: string; cids: Set<string> }): BodyPartKind | undefined {
  if (looksLikeDocument(att)) return undefined;
  const name = att.filename ?? '';
  if (CALENDAR_TYPES.test(att.contentType) || /\.(ics|vcs)$/i.test(name)) return 'calendar';
  if (CONTACT_TYPES.test(att.contentType) || /\.vcf$/i.test(name)) return 'contact';
  // Another rendering of the same text (text/calendar, text/enriched, text/watch-html, text/x-amp-html…).
  if (ctx.parentType === 'multipart/alternative') return 'alternative';
  if (!att.contentType.startsWith('image/') || att.size >= INLINE_DOCUMENT_MIN_BYTES) return undefined;
  if (att.related) return 'signature-image';
  // Shown by the HTML but sent outside multipart/related (some webmail and mobile clients). An inline image the
  // HTML does not show may be a small scan (Apple Mail attaches photos inline): it stays a file.
  if (att.contentId && ctx.cids.has(att.contentId)) return 'signature-image';
  if (SIGNATURE_NAMES.test(name)) return 'signature-image';
  return undefined;
}
