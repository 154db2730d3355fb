// How much of a page is ink, from a small grey rendering (poppler at 30 dpi, PGM): tells a blank page from a
// page OCR could not read, which tesseract's output alone cannot (both give a handful of stray marks). Pure.

export interface GreyImage {
  width: number;
  height: number;
  maxval: number;
  data: Uint8Array;
}

/** Binary PGM (P5, 8-bit), as `pdftoppm -gray` writes it. */
export function parsePgm(buf: Buffer): GreyImage | undefined {
  const header = /^P5\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.toString('latin1', 0, Math.min(buf.length, 200)));
  if (!header) return undefined;
  const [width, height, maxval] = [Number(header[1]), Number(header[2]), Number(header[3])];
  const start = header[0].length;
  if (maxval > 255 || buf.length < start + width * height) return undefined;
  return { width, height, maxval, data: new Uint8Array(buf.buffer, buf.byteOffset + start, width * height) };
}

/** Local background: the mean over a (2r+1)² window, by an integral image. */
function boxMean(img: GreyImage, r: number): Float32Array {
  const { width: w, height: h, data } = img;
  const sum = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x];
      sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const s = sum[y1 * (w + 1) + x1] - sum[y0 * (w + 1) + x1] - sum[y1 * (w + 1) + x0] + sum[y0 * (w + 1) + x0];
      out[y * w + x] = s / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/**
 * Share of the page (a 5 % margin left out: scanner edges and lid shadows) darker than its surroundings by more
 * than 8 % of the grey range. Shadows and gradients are surroundings too, so they do not count; noise averages
 * out at this resolution. Blank fixtures measured under 0.001, text pages 0.01–0.1.
 */
export function inkRatio(img: GreyImage): number {
  const bg = boxMean(img, 6);
  const mx = Math.round(img.width * 0.05);
  const my = Math.round(img.height * 0.05);
  const step = img.maxval * 0.08;
  let ink = 0;
  let total = 0;
  for (let y = my; y < img.height - my; y++) {
    for (let x = mx; x < img.width - mx; x++) {
      total++;
      if (img.data[y * img.width + x] < bg[y * img.width + x] - step) ink++;
    }
  }
  return total ? ink / total : 0;
}
