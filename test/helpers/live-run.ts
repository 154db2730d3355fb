// Harness for the live-mailbox integration tests: a config pointed at the test services with a private
// Redis prefix and archive, `startRun` in this process or `seis-intake run` as a real child process with
// its logs captured, and submission builders.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../config/load.ts';
import type { AppConfig } from '../../config/schema.ts';
import { withCheckDigit } from '../../pipelines/identity/national-id.ts';
import type { MessageRecord, Person } from '../../pipelines/types.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';
import { startRun, type RunHandle, type RunOptions } from '../../workers/run.ts';
import { verifyArchive } from '../../usecases/verify-archive.ts';
import type { VerifyReport } from '../../usecases/verify-types.ts';
import { submission } from './eml.ts';
import { makePdf } from './pdf.ts';
import { deleteRedisPrefix, ROOT, servicesEnv, uniquePrefix } from './services.ts';

/** Arrival time of every test message: before the default campaign's deadline (2566-09-22). */
export const ARRIVAL = new Date('2023-09-01T03:00:00Z');
export const REPLY_FROM = 'SEIS Intake <seis-intake@example.test>';

export interface LiveEnv {
  env: Record<string, string>;
  prefix: string;
  archiveDir: string;
  cleanup(): Promise<void>;
}

/** Services env + a private archive and Redis prefix + timings short enough for tests. */
export function liveEnv(name: string, extra: Record<string, string> = {}): LiveEnv {
  const s = servicesEnv();
  const prefix = uniquePrefix(name);
  const archiveDir = mkdtempSync(join(tmpdir(), `seis-live-${name}-`));
  const env: Record<string, string> = {
    IMAP_HOST: s.IMAP_HOST,
    IMAP_PORT: s.IMAP_PORT,
    IMAP_SECURE: 'false',
    IMAP_USER: s.IMAP_USER,
    IMAP_PASSWORD: s.IMAP_PASSWORD,
    SMTP_HOST: s.SMTP_HOST,
    SMTP_PORT: s.SMTP_PORT,
    SMTP_SECURE: 'false',
    REDIS_URL: s.REDIS_URL,
    REDIS_PREFIX: prefix,
    ARCHIVE_DIR: archiveDir,
    REPLY_FROM,
    IMAP_RECHECK_SECONDS: '2',
    IMAP_LEASE_SECONDS: '2',
    JOB_BACKOFF_MS: '200',
    JOB_LOCK_MS: '5000',
    JOB_ATTEMPTS: '12',
    LOG_LEVEL: 'info',
    // Reading scans has tests of its own (content-live); here it would only add OCR load to timing-sensitive
    // mailbox tests.
    CONTENT_READING: 'off',
    ...extra,
  };
  return {
    env,
    prefix,
    archiveDir,
    async cleanup() {
      await deleteRedisPrefix(env.REDIS_URL, prefix);
      rmSync(archiveDir, { recursive: true, force: true });
    },
  };
}

export interface InProcessRun {
  handle: RunHandle;
  config: AppConfig;
  store: ArchiveStore;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startInProcess(env: Record<string, string>, opts: RunOptions = {}): Promise<InProcessRun> {
  const config = loadConfig({ env });
  const logs: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const started = Date.now();
  // The clock runs from the arrival time, so lateness and the hourly window are the same on every run.
  const now = () => new Date(ARRIVAL.getTime() + 60_000 + (Date.now() - started));
  const handle = await startRun(config, log, { now, ...opts });
  return { handle, config, store: new ArchiveStore(config.archiveDir), logs, close: () => handle.close() };
}

/** A fictional civil servant with a valid national ID, different for every n. */
export function person(n: number): Person {
  return {
    nationalId: withCheckDigit(`5${String(n).padStart(11, '0')}`),
    prefix: 'นาย',
    firstName: `ทดสอบ${n}`,
    lastName: 'ระบบสด',
    unit: 'สำนักงานทดสอบ',
  };
}

let pdf: Buffer | undefined;

/** A one-page PDF whose bytes differ by label (the same bytes twice would be one document filed twice). */
export async function labelledPdf(text: string): Promise<Buffer> {
  const label = createHash('sha256').update(text).digest('hex'); // the standard fonts have no Thai glyphs
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(label, { x: 50, y: 780, size: 12, font });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** An officer's submission: ID and name in the subject, an ID-card scan attached. */
export async function submissionFor(
  p: Person,
  opts: { from: string; messageId: string; headers?: string[]; file?: { name: string; content: Buffer } },
): Promise<Buffer> {
  pdf ??= await makePdf(1);
  const file = opts.file ?? { name: 'สำเนาบัตรประชาชน.pdf', content: pdf };
  return submission({
    from: opts.from,
    to: 'submissions@example.test',
    messageId: opts.messageId,
    headers: opts.headers,
    subject: `ส่งเอกสาร ${p.nationalId} ${p.prefix}${p.firstName} ${p.lastName}`,
    attachments: [{ name: file.name, content: file.content, contentType: 'application/pdf' }],
  });
}

/** Every MessageRecord in the archive. */
export async function messageRecords(archiveDir: string): Promise<MessageRecord[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const dir = join(archiveDir, '_state', 'messages');
  const files = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(files.filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8'))));
}

/** Counts of each value, for "no duplicates" assertions with a readable failure. */
export function duplicates(values: string[]): string[] {
  const seen = new Map<string, number>();
  for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([v, n]) => `${v} ×${n}`);
}

// ── `seis-intake run` as a child process ────────────────────────────────────────────────────────────────

export interface RunProcess {
  proc: ChildProcess;
  /** Parsed pino lines written so far. */
  logs: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnRun(env: Record<string, string>, args: string[] = []): RunProcess {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/seis-intake.js'), 'run', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let buffer = '';
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line, unparsed: true });
      }
    }
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc,
    logs,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

export function logCodes(run: RunProcess, code: string): Array<Record<string, unknown>> {
  return run.logs.filter((l) => l.code === code);
}

/**
 * `seis-intake verify` on a live test's archive once every process has stopped: the findings as
 * "severity code path" lines (empty when the archive is whole), and the report.
 */
export async function verifyLiveArchive(archiveDir: string): Promise<{ findings: string[]; report: VerifyReport }> {
  const report = await verifyArchive(archiveDir, { config: loadConfig({ env: {} }) });
  return { findings: report.findings.map((f) => `${f.severity} ${f.code} ${f.path}`), report };
}
