// Reading real-looking scans end to end: Thai documents rendered in Chromium with Debian's TLWG fonts, degraded
// as scanners and phones do (ImageMagick), wrapped in image-only PDFs, then read by the engine (poppler +
// Tesseract tha+eng) and the content stage. Prints the accuracy and the timings it measured.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readContent, type ContentReading } from '../../pipelines/content/index.ts';
import { readScan, type ScanText } from '../../adapters/content/ocr-engine.ts';
import { buildScanFixtures, type BuildStats, type BuiltFixture } from '../helpers/scans/build.ts';
import { SCAN_FIXTURES, type FixturePage } from '../helpers/scans/catalog.ts';

interface Read {
  fixture: BuiltFixture;
  scan: ScanText;
  reading: ContentReading;
}

const reads: Read[] = [];
let build: BuildStats;
let ocrMs = 0;

const pagesOf = (r: Read) =>
  r.fixture.file.pages.map((expected, i) => ({
    expected,
    got: r.reading.pages[i],
    ocr: r.scan.pages[i],
    where: `${r.fixture.file.name} p${i + 1} (${expected.label})`,
  }));
const allPages = () => reads.flatMap(pagesOf);
const right = (e: FixturePage, got: ContentReading['pages'][number]) => got.kind === e.kind && (!e.level || got.level === e.level);

beforeAll(async () => {
  for (const tool of ['tesseract', 'pdftoppm', 'pdfimages']) execFileSync('which', [tool]);
  expect(execFileSync('tesseract', ['--list-langs'], { encoding: 'utf8' })).toMatch(/^tha$/m);
  const built = await buildScanFixtures(SCAN_FIXTURES);
  build = built.stats;
  const started = Date.now();
  for (const fixture of built.files) {
    const scan = await readScan({ path: fixture.path }, { concurrency: 2 });
    reads.push({ fixture, scan, reading: readContent(scan.pages) });
  }
  ocrMs = Date.now() - started;
}, 900_000);

afterAll(() => {
  if (!reads.length) return;
  const pages = allPages().filter((p) => p.ocr.source === 'ocr');
  const times = pages.map((p) => p.ocr.ms).sort((a, b) => a - b);
  console.log([
    `scan fixtures: ${build.pages} pages, ${build.rendered} rendered and ${build.degraded} degraded now, ${(build.ms / 1000).toFixed(1)} s`,
    `OCR: ${pages.length} pages in ${(ocrMs / 1000).toFixed(1)} s (2 at a time); per page median ${(times[times.length >> 1] / 1000).toFixed(2)} s,`
    + ` max ${(times[times.length - 1] / 1000).toFixed(2)} s`,
  ].join('\n'));
});

describe('reading scans (Tesseract tha+eng on rendered, degraded fixtures)', () => {
  it('classifies at least 95 % of the readable pages right, and guesses none of the others', () => {
    const readable = allPages().filter((p) => p.expected.readable);
    const wrong = readable.filter((p) => !right(p.expected, p.got));
    const rows = allPages().map((p) =>
      `${right(p.expected, p.got) ? 'ok ' : 'BAD'} ${p.where}: ${p.got.kind}${p.got.level ? `/${p.got.level}` : ''}`
      + ` ${p.got.confidence.toFixed(2)} [${p.got.flags.join(',')}] rot${p.ocr.rotation} c${Math.round(p.ocr.confidence ?? 0)} ${p.ocr.ms}ms`
    );
    console.log(`${rows.join('\n')}\npages classified right: ${readable.length - wrong.length}/${readable.length}`);
    expect((readable.length - wrong.length) / readable.length).toBeGreaterThanOrEqual(0.95);
    // a blank page is never given a kind
    for (const p of allPages().filter((x) => x.expected.flags?.includes('blank'))) expect(p.got.kind, p.where).toBe('unknown');
  });

  it('reads every readable ID card number exactly, as the holder\'s', () => {
    const cards = allPages().filter((p) => p.expected.readable && p.expected.ids?.length);
    const exact = cards.filter((p) => p.expected.ids!.every((id) => p.got.ids.some((f) => f.id === id && f.role === 'holder')));
    console.log(`ID card numbers read exactly: ${exact.length}/${cards.length}`);
    for (const p of cards) expect(p.got.ids.map((i) => i.id), p.where).toEqual(expect.arrayContaining(p.expected.ids!));
    expect(exact.length).toBe(cards.length);
    // no other valid ID is invented on a card
    for (const p of cards) expect(p.got.ids.filter((i) => i.role === 'holder').map((i) => i.id), p.where).toEqual(p.expected.ids);
  });

  it('flags blank, unreadable, low-resolution and uncertified pages', () => {
    for (const p of allPages()) {
      for (const flag of p.expected.flags ?? []) expect(p.got.flags, p.where).toContain(flag);
    }
    const certified = allPages().filter((p) => p.expected.readable && !p.expected.flags?.length);
    const falseAlarms = certified.filter((p) => p.got.flags.length);
    console.log(`certified readable pages flagged anyway: ${falseAlarms.length}/${certified.length}`
      + falseAlarms.map((p) => `\n  ${p.where}: ${p.got.flags.join(',')}`).join(''));
    expect(falseAlarms.length / certified.length).toBeLessThanOrEqual(0.1);
  });

  it('turns pages fed sideways or upside down upright', () => {
    const turned = allPages().filter((p) => p.expected.look.rotate);
    for (const p of turned) expect(p.ocr.rotation, p.where).toBe((360 - p.expected.look.rotate!) % 360);
  });

  it('cuts combined PDFs into their documents', () => {
    for (const r of reads.filter((x) => x.fixture.file.segments)) {
      const got = r.reading.segments.map((s) => [s.kind, s.firstPage, s.lastPage]);
      expect(got, r.fixture.file.name).toEqual(r.fixture.file.segments);
    }
  });

  it('names whose IDs a house registration and a death certificate give', () => {
    const house = reads.find((r) => r.fixture.file.name === 'Doc1.pdf')!.reading.segments[0];
    expect(house.ids.filter((i) => i.role === 'father' || i.role === 'mother').length).toBe(2);
    expect(house.names.map((n) => n.role).filter(Boolean).sort()).toEqual(['father', 'mother']);
    const death = reads.find((r) => r.fixture.file.name === 'เอกสาร 1.pdf')!.reading.pages[0];
    expect(death.ids.find((i) => i.role === 'deceased')).toBeDefined();
  });
});
