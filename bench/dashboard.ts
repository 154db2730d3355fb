// Dashboard response times over a department-sized synthetic archive (test/helpers/dashboard/generate-archive.ts,
// cached under bench/.cache/): `seis-intake serve` as a child process on loopback, one login, then the
// overview and the largest unit's page, each once cold and `repeat` times warm. Skipped when absent.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, openSync, closeSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { rosterCsv } from '../cli/demo-data.ts';
import type { Person } from '../pipelines/types.ts';
import { ROOT } from './services.ts';
import { percentile } from './stats.ts';

export interface PageTiming {
  page: string;
  coldMs: number;
  p50: number;
  p95: number;
  max: number;
  bytes: number;
}

export interface DashboardResult {
  available: boolean;
  reason?: string;
  persons?: number;
  documents?: number;
  generateSeconds?: number;
  startupMs?: number;
  pages?: PageTiming[];
  peakRssMb?: number;
  error?: string;
}

const GENERATOR = join(ROOT, 'test/helpers/dashboard/generate-archive.ts');
const PASSWORD = 'bench-password-not-secret';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

async function cachedArchive(cacheDir: string, persons: number, docsPerPerson: number) {
  const version = createHash('sha256').update(await readFile(GENERATOR)).digest('hex').slice(0, 10);
  const dir = join(cacheDir, `archive-${persons}x${docsPerPerson}-${version}`);
  const done = join(dir, 'bench-generated.json');
  if (existsSync(done)) return { dir, ...(JSON.parse(await readFile(done, 'utf8')) as { documents: number; seconds: number }), cached: true };
  await rm(dir, { recursive: true, force: true });
  const { generateArchive } = (await import(GENERATOR)) as {
    generateArchive: (root: string, o: Record<string, unknown>) => Promise<{ roster: Person[]; documents: number }>;
  };
  const t = Date.now();
  const archive = join(dir, 'archive');
  const result = await generateArchive(archive, { persons, documentsPerPerson: docsPerPerson, notSubmittedShare: 0, seed: 7 });
  await writeFile(join(dir, 'roster.csv'), rosterCsv(result.roster));
  const meta = { documents: result.documents, seconds: (Date.now() - t) / 1000 };
  await writeFile(done, JSON.stringify(meta));
  return { dir, ...meta, cached: false };
}

async function timed(url: string, cookie: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t = performance.now();
  const res = await fetch(url, { headers: { cookie }, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
  const body = await res.arrayBuffer();
  return { ms: performance.now() - t, bytes: body.byteLength, status: res.status };
}

export async function runDashboard(
  opts: { cacheDir: string; logDir: string; persons: number; docsPerPerson: number; repeat: number },
): Promise<DashboardResult> {
  if (!existsSync(GENERATOR) || !existsSync(join(ROOT, 'cli/serve.ts'))) {
    return { available: false, reason: 'test/helpers/dashboard/generate-archive.ts or cli/serve.ts not available' };
  }
  const archive = await cachedArchive(opts.cacheDir, opts.persons, opts.docsPerPerson);
  const port = await freePort();
  const logFile = join(opts.logDir, 'dashboard.log');
  const fd = openSync(logFile, 'w');
  const started = Date.now();
  const proc = spawn(process.execPath, [
    join(ROOT, 'bin/seis-intake.js'),
    'serve',
    '--archive',
    join(archive.dir, 'archive'),
    '--roster',
    join(archive.dir, 'roster.csv'),
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
  ], { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn' },
    stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const base = `http://127.0.0.1:${port}`;
  let hwmKb = 0;
  const sampler = setInterval(async () => {
    const status = await readFile(`/proc/${proc.pid}/status`, 'utf8').catch(() => '');
    hwmKb = Math.max(hwmKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
  }, 250);
  try {
    let form: Response | undefined;
    while (!form) {
      if (Date.now() - started > 300_000) throw new Error(`dashboard did not answer within 300 s; see ${logFile}`);
      if (proc.exitCode !== null) {
        const first = (await readFile(logFile, 'utf8').catch(() => '')).split('\n')[0].slice(0, 200);
        throw new Error(`seis-intake serve exited (${first || 'no output'}); see ${logFile}`);
      }
      form = await fetch(`${base}/login`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      if (!form) await new Promise((r) => setTimeout(r, 100));
    }
    const startupMs = Date.now() - started;
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const loginCookie = (form.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, username: 'admin', password: PASSWORD, next: '/' }),
    });
    const session = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('seis_session='));
    if (!session) throw new Error(`login failed (HTTP ${login.status})`);

    const roster = await readFile(join(archive.dir, 'roster.csv'), 'utf8');
    const perUnit = new Map<string, number>();
    for (const line of roster.split('\n').slice(1)) {
      const unit = line.split(',')[4];
      if (unit) perUnit.set(unit, (perUnit.get(unit) ?? 0) + 1);
    }
    const unit = [...perUnit].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const pages = [
      { page: 'overview', url: `${base}/c/seis-certification` },
      { page: `unit (${perUnit.get(unit)} persons)`, url: `${base}/c/seis-certification/units/${encodeURIComponent(unit)}` },
    ];
    const timings: PageTiming[] = [];
    for (const p of pages) {
      const cold = await timed(p.url, session);
      if (cold.status !== 200) throw new Error(`${p.page}: HTTP ${cold.status}`);
      const warm: number[] = [];
      for (let i = 0; i < opts.repeat; i++) warm.push((await timed(p.url, session)).ms);
      timings.push({ page: p.page, coldMs: cold.ms, p50: percentile(warm, 50), p95: percentile(warm, 95), max: Math.max(...warm), bytes: cold.bytes });
    }
    return {
      available: true,
      persons: opts.persons,
      documents: archive.documents,
      generateSeconds: archive.seconds,
      startupMs,
      pages: timings,
      peakRssMb: hwmKb / 1024,
    };
  } catch (err) {
    return { available: true, error: (err as Error).message, persons: opts.persons, documents: archive.documents };
  } finally {
    clearInterval(sampler);
    proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
}
