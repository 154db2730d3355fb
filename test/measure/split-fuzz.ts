// Offline differential run of the leaf-body splitter against plain mailsplit: many seeded random messages, each cut
// several ways. `node --import tsx test/measure/split-fuzz.ts <first seed> <messages>`; prints every failing seed
// and piece size, and writes the first failing case (message hex and the piece lengths) to SPLIT_FUZZ_DUMP.
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { bothSplits, cuts, fuzzMessage, pieceSizes, Rng } from '../helpers/split-fuzz.ts';

const first = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 1000);
let chunkings = 0;
let failures = 0;
let bytes = 0;
for (let seed = first; seed < first + count; seed++) {
  const rng = new Rng(seed);
  const raw = fuzzMessage(rng);
  bytes += raw.length;
  for (const max of pieceSizes(rng, raw.length)) {
    const chunks = cuts(rng, raw, max);
    const { fast, slow } = await bothSplits(chunks);
    chunkings++;
    if (isDeepStrictEqual(fast, slow)) continue;
    failures++;
    console.log(`FAIL seed ${seed} max piece ${max} (${raw.length} bytes)`);
    if (failures === 1 && process.env.SPLIT_FUZZ_DUMP)
      writeFileSync(process.env.SPLIT_FUZZ_DUMP, JSON.stringify({ seed, max, raw: raw.toString('hex'), sizes: chunks.map((c) => c.length) }));
  }
  if ((seed - first + 1) % 500 === 0) console.log(`${seed - first + 1} messages, ${chunkings} chunkings, ${failures} failures`);
}
console.log(`done: seeds ${first}..${first + count - 1}: ${count} messages (${bytes} bytes), ${chunkings} chunkings, ${failures} failures`);
process.exitCode = failures ? 1 : 0;
