import { describe, expect, it } from 'vitest';
import { coalescer, movedByCopyUid, moveKey, uidSet, type Outcome } from '../../../workers/move-batch.ts';

describe('uid sets and COPYUID', () => {
  it('writes distinct UIDs ascending, runs as ranges', () => {
    expect(uidSet([9, 3, 4, 5, 4])).toBe('3:5,9');
    expect(uidSet([42])).toBe('42');
    expect(uidSet([10, 1, 2, 4, 5, 6, 8])).toBe('1:2,4:6,8,10');
    expect(uidSet([])).toBe('');
  });

  it('counts a UID moved only when the COPYUID names it', () => {
    expect(movedByCopyUid([3, 4, 9], new Map([[3, 101], [9, 102]]))).toEqual([true, false, true]);
    expect(movedByCopyUid([3, 4], undefined)).toEqual([false, false]);
  });

  it('keeps mailboxes, UIDVALIDITY and folders apart, whatever characters they hold', () => {
    const key = (mailbox: string, uidValidity: string, folder: string) => moveKey({ mailbox, uidValidity, folder });
    expect(key('INBOX', '7', 'Processed')).toBe(key('INBOX', '7', 'Processed'));
    expect(
      new Set([key('INBOX', '7', 'Processed'), key('INBOX', '8', 'Processed'), key('INBOX', '7', 'Rejected'), key('a:b', '7', 'c'), key('a', '7', 'b:c')]).size,
    ).toBe(5);
  });
});

/** A batch runner the test finishes by hand: each `run` waits until `release()`, then answers per item. */
function manualRunner(answer: (item: number) => Outcome<string>) {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const run = async (first: number, take: () => number[]) => {
    await new Promise<void>((resolve) => releases.push(resolve)); // the connection is someone else's until then
    const items = take();
    expect(items[0]).toBe(first);
    batches.push([...items]);
    return items.map(answer);
  };
  return { run, batches, release: () => releases.shift()?.(), pending: () => releases.length };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the coalescer', () => {
  it('gathers calls of one key that arrive before the batch is taken, and opens a new batch after', async () => {
    const runner = manualRunner((n) => ({ ok: true, value: `moved ${n}` }));
    const call = coalescer(runner.run);
    const first = [call('a', 1), call('a', 2), call('b', 3), call('a', 4)];
    await flush();
    runner.release(); // batch a takes 1, 2, 4
    await flush();
    const later = call('a', 5); // batch a was taken: 5 opens the next one
    runner.release(); // batch b
    runner.release(); // batch a again
    expect(await Promise.all([...first, later])).toEqual(['moved 1', 'moved 2', 'moved 3', 'moved 4', 'moved 5']);
    expect(runner.batches).toEqual([[1, 2, 4], [3], [5]]);
    expect(runner.pending()).toBe(0);
  });

  it('gives each caller its own failure, and all of them a failure of the whole batch', async () => {
    const call = coalescer(async (_first: number, take: () => number[]) =>
      take().map((n): Outcome<number> => (n % 2 ? { ok: true, value: n } : { ok: false, error: new Error(`refused ${n}`) }))
    );
    const settled = await Promise.allSettled([call('k', 1), call('k', 2), call('k', 3)]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([1, 'refused 2', 3]);

    let runs = 0;
    const broken = coalescer(async (): Promise<Array<Outcome<number>>> => {
      runs++;
      throw new Error('connection lost');
    });
    const failed = await Promise.allSettled([broken('k', 1), broken('k', 2)]);
    expect(failed.map((s) => s.status === 'rejected' && (s.reason as Error).message)).toEqual(['connection lost', 'connection lost']);
    // The failed batch is closed: the next call runs again instead of joining it.
    await expect(broken('k', 3)).rejects.toThrow('connection lost');
    expect(runs).toBe(2);
  });

  it('fails a caller the batch gave no outcome, instead of leaving it waiting', async () => {
    const call = coalescer(async (first: number) => [{ ok: true, value: first }] as Array<Outcome<number>>);
    const settled = await Promise.allSettled([call('k', 1), call('k', 2)]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(settled[1].status).toBe('rejected');
  });
});
