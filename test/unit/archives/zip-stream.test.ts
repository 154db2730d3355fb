import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { memoryBody, memorySink, type BodySink } from '../../../pipelines/body.ts';
import { unzipFile } from '../../../pipelines/archives/index.ts';
import type { ExtractedFile } from '../../../pipelines/types.ts';
import { buildZip, corruptZip, zipBomb } from '../../helpers/zip.ts';

const limits = configSchema.parse({}).limits;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const attachment = (content: Buffer, name = 'เอกสาร.zip'): ExtractedFile => ({
  name,
  folders: [],
  origin: 'attachment',
  contentType: 'application/zip',
  size: content.length,
  sha256: sha(content),
  body: memoryBody(content),
});

/** A memory sink counting entries finished and entries dropped, and the most bytes any one writer held. */
function countingSink(): BodySink & { finished: number; aborted: number; largest: number } {
  const sink = {
    finished: 0,
    aborted: 0,
    largest: 0,
    create: () => {
      const inner = memorySink.create();
      let held = 0;
      return {
        write: (c: Buffer) => {
          held += c.length;
          sink.largest = Math.max(sink.largest, held);
          return inner.write(c);
        },
        finish: async () => {
          sink.finished += 1;
          return inner.finish();
        },
        abort: async () => {
          sink.aborted += 1;
          await inner.abort();
        },
      };
    },
  };
  return sink;
}

describe('ZIP entries are streamed into the sink with every limit checked as the bytes flow', () => {
  it('streams each entry into the sink and keeps its hash, size and bytes', async () => {
    const a = randomBytes(300_000);
    const b = Buffer.from('%PDF-1.4\n%%EOF\n');
    const sink = countingSink();
    const files = await unzipFile(attachment(await buildZip([{ name: 'a.pdf', content: a }, { name: 'ชุด/b.pdf', content: b }])), limits, sink);
    expect(files.map((f) => [f.folders, f.name, f.size, f.sha256])).toEqual([[[], 'a.pdf', a.length, sha(a)], [['ชุด'], 'b.pdf', b.length, sha(b)]]);
    expect((await files[0].body.bytes()).equals(a)).toBe(true);
    expect(sink.finished).toBe(2);
  });

  it('stops a bomb by its ratio after RATIO_FLOOR bytes, never holding the whole entry', async () => {
    const sink = countingSink();
    const files = await unzipFile(attachment(await zipBomb(50 * 1024 * 1024)), limits, sink);
    expect(files.map((f) => f.problem?.code)).toEqual(['zip-bomb']);
    expect(sink.finished).toBe(0);
    expect(sink.aborted).toBe(1);
    expect(sink.largest).toBeLessThan(10 * 1024 * 1024); // of a 50 MB entry: stopped at compressed size × maxZipRatio
  });

  it('stops at the total budget in the middle of an entry: zip-bomb, the entry dropped', async () => {
    const sink = countingSink();
    const zip = await buildZip([{ name: 'one.pdf', content: randomBytes(400_000) }, { name: 'two.pdf', content: randomBytes(400_000) }]);
    const files = await unzipFile(attachment(zip), { ...limits, maxZipTotalBytes: 600_000 }, sink);
    expect(files.map((f) => [f.name, f.problem?.code])).toEqual([['เอกสาร.zip', 'zip-bomb']]);
    expect(files[0].problem?.detail).toBe('expands beyond 600000 bytes');
    expect(sink.aborted).toBe(1);
  });

  it('reports an entry whose CRC does not match as zip-corrupt, and keeps no body for it', async () => {
    const sink = countingSink();
    const zip = corruptZip(await buildZip([{ name: 'a.pdf', content: randomBytes(2000), store: true }]));
    const files = await unzipFile(attachment(zip), limits, sink);
    expect(files.map((f) => [f.name, f.problem?.code, f.problem?.detail])).toEqual([['เอกสาร.zip', 'zip-corrupt', 'unreadable entries: a.pdf']]);
    expect(sink.finished).toBe(0);
    expect(sink.aborted).toBe(1);
  });

  it('keeps an entry over maxFileBytes with its real size and hash but no body', async () => {
    const big = randomBytes(500_000);
    const sink = countingSink();
    const files = await unzipFile(attachment(await buildZip([{ name: 'big.pdf', content: big }])), { ...limits, maxFileBytes: 100_000 }, sink);
    expect(files.map((f) => [f.name, f.size, f.sha256, f.body.size, f.problem?.code])).toEqual([['big.pdf', 500_000, sha(big), 0, 'file-too-large']]);
    expect(sink.largest).toBeLessThanOrEqual(100_000 + 64 * 1024);
  });
});
