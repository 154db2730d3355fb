// One `seis-intake run` child process as the benchmark sees it: its logs in a file (the bench never parses
// them on the hot path), its RSS and CPU time sampled from /proc, and a bounded shutdown (SIGTERM, then KILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './services.ts';

export interface RssSample {
  /** ms since the process was spawned */
  t: number;
  rssMb: number;
}

export interface WorkerProcess {
  pid: number;
  label: string;
  logFile: string;
  spawnedAt: number;
  samples: RssSample[];
  /** VmHWM: the kernel's own peak RSS for the process (catches spikes between samples). */
  peakMb(): number;
  /** User + system CPU seconds used so far (last sample). */
  cpuSeconds(): number;
  exited: Promise<number | null>;
  alive(): boolean;
  waitForLog(code: string, timeoutMs: number): Promise<number>;
  stop(timeoutMs?: number): Promise<number | null>;
}

const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU in 1/100 s on every mainstream kernel

function readStatus(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rssKb: Number(/VmRSS:\s+(\d+)/.exec(text)?.[1] ?? 0), hwmKb: Number(/VmHWM:\s+(\d+)/.exec(text)?.[1] ?? 0) };
  } catch {
    return undefined;
  }
}

function readCpu(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14 and 15)
  } catch {
    return undefined;
  }
}

const BIN = join(ROOT, 'bin/seis-intake.js');

/** node's flags on a `#!/usr/bin/env -S node …` line (none on `#!/usr/bin/env node`). */
export function shebangNodeFlags(firstLine: string): string[] {
  return /^#!\S*env\s+(?:-S\s+)?node\s+(.*)$/.exec(firstLine)?.[1].split(/\s+/).filter(Boolean) ?? [];
}

/** The bin's node flags: the bench starts `run` as `npx seis-intake run` does. */
export function binNodeFlags(): string[] {
  return shebangNodeFlags(readFileSync(BIN, 'utf8').split('\n', 1)[0]);
}

export function startWorker(opts: {
  label: string;
  env: Record<string, string>;
  logDir: string;
  cpuProfDir?: string;
  sampleMs?: number;
}): WorkerProcess {
  const logFile = join(opts.logDir, `${opts.label}.log`);
  const fd = openSync(logFile, 'w');
  const nodeArgs = [...binNodeFlags(), ...(opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : [])];
  const proc: ChildProcess = spawn(process.execPath, [...nodeArgs, BIN, 'run'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LOG_PRETTY: 'false', ...opts.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const spawnedAt = Date.now();
  const pid = proc.pid!;
  const samples: RssSample[] = [];
  let hwmKb = 0;
  let cpu = 0;
  const sample = () => {
    const status = readStatus(pid);
    if (!status) return;
    hwmKb = Math.max(hwmKb, status.hwmKb);
    samples.push({ t: Date.now() - spawnedAt, rssMb: status.rssKb / 1024 });
    cpu = readCpu(pid) ?? cpu;
  };
  const timer = setInterval(sample, opts.sampleMs ?? 200);
  let alive = true;
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      alive = false;
      clearInterval(timer);
      resolve(code);
    })
  );

  return {
    pid,
    label: opts.label,
    logFile,
    spawnedAt,
    samples,
    exited,
    alive: () => alive,
    peakMb: () => hwmKb / 1024,
    cpuSeconds: () => cpu,
    async waitForLog(code: string, timeoutMs: number): Promise<number> {
      const deadline = Date.now() + timeoutMs;
      const needle = `"code":"${code}"`;
      let offset = 0;
      let tail = '';
      const handle = await open(logFile, 'r');
      try {
        while (Date.now() < deadline) {
          const { bytesRead, buffer } = await handle.read(Buffer.alloc(256 * 1024), 0, 256 * 1024, offset);
          offset += bytesRead;
          tail = (tail + buffer.subarray(0, bytesRead).toString('utf8')).slice(-64 * 1024);
          if (tail.includes(needle)) return Date.now() - spawnedAt;
          if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${opts.label} exited early; see ${logFile}`);
          if (bytesRead === 0) await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await handle.close();
      }
      throw new Error(`${opts.label}: no "${code}" log line within ${timeoutMs} ms; see ${logFile}`);
    },
    async stop(timeoutMs = 30_000): Promise<number | null> {
      sample();
      if (proc.exitCode !== null || proc.signalCode !== null) return exited;
      proc.kill('SIGTERM');
      const timer2 = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer2);
      return code;
    },
  };
}

/** RSS at given fractions of a progress curve (e.g. replies received over time). */
export function rssAtProgress(samples: RssSample[], progress: Array<{ t: number; done: number }>, total: number, fractions: number[]): number[] {
  return fractions.map((f) => {
    const at = progress.find((p) => p.done >= f * total)?.t;
    if (at === undefined || samples.length === 0) return NaN;
    let best = samples[0];
    for (const s of samples) if (Math.abs(s.t - at) < Math.abs(best.t - at)) best = s;
    return best.rssMb;
  });
}

export interface Milestone {
  count: number;
  /** seconds after t0 of the first and the last log line with this code */
  firstS: number;
  lastS: number;
}

/** When each stage got through its messages, from the workers' pino lines (e.g. watcher.queued, ingest.done). */
export async function logMilestones(files: string[], t0: number, codes: string[]): Promise<Record<string, Milestone>> {
  const out: Record<string, Milestone> = {};
  for (const file of files) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      const code = /"code":"([^"]+)"/.exec(line)?.[1];
      if (!code || !codes.includes(code)) continue;
      const time = Number(/"time":(\d+)/.exec(line)?.[1]);
      const s = (time - t0) / 1000;
      const m = (out[code] ??= { count: 0, firstS: s, lastS: s });
      m.count++;
      m.firstS = Math.min(m.firstS, s);
      m.lastS = Math.max(m.lastS, s);
    }
  }
  return out;
}
