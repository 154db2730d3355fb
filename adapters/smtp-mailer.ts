// Sends finished .eml bytes over SMTP with nodemailer, on a thread of its own (adapters/smtp-sender.thread.js)
// that writes the Redis "sent" marker the instant the server accepted the message. Passwords use a pooled
// transport; XOAUTH2 gets a fresh transport per message (the token may have been renewed since).
// The one SMTP client of the project: the live reply workers (with markers) and `ingest` (without Redis).
import { Worker } from 'node:worker_threads';
import type { AppConfig } from '../config/schema.ts';
import type { Logger } from './logger.ts';
import type { AccessTokenSource } from './oauth-token.ts';

export interface Envelope {
  from: string;
  to: string[];
}

export interface SentMarker {
  key: string;
  value: string;
  ttlSeconds: number;
}

export interface SendResult {
  response: string;
  /** Set when the server accepted the message but the Redis marker could not be written. */
  markerError?: Error;
}

interface ThreadReply {
  id: number;
  ok: boolean;
  response?: string;
  error?: Record<string, unknown> & { message: string };
  markerError?: { message: string };
}

function rebuild(plain: Record<string, unknown> & { message: string }): Error {
  return Object.assign(new Error(plain.message), plain);
}

export interface SmtpMailerOptions {
  /**
   * false: the sending thread never connects to Redis and sends take no sent marker (the `ingest` CLI, which
   * records sends in the archive only). Default true: the thread keeps a Redis connection ready for markers.
   */
  markers?: boolean;
}

export class SmtpMailer {
  private thread?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: ThreadReply) => void; reject: (e: Error) => void }>();
  private readonly markers: boolean;

  constructor(
    private readonly config: AppConfig,
    private readonly log: Logger,
    private readonly tokens?: AccessTokenSource,
    opts: SmtpMailerOptions = {},
  ) {
    this.markers = opts.markers ?? true;
  }

  private start(): Worker {
    if (this.thread) return this.thread;
    const redisUrl = this.markers ? this.config.redis.url : undefined;
    const thread = new Worker(new URL('./smtp-sender.thread.js', import.meta.url), { workerData: { redisUrl } });
    thread.on('message', (reply: ThreadReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) thread.unref();
      waiter?.resolve(reply);
    });
    const fail = (err: Error) => {
      for (const waiter of this.pending.values()) waiter.reject(err);
      this.pending.clear();
      this.thread = undefined;
    };
    thread.on('error', (err) => {
      this.log.error({ err, code: 'smtp.thread_failed' }, 'SMTP sender thread failed');
      fail(err);
    });
    thread.on('exit', () => fail(Object.assign(new Error('SMTP sender thread exited'), { code: 'ECONNECTION' })));
    // An idle thread does not keep the process alive; a send in flight does (a CLI has nothing else waiting).
    thread.unref();
    this.thread = thread;
    return thread;
  }

  /**
   * Starts the sending thread now (its modules loaded, its Redis connection made) instead of at the first send: that
   * start took ~0.4 s on a quiet machine and seconds on a loaded one, all of it added to the first reply's latency.
   */
  warm(): void {
    this.start();
  }

  /** Sends; the marker is written by the sending thread right after the server's "250". */
  async send(envelope: Envelope, raw: Buffer, marker?: SentMarker): Promise<SendResult> {
    if (marker && !this.markers) throw new Error('SmtpMailer was created without markers: it cannot write a sent marker');
    const { host, port, secure, user, password } = this.config.smtp;
    const transport = {
      host,
      port,
      secure,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      logger: false,
      ...(user && password ? { auth: { user, pass: password } } : {}),
    };
    const useToken = Boolean(this.tokens && user && !password);
    let accessToken = useToken ? await this.tokens!.getAccessToken() : undefined;
    let reply = await this.post({ transport, user, accessToken, envelope, raw, marker });
    // A token refused before its time (expired early, rotated): nothing was sent, so one try with a fresh token.
    if (!reply.ok && accessToken && this.tokens?.invalidate && reply.error?.code === 'EAUTH') {
      this.tokens.invalidate(accessToken);
      accessToken = await this.tokens.getAccessToken();
      reply = await this.post({ transport, user, accessToken, envelope, raw, marker });
    }
    if (!reply.ok) throw rebuild(reply.error ?? { message: 'SMTP send failed' });
    return { response: reply.response ?? '', markerError: reply.markerError ? new Error(reply.markerError.message) : undefined };
  }

  private post(message: Record<string, unknown>): Promise<ThreadReply> {
    const id = this.nextId++;
    const thread = this.start();
    return new Promise<ThreadReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      thread.ref();
      thread.postMessage({ id, ...message });
    });
  }

  async close(): Promise<void> {
    const thread = this.thread;
    if (!thread) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3000);
      thread.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      thread.postMessage({ type: 'close' });
    });
    await thread.terminate();
    this.thread = undefined;
  }
}
