// Integration helpers for the real services of scripts/services.sh (Dovecot, the SMTP sink, Redis):
// deliver by IMAP APPEND, wipe the mailbox with doveadm, read what the sink received, restart Dovecot,
// run a private redis-server or SMTP sink, and wait with timeouts.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ImapFlow } from 'imapflow';
import { Redis } from 'ioredis';
import { SMTPServer } from 'smtp-server';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface ServicesEnv {
  IMAP_HOST: string;
  IMAP_PORT: string;
  IMAP_USER: string;
  IMAP_PASSWORD: string;
  SMTP_HOST: string;
  SMTP_PORT: string;
  REDIS_URL: string;
  DOVECOT_CONF: string;
  SINK_DIR: string;
}

export function servicesEnv(): ServicesEnv {
  const file = join(ROOT, '.services/env');
  if (!existsSync(file)) throw new Error('test services are not running: run `bash scripts/services.sh start` first');
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env as unknown as ServicesEnv;
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${opts.what ?? 'a condition'}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
}

// ── IMAP ────────────────────────────────────────────────────────────────────────────────────────────────

export async function withImap<T>(fn: (client: ImapFlow) => Promise<T>, user?: string): Promise<T> {
  const env = servicesEnv();
  const client = new ImapFlow({
    host: env.IMAP_HOST,
    port: Number(env.IMAP_PORT),
    secure: false,
    auth: { user: user ?? env.IMAP_USER, pass: env.IMAP_PASSWORD },
    logger: false,
    disableAutoIdle: true,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Delivers messages the way a server would hand them over: APPEND into the mailbox. */
export async function appendMessages(raws: Buffer[], opts: { mailbox?: string; internalDate?: Date } = {}): Promise<number[]> {
  return withImap(async (client) => {
    const uids: number[] = [];
    for (const raw of raws) {
      const res = await client.append(opts.mailbox ?? 'INBOX', raw, [], opts.internalDate);
      if (res && res.uid) uids.push(res.uid);
    }
    return uids;
  });
}

/** Message-IDs (without brackets) in each folder; folders that do not exist are empty. */
export async function folderMessageIds(folders: string[]): Promise<Record<string, string[]>> {
  return withImap(async (client) => {
    const out: Record<string, string[]> = {};
    const existing = new Set((await client.list()).map((m) => m.path));
    for (const folder of folders) {
      out[folder] = [];
      if (!existing.has(folder)) continue;
      const lock = await client.getMailboxLock(folder);
      try {
        if (client.mailbox && client.mailbox.exists > 0) {
          for await (const msg of client.fetch('1:*', { envelope: true })) out[folder].push((msg.envelope?.messageId ?? '').replace(/^<|>$/g, ''));
        }
      } finally {
        lock.release();
      }
    }
    return out;
  });
}

function doveadm(args: string[]): string {
  const env = servicesEnv();
  return execFileSync('doveadm', ['-c', env.DOVECOT_CONF, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Empties every folder of the test user (faster and safer than restarting Dovecot). */
export function wipeMailbox(): void {
  doveadm(['expunge', '-u', servicesEnv().IMAP_USER, 'mailbox', '*', 'all']);
}

export function setUidValidity(value: number, mailbox = 'INBOX'): void {
  doveadm(['mailbox', 'update', '-u', servicesEnv().IMAP_USER, '--uid-validity', String(value), mailbox]);
}

export function uidValidityOf(mailbox = 'INBOX'): number {
  const out = doveadm(['mailbox', 'status', '-u', servicesEnv().IMAP_USER, 'uidvalidity', mailbox]);
  return Number(/uidvalidity=(\d+)/.exec(out)?.[1]);
}

export function stopDovecot(): void {
  doveadm(['stop']);
}

export async function startDovecot(): Promise<void> {
  const env = servicesEnv();
  // dovecot keeps the caller's stdio open forever: detach all three.
  const child = spawn('dovecot', ['-c', env.DOVECOT_CONF], { stdio: 'ignore', detached: true });
  child.unref();
  await waitFor(() => withImap(async (c) => Boolean(await c.mailboxOpen('INBOX'))), { what: 'Dovecot to accept LOGIN and SELECT', timeoutMs: 15_000 });
}

// ── SMTP sink ───────────────────────────────────────────────────────────────────────────────────────────

export interface SinkMessage {
  file: string;
  rcptTo: string[];
  headers: Record<string, string>;
  raw: Buffer;
}

/** Unfolded top-level headers, lower-case names (the first occurrence of each). */
export function parseHeaders(raw: Buffer): Record<string, string> {
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const m = /^([^:\s]+):\s*(.*)$/.exec(line);
    if (m && !(m[1].toLowerCase() in headers)) headers[m[1].toLowerCase()] = m[2];
  }
  return headers;
}

/** What the sink received; `to` filters by a recipient substring (tests use unique sender addresses). */
export function readSink(filter: { to?: string } = {}): SinkMessage[] {
  const dir = servicesEnv().SINK_DIR;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((file) => {
      const raw = readFileSync(join(dir, file));
      const headers = parseHeaders(raw);
      return { file, rcptTo: (headers['x-sink-rcpt-to'] ?? '').split(/,\s*/).filter(Boolean), headers, raw };
    })
    .filter((m) => !filter.to || m.rcptTo.some((r) => r.includes(filter.to!)));
}

/** A private SMTP sink on its own port (the shared one must keep running for other tests). */
export async function startSmtpSink(port: number): Promise<{ received: Buffer[]; close(): Promise<void> }> {
  const received: Buffer[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

// ── Redis ───────────────────────────────────────────────────────────────────────────────────────────────

export function uniquePrefix(name: string): string {
  return `seis-test-${name}-${process.pid}-${Date.now().toString(36)}`;
}

export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // a failure shows up as the rejected command
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A throwaway redis-server on its own port, so tests can stop it without touching the machine's Redis. */
export class PrivateRedis {
  private proc?: ChildProcess;
  readonly dir: string;

  constructor(readonly port: number) {
    this.dir = join(ROOT, '.services', `redis-${port}`);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.proc = spawn('redis-server', [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--dir',
      this.dir,
    ], { stdio: 'ignore' });
    await waitFor(async () => {
      const r = new Redis(this.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
      r.on('error', () => undefined);
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } finally {
        r.disconnect();
      }
    }, { what: `redis-server on port ${this.port}`, timeoutMs: 10_000 });
  }

  /** Stops it hard: what it held in memory is gone, as after a crash of a Redis that keeps nothing. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
    this.proc = undefined;
  }

  async cleanup(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
