// The benchmark's profile reader and statistics on hand-built inputs (no profiler, no services).
import { describe, expect, it } from 'vitest';
import { locationOf, summarizeProfiles, threadOf, type CpuProfile } from '../../bench/profile.ts';
import { percentile, thin } from '../../bench/stats.ts';
import { ROOT } from '../../bench/services.ts';

/** root → handler (project file) → readFile (node:fs) → open (native); plus idle and GC samples. */
function profile(): CpuProfile {
  const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 5, 6, 7] },
      { id: 2, callFrame: frame('ingest', `file://${ROOT}/workers/ingest-message.ts`, 9), children: [3] },
      { id: 3, callFrame: frame('readFile', 'node:fs', 100), children: [4] },
      { id: 4, callFrame: frame('open', '') },
      { id: 5, callFrame: frame('(idle)', '') },
      { id: 6, callFrame: frame('(garbage collector)', '') },
      { id: 7, callFrame: frame('iterateData', `file://${ROOT}/node_modules/@zone-eu/mailsplit/lib/x.js`, 317) },
    ],
    startTime: 0,
    endTime: 10_000,
    // 4 ms in open, 1 ms in readFile, 2 ms ingest itself, 10 ms idle, 1 ms GC, 2 ms mailsplit (µs deltas)
    samples: [4, 4, 4, 4, 3, 2, 2, 5, 6, 7, 7],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 10_000, 1000, 1000, 1000],
  };
}

describe('CPU profile summary', () => {
  it('ranks self time by function and keeps idle time out of the shares', () => {
    const s = summarizeProfiles([profile()]);
    expect(s.totalMs).toBe(20);
    expect(s.idleMs).toBe(10);
    expect(s.byFunction[0]).toMatchObject({ name: 'open', selfMs: 4, share: 0.4 });
    expect(s.byFunction.map((c) => c.name)).toEqual(['open', 'ingest', 'iterateData', 'readFile', '(garbage collector)']);
    expect(s.byFunction.find((c) => c.name === 'ingest')!.where).toBe('workers/ingest-message.ts:10');
  });

  it('groups by package or project file, and charges builtin and native time to the caller', () => {
    const s = summarizeProfiles([profile()]);
    expect(s.byFile.find((c) => c.name === 'npm:@zone-eu/mailsplit')!.selfMs).toBe(2);
    expect(s.byFile.find((c) => c.name === '(native)')!.selfMs).toBe(4);
    // open (native) and readFile (node:fs) were called from the project file: 4 + 1 + 2 ms
    expect(s.byOwner[0]).toMatchObject({ name: 'workers/ingest-message.ts', selfMs: 7 });
  });

  it('reads the thread number from node --cpu-prof file names', () => {
    expect(threadOf('CPU.20261126.064032.13040.0.001.cpuprofile')).toBe(0);
    expect(threadOf('/x/CPU.20261126.064033.13040.2.003.cpuprofile')).toBe(2);
  });

  it('names locations by package, project path or builtin', () => {
    expect(locationOf('file:///srv/app/node_modules/pdf-lib/cjs/core/x.js')).toBe('npm:pdf-lib');
    expect(locationOf('node:internal/fs/promises')).toBe('node:internal/fs/promises');
    expect(locationOf(`file://${ROOT}/bench/run.ts`)).toBe('bench/run.ts');
    expect(locationOf(`file://${ROOT}/node_modules/.cache/seis-intake/tree-0123456789abcdef/pipelines/mail/spool.mjs`)).toBe('pipelines/mail/spool.ts');
    expect(locationOf('')).toBe('(native)');
  });
});

describe('benchmark statistics', () => {
  it('takes nearest-rank percentiles, with unanswered messages as infinitely late', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([3, 1, 2, Infinity], 50)).toBe(2);
    expect(percentile([3, 1, 2, Infinity], 99)).toBe(Infinity);
    expect(percentile([], 50)).toBeNaN();
  });

  it('thins long curves to evenly spaced points and leaves short ones alone', () => {
    const curve = Array.from({ length: 1000 }, (_, i) => i);
    expect(thin(curve, 200)).toHaveLength(200);
    expect(thin(curve, 200)[1]).toBe(5);
    expect(thin([1, 2, 3], 200)).toEqual([1, 2, 3]);
  });
});
