// `npm run bench`: issue 6's benchmark in one bounded run on loopback: the I/O floor, `seis-intake run`
// end to end at several concurrencies, APPEND → reply latency, memory, and the dashboard; and issue 10's content
// section (reading speed against bare tesseract, answer time of scanned submissions); prints one table and
// writes bench/results/<date>.json. Flags: bench/options.ts (`npm run bench -- --help`).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { runContentLatency } from './content-latency.ts';
import { benchPages, runContentSpeed } from './content-speed.ts';
import { runDashboard } from './dashboard.ts';
import { runFloors } from './floor.ts';
import { benchMailbox, bigMailbox, type BenchMailbox } from './generate.ts';
import { runLatency, SINGLES } from './latency.ts';
import { runLargeMessages } from './memory.ts';
import { HELP, parseOptions, type BenchOptions } from './options.ts';
import { formatProfile, summarizeProfileDir } from './profile.ts';
import { evaluateTargets, floorRatios, renderTable, renderTargets, scenarioName, type BenchResults } from './report.ts';
import { runScenario, type ScenarioResult } from './scenario.ts';
import { ROOT, startServices, stopServices, type BenchServices } from './services.ts';
import { thin } from './stats.ts';

const say = (text: string) => process.stderr.write(`[bench] ${text}\n`);

function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function git(): BenchResults['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

function firstOf(mailbox: BenchMailbox, n: number): BenchMailbox {
  const messages = mailbox.messages.slice(0, n);
  return { ...mailbox, messages, bytes: messages.reduce((s, m) => s + m.bytes, 0) };
}

/** Keeps curves, not every sample, in the JSON file. */
function slim(s: ScenarioResult): ScenarioResult {
  return { ...s, progress: thin(s.progress, 200), rssSamples: s.rssSamples.map((samples) => thin(samples, 200)) };
}

async function section<T>(name: string, results: BenchResults, fn: () => Promise<T>): Promise<T | undefined> {
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

async function throughput(svc: BenchServices, o: BenchOptions, mailbox: BenchMailbox, dirs: { work: string; logs: string }, r: BenchResults) {
  const plans = [
    ...o.concurrency.map((c) => ({ label: `c${c}`, processes: 1, concurrency: c })),
    ...(o.twoProcesses > 0 ? [{ label: `2x-c${o.twoProcesses}`, processes: 2, concurrency: o.twoProcesses }] : []),
  ];
  for (const plan of plans) {
    say(`run: ${scenarioName({ ...plan } as ScenarioResult)} on ${mailbox.messages.length} messages…`);
    const result = await section(`run ${plan.label}`, r, () => runScenario(svc, { ...plan, mailbox, workDir: dirs.work, logDir: dirs.logs }));
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
async function content(svc: BenchServices, o: BenchOptions, dirs: { work: string; logs: string }, r: BenchResults): Promise<BenchResults['content']> {
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
  out.latency = await section('content latency', r, () =>
    runContentLatency(svc, {
      messages: o.contentMessages,
      intervalSeconds: o.contentInterval,
      workDir: dirs.work,
      logDir: dirs.logs,
    }));
  return out;
}

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2), ROOT);
  if (parsed === 'help') {
    console.log(HELP);
    return 0;
  }
  const o = parsed;
  const started = new Date();
  const dirs = { work: join(o.cacheDir, 'work'), logs: join(o.cacheDir, 'logs'), profiles: join(o.cacheDir, 'profiles') };
  for (const d of Object.values(dirs)) await mkdir(d, { recursive: true });
  const r: BenchResults = {
    schema: 1,
    date: localDate(started),
    startedAt: started.toISOString(),
    durationSeconds: 0,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memGb: Math.round(totalmem() / 2 ** 30), node: process.version, os: release(),
      loadAvgAtStart: loadavg().map((x) => Number(x.toFixed(2))) },
    git: git(),
    options: { ...o, sections: [...o.sections] },
    throughput: [],
    memory: { peakRssMb: 0 },
    skipped: {},
    targets: [],
    errors: [],
  };

  const needsMail = ['floor', 'throughput', 'latency', 'memory'].some((s) => o.sections.has(s as never)) || o.profile;
  let svc: BenchServices | undefined;
  try {
    if (needsMail) {
      const latencyCount = o.sections.has('latency') ? o.latencyRate * o.latencySeconds + SINGLES : 0;
      const count = Math.max(o.messages, latencyCount);
      say(`mailbox: ${count} messages (seed ${o.seed}; cached under ${o.cacheDir})`);
      const all = await benchMailbox({
        messages: count,
        seed: o.seed,
        cacheDir: o.cacheDir,
        progress: (done, total) => done % 100 === 0 && say(`  generated ${done}/${total}`),
      });
      const mailbox = firstOf(all, o.messages);
      const kinds: Record<string, number> = {};
      for (const m of mailbox.messages) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
      r.mailbox = { messages: mailbox.messages.length, bytes: mailbox.bytes, kinds };
      say(`  ${mailbox.messages.length} messages, ${(mailbox.bytes / 1e6).toFixed(0)} MB: ${JSON.stringify(kinds)}`);
      svc = await startServices({ dir: o.servicesDir, imapPort: o.imapPort, smtpPort: o.smtpPort });
      say(`services: Dovecot 127.0.0.1:${svc.env.IMAP_PORT}, SMTP sink 127.0.0.1:${svc.env.SMTP_PORT}, Redis ${svc.env.REDIS_URL}`);
      const s = svc;

      if (o.sections.has('floor')) {
        const floors = await section('floor', r, () => runFloors(s, mailbox, dirs.work, o.floorRepeats));
        r.floor = floors?.bare;
        r.durableFloor = floors?.durable;
      } else r.skipped.floor = 'skipped';
      if (r.floor)
        say(
          `  floor: ${r.floor.msgsPerSec.toFixed(1)} msgs/s, ${r.floor.mbPerSec.toFixed(1)} MB/s (median of ${
            r.floor.runs.map((x) => x.toFixed(1)).join(', ')
          } s)`,
        );
      if (r.durableFloor)
        say(
          `  durable floor: ${r.durableFloor.msgsPerSec.toFixed(1)} msgs/s, ${r.durableFloor.mbPerSec.toFixed(1)} MB/s (median of ${
            r.durableFloor.runs.map((x) => x.toFixed(1)).join(', ')
          } s)`,
        );
      if (o.sections.has('throughput')) await throughput(s, o, mailbox, dirs, r);
      else r.skipped.throughput = 'skipped';
      if (o.sections.has('latency')) {
        say(`latency: APPEND ${o.latencyRate}/s for ${o.latencySeconds} s…`);
        r.latency = await section('latency', r, () =>
          runLatency(s, {
            mailbox: all,
            rate: o.latencyRate,
            seconds: o.latencySeconds,
            concurrency: o.latencyConcurrency,
            workDir: dirs.work,
            logDir: dirs.logs,
          }));
      } else r.skipped.latency = 'skipped';
      if (o.sections.has('memory')) {
        say('memory: one 25 MB PDF, one 50 MB ZIP…');
        const big = await bigMailbox({ seed: o.seed, cacheDir: o.cacheDir });
        r.memory.large = await section('memory', r, () =>
          runLargeMessages(s, { mailbox: all, big, concurrency: o.latencyConcurrency, workDir: dirs.work, logDir: dirs.logs }));
      } else r.skipped.memory = 'skipped';
      if (o.profile) {
        const profDir = join(dirs.profiles, started.toISOString().replace(/[:.]/g, '-'));
        await mkdir(profDir, { recursive: true });
        say(`profile: 1 × run, INGEST_CONCURRENCY ${o.profileConcurrency} under --cpu-prof (${profDir})…`);
        const scenario = await section('profile', r, () =>
          runScenario(s, {
            label: 'profile',
            processes: 1,
            concurrency: o.profileConcurrency,
            mailbox,
            workDir: dirs.work,
            logDir: dirs.logs,
            cpuProfDir: profDir,
          }));
        const summary = scenario && await section('profile summary', r, () => summarizeProfileDir(profDir, 25));
        if (scenario && summary) r.profile = { scenario: slim(scenario), summary };
      }
    }
    if (o.sections.has('dashboard')) {
      say(`dashboard: ${o.dashboardPersons} persons × ${o.dashboardDocs} documents…`);
      r.dashboard = await section('dashboard', r, () =>
        runDashboard({
          cacheDir: o.cacheDir,
          logDir: dirs.logs,
          persons: o.dashboardPersons,
          docsPerPerson: o.dashboardDocs,
          repeat: o.dashboardRepeat,
        }));
    } else r.skipped.dashboard = 'skipped';
    if (o.sections.has('content')) {
      svc ??= await startServices({ dir: o.servicesDir, imapPort: o.imapPort, smtpPort: o.smtpPort });
      r.content = await content(svc, o, dirs, r);
    } else r.skipped.content = 'skipped';
  } finally {
    if (svc && !o.keepServices) await stopServices(o.servicesDir);
    await rm(dirs.work, { recursive: true, force: true });
  }

  const all = r.throughput;
  r.memory.peakRssMb = Math.max(0, ...all.map((s) => s.peakRssMb), r.latency?.peakRssMb ?? 0);
  r.machine.loadAvgAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  const flatFrom = all.find((s) => s.ok && s.processes === 1 && s.concurrency === 2) ?? all.find((s) => s.ok);
  if (flatFrom) {
    const q = flatFrom.rssAtQuartilesMb;
    r.memory.flat = { label: scenarioName(flatFrom), rssAtQuartilesMb: q.map((x) => Math.round(x)), growthMb: q[3] - q[1] };
  }
  r.floorRatios = floorRatios(r);
  r.targets = evaluateTargets(r);
  r.durationSeconds = Math.round((Date.now() - started.getTime()) / 1000);

  await mkdir(o.outDir, { recursive: true });
  let out = join(o.outDir, `${r.date}.json`);
  for (let n = 2; existsSync(out); n++) out = join(o.outDir, `${r.date}-${n}.json`);
  await writeFile(out, `${JSON.stringify(r, null, 2)}\n`);

  const mailboxLine = r.mailbox ? `${r.mailbox.messages} messages, ${(r.mailbox.bytes / 1e6).toFixed(0)} MB` : 'no mailbox';
  console.log(
    `\nseis-intake benchmark ${r.date} · ${mailboxLine} · ${r.machine.cpus} × ${r.machine.cpuModel} · node ${r.machine.node} · commit ${r.git.commit}${
      r.git.dirty ? ' (dirty)' : ''
    }\n`,
  );
  console.log(renderTable(r));
  console.log(`\ntargets (issues 6, 10 and 13):\n${renderTargets(r.targets)}`);
  if (r.profile) console.log(`\n${formatProfile(r.profile.summary, 12)}`);
  if (r.errors.length) console.log(`\nerrors:\n${r.errors.map((e) => `  ${e}`).join('\n')}`);
  console.log(`\nresults: ${out} (${r.durationSeconds} s)`);
  return r.errors.length ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
}, (err) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exitCode = 2;
});
