import { describe, expect, it } from 'vitest';
import { fetchBatches } from '../../../workers/mailbox-watcher.ts';

const refs = (n: number) => Array.from({ length: n }, (_, i) => ({ uid: i + 1 }));
const MB = 1024 * 1024;

describe('catch-up FETCH batches', () => {
  it('groups ordinary mail 25 at a time, in order', () => {
    const batches = fetchBatches(refs(60), new Map(refs(60).map((r) => [r.uid, 2 * MB])));
    expect(batches.map((b) => b.length)).toEqual([16, 16, 16, 12]); // 32 MB of 2 MB messages
    expect(batches.flat().map((r) => r.uid)).toEqual(refs(60).map((r) => r.uid));
    expect(fetchBatches(refs(60), new Map()).map((b) => b.length)).toEqual([25, 25, 10]);
  });
  it('sends a large scan on its own and never an empty batch', () => {
    const sizes = new Map([[1, 1 * MB], [2, 70 * MB], [3, 1 * MB], [4, 40 * MB]]);
    expect(fetchBatches(refs(4), sizes).map((b) => b.map((r) => r.uid))).toEqual([[1], [2], [3], [4]]);
  });
});
