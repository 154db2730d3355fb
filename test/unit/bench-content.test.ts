// The benchmark's content section on hand-built results: its flags, its verdict on issue 10's targets and its rows
// (no OCR, no services: measuring is `npm run bench`'s).
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../bench/options.ts';
import { contentTargets, renderTable, type BenchResults } from '../../bench/report.ts';
import type { ContentLatencyResult } from '../../bench/content-latency.ts';
import type { ContentSpeedResult } from '../../bench/content-speed.ts';

const totals = (seconds: number, cpuSeconds: number, pages = 10) => ({ seconds, cpuSeconds, pagesPerSec: pages / seconds, pagesPerCpuSec: pages / cpuSeconds });

function speed(contentCpu: number, bareCpu: number): ContentSpeedResult {
  const content = totals(contentCpu * 1.5, contentCpu);
  const bare = totals(bareCpu * 1.5, bareCpu);
  return { pages: 10, content, bare, ratioPerCore: content.pagesPerCpuSec / bare.pagesPerCpuSec, ratioWall: content.pagesPerSec / bare.pagesPerSec,
    upright: { pages: 8, ratioPerCore: 0.85 }, perPage: [], loadAvg: [1, 1, 1] };
}

function latency(ms: number[], error?: string): ContentLatencyResult {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    messages: ms.length,
    pagesPerMessage: 10,
    intervalSeconds: 60,
    answered: ms.filter(Number.isFinite).length,
    latencies: ms,
    p50: sorted[Math.ceil(ms.length / 2) - 1],
    p95: sorted[Math.ceil(ms.length * 0.95) - 1],
    max: sorted.at(-1)!,
    readSeconds: [20, 21],
    peakRssMb: 200,
    ...(error ? { error } : {}),
  };
}

const results = (content?: BenchResults['content']): BenchResults => ({
  schema: 1,
  date: '2026-12-04',
  startedAt: '',
  durationSeconds: 0,
  machine: { cpus: 2, cpuModel: 'x', memGb: 4, node: 'v20', os: 'linux', loadAvgAtStart: [] },
  git: { commit: 'abc', dirty: false },
  options: {},
  throughput: [],
  memory: { peakRssMb: 0 },
  skipped: content ? {} : { content: 'skipped' },
  targets: [],
  errors: [],
  ...(content ? { content } : {}),
});

describe('bench content section', () => {
  it('runs alone with --content-only, with its own settings', () => {
    const o = parseOptions(['--content-only', '--content-pages', '6', '--content-messages', '3', '--content-interval', '30'], '/r');
    if (o === 'help') throw new Error('help');
    expect([...o.sections]).toEqual(['content']);
    expect([o.contentPages, o.contentMessages, o.contentInterval]).toEqual([6, 3, 30]);
    const d = parseOptions([], '/r');
    if (d === 'help') throw new Error('help');
    expect(d.sections.has('content')).toBe(true);
    expect([d.contentPages, d.contentMessages, d.contentInterval]).toEqual([24, 5, 60]);
    expect(() => parseOptions(['--content-only', '--only', 'floor'], '/r')).toThrow(/cannot be combined/);
    expect(() => parseOptions(['--content-pages', '0'], '/r')).toThrow(/content-pages/);
  });

  it('judges reading speed per CPU second against bare tesseract, and the p95 of scanned submissions', () => {
    const [fast, quick] = contentTargets({ content: { speed: speed(10, 9), latency: latency([12_000, 18_000, 25_000]) } });
    expect(fast.met).toBe(true);
    expect(fast.value).toMatch(/^0\.90 per CPU second/);
    expect(quick.met).toBe(true);
    const [slow, late] = contentTargets({ content: { speed: speed(20, 10), latency: latency([12_000, 18_000, 45_000]) } });
    expect(slow.met).toBe(false);
    expect(late.met).toBe(false);
    expect(late.value).toMatch(/^45\.00 s/);
    const [, unanswered] = contentTargets({ content: { latency: latency([Infinity], '1 replies missing after the drain timeout') } });
    expect(unanswered.met).toBe(false);
    expect(contentTargets({}).map((t) => t.met)).toEqual([null, null]);
  });

  it('prints a row per path and one for run, or says the section was skipped', () => {
    const table = renderTable(results({ speed: speed(10, 9), latency: latency([12_000, 18_000]) }));
    expect(table).toMatch(/content +content path \(engine \+ readContent\).*0\.85 per core on the 8 pages not turned/);
    expect(table).toMatch(/bare tesseract -l tha\+eng --psm 11/);
    expect(table).toMatch(/10-page unnamed scan every 60 s .*p50 12\.00 s · p95 18\.00 s/);
    expect(renderTable(results())).toMatch(/content +skipped/);
  });
});
