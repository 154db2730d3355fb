// Follow-up moves that wait for the IMAP command connection together go out as one UID MOVE (issue 13: every
// command costs the server a copy, an expunge and fsyncs). Here: which jobs may share a command, the batching and
// the uid-set arithmetic, without I/O; the commands themselves are followup.worker.ts's.

/** Where one job's message goes: jobs share a UID MOVE only when it is the same command for all of them. */
export interface MoveTarget {
  mailbox: string;
  uidValidity: string;
  folder: string;
}

export function moveKey(target: MoveTarget): string {
  return JSON.stringify([target.mailbox, target.uidValidity, target.folder]);
}

/** An IMAP uid-set of distinct UIDs, ascending, runs written as ranges: [9, 3, 4, 5, 4] → "3:5,9". */
export function uidSet(uids: Iterable<number>): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * What one UID MOVE did for each UID, in order: moved when its COPYUID names the UID; otherwise unsure (moved
 * before by a retry or someone else, not seen by the session, refused, or no COPYUID at all), to be looked at alone.
 */
export function movedByCopyUid(uids: number[], uidMap: Map<number, number> | undefined): boolean[] {
  return uids.map((uid) => uidMap?.has(uid) ?? false);
}

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Caller<R> {
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Groups calls by key while they wait. The first call of a key opens a batch and starts `run` at once with its
 * item; calls of the same key join that batch until `run` takes the items (once the connection is its), later
 * ones open the next batch. Each caller gets the outcome at its item's place; a `run` that throws fails them all.
 * No timer: a batch is whatever arrived while the command before it was under way.
 */
export function coalescer<I, R>(run: (first: I, take: () => I[]) => Promise<Array<Outcome<R>>>): (key: string, item: I) => Promise<R> {
  const open = new Map<string, { items: I[]; callers: Array<Caller<R>> }>();
  return (key, item) =>
    new Promise<R>((resolve, reject) => {
      const joined = open.get(key);
      if (joined) {
        joined.items.push(item);
        joined.callers.push({ resolve, reject });
        return;
      }
      const batch = { items: [item], callers: [{ resolve, reject }] };
      open.set(key, batch);
      const take = () => {
        if (open.get(key) === batch) open.delete(key);
        return batch.items;
      };
      (async () => run(item, take))().then(
        (outcomes) => {
          take();
          batch.callers.forEach((caller, i) => {
            const outcome = outcomes[i];
            if (!outcome) caller.reject(new Error('the batch gave this item no outcome'));
            else if (outcome.ok) caller.resolve(outcome.value);
            else caller.reject(outcome.error);
          });
        },
        (error: unknown) => {
          take();
          for (const caller of batch.callers) caller.reject(error);
        },
      );
    });
}
