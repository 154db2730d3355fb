// Body parts real clients add that are not documents, and files hidden in the body, built byte by byte:
// Outlook meeting invites, other alternative renderings, signature images attached every way clients do,
// vCards, and uuencoded attachments in plain-text bodies.
import { attachment, htmlPart, message, multipart, textPart, type AttachmentSpec, type MessageSpec, type MimePart } from './eml.ts';
import { makePng } from './pdf.ts';

const CRLF = '\r\n';

/** What Outlook puts in an invite's text/calendar alternative (METHOD:REQUEST, a VEVENT with an organizer). */
export function calendarText(summary = 'ประชุมชี้แจงการรับรองข้อมูล SEIS'): string {
  return [
    'BEGIN:VCALENDAR',
    'METHOD:REQUEST',
    'PRODID:Microsoft Exchange Server 2010',
    'VERSION:2.0',
    'BEGIN:VEVENT',
    'ORGANIZER;CN=งานทะเบียนประวัติ:mailto:hr.test@example.test',
    `SUMMARY;LANGUAGE=th-TH:${summary}`,
    'DTSTART;TZID=SE Asia Standard Time:20230925T100000',
    'DTEND;TZID=SE Asia Standard Time:20230925T110000',
    'UID:040000008200E00074C5B7101A82E00800000000TEST',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join(CRLF);
}

export function calendarPart(opts: { name?: string; method?: boolean } = {}): MimePart {
  const params = [opts.method === false ? '' : 'method=REQUEST', opts.name ? `name="${opts.name}"` : ''].filter(Boolean);
  return {
    headers: [`Content-Type: text/calendar; charset="utf-8"${params.length ? `; ${params.join('; ')}` : ''}`, 'Content-Transfer-Encoding: base64'],
    body: Buffer.from(Buffer.from(calendarText(), 'utf8').toString('base64').replace(/.{76}/g, `$&${CRLF}`)),
  };
}

/**
 * Outlook's meeting invite with documents: multipart/mixed { multipart/alternative { text/plain, text/html,
 * text/calendar; method=REQUEST }, the PDFs…, invite.ics as application/ics }. The calendar part has no name,
 * so it used to be kept as "attachment-3.bin".
 */
export function outlookInviteWithDocuments(spec: Omit<MessageSpec, 'body'> & { text: string; attachments: AttachmentSpec[] }): Buffer {
  const alternative = multipart('alternative', [
    textPart(spec.text),
    htmlPart(`<html><body><p>${spec.text}</p></body></html>`),
    calendarPart(),
  ]);
  const ics = attachment({ name: 'invite.ics', content: calendarText(), contentType: 'application/ics' });
  const { text: _text, attachments, ...rest } = spec;
  return message({ ...rest, body: multipart('mixed', [alternative, ...attachments.map(attachment), ics]) });
}

/** A body with extra renderings: Apple Watch's text/watch-html, Gmail's AMP text/x-amp-html, text/enriched. */
export function alternativeRenderings(text: string): MimePart {
  const extra = (subtype: string, body: string): MimePart => ({
    headers: [`Content-Type: text/${subtype}; charset="utf-8"`, 'Content-Transfer-Encoding: 8bit'],
    body: Buffer.from(body, 'utf8'),
  });
  return multipart('alternative', [
    textPart(text),
    extra('enriched', `<bold>${text}</bold>`),
    extra('watch-html', `<b>${text}</b>`),
    extra('x-amp-html', `<!doctype html><html ⚡4email><body>${text}</body></html>`),
    htmlPart(`<p>${text}</p>`),
  ]);
}

/** The ways a small signature logo reaches us besides multipart/related. */
export type SignatureStyle = 'outlook-plain-reply' | 'cid-outside-related' | 'outlook-mobile' | 'vcard';

export function signatureParts(style: SignatureStyle, text: string): MimePart[] {
  const logo = makePng(40, 20);
  switch (style) {
    // Outlook answering in plain text keeps the signature's image001.png as an ordinary attachment.
    case 'outlook-plain-reply':
      return [textPart(text), attachment({ name: 'image001.png', content: logo, contentType: 'image/png' })];
    // Webmail that sends the logo in multipart/mixed with a Content-ID and shows it from the HTML.
    case 'cid-outside-related':
      return [
        multipart('alternative', [textPart(text), htmlPart(`<p>${text}</p><img src="cid:logo.dep@example.test">`)]),
        attachment({ name: 'logo-กรม.png', content: logo, contentType: 'image/png', disposition: 'inline', contentId: 'logo.dep@example.test' }),
      ];
    // Outlook for iOS/Android: Outlook-<random>.png, inline, no HTML reference when the reply is plain.
    case 'outlook-mobile':
      return [textPart(text),
        attachment({ name: 'Outlook-k2vbx0qa.png', content: logo, contentType: 'image/png', disposition: 'inline', contentId: 'Outlook-k2vbx0qa.png' })];
    // Outlook's "business card" signature.
    case 'vcard':
      return [textPart(text), attachment({
        name: 'สมชาย ใจดี.vcf',
        contentType: 'text/x-vcard',
        content: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Somchai Test\r\nEMAIL:somchai.test@example.test\r\nEND:VCARD\r\n',
      })];
  }
}

/** Classic uuencode (`begin 644 name` … "`" … `end`), 45 bytes a line, as Outlook Express wrote it. */
export function uuencode(name: string, data: Buffer): string {
  const enc = (n: number) => String.fromCharCode(n === 0 ? 96 : n + 32);
  const lines = [`begin 644 ${name}`];
  for (let i = 0; i < data.length; i += 45) {
    const chunk = data.subarray(i, i + 45);
    let line = enc(chunk.length);
    for (let j = 0; j < chunk.length; j += 3) {
      const [a, b = 0, c = 0] = chunk.subarray(j, j + 3);
      line += enc(a >> 2) + enc(((a & 3) << 4) | (b >> 4)) + enc(((b & 15) << 2) | (c >> 6)) + enc(c & 63);
    }
    lines.push(line);
  }
  lines.push('`', 'end');
  return lines.join(CRLF);
}

/** `uuencode -m`: begin-base64 … ====. */
export function uuencodeBase64(name: string, data: Buffer): string {
  return [`begin-base64 644 ${name}`, ...(data.toString('base64').match(/.{1,60}/g) ?? []), '===='].join(CRLF);
}
