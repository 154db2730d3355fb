// The benchmark's own Dovecot and SMTP sink (scripts/services.sh with a separate directory and ports, so a
// test run is never disturbed), plus the few operations the scenarios need: wipe the mailbox, deliver a
// cached mailbox straight into the Maildir, count what is left in INBOX and what the sink received.
import { execFile as execFileCb } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chown, copyFile, link, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const execFile = promisify(execFileCb);
export const ROOT = resolve(import.meta.dirname, '..');

export interface BenchServices {
  dir: string;
  env: Record<string, string>;
  dovecotConf: string;
  sinkDir: string;
  /** The Maildir of the IMAP user: INBOX is its root, folders are ".Name" beside it. */
  maildir: string;
}

export async function startServices(opts: { dir: string; imapPort: number; smtpPort: number }): Promise<BenchServices> {
  const env = { ...process.env, SERVICES_DIR: opts.dir, IMAP_TEST_PORT: String(opts.imapPort), SMTP_TEST_PORT: String(opts.smtpPort) };
  await execFile('bash', [join(ROOT, 'scripts/services.sh'), 'start'], { env, cwd: ROOT, timeout: 120_000 });
  const vars: Record<string, string> = {};
  for (const line of readFileSync(join(opts.dir, 'env'), 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) vars[m[1]] = m[2];
  }
  const maildir = join(opts.dir, 'dovecot', 'mail', vars.IMAP_USER);
  return { dir: opts.dir, env: vars, dovecotConf: vars.DOVECOT_CONF, sinkDir: vars.SINK_DIR, maildir };
}

export async function stopServices(dir: string): Promise<void> {
  await execFile('bash', [join(ROOT, 'scripts/services.sh'), 'stop'], { env: { ...process.env, SERVICES_DIR: dir }, cwd: ROOT, timeout: 30_000 })
    .catch(() => undefined);
}

/** Empties every folder of the bench user (this private Dovecot only). */
export async function wipeMailbox(svc: BenchServices): Promise<void> {
  await execFile('doveadm', ['-c', svc.dovecotConf, 'expunge', '-u', svc.env.IMAP_USER, 'mailbox', '*', 'all'], { timeout: 120_000 });
}

/**
 * Delivers cached .eml files the way a local delivery agent does: into the Maildir's new/, where Dovecot
 * picks them up on the next SELECT or IDLE check. Hard links cost nothing; the file's mtime is its
 * INTERNALDATE. Ownership goes to the mail user (Linux refuses Dovecot a hard link to a file it cannot write).
 */
export async function deliverToMaildir(svc: BenchServices, files: string[]): Promise<void> {
  const newDir = join(svc.maildir, 'new');
  await mkdir(newDir, { recursive: true });
  const owner = await stat(svc.maildir);
  const stamp = Math.floor(Date.now() / 1000);
  for (const [i, file] of files.entries()) {
    // Maildir names must be unique; Dovecot assigns UIDs in name order, so the order is the list's.
    const target = join(newDir, `${stamp}.M${String(i).padStart(7, '0')}P${process.pid}.bench`);
    await link(file, target).catch(() => copyFile(file, target));
    await chown(target, owner.uid, owner.gid).catch(() => undefined);
  }
}

/** Messages still in INBOX (Maildir new/ + cur/): what nobody has moved yet. */
export async function inboxCount(svc: BenchServices): Promise<number> {
  let n = 0;
  for (const sub of ['new', 'cur']) n += (await readdir(join(svc.maildir, sub)).catch(() => [] as string[])).length;
  return n;
}

/** Messages in each folder (Processed, Rejected, Ignored, …): where the follow-up worker put them. */
export async function folderCounts(svc: BenchServices): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const entry of await readdir(svc.maildir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('.')) continue;
    let n = 0;
    for (const sub of ['new', 'cur']) n += (await readdir(join(svc.maildir, entry.name, sub)).catch(() => [] as string[])).length;
    out[entry.name.slice(1)] = n;
  }
  return out;
}

export async function clearSink(svc: BenchServices): Promise<void> {
  await rm(svc.sinkDir, { recursive: true, force: true });
  await mkdir(svc.sinkDir, { recursive: true });
}

export async function sinkFiles(svc: BenchServices): Promise<string[]> {
  return (await readdir(svc.sinkDir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
}

/** The sink names each file `<Date.now() at end of DATA>-<pid>-<n>.eml`: that is the arrival time. */
export function sinkArrival(file: string): number {
  return Number(file.split('-')[0]);
}

/** In-Reply-To of a reply in the sink (the original's Message-ID, with brackets). */
export async function sinkInReplyTo(svc: BenchServices, file: string): Promise<string | undefined> {
  const head = (await readFile(join(svc.sinkDir, file))).subarray(0, 16 * 1024).toString('utf8');
  const end = head.search(/\r?\n\r?\n/);
  const unfolded = (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return /^in-reply-to:\s*(<[^>]+>)/im.exec(unfolded)?.[1];
}

/** Removes every key under the prefix from the machine's Redis. */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
