import { describe, expect, it } from 'vitest';
import { budgetSink, memoryBody, type BodySink, type FileBody } from '../../pipelines/body.ts';

/** A stand-in for the file spool: memory bodies marked with a path, so a test can tell where a body went. */
function markedSink(): BodySink & { created: number } {
  const sink = {
    created: 0,
    create: () => {
      sink.created += 1;
      const chunks: Buffer[] = [];
      return {
        write: (chunk: Buffer) => {
          chunks.push(chunk);
        },
        finish: async (): Promise<FileBody> => ({ ...memoryBody(Buffer.concat(chunks)), path: `/spool/${sink.created}` }),
        abort: async () => {
          chunks.length = 0;
        },
      };
    },
  };
  return sink;
}

async function write(sink: BodySink, ...chunks: string[]): Promise<FileBody> {
  const w = sink.create();
  for (const c of chunks) await w.write(Buffer.from(c));
  return w.finish();
}

describe('budgetSink', () => {
  it('keeps bodies in memory while all of them fit the budget', async () => {
    const overflow = markedSink();
    const sink = budgetSink(10, overflow);
    const a = await write(sink, 'abc', 'de');
    const b = await write(sink, 'fghij');
    expect([a.path, b.path, overflow.created]).toEqual([undefined, undefined, 0]);
    expect((await b.bytes()).toString()).toBe('fghij');
  });

  it('moves the body that passes the budget to the overflow sink whole, earlier chunks included', async () => {
    const overflow = markedSink();
    const sink = budgetSink(10, overflow);
    await write(sink, '12345678');
    const big = await write(sink, 'ab', 'cdef');
    expect(big.path).toBe('/spool/1');
    expect((await big.bytes()).toString()).toBe('abcdef');
    expect(big.sha256).toBe(memoryBody(Buffer.from('abcdef')).sha256);
    const after = await write(sink, 'xy');
    expect(after.path).toBe('/spool/2'); // the budget is for all bodies together: it is spent
  });
});
