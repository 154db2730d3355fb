import { describe, expect, it } from 'vitest';
import { downloadPlan, fetchBatches } from '../../../workers/message-fetch.ts';

const refs = (n: number) => Array.from({ length: n }, (_, i) => ({ uid: i + 1 }));
const MB = 1024 * 1024;

describe('catch-up FETCH batches', () => {
  it('groups ordinary mail 25 at a time, in order', () => {
    const batches = fetchBatches(refs(60), new Map(refs(60).map((r) => [r.uid, 1 * MB])));
    expect(batches.map((b) => b.length)).toEqual([8, 8, 8, 8, 8, 8, 8, 4]); // 8 MB of 1 MB messages (larger ones are streamed)
    expect(batches.flat().map((r) => r.uid)).toEqual(refs(60).map((r) => r.uid));
    expect(fetchBatches(refs(60), new Map()).map((b) => b.length)).toEqual([25, 25, 10]);
  });
  it('sends a large scan on its own and never an empty batch', () => {
    const sizes = new Map([[1, 1 * MB], [2, 70 * MB], [3, 1 * MB], [4, 40 * MB]]);
    expect(fetchBatches(refs(4), sizes).map((b) => b.map((r) => r.uid))).toEqual([[1], [2], [3], [4]]);
  });
  it('streams every message above 1 MiB (or of unknown size) on its own and batches the small ones around it, in UID order', () => {
    const sizes = new Map([[1, 200_000], [2, 300_000], [3, 1 * MB + 1], [4, 1 * MB], [6, 60 * MB]]);
    const plan = downloadPlan(refs(6), sizes).map((s) => (s.kind === 'batch' ? `batch ${s.refs.map((r) => r.uid).join(',')}` : `stream ${s.ref.uid}`));
    expect(plan).toEqual(['batch 1,2', 'stream 3', 'batch 4', 'stream 5', 'stream 6']);
    expect(downloadPlan(refs(30), new Map(refs(30).map((r) => [r.uid, 1000]))).map((s) => s.kind === 'batch' && s.refs.length)).toEqual([25, 5]);
  });
});
