// Time and memory of the PDF check, the whole-file pdf-lib load it replaced against the ranged inspection, on the
// bench's 25 MB scan (25 pages of incompressible JPEG-like data). Not a test: run it by hand and read the numbers.
//   node --expose-gc --import tsx test/measure/pdf-check.ts [pages=25] [megabytes=25]
// Each way runs in its own child process, so one way's garbage does not count against the other.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { scanPdf } from '../../bench/documents.ts';
import { withIndirectLength } from '../helpers/pdf-variants.ts';
import { bufferSource, inspectPdf, type RandomAccessSource } from '../../pipelines/documents/index.ts';

type Way = 'pdf-lib whole file' | 'ranged, Buffer' | 'ranged, file handle';
const WAYS: Way[] = ['pdf-lib whole file', 'ranged, Buffer', 'ranged, file handle'];
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function once(way: Way, path: string): Promise<string> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const bytes = way === 'ranged, file handle' ? undefined : readFileSync(path);
  const handle = way === 'ranged, file handle' ? await open(path) : undefined;
  const size = bytes?.length ?? (await handle!.stat()).size;
  let requested = 0;
  const inner: RandomAccessSource = bytes ? bufferSource(bytes) : {
    size,
    read: async (offset, length) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle!.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    },
  };
  const source: RandomAccessSource = { size, read: (o, l) => {
    requested += l;
    return inner.read(o, l);
  } };
  gc?.();
  const before = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  let answer: string;
  if (way === 'pdf-lib whole file') {
    const doc = await PDFDocument.load(bytes!, { ignoreEncryption: true, updateMetadata: false });
    answer = `${doc.getPageCount()} pages`;
  } else {
    answer = JSON.stringify(await inspectPdf(source));
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  const peak = process.resourceUsage().maxRSS * 1024;
  await handle?.close();
  return `${way}: ${answer}; ${ms.toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU; ` +
    `RSS before ${mb(before)}, peak ${mb(peak)} (+${mb(peak - before)}); bytes read by the check ${
      way === 'pdf-lib whole file' ? mb(size) : `${requested} (${((100 * requested) / size).toFixed(2)}%)`
    }`;
}

const [mode, arg1, arg2, arg3] = process.argv.slice(2);
const child = (...args: string[]) => execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', process.argv[1], ...args], { encoding: 'utf8' }).trim();
if (mode === '--child') {
  // The first run is the cold one, and the only one whose peak RSS means anything; then the median of five warm runs.
  console.log(await once(arg1 as Way, arg2));
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) warm.push(Number(/; (\d+) ms wall/.exec(await once(arg1 as Way, arg2))![1]));
  console.log(`  warm runs: median ${warm.sort((x, y) => x - y)[2]} ms wall`);
} else if (mode === '--make') {
  const scan = await scanPdf('measure', Number(arg3) * 1024 * 1024, Number(arg2));
  const imageLength = Number(/\/Length (\d{6,})\n/.exec(scan.toString('latin1'))![1]);
  writeFileSync(join(arg1, 'direct.pdf'), scan);
  // Where pdf-lib's whole-file parse is slow: it searches each image for "endstream" byte by byte.
  // Only when the reference fits in the digits of the length: many small pages do not leave room.
  try {
    writeFileSync(join(arg1, 'indirect.pdf'), withIndirectLength(scan, imageLength));
  } catch {
    console.error('no indirect-length variant for this size');
  }
} else {
  // Files are made in a child: a child process starts with its parent's peak RSS (Linux), so the parent stays small.
  const dir = mkdtempSync(join(tmpdir(), 'pdf-check-'));
  child('--make', dir, mode ?? '25', arg1 ?? '25');
  console.log(`node ${process.version}`);
  for (const [file, what] of [['direct.pdf', 'the bench scan (direct /Length)'], ['indirect.pdf', 'the same, its images\' /Length in an object']]) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    console.log(`${what}: ${mb(readFileSync(path).length)}`);
    for (const way of WAYS) console.log(child('--child', way, path));
  }
  rmSync(dir, { recursive: true });
}
