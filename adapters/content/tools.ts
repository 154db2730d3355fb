// Runs one external tool (tesseract, pdftoppm, pdfimages, pdftotext, pdfinfo): an argument array, never a
// shell; a deadline after which the process is killed; failures as WorkErrors with a code and a kind, so a
// missing tool, a busy machine and a file the tool rejects are told apart (classifyToolFailure, pure).
import { spawn } from 'node:child_process';
import { WorkError } from '../errors.ts';

export type Tool = 'tesseract' | 'pdftoppm' | 'pdfimages' | 'pdftotext' | 'pdfinfo';
export type ToolPaths = Partial<Record<Tool, string>>;

export interface ToolResult {
  stdout: Buffer;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Output beyond this is a failure (a text page is kilobytes; nothing we run should print megabytes). */
  maxOutput?: number;
  signal?: AbortSignal;
}

/** Spawn errors the machine recovers from (too many processes or files, no memory) versus the tool's absence. */
const BUSY = new Set(['EAGAIN', 'ENOMEM', 'EMFILE', 'ENFILE']);

/** Pure: what a failed run means. `exit` is the exit code or the signal that ended it. */
export function classifyToolFailure(tool: string, failure: {
  spawnCode?: string;
  exit?: number | null;
  signal?: string | null;
  timedOut?: boolean;
  stderr?: string;
}): WorkError {
  const tail = (failure.stderr ?? '').trim().split('\n').slice(-3).join(' | ').slice(0, 300);
  if (failure.timedOut) return new WorkError(`${tool} ran out of time`, 'ocr.timeout', 'permanent');
  if (failure.spawnCode === 'ENOENT') {
    return new WorkError(`${tool} is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-tha poppler-utils)`, 'ocr.tool-missing', 'permanent');
  }
  if (failure.spawnCode && BUSY.has(failure.spawnCode)) return new WorkError(`${tool}: ${failure.spawnCode}`, 'ocr.busy', 'transient');
  if (failure.spawnCode) return new WorkError(`${tool}: ${failure.spawnCode}`, 'ocr.failed', 'permanent');
  // killed by someone else (the kernel's OOM killer, an operator): worth another try later
  if (failure.signal) return new WorkError(`${tool} was killed (${failure.signal})`, 'ocr.busy', 'transient');
  if (tool === 'pdfinfo' && /Incorrect password/i.test(tail)) return new WorkError('the PDF needs a password', 'pdf.encrypted', 'permanent');
  if (tool.startsWith('pdf')) return new WorkError(`${tool} could not read the PDF (exit ${failure.exit}): ${tail}`, 'pdf.unreadable', 'permanent');
  return new WorkError(`${tool} failed (exit ${failure.exit}): ${tail}`, 'ocr.failed', 'permanent');
}

export function runTool(tool: Tool, paths: ToolPaths, args: string[], opts: RunOptions): Promise<ToolResult> {
  const started = Date.now();
  const maxOutput = opts.maxOutput ?? 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(paths[tool] ?? tool, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, Math.max(1, opts.timeoutMs));
    const onAbort = (): void => {
      timedOut = true;
      kill();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > maxOutput) {
        kill();
        return;
      }
      out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 64) err.push(d);
    });
    child.on('error', (e: NodeJS.ErrnoException) => finish(() => reject(classifyToolFailure(tool, { spawnCode: e.code ?? 'EUNKNOWN' }))));
    child.on('close', (code, signal) =>
      finish(() => {
        const stderr = Buffer.concat(err).toString('utf8');
        if (code === 0 && !timedOut && size <= maxOutput) resolve({ stdout: Buffer.concat(out), stderr, ms: Date.now() - started });
        else if (size > maxOutput) reject(new WorkError(`${tool} printed more than ${maxOutput} bytes`, 'ocr.failed', 'permanent'));
        else reject(classifyToolFailure(tool, { exit: code, signal: timedOut ? null : signal, timedOut, stderr }));
      }));
  });
}
