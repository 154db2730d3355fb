// Sends finished .eml bytes over SMTP with nodemailer: a pooled transport for passwords, a fresh one per
// message for XOAUTH2 (the token may have been renewed since). It does not compose or decide anything.
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { AppConfig } from '../config/schema.ts';
import type { Logger } from './logger.ts';
import type { AccessTokenSource } from './oauth-token.ts';

export interface Envelope {
  from: string;
  to: string[];
}

export class SmtpMailer {
  private pooled?: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(private readonly config: AppConfig, private readonly log: Logger, private readonly tokens?: AccessTokenSource) {}

  private base(): SMTPTransport.Options {
    const { host, port, secure } = this.config.smtp;
    return {
      host, port, secure,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      logger: false,
    };
  }

  private useOAuth(): boolean {
    const { user, password } = this.config.smtp;
    return Boolean(this.tokens && user && !password);
  }

  async send(envelope: Envelope, raw: Buffer): Promise<string> {
    const { user, password } = this.config.smtp;
    let transport: Transporter<SMTPTransport.SentMessageInfo>;
    if (this.useOAuth()) {
      const accessToken = await this.tokens!.getAccessToken();
      transport = nodemailer.createTransport({ ...this.base(), auth: { type: 'OAuth2', user, accessToken } });
    } else {
      this.pooled ??= nodemailer.createTransport({
        ...this.base(), pool: true, maxConnections: 2, maxMessages: 100,
        ...(user && password ? { auth: { user, pass: password } } : {}),
      });
      transport = this.pooled;
    }
    try {
      const info = await transport.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw });
      return info.response;
    } finally {
      if (transport !== this.pooled) transport.close();
    }
  }

  close(): void {
    this.pooled?.close();
    this.pooled = undefined;
    this.log.debug({ code: 'smtp.closed' }, 'SMTP transport closed');
  }
}

/** "SEIS Intake <intake@example.go.th>" → "intake@example.go.th" (the SMTP envelope wants the bare address). */
export function bareAddress(text: string): string {
  return (/<([^<>]+)>\s*$/.exec(text)?.[1] ?? text).trim();
}
