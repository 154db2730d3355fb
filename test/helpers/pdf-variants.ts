// PDFs with the structures a ranged check must read right, built in code from pdf-lib output: incremental updates
// (classic table or xref stream with a PNG predictor), page trees that lie or loop, cross-reference data that is
// wrong, a linearized file (Ghostscript), and large scan-like PDFs. All contents are fictional.
import { deflateSync, gunzipSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFNumber, PDFPageTree, PDFRef, concatTransformationMatrix, drawObject, popGraphicsState,
  pushGraphicsState } from 'pdf-lib';
import { makePdf } from './pdf.ts';

/**
 * makePdf(3) through Ghostscript 10.0 with FastWebView (gzip + base64):
 *   gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -dFastWebView=true -o linearized.pdf three.pdf
 * Its last startxref points to the first-page xref section at the start, whose /Prev is the main one at the end.
 */
const LINEARIZED_3 = 'H4sICGf1EmsCA2xpbi5wZGYA7VfNbxtFFHeQKsEiJKTCgds0NNq0ZT07++m1YqeOHTdR49Zy3CYi5LDZHTvbrHfN7rh2c+4NIU4I' +
  'JMqliL8CIRQ4gNRLDxx64Ig4IcGZIuDNeuOYbGirivaAGH/Nvn1f83u/ed6Za9bqEsmbwty3P39wV5ibWw1uho7NvDAoom6MpHeR' +
  '5F652qxcW1+G2VKlXV1BUlxbvr5aXS713c4w8hiFO3U7Zht057pHhyUWDSha5C+BKEhG4c4NYWEBr3kBtSNvn7qI4DWkEdnCK1uI' +
  'yLqGiKZu46vwg5cTAb6CVNxGakExy2WBBi73gZ5qCKOIdngiBUFOh2Wg5BcF6FCm6yQjM0ghIzMNNSOziJaVqRk9IisnyPQpW4FF' +
  'tufTiKO1DkAhRcarQSdEFqDYwq0wZIioyXy1trVgLJt1vaZXalWtIi9VCzo4M5cqdUvV1WqlKpcfr7GNmxG9CTiTAuAcMztiHK5X' +
  'BBm4sHy1PsZcSIKmZWzf6lOEqzaz/bCLcNPu0hhqxrMScIMy24VbiJBEcFQ8jtG0i8QQ9F3PXgpHaIs70C0dFTRlW4ClMht4JYNW' +
  'RAM28d+icTiIHBqDl2YUOuuUbWHgMMJtOmJgWA+5duEwOK7CNTiADPXjCelT1KRBl+0iYiTY1j2f0Qjhug851KgTujQBJ6J2Txjd' +
  'udCW76ttOVeZ//TOvVM/nX/t8/j16I2lB83z1sbBuduXF7975+D+ypmz779895vmwfcXD374+uKZsx9d/gyR0rWDpnr2vXv67Quv' +
  'vjjz5YPTv0EyqePDtIw0LdOaiMyjTJfsmPI14hXq36TMc+wxmlwm4OUAkvWCLt7wgkoQe5Pr9cEO42pcl0xhUDjy3DLHgVpTt60M' +
  'RIfDVAS8PrnS1COAcsl44UZuJpm8BPOHOS79MPcCfM/w1yfnP84Zhbnc0TiVfmbS65mckIXm+TFIyxJIOcYfJYON+uzZszLFnh9P' +
  'P8xApGbIoz2ywvrzg/SEPWkcg9TIQGo+e0g3pyD99fTvGUjNDKSP3jRTewbAcAcOjeYvNdfQpd0wZrETeX2OXF6G9znAAkLxf9sa' +
  'rGy+VlRkxSCKrBGTGIr6tiyL8Aa1Rug+RiNxFEbzf/yZlGWcAUq79bhJ48ueG6OtcStuCeMOPW6L29DRwwFUSZ3ukMc33GF3Fyb9' +
  'ZLOxNmmexLLK5RS7hcVR33b2KEM7tOsFJfGXL74SkeeWxA29ITf6VbrrrexHdH3/StvZ33MsV1wsg5UNgak0svtSJ6l5jGjslGar' +
  'rbX6LFcYFUe9fg/SQKOeH8TFUUlMTIow52IsokSF7ZXEzUYTsTD09zyGlLyVJxJR30KdyO7RYRjtIZI3RHAZuZ1iC8g6dghXJXGX' +
  'sX4R4+FwmB+q+TDqYlibhWUFK4oEGlJ8K2D2SAriN8XUztucmAVxPskp74Q97G1ikpfxYaAaHTMAKo74tb0TDlhpdjb10p+K/jc3' +
  'cAP8qLA8mBUPeVUS/4FYIn6yeIDUyfGgAmneC6BTBPp5nVucgWXOP4kokqy1iVkkRhFIuICPKQmJVUJJ+hirKaUpqzBqQ+XKsFjJ' +
  '93bQPM8xhiS7Htsd7CQproT95K8t1Tk35S61XsDHIHhCUOx+o/FoWHo9TjSuV6yFzqAH3Wy1VhIHA88tdmxXs62CKykFYAshHVfi' +
  'z3eS5aiurFCbEE150vq4ziSP/iDyEyq6DqY+5SFjyIVAIq5T7IRRz2awGfp93xs/v3NgoHxwk3nMp+UkXsVn44nv8RBF3w66JXEk' +
  'ubRjD3wmlq8FibY7xs73UhATO3zk6wRkcbqR+HSyTctP+dB+wmP8v+boqDdBnyuJQ955Ml0f/T/+WyM5BcqIKJNTIJy5DF1XddSZ' +
  'nMaIZWZOaKpqZWRaIXMyJLpsZGVqVmaYWVs45mZlmp6VmRmZIstaVmZO+Tt+qCTK9FFPUJRCetb7C/KTGqcNEAAA' +
  '';

export function linearizedPdf(): Buffer {
  return gunzipSync(Buffer.from(LINEARIZED_3, 'base64'));
}

/** The last trailer's /Size and /Root and the last startxref of a classic-xref PDF (as pdf-lib writes them). */
function lastTrailer(pdf: Buffer): { size: number; root: string; startxref: number; carried: string } {
  const text = pdf.toString('latin1');
  const trailer = text.slice(text.lastIndexOf('trailer'));
  return {
    size: Number(/\/Size (\d+)/.exec(trailer)![1]),
    root: /\/Root (\d+ \d+ R)/.exec(trailer)![1],
    // An encrypted file's update keeps its /Encrypt and /ID, or readers would take it as not encrypted.
    carried: [/\/Encrypt \d+ \d+ R/.exec(trailer)?.[0], /\/ID\s*\[[^\]]*\]/.exec(trailer)?.[0]].filter(Boolean).join(' '),
    startxref: Number(/startxref\s+(\d+)/.exec(text.slice(text.lastIndexOf('startxref')))![1]),
  };
}

/** One row of an xref stream run through a PNG predictor (bpp 1), each row with its own filter type 0–4. */
function pngRow(row: Buffer, prev: Buffer, type: number): Buffer {
  const out = Buffer.alloc(row.length + 1);
  out[0] = type;
  for (let i = 0; i < row.length; i++) {
    const left = i > 0 ? row[i - 1] : 0;
    const up = prev[i];
    const upLeft = i > 0 ? prev[i - 1] : 0;
    const p = left + up - upLeft;
    const paeth = Math.abs(p - left) <= Math.abs(p - up) && Math.abs(p - left) <= Math.abs(p - upLeft) ?
      left
      : Math.abs(p - up) <= Math.abs(p - upLeft)
      ? up
      : upLeft;
    const predicted = [0, left, up, (left + up) >> 1, paeth][type];
    out[i + 1] = (row[i] - predicted + 256) & 0xff;
  }
  return out;
}

/** Appends an incremental update: the objects (number → body) and a new xref section, a table or a stream. */
export function appendUpdate(pdf: Buffer, objects: Record<number, string>, opts: { xrefStream?: boolean; hybrid?: boolean } = {}): Buffer {
  const { size, root, startxref, carried } = lastTrailer(pdf);
  const parts = [pdf];
  let at = pdf.length;
  const offsets = new Map<number, number>();
  for (const [num, body] of Object.entries(objects)) {
    const text = Buffer.from(`${num} 0 obj\n${body}\nendobj\n`, 'latin1');
    offsets.set(Number(num), at);
    parts.push(text);
    at += text.length;
  }
  const nextSize = Math.max(size, ...[...offsets.keys()].map((n) => n + 1));
  if (opts.hybrid) {
    // A hybrid-reference update (PDF 1.5 for old readers): the table lists the first object and marks the others
    // free; the stream that /XRefStm names places them.
    const sorted = [...offsets].sort((a, b) => a[0] - b[0]);
    const rows = sorted.slice(1).map(([, offset]) => Buffer.from([1, ...[24, 16, 8, 0].map((s) => (offset >>> s) & 0xff), 0, 0]));
    const stream = Buffer.concat(rows);
    const streamAt = at;
    const head = `${nextSize} 0 obj\n<< /Type /XRef /Size ${nextSize + 1} /W [1 4 2] /Index [${
      sorted.slice(1).map(([n]) => `${n} 1`).join(' ')
    }] /Length ${stream.length} >>\nstream\n`;
    const tail = '\nendstream\nendobj\n';
    const tableAt = streamAt + head.length + stream.length + tail.length;
    let table = 'xref\n';
    sorted.forEach(([num, offset], i) => {
      table += `${num} 1\n${i === 0 ? `${String(offset).padStart(10, '0')} 00000 n` : '0000000000 65535 f'} \n`;
    });
    table += `trailer\n<< /Size ${nextSize + 1} /Root ${root} /Prev ${startxref} /XRefStm ${streamAt} ${carried} >>\nstartxref\n${tableAt}\n%%EOF\n`;
    return Buffer.concat([...parts, Buffer.from(head, 'latin1'), stream, Buffer.from(tail + table, 'latin1')]);
  }
  if (!opts.xrefStream) {
    let table = 'xref\n';
    for (const [num, offset] of [...offsets].sort((a, b) => a[0] - b[0])) table += `${num} 1\n${String(offset).padStart(10, '0')} 00000 n \n`;
    table += `trailer\n<< /Size ${nextSize} /Root ${root} /Prev ${startxref} ${carried} >>\nstartxref\n${at}\n%%EOF\n`;
    return Buffer.concat([...parts, Buffer.from(table, 'latin1')]);
  }
  offsets.set(nextSize, at); // the xref stream is an object too
  const sorted = [...offsets].sort((a, b) => a[0] - b[0]);
  let prev = Buffer.alloc(7);
  const rows = sorted.map(([, offset], i) => {
    const row = Buffer.alloc(7);
    row[0] = 1;
    row.writeUInt32BE(offset, 1);
    const encoded = pngRow(row, prev, i % 5);
    prev = row;
    return encoded;
  });
  const data = deflateSync(Buffer.concat(rows));
  const dict = `<< /Type /XRef /Size ${nextSize + 1} /Root ${root} /Prev ${startxref} ${carried} /W [1 4 2] ` +
    `/Index [${sorted.map(([n]) => `${n} 1`).join(' ')}] /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length ${data.length} >>`;
  return Buffer.concat([
    ...parts,
    Buffer.from(`${nextSize} 0 obj\n${dict}\nstream\n`, 'latin1'),
    data,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`, 'latin1'),
  ]);
}

/** makePdf(2) and an incremental update that adds a third page (a new page and a new version of the page tree). */
export async function pdfWithAddedPage(opts: { xrefStream?: boolean; hybrid?: boolean } = {}): Promise<Buffer> {
  const base = await makePdf(2);
  const doc = await PDFDocument.load(base);
  const treeRef = doc.catalog.get(PDFName.of('Pages')) as PDFRef;
  const kids = doc.catalog.Pages().Kids().asArray().map(String);
  const page = lastTrailer(base).size;
  return appendUpdate(base, {
    [page]: `<< /Type /Page /Parent ${treeRef} /MediaBox [0 0 595 842] >>`,
    [treeRef.objectNumber]: `<< /Type /Pages /Kids [${[...kids, `${page} 0 R`].join(' ')}] /Count ${kids.length + 1} >>`,
  }, opts);
}

export type OddTree = 'count-low' | 'count-high' | 'untyped-kid' | 'cycle' | 'untyped-root' | 'shared-subtree';

/** makePdf(3) with its page tree bent: a /Count that lies, a kid without /Type, a loop, a catalog without /Type… */
export async function oddTreePdf(kind: OddTree): Promise<Buffer> {
  const doc = await PDFDocument.load(await makePdf(3));
  const tree: PDFPageTree = doc.catalog.Pages();
  const treeRef = doc.catalog.get(PDFName.of('Pages')) as PDFRef;
  if (kind === 'count-low') tree.set(PDFName.of('Count'), PDFNumber.of(1));
  if (kind === 'count-high') tree.set(PDFName.of('Count'), PDFNumber.of(10));
  if (kind === 'untyped-kid') tree.Kids().push(doc.context.register(doc.context.obj({ MediaBox: [0, 0, 10, 10] })));
  if (kind === 'cycle') tree.Kids().push(treeRef);
  if (kind === 'untyped-root') doc.catalog.delete(PDFName.of('Type'));
  if (kind === 'shared-subtree') {
    // A middle node holding the first page, listed twice: pdf-lib walks (and counts) it twice.
    const first = tree.Kids().get(0) as PDFRef;
    const middle = doc.context.register(doc.context.obj({ Type: 'Pages', Kids: [first], Count: 1, Parent: treeRef }));
    tree.set(PDFName.of('Kids'), doc.context.obj([middle, ...tree.Kids().asArray().slice(1), middle]) as PDFArray);
  }
  return Buffer.from(await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false }));
}

/** Every in-use xref entry off by 5 bytes: the objects are all there, the cross-reference data is wrong. */
export async function shiftedXrefPdf(): Promise<Buffer> {
  const text = (await makePdf(2)).toString('latin1');
  return Buffer.from(text.replace(/^(\d{10}) 00000 n/gm, (_, offset: string) => `${String(Number(offset) + 5).padStart(10, '0')} 00000 n`), 'latin1');
}

/** No startxref keyword at the end (some broken writers): only a whole parse finds the objects. */
export async function noStartxrefPdf(): Promise<Buffer> {
  return Buffer.from((await makePdf(2)).toString('latin1').replace(/startxref/g, 'startxreX'), 'latin1');
}

/** Noise that no filter shrinks, the same on every run (xorshift32): what a scanner's image data looks like to a parser. */
function noise(length: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(length / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return Buffer.from(words.buffer, 0, length);
}

/**
 * A scan-like PDF: `pages` A4 pages, each one greyscale image XObject of `imageBytes` bytes drawn over the page, as a
 * scanner writes them (one image per page, nothing else). 40 pages of 500 000 bytes make a 20 MB file.
 */
export async function scanLikePdf(pages: number, imageBytes: number, opts: { objectStreams?: boolean } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const width = 1000;
  const height = Math.floor(imageBytes / width);
  for (let i = 0; i < pages; i++) {
    const image = doc.context.register(doc.context.stream(noise(width * height, i + 1), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: width,
      Height: height,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 8,
    }));
    const page = doc.addPage([595, 842]);
    const name = page.node.newXObject('Scan', image);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(595, 0, 0, 842, 0, 0), drawObject(name), popGraphicsState());
  }
  return Buffer.from(await doc.save({ useObjectStreams: opts.objectStreams ?? false }));
}

/**
 * The linearized sample with its damage mended: Ghostscript 10.00 cut the Info dictionary (object 9) short, so
 * pdf-lib's in-order parse runs into the page tree and loses it. Here object 9 is an empty dictionary padded to the
 * same length, so every offset stays right.
 */
export function mendedLinearizedPdf(): Buffer {
  const text = linearizedPdf().toString('latin1');
  const start = text.indexOf('\n9 0 obj') + 1;
  const end = text.indexOf('10 0 obj', start);
  const mended = '9 0 obj\n<<>>\nendobj\n';
  return Buffer.from(text.slice(0, start) + mended.padEnd(end - start, ' ') + text.slice(end), 'latin1');
}

/** A small PDF made large by an update that adds an unreferenced stream of noise (the original stays as it was). */
export function padded(pdf: Buffer, bytes: number): Buffer {
  const { size } = lastTrailer(pdf);
  return appendUpdate(pdf, { [size]: `<< /Length ${bytes} >>\nstream\n${noise(bytes, 7).toString('latin1')}\nendstream` });
}

/**
 * The same PDF with every stream of `length` bytes taking its /Length from an object (as many scanner drivers write
 * it): pdf-lib ignores an indirect /Length and searches the data for "endstream" byte by byte. Offsets stay right.
 */
export function withIndirectLength(pdf: Buffer, length: number): Buffer {
  const { size } = lastTrailer(pdf);
  const direct = `/Length ${length}`;
  const indirect = `/Length ${size} 0 R`;
  if (indirect.length > direct.length) throw new Error('the length needs more digits than the reference');
  const text = pdf.toString('latin1').split(`${direct}\n`).join(`${indirect.padEnd(direct.length, ' ')}\n`);
  return appendUpdate(Buffer.from(text, 'latin1'), { [size]: String(length) });
}
