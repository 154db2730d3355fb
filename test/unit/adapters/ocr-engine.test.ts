// The OCR engine's pure parts: parsing poppler's and tesseract's output (captured from Debian 12's poppler 22.12
// and tesseract 5.3), image headers, the ink measure, picking a page's scan, and how tool failures classify.
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../adapters/errors.ts';
import { inkRatio, parsePgm, type GreyImage } from '../../../adapters/content/ink.ts';
import { singleScan } from '../../../adapters/content/page-image.ts';
import { better, needsOtherThreshold, needsOrientation } from '../../../adapters/content/tesseract.ts';
import { effectiveDpi, imageHeader, parseOsd, parsePdfImagesList, parsePdfInfo, summariseTsv } from '../../../adapters/content/tool-output.ts';
import { classifyToolFailure } from '../../../adapters/content/tools.ts';

const PDFINFO = `Producer:        fixture scanner
Encrypted:       no
Page    1 size:  595.44 x 842.4 pts (A4)
Page    1 rot:   0
Page    2 size:  842.4 x 595.44 pts (A4)
Page    2 rot:   90
Pages:           2
File size:       365493 bytes`;

const PDFIMAGES = `page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio
--------------------------------------------------------------------------------------------
   1     0 image    1654  2340  gray    1   8  jpeg   no         4  0   200   200  117K 3.1%
   2     1 image    2340  1654  gray    1   8  jpeg   no         7  0   200   200 99.1K 2.6%
   3     2 image     300   100  rgb     3   8  image  no        10  0   150   150 10.1K  11%
   3     3 smask     300   100  gray    1   8  image  no        10  0   150   150  1.1K 3.7%`;

const TSV = `level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t1654\t2340\t-1\t
4\t1\t1\t1\t1\t0\t253\t236\t639\t24\t-1\t
5\t1\t1\t1\t1\t1\t255\t260\t11\t23\t93.0\tบ
5\t1\t1\t1\t1\t2\t527\t265\t44\t18\t95.7\tThai
5\t1\t1\t1\t1\t3\t583\t265\t88\t18\t41.3\tNat1onal
5\t1\t1\t1\t1\t4\t583\t265\t88\t18\t95.0\t `;

describe('tool output', () => {
  it('reads pdfinfo: pages, encryption, page sizes and rotation', () => {
    expect(parsePdfInfo(PDFINFO)).toEqual({
      pages: 2,
      encrypted: false,
      pageSizes: [{ width: 595.44, height: 842.4, rotate: 0 }, { width: 842.4, height: 595.44, rotate: 90 }],
    });
  });

  it('reads pdfimages -list and picks the one scan covering a page', () => {
    const rows = parsePdfImagesList(PDFIMAGES);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ page: 1, type: 'image', width: 1654, height: 2340, color: 'gray', enc: 'jpeg', xPpi: 200, yPpi: 200 });
    const info = parsePdfInfo(PDFINFO);
    expect(singleScan(rows, 1, info.pageSizes[0])).toBe(rows[0]);
    expect(singleScan(rows, 2, info.pageSizes[1])).toBeUndefined(); // /Rotate 90: render it
    expect(singleScan(rows, 3, { width: 595, height: 842, rotate: 0 })).toBeUndefined(); // a logo, not a scan
  });

  it('counts words and their mean confidence from tesseract\'s TSV', () => {
    expect(summariseTsv(TSV)).toEqual({ words: 3, goodWords: 2, confidence: 76.7 });
    expect(summariseTsv('level\tpage_num\n')).toEqual({ words: 0, goodWords: 0 });
  });

  it('reads the orientation tesseract --psm 0 reports', () => {
    expect(parseOsd('Page number: 0\nOrientation in degrees: 90\nRotate: 270\nOrientation confidence: 40.81\nScript: Thai\n'))
      .toEqual({ rotate: 270, confidence: 40.81 });
    expect(parseOsd('Too few characters. Skipping this page\n')).toBeUndefined();
  });
});

describe('image headers', () => {
  const jfif = (units: number, density: number) =>
    Buffer.from([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0x00,
      0x10,
      0x4a,
      0x46,
      0x49,
      0x46,
      0x00,
      0x01,
      0x01,
      units,
      density >> 8,
      density & 255,
      density >> 8,
      density & 255,
      0x00,
      0x00,
      0xff,
      0xc0,
      0x00,
      0x0b,
      0x08,
      0x09,
      0x24,
      0x06,
      0x76,
      0x01,
      0x01,
      0x11,
      0x00,
      0xff,
      0xd9,
    ]);

  it('reads a JPEG\'s size and JFIF density', () => {
    expect(imageHeader(jfif(1, 200))).toEqual({ format: 'jpeg', width: 1654, height: 2340, dpi: 200 });
    expect(imageHeader(jfif(2, 79))?.dpi).toBe(201); // dots per cm
  });

  it('reads a PNG\'s size and pHYs', () => {
    const png = Buffer.alloc(8 + 25 + 21);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
    png.writeUInt32BE(13, 8);
    png.write('IHDR', 12, 'latin1');
    png.writeUInt32BE(827, 16);
    png.writeUInt32BE(1170, 20);
    png.writeUInt32BE(9, 33);
    png.write('pHYs', 37, 'latin1');
    png.writeUInt32BE(3937, 41);
    png.writeUInt32BE(3937, 45);
    png[49] = 1;
    expect(imageHeader(png)).toEqual({ format: 'png', width: 827, height: 1170, dpi: 100 });
  });

  it('trusts a header\'s resolution unless it is missing or a camera\'s 72/96 placeholder', () => {
    expect(effectiveDpi({ width: 827, height: 1170, dpi: 100 })).toBe(100);
    expect(effectiveDpi({ width: 3000, height: 4000, dpi: 72 })).toBe(342);
    expect(effectiveDpi({ width: 1654, height: 2339 })).toBe(200);
  });
});

describe('ink', () => {
  const page = (draw: (x: number, y: number) => number): GreyImage => {
    const w = 248;
    const h = 351;
    const data = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = draw(x, y);
    return { width: w, height: h, maxval: 255, data };
  };

  it('sees no ink on blank paper with a shadow across it, and some on lines of text', () => {
    expect(inkRatio(page((x) => 255 - Math.round(x / 3)))).toBe(0);
    const text = inkRatio(page((x, y) => (y % 12 < 3 && x > 30 && x < 200 && x % 4 ? 60 : 235)));
    expect(text).toBeGreaterThan(0.02);
  });

  it('parses binary PGM as pdftoppm writes it', () => {
    const pgm = Buffer.concat([Buffer.from('P5\n3 2\n255\n', 'latin1'), Buffer.from([1, 2, 3, 4, 5, 6])]);
    expect(parsePgm(pgm)).toMatchObject({ width: 3, height: 2, maxval: 255 });
    expect(parsePgm(Buffer.from('P6\n3 2\n255\n'))).toBeUndefined();
  });
});

describe('tesseract retries', () => {
  const read = (words: number, goodWords: number, confidence: number) => ({ text: '', words, goodWords, confidence, ms: 1 });

  it('checks orientation only for pages with text tesseract is unsure of, and re-binarises near-empty ones', () => {
    expect(needsOrientation(read(178, 98, 62.2))).toBe(true);
    expect(needsOrientation(read(245, 234, 91.2))).toBe(false);
    expect(needsOrientation(read(6, 1, 40))).toBe(false);
    expect(needsOtherThreshold(read(10, 10, 94))).toBe(true);
  });

  it('prefers the reading with clearly more sure words, else the more confident', () => {
    const lost = read(10, 10, 94);
    const found = read(230, 200, 88);
    expect(better(lost, found)).toBe(found);
    expect(better(read(300, 280, 90), read(290, 270, 93)).confidence).toBe(93);
  });
});

describe('tool failures', () => {
  it.each([
    [{ spawnCode: 'ENOENT' }, 'permanent', 'ocr.tool-missing'],
    [{ spawnCode: 'EAGAIN' }, 'transient', 'ocr.busy'],
    [{ exit: null, signal: 'SIGKILL' }, 'transient', 'ocr.busy'],
    [{ timedOut: true }, 'permanent', 'ocr.timeout'],
    [{ exit: 1, stderr: 'Error: Couldn\'t open file' }, 'permanent', 'ocr.failed'],
  ])('tesseract %j is %s %s', (failure, kind, code) => {
    expect(classifyError(classifyToolFailure('tesseract', failure))).toEqual({ kind, code });
  });

  it('tells a PDF that needs a password from a broken one', () => {
    expect(classifyError(classifyToolFailure('pdfinfo', { exit: 1, stderr: 'Command Line Error: Incorrect password\n' })))
      .toEqual({ kind: 'permanent', code: 'pdf.encrypted' });
    expect(classifyError(classifyToolFailure('pdfinfo', { exit: 1, stderr: 'Syntax Error: Couldn\'t find trailer dictionary\n' })))
      .toEqual({ kind: 'permanent', code: 'pdf.unreadable' });
  });
});
