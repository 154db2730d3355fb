// The sections of `npm run bench` (run.ts): each runs under `section` (timed, its failure recorded and the run
// going on), says what it does on stderr, and writes its part of the results.
import { mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runContentLatency } from './content-latency.ts';
import { benchPages, runContentSpeed } from './content-speed.ts';
import { runFloors, type FloorResult } from './floor.ts';
import { bigMailbox, type BenchMailbox } from './generate.ts';
import { runLatency } from './latency.ts';
import { runLargeMessages } from './memory.ts';
import type { BenchOptions } from './options.ts';
import { summarizeProfileDir } from './profile.ts';
import { scenarioName, type BenchResults } from './report.ts';
import { runScenario, type ScenarioResult } from './scenario.ts';
import type { BenchServices } from './services.ts';
import { thin } from './stats.ts';

export const say = (text: string) => process.stderr.write(`[bench] ${text}\n`);

type Dirs = { work: string; logs: string };
const where = (dirs: Dirs) => ({ workDir: dirs.work, logDir: dirs.logs });

/** Keeps curves, not every sample, in the JSON file. */
export function slim(s: ScenarioResult): ScenarioResult {
  return { ...s, progress: thin(s.progress, 200), rssSamples: s.rssSamples.map((samples) => thin(samples, 200)) };
}

export async function section<T>(name: string, results: BenchResults, fn: () => Promise<T>): Promise<T | undefined> {
  const t = Date.now();
  try {
    const value = await fn();
    say(`${name} done in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    return value;
  } catch (err) {
    results.errors.push(`${name}: ${(err as Error).message}`);
    say(`${name} FAILED: ${(err as Error).message}`);
    return undefined;
  }
}

export async function throughput(svc: BenchServices, o: BenchOptions, mailbox: BenchMailbox, dirs: Dirs, r: BenchResults) {
  const plans = [
    ...o.concurrency.map((c) => ({ label: `c${c}`, processes: 1, concurrency: c })),
    ...(o.twoProcesses > 0 ? [{ label: `2x-c${o.twoProcesses}`, processes: 2, concurrency: o.twoProcesses }] : []),
  ];
  for (const plan of plans) {
    say(`run: ${scenarioName({ ...plan } as ScenarioResult)} on ${mailbox.messages.length} messages…`);
    const result = await section(`run ${plan.label}`, r, () => runScenario(svc, { ...plan, mailbox, ...where(dirs) }));
    if (!result) continue;
    r.throughput.push(slim(result));
    say(
      `  ${result.ok ? 'ok' : `FAILED (${result.error})`}: ${result.seconds.toFixed(1)} s, ${result.msgsPerSec.toFixed(2)} msgs/s, peak RSS ${
        Math.round(result.peakRssMb)
      } MB`,
    );
  }
}

/** Issue 10: fixture pages read both ways in this process, then scanned submissions through a `run` process. */
export async function content(svc: BenchServices, o: BenchOptions, dirs: Dirs, r: BenchResults): Promise<BenchResults['content']> {
  const out: NonNullable<BenchResults['content']> = {};
  say(`content: ${o.contentPages} fixture pages, the content path against bare tesseract, one page at a time…`);
  const pages = await section('content pages', r, () => benchPages(o.contentPages, join(dirs.work, 'content-pages')));
  if (pages) out.speed = await section('content speed', r, () => runContentSpeed(pages, { loadAvg: () => loadavg().map((x) => Number(x.toFixed(2))) }));
  if (out.speed)
    say(
      `  ${out.speed.content.pagesPerCpuSec.toFixed(3)} vs ${out.speed.bare.pagesPerCpuSec.toFixed(3)} pages per CPU s: ratio ${
        out.speed.ratioPerCore.toFixed(2)
      }`,
    );
  say(`content: ${o.contentMessages} × 10-page unnamed scan to run, one every ${o.contentInterval} s…`);
  out.latency = await section('content latency', r,
    () => runContentLatency(svc, { messages: o.contentMessages, intervalSeconds: o.contentInterval, ...where(dirs) }));
  return out;
}

const sayFloor = (label: string, f: FloorResult) =>
  say(`  ${label}: ${f.msgsPerSec.toFixed(1)} msgs/s, ${f.mbPerSec.toFixed(1)} MB/s (median of ${f.runs.map((x) => x.toFixed(1)).join(', ')} s)`);

export async function floor(svc: BenchServices, o: BenchOptions, mailbox: BenchMailbox, dirs: Dirs, r: BenchResults) {
  if (o.sections.has('floor')) {
    const floors = await section('floor', r, () => runFloors(svc, mailbox, dirs.work, o.floorRepeats));
    r.floor = floors?.bare;
    r.durableFloor = floors?.durable;
  } else r.skipped.floor = 'skipped';
  if (r.floor) sayFloor('floor', r.floor);
  if (r.durableFloor) sayFloor('durable floor', r.durableFloor);
}

export async function latency(svc: BenchServices, o: BenchOptions, all: BenchMailbox, dirs: Dirs, r: BenchResults) {
  say(`latency: APPEND ${o.latencyRate}/s for ${o.latencySeconds} s…`);
  const rate = { rate: o.latencyRate, seconds: o.latencySeconds, concurrency: o.latencyConcurrency };
  r.latency = await section('latency', r, () => runLatency(svc, { mailbox: all, ...rate, ...where(dirs) }));
}

export async function memory(svc: BenchServices, o: BenchOptions, all: BenchMailbox, dirs: Dirs, r: BenchResults) {
  say('memory: one 25 MB PDF, one 50 MB ZIP…');
  const big = await bigMailbox({ seed: o.seed, cacheDir: o.cacheDir });
  r.memory.large = await section('memory', r, () => runLargeMessages(svc, { mailbox: all, big, concurrency: o.latencyConcurrency, ...where(dirs) }));
}

/** One `run` process under --cpu-prof, its profiles summed up (the hot functions). */
export async function profile(svc: BenchServices, o: BenchOptions, mailbox: BenchMailbox, profDir: string, dirs: Dirs, r: BenchResults) {
  await mkdir(profDir, { recursive: true });
  say(`profile: 1 × run, INGEST_CONCURRENCY ${o.profileConcurrency} under --cpu-prof (${profDir})…`);
  const scenario = await section('profile', r,
    () => runScenario(svc, { label: 'profile', processes: 1, concurrency: o.profileConcurrency, mailbox, ...where(dirs), cpuProfDir: profDir }));
  const summary = scenario && await section('profile summary', r, () => summarizeProfileDir(profDir, 25));
  if (scenario && summary) r.profile = { scenario: slim(scenario), summary };
}
