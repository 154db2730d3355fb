// The leaf-body splitter against plain mailsplit on real messages: `node --import tsx test/measure/split-same.ts <dir>`
// splits every .eml under <dir> (1 MiB reads, as the spool adapter reads, and 64 KiB) with both and compares what
// they emit, data and body joined as the spool pass joins them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { bothSplits } from '../helpers/split-fuzz.ts';

const dir = process.argv[2] ?? '.';
const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.eml')).sort();
let same = 0;
for (const file of files) {
  const raw = readFileSync(path.join(dir, file));
  for (const read of [1 << 20, 64 << 10]) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < raw.length; at += read) chunks.push(raw.subarray(at, at + read));
    const { fast, slow } = await bothSplits(chunks);
    if (isDeepStrictEqual(fast, slow)) same++;
    else console.log(`DIFFERENT ${file} (${read}-byte reads)`);
  }
}
console.log(`${files.length} messages, ${same} of ${files.length * 2} splits the same`);
process.exitCode = same === files.length * 2 ? 0 : 1;
