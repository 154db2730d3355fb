// The benchmark's one table and its verdict on issue 6's and issue 10's targets, from the collected results.
// Pure formatting: measuring happens elsewhere; a missing section prints a "not run" row, never a guess.
import type { ContentLatencyResult } from './content-latency.ts';
import type { ContentSpeedResult } from './content-speed.ts';
import type { DashboardResult } from './dashboard.ts';
import type { FloorResult } from './floor.ts';
import type { LatencyResult } from './latency.ts';
import type { MemoryResult } from './memory.ts';
import type { ProfileSummary } from './profile.ts';
import type { ScenarioResult } from './scenario.ts';

export interface Target {
  target: string;
  value: string;
  met: boolean | null;
}

export interface BenchResults {
  schema: 1;
  date: string;
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; memGb: number; node: string; os: string; loadAvgAtStart: number[]; loadAvgAtEnd?: number[] };
  git: { commit: string; dirty: boolean };
  options: Record<string, unknown>;
  mailbox?: { messages: number; bytes: number; kinds: Record<string, number> };
  floor?: FloorResult;
  /** issue 13: the floor's download with each message's file fsynced once (the least that durability costs) */
  durableFloor?: FloorResult;
  throughput: ScenarioResult[];
  /** issue 13: messages/s of each run scenario over each floor's (absent when that floor was not measured) */
  floorRatios?: FloorRatio[];
  latency?: LatencyResult;
  /** RSS across the whole benchmark, and with large attachments */
  memory: { peakRssMb: number; flat?: { label: string; rssAtQuartilesMb: number[]; growthMb: number }; large?: MemoryResult };
  dashboard?: DashboardResult;
  /** issue 10: reading speed against bare tesseract, and APPEND → reply of scanned submissions */
  content?: { speed?: ContentSpeedResult; latency?: ContentLatencyResult };
  profile?: { scenario: ScenarioResult; summary: ProfileSummary };
  skipped: Record<string, string>;
  targets: Target[];
  errors: string[];
}

export interface FloorRatio {
  scenario: string;
  /** msgs/s over the bare floor's (no fsync) */
  bare?: number;
  /** msgs/s over the durable floor's (one fsync per message) */
  durable?: number;
}

const f = (x: number | undefined, digits = 1) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));
const mb = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : `${Math.round(x)}`);
const sec = (ms: number | undefined) => {
  if (ms === undefined || Number.isNaN(ms)) return '–';
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'unanswered';
};

export function scenarioName(s: ScenarioResult): string {
  return s.processes === 1 ? `1 × run, INGEST_CONCURRENCY ${s.concurrency}` : `${s.processes} × run, INGEST_CONCURRENCY ${s.concurrency} each`;
}

/** The best end-to-end scenario that finished. */
export function bestScenario(results: ScenarioResult[]): ScenarioResult | undefined {
  return results.filter((s) => s.ok).sort((a, b) => b.msgsPerSec - a.msgsPerSec)[0];
}

/** Every run scenario against both floors of the same benchmark. */
export function floorRatios(r: Pick<BenchResults, 'floor' | 'durableFloor' | 'throughput'>): FloorRatio[] {
  const over = (s: ScenarioResult, floor: FloorResult | undefined) => (floor ? Number((s.msgsPerSec / floor.msgsPerSec).toFixed(3)) : undefined);
  return r.throughput.map((s) => ({ scenario: scenarioName(s), bare: over(s, r.floor), durable: over(s, r.durableFloor) }));
}

export function evaluateTargets(r: BenchResults): Target[] {
  const targets: Target[] = [];
  const best = bestScenario(r.throughput);
  // issue 13: fsync is the price of not losing mail, so the first bar is the durable floor; the bare one stays.
  const floors = [
    { floor: r.durableFloor, share: 0.5, target: 'throughput ≥ 0.5 × durable floor (one fsync per message) at the best concurrency' },
    { floor: r.floor, share: 0.25, target: 'throughput ≥ 0.25 × bare floor (no fsync) at the best concurrency' },
  ];
  for (const { floor, share, target } of floors) {
    if (floor && best) {
      const ratio = best.msgsPerSec / floor.msgsPerSec;
      targets.push({ target, value: `${ratio.toFixed(2)} (${scenarioName(best)})`, met: ratio >= share });
    } else targets.push({ target, value: 'not measured', met: null });
  }
  if (r.latency && r.latency.answered > 0) {
    const l = r.latency;
    targets.push({ target: `APPEND → reply p50 < 1 s at ${l.ratePerSec}/s`, value: sec(l.p50), met: l.p50 < 1000 && !l.error });
    targets.push({ target: `APPEND → reply p95 < 2 s at ${l.ratePerSec}/s`, value: sec(l.p95), met: l.p95 < 2000 && !l.error });
  } else targets.push({ target: 'APPEND → reply p50 < 1 s, p95 < 2 s', value: 'not measured', met: null });
  const peak = Math.max(r.memory.peakRssMb, r.memory.large?.peakRssMb ?? 0);
  targets.push({ target: 'peak RSS < 250 MB (whole run and large attachments)', value: peak > 0 ? `${mb(peak)} MB` : 'not measured',
    met: peak > 0 ? peak < 250 : null });
  if (r.memory.flat) {
    const { growthMb, label } = r.memory.flat;
    targets.push({ target: 'RSS flat across the run (growth 50 % → 100 % of messages < 25 MB)',
      value: `${growthMb >= 0 ? '+' : ''}${mb(growthMb)} MB (${label})`, met: growthMb < 25 });
  }
  targets.push(...contentTargets(r));
  targets.push({ target: 'CPU profile with top costs',
    value: r.profile ? r.profile.summary.byOwner.slice(0, 3).map((c) => `${c.name} ${(c.share * 100).toFixed(0)} %`).join(', ') : 'run with --profile',
    met: r.profile ? true : null });
  return targets;
}

/** Issue 10's two targets; "not measured" when the content section did not run or failed. */
export function contentTargets(r: Pick<BenchResults, 'content'>): Target[] {
  const speed = r.content?.speed;
  const lat = r.content?.latency;
  const out: Target[] = [];
  out.push(speed
    ? { target: 'content path ≥ 0.8 × bare tesseract, pages/s per core (issue 10)',
      value: `${f(speed.ratioPerCore, 2)} per CPU second (${f(speed.ratioWall, 2)} by wall time) over ${speed.pages} pages`, met: speed.ratioPerCore >= 0.8 }
    : { target: 'content path ≥ 0.8 × bare tesseract, pages/s per core (issue 10)', value: 'not measured', met: null });
  out.push(lat && lat.answered > 0
    ? { target: `APPEND → reply p95 < 30 s, ${lat.pagesPerMessage}-page unnamed scan every ${lat.intervalSeconds} s (issue 10)`,
      value: `${sec(lat.p95)} (p50 ${sec(lat.p50)}, ${lat.answered}/${lat.messages} answered)`, met: lat.p95 < 30_000 && !lat.error }
    : { target: 'APPEND → reply p95 < 30 s for a 10-page unnamed scan (issue 10)', value: lat?.error ?? 'not measured', met: lat ? false : null });
  return out;
}

function contentRows(r: BenchResults): string[][] {
  const rows: string[][] = [];
  const s = r.content?.speed;
  if (s) {
    const row = (name: string, t: typeof s.content,
      detail: string) => ['content', name, String(s.pages), f(t.seconds), '', '', '', '',
      `${f(t.pagesPerSec, 3)} pages/s, ${f(t.pagesPerCpuSec, 3)} pages per CPU s (${f(t.cpuSeconds)} CPU s)${detail}`];
    rows.push(
      row('content path (engine + readContent), 1 page at a time', s.content,
        `; ratio ${f(s.ratioPerCore, 2)} per core, ${f(s.ratioWall, 2)} wall; ${
          f(s.upright.ratioPerCore, 2)
        } per core on the ${s.upright.pages} pages not turned`),
    );
    rows.push(row('bare tesseract -l tha+eng --psm 11, same images', s.bare, `; load avg at end ${s.loadAvg.join(' / ')}`));
  }
  const l = r.content?.latency;
  if (l) {
    rows.push(['content', `run: ${l.pagesPerMessage}-page unnamed scan every ${l.intervalSeconds} s`, String(l.messages), '', '', '', '', mb(l.peakRssMb),
      `APPEND → reply p50 ${sec(l.p50)} · p95 ${sec(l.p95)} · max ${sec(l.max)}; ${l.answered}/${l.messages} answered; reading ${
        l.readSeconds.map((x) => f(x, 0)).join(' / ')
      } s per file${l.error ? `; ${l.error}` : ''}`]);
  }
  if (!rows.length) rows.push(['content', r.skipped.content ?? 'not run', '', '', '', '', '', '', '']);
  return rows;
}

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows.map((r) => r.map((c, i) => (i >= 2 && i <= 7 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

/** When the watcher had queued everything and when the last message was ingested: where the time went. */
function stagesLine(s: ScenarioResult): string {
  const q = s.stages['watcher.queued'];
  const i = s.stages['ingest.done'];
  const m = s.stages['followup.moved'];
  return q && i && m ? `all queued by ${f(q.lastS, 0)} s, ingested by ${f(i.lastS, 0)} s, moved by ${f(m.lastS, 0)} s` : 'stages: –';
}

export function renderTable(r: BenchResults): string {
  const rows: string[][] = [['section', 'scenario', 'msgs', 'time s', 'msgs/s', 'MB/s', '× floor', 'peak RSS MB', 'detail']]; // × floor: the bare floor
  const floor = r.floor;
  if (floor)
    rows.push(['floor', 'imapflow FETCH 1:* → one file each', String(floor.messages), f(floor.seconds), f(floor.msgsPerSec), f(floor.mbPerSec), '1.00', '–',
      `median of ${floor.runs.length}: ${floor.runs.map((x) => f(x)).join(' / ')} s; no parsing, no fsync`]);
  else rows.push(['floor', r.skipped.floor ?? 'not run', '', '', '', '', '', '', '']);
  const durable = r.durableFloor;
  if (durable) {
    rows.push(['floor', 'same FETCH, each file fsynced (durable floor)', String(durable.messages), f(durable.seconds), f(durable.msgsPerSec),
      f(durable.mbPerSec), floor ? f(durable.msgsPerSec / floor.msgsPerSec, 2) : '–', '–', `median of ${durable.runs.length}: ${
      durable.runs.map((x) => f(x)).join(' / ')
    } s; one fsync per message, no parsing`]);
  }
  for (const s of r.throughput) {
    const xDurable = durable ? `× durable floor ${f(s.msgsPerSec / durable.msgsPerSec, 2)}; ` : '';
    rows.push([
      'run',
      scenarioName(s),
      String(s.messages),
      f(s.seconds),
      f(s.msgsPerSec, 2),
      f(s.mbPerSec),
      floor ? f(s.msgsPerSec / floor.msgsPerSec, 2) : '–',
      mb(s.peakRssMb),
      s.ok ? `${xDurable}${stagesLine(s)}; startup ${sec(s.startupMs)}; CPU ${f(s.cpuSeconds, 0)} s` : `FAILED: ${s.error}`,
    ]);
  }
  if (r.throughput.length === 0) rows.push(['run', r.skipped.throughput ?? 'not run', '', '', '', '', '', '', '']);
  const l = r.latency;
  if (l) {
    rows.push([
      'latency',
      `APPEND ${l.ratePerSec}/s for ${l.seconds} s, concurrency ${l.concurrency}`,
      String(l.appended),
      '',
      '',
      '',
      '',
      mb(l.peakRssMb),
      `p50 ${sec(l.p50)} · p95 ${sec(l.p95)} · p99 ${sec(l.p99)} · max ${sec(l.max)}; ${l.answered}/${l.appended} answered${l.error ? `; ${l.error}` : ''}`,
    ]);
    rows.push(['latency', `${l.single.length} messages one at a time, idle`, String(l.single.length), '', '', '', '', '', l.single.map((ms) =>
      sec(ms)
    ).join(' · ')]);
  } else rows.push(['latency', r.skipped.latency ?? 'not run', '', '', '', '', '', '', '']);
  if (r.memory.flat) {
    rows.push(['memory', `whole run (${r.memory.flat.label})`, '', '', '', '', '', mb(r.memory.peakRssMb),
      `RSS at 25/50/75/100 % of messages: ${r.memory.flat.rssAtQuartilesMb.map(mb).join(' / ')} MB`]);
  }
  const large = r.memory.large;
  if (large) {
    for (const m of large.messages) {
      rows.push(['memory', m.kind === 'big-pdf' ? 'one 25 MB PDF' : 'one 50 MB ZIP of scans', '1', f(m.seconds), '', f(m.bytes / 1e6 / m.seconds), '',
        mb(m.peakRssMb), `message ${f(m.bytes / 1e6)} MB; idle RSS before ${mb(large.idleRssMb)} MB`]);
    }
    if (large.error) rows.push(['memory', 'large attachments', '', '', '', '', '', mb(large.peakRssMb), `FAILED: ${large.error}`]);
  } else rows.push(['memory', r.skipped.memory ?? 'large attachments: not run', '', '', '', '', '', '', '']);
  const d = r.dashboard;
  if (d?.available && d.pages) {
    for (const p of d.pages) {
      rows.push(['dashboard', `${p.page}, ${d.persons} persons / ${d.documents} docs`, '', '', '', '', '', mb(d.peakRssMb),
        `cold ${f(p.coldMs, 0)} ms · warm p50 ${f(p.p50, 0)} ms · p95 ${f(p.p95, 0)} ms; ${Math.round(p.bytes / 1024)} KB; server ready in ${
          sec(d.startupMs)
        }`]);
    }
  } else rows.push(['dashboard', d?.error ? `FAILED: ${d.error}` : (d?.reason ? `not available: ${d.reason}` : (r.skipped.dashboard ?? 'not run')), '', '', '',
      '', '', '', '']);
  rows.push(...contentRows(r));
  if (r.profile) {
    const s = r.profile.scenario;
    rows.push(['profile', `${scenarioName(s)} under --cpu-prof`, String(s.messages), f(s.seconds), f(s.msgsPerSec, 2), f(s.mbPerSec),
      floor ? f(s.msgsPerSec / floor.msgsPerSec, 2) : '–', mb(s.peakRssMb), `top (by owner): ${
      r.profile.summary.byOwner.slice(0, 3).map((c) => `${c.name} ${(c.share * 100).toFixed(0)} %`).join(', ')
    }`]);
  }
  return pad(rows);
}

export function renderTargets(targets: Target[]): string {
  return targets.map((t) => `  ${t.met === null ? '  ?  ' : t.met ? ' met ' : ' MISS'}  ${t.target}: ${t.value}`).join('\n');
}
