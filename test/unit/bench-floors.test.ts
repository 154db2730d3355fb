// The benchmark's two floors (issue 13) on hand-built results: each run scenario's ratio to the bare and the durable
// floor, the two throughput targets, and the table rows (no services: measuring is `npm run bench`'s).
import { describe, expect, it } from 'vitest';
import { evaluateTargets, floorRatios, renderTable, type BenchResults } from '../../bench/report.ts';
import type { FloorResult } from '../../bench/floor.ts';
import type { ScenarioResult } from '../../bench/scenario.ts';

const floor = (msgsPerSec: number): FloorResult => ({ messages: 100, bytes: 200e6, seconds: 100 / msgsPerSec, msgsPerSec, mbPerSec: 2 * msgsPerSec,
  runs: [1, 1, 1] });

const scenario = (concurrency: number, msgsPerSec: number): ScenarioResult => ({
  label: `c${concurrency}`,
  processes: 1,
  concurrency,
  messages: 100,
  bytes: 200e6,
  ok: true,
  startupMs: 500,
  seconds: 100 / msgsPerSec,
  msgsPerSec,
  mbPerSec: 2 * msgsPerSec,
  replies: 100,
  distinctReplies: 100,
  inboxLeft: 0,
  folders: {},
  peakRssMb: 200,
  rssAtQuartilesMb: [1, 1, 1, 1],
  cpuSeconds: 10,
  stages: {},
  progress: [],
  rssSamples: [],
});

const results = (extra: Partial<BenchResults>): BenchResults => ({
  schema: 1,
  date: '2026-12-04',
  startedAt: '',
  durationSeconds: 0,
  machine: { cpus: 2, cpuModel: 'x', memGb: 4, node: 'v20', os: 'linux', loadAvgAtStart: [] },
  git: { commit: 'abc', dirty: false },
  options: {},
  throughput: [],
  memory: { peakRssMb: 0 },
  skipped: {},
  targets: [],
  errors: [],
  ...extra,
});

const throughputTargets = (r: BenchResults) => evaluateTargets(r).filter((t) => t.target.startsWith('throughput'));

describe('bench floors', () => {
  it('gives every run scenario its ratio to the bare and to the durable floor', () => {
    const r = results({ floor: floor(200), durableFloor: floor(40), throughput: [scenario(1, 20), scenario(2, 30)] });
    expect(floorRatios(r)).toEqual([
      { scenario: '1 × run, INGEST_CONCURRENCY 1', bare: 0.1, durable: 0.5 },
      { scenario: '1 × run, INGEST_CONCURRENCY 2', bare: 0.15, durable: 0.75 },
    ]);
    expect(floorRatios(results({ floor: floor(200), throughput: [scenario(1, 20)] }))).toEqual([{ scenario: '1 × run, INGEST_CONCURRENCY 1', bare: 0.1,
      durable: undefined }]);
  });

  it('judges the best scenario against both targets: ≥ 0.5 of the durable floor and ≥ 0.25 of the bare floor', () => {
    const met = throughputTargets(results({ floor: floor(100), durableFloor: floor(40), throughput: [scenario(1, 10), scenario(2, 30)] }));
    expect(met.map((t) => [t.met, t.value])).toEqual([[true, '0.75 (1 × run, INGEST_CONCURRENCY 2)'], [true, '0.30 (1 × run, INGEST_CONCURRENCY 2)']]);
    const missed = throughputTargets(results({ floor: floor(200), durableFloor: floor(40), throughput: [scenario(2, 12)] }));
    expect(missed.map((t) => t.met)).toEqual([false, false]);
    expect(throughputTargets(results({ floor: floor(200), throughput: [scenario(2, 60)] })).map((t) => t.met)).toEqual([null, true]);
  });

  it('prints the durable floor under the bare one and each run row with its ratio to it', () => {
    const table = renderTable(results({ floor: floor(200), durableFloor: floor(50), throughput: [scenario(2, 25)] }));
    expect(table).toMatch(/floor +same FETCH, each file fsynced \(durable floor\) +100 +2\.0 +50\.0 +100\.0 +0\.25/);
    expect(table).toMatch(/run +1 × run, INGEST_CONCURRENCY 2 .* 0\.13 .*× durable floor 0\.50;/);
  });
});
