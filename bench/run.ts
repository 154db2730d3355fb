// `npm run bench`: issue 6's benchmark in one bounded run on loopback: the I/O floor, `seis-intake run`
// end to end at several concurrencies, APPEND → reply latency, memory, and the dashboard; and issue 10's content
// section (reading speed against bare tesseract, answer time of scanned submissions); prints one table and
// writes bench/results/<date>.json. Flags: bench/options.ts (`npm run bench -- --help`).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { runDashboard } from './dashboard.ts';
import { benchMailbox, type BenchMailbox } from './generate.ts';
import { SINGLES } from './latency.ts';
import { HELP, parseOptions } from './options.ts';
import { formatProfile } from './profile.ts';
import { evaluateTargets, floorRatios, renderTable, renderTargets, scenarioName, type BenchResults } from './report.ts';
import { content, floor, latency, memory, profile, say, section, throughput } from './sections.ts';
import { ROOT, startServices, stopServices, type BenchServices } from './services.ts';

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

      await floor(s, o, mailbox, dirs, r);
      if (o.sections.has('throughput')) await throughput(s, o, mailbox, dirs, r);
      else r.skipped.throughput = 'skipped';
      if (o.sections.has('latency')) await latency(s, o, all, dirs, r);
      else r.skipped.latency = 'skipped';
      if (o.sections.has('memory')) await memory(s, o, all, dirs, r);
      else r.skipped.memory = 'skipped';
      if (o.profile) await profile(s, o, mailbox, join(dirs.profiles, started.toISOString().replace(/[:.]/g, '-')), dirs, r);
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
