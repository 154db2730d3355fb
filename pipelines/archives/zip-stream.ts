// Reads a ZIP through its body's random access (central directory, then one entry at a time) and streams each
// entry into the sink, enforcing the budget, the ratio and maxFileBytes on the bytes as they are inflated.
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { BodyMeter, EMPTY_BODY, type BodySink, type BodyWriter, type FileBody } from '../body.ts';
import { ArchiveFailure, RATIO_FLOOR, type ArchiveLimits, type Budget, type EntryData } from './archive-entry.ts';

const READ_CHUNK = 256 * 1024;

/** yauzl's reader over FileBody.read: only the ranges yauzl asks for are read. */
class BodyReader extends yauzl.RandomAccessReader {
  constructor(private readonly body: FileBody) {
    super();
  }

  _readStreamForRange(start: number, end: number): Readable {
    const body = this.body;
    return Readable.from((async function*() {
      for (let at = start; at < end; at += READ_CHUNK) {
        const chunk = await body.read(at, Math.min(READ_CHUNK, end - at));
        if (chunk.length === 0) throw new Error('unexpected end of ZIP data');
        yield chunk;
        if (chunk.length < Math.min(READ_CHUNK, end - at)) throw new Error('unexpected end of ZIP data');
      }
    })(), { objectMode: false });
  }
}

export function openZip(body: FileBody): Promise<yauzl.ZipFile> {
  return yauzl.fromRandomAccessReaderPromise(new BodyReader(body), body.size, { lazyEntries: true, decodeStrings: false, validateEntrySizes: false });
}

/**
 * One entry into the sink. Over maxFileBytes it keeps counting and hashing but writes no more (the file comes
 * back too large, with its real size and hash); past the budget or the ratio it stops at once.
 */
export async function readEntry(
  zipfile: yauzl.ZipFile,
  entry: yauzl.Entry,
  limits: ArchiveLimits,
  budget: Budget,
  sink: BodySink,
): Promise<EntryData> {
  const stream = await zipfile.openReadStreamPromise(entry);
  const meter = new BodyMeter();
  // Every chunk goes through the meter first: the writer takes its hash from it.
  let writer: BodyWriter | undefined = sink.create(undefined, meter);
  let crc = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      budget.bytes += chunk.length;
      if (budget.bytes > limits.maxZipTotalBytes) {
        budget.exhausted = true;
        throw new ArchiveFailure('zip-bomb', `expands beyond ${limits.maxZipTotalBytes} bytes`, true);
      }
      const size = meter.size + chunk.length;
      if (size > RATIO_FLOOR && size > Math.max(entry.compressedSize, 1) * limits.maxZipRatio) {
        throw new ArchiveFailure('zip-bomb', `entry expands more than ${limits.maxZipRatio}:1`);
      }
      meter.add(chunk);
      crc = crc32(chunk, crc);
      if (writer && size > limits.maxFileBytes) {
        await writer.abort();
        writer = undefined;
      }
      if (writer) await writer.write(chunk);
    }
    const { size, sha256 } = meter.digest();
    if (crc !== entry.crc32 || size !== entry.uncompressedSize) throw new Error('checksum or size mismatch');
    const body = writer ? await writer.finish() : EMPTY_BODY;
    writer = undefined;
    return { body, size, sha256, tooLarge: size > limits.maxFileBytes };
  } finally {
    stream.destroy();
    if (writer) await writer.abort();
  }
}
