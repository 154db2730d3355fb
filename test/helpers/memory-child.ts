// Runs `seis-intake ingest` as operators do, in a child process with a capped V8 heap, and reads back the peak
// memory the child measured of itself (peak-memory.mjs). No SMTP: the reply goes to the archive's outbox.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/seis-intake.js');
const PRELOAD = pathToFileURL(join(import.meta.dirname, 'peak-memory.mjs')).href;

export interface PeakMemory {
  code: number;
  /** The kernel's high-water mark of the child's resident memory (VmHWM). */
  peakRssBytes: number;
  /** Sampled every 50 ms: where the memory went, for the failure message; never asserted. */
  sampledPeaks: { heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
}

export interface ChildIngest {
  /** Holds the archive and the peak file: the caller removes it. */
  workDir: string;
  archive: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Absent when the child died before its exit handler ran (a V8 heap-limit abort, a kill). */
  peak?: PeakMemory;
}

const tail = (text: string, max = 4000) => (text.length > max ? `…${text.slice(-max)}` : text);
export const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

/** `seis-intake ingest <eml> --archive <new temp dir> --roster <file>` under `node --max-old-space-size=<heapMb>`. */
export async function ingestInChild(opts: { eml: string; rosterFile: string; configFile?: string; heapMb: number }): Promise<ChildIngest> {
  const workDir = mkdtempSync(join(tmpdir(), 'seis-memory-'));
  const archive = join(workDir, 'archive');
  const peakFile = join(workDir, 'peak.json');
  const args = [
    `--max-old-space-size=${opts.heapMb}`,
    '--import',
    PRELOAD,
    BIN,
    'ingest',
    opts.eml,
    '--archive',
    archive,
    '--roster',
    opts.rosterFile,
    ...(opts.configFile ? ['--config', opts.configFile] : []),
  ];
  // Only what the child needs: no SMTP_HOST, CONFIG_FILE or NODE_OPTIONS leaking in from the test's environment.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    LANG: 'C.UTF-8',
    CONTENT_READING: 'off',
    PEAK_MEMORY_FILE: peakFile,
  };
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout = tail(stdout + s, 20_000);
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr = tail(stderr + s, 20_000);
  });
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
  });
  const peak = existsSync(peakFile) ? (JSON.parse(await readFile(peakFile, 'utf8')) as PeakMemory) : undefined;
  return { workDir, archive, exitCode, signal, stdout: tail(stdout), stderr: tail(stderr), peak };
}

/** Why a child died, in a line: V8's own verdict when the heap cap stopped it, else the end of its stderr. */
export function deathNote(run: ChildIngest): string {
  return /FATAL ERROR: .*/.exec(run.stderr)?.[0] ?? run.stderr.slice(-800);
}

/** One line for a report or a failure message: the RSS peak and where it went. */
export function describePeak(run: ChildIngest): string {
  if (!run.peak) return `no peak recorded (exit ${run.exitCode}, signal ${run.signal}): ${deathNote(run)}`;
  const p = run.peak.sampledPeaks;
  return `peak RSS ${mb(run.peak.peakRssBytes)} MB (sampled peaks: heap ${mb(p.heapUsed)} MB, `
    + `external ${mb(p.external)} MB, array buffers ${mb(p.arrayBuffers)} MB)`;
}
