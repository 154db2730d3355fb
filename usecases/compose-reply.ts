// A reply as mail: its Message-ID, derived from the original, and its .eml bytes.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { formFile } from '../templates/forms.ts';
import type { RenderedReply } from '../templates/reply-mail.ts';
import type { ReplyAttachmentRef } from '../templates/unit-reply-mail.ts';

/** A reply's Message-ID derived from the original, so a retried send is recognisably the same mail. */
export function replyMessageId(messageKey: string, fromAddress: string): string {
  const domain = /@([^>\s]+)/.exec(fromAddress)?.[1] ?? 'seis-intake.invalid';
  return `<reply-${messageKey}@${domain}>`;
}

/** The reply as .eml bytes: the same bytes go to the outbox or over SMTP. Template attachments are made here. */
export async function composeReplyMail(reply: RenderedReply & { attachments?: ReplyAttachmentRef[] }, from: string): Promise<Buffer> {
  const attachments = await Promise.all((reply.attachments ?? []).map((a) => formFile(a.form, a.format)));
  const mail = new MailComposer({
    from,
    to: reply.to,
    subject: reply.subject,
    text: reply.text,
    html: reply.html,
    messageId: reply.messageId,
    headers: reply.headers,
    date: new Date(),
    ...(attachments.length ? { attachments } : {}),
  });
  return mail.compile().build();
}
