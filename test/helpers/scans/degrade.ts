// What scanners, photocopiers and phones do to a page, with Debian's ImageMagick 6 (called by absolute path:
// /usr/local/bin/convert on this machine is a stand-in). Deterministic: noise is seeded.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Degrade {
  /** Paper fed sideways or upside down: the image is turned by this much (clockwise). */
  rotate?: 0 | 90 | 180 | 270;
  /** Paper placed askew, degrees (positive = clockwise). */
  skew?: number;
  /** Out of focus, Gaussian sigma in pixels at 200 dpi. */
  blur?: number;
  /** Sensor and toner noise, 0..1. */
  noise?: number;
  /** Uneven light: a phone's shadow from one corner, or a photocopier's grey edge. */
  shadow?: 'corner' | 'edge';
  /** Photocopier look: grey, contrast pushed, background speckle. */
  photocopy?: boolean;
  /** Keep colour (phone photos); scanners here produce grey. */
  colour?: boolean;
  /** Resolution of the result (the page is rendered at 200 dpi; less = downsampled). */
  dpi?: number;
  /** JPEG quality of the result. */
  quality?: number;
  seed?: number;
}

/** Named looks used by the catalogue. */
export const LOOKS = {
  clean: { quality: 88 },
  office: { photocopy: true, skew: 0.7, noise: 0.12, quality: 80 },
  skewed: { photocopy: true, skew: -3.5, noise: 0.15, quality: 75 },
  phone: { colour: true, skew: 2.5, shadow: 'corner', blur: 0.8, noise: 0.1, quality: 70 },
  blurred: { blur: 1.2, noise: 0.1, quality: 75 },
  noisy: { photocopy: true, noise: 0.45, shadow: 'edge', quality: 70 },
  rot90: { rotate: 90, photocopy: true, skew: 0.5, quality: 80 },
  rot180: { rotate: 180, photocopy: true, skew: -1, quality: 80 },
  rot270: { rotate: 270, noise: 0.1, quality: 80 },
  lowres: { dpi: 100, blur: 0.6, quality: 60 },
  tiny: { dpi: 72, blur: 1.5, noise: 0.2, quality: 40 },
  unreadable: { colour: true, shadow: 'corner', blur: 7, noise: 0.4, dpi: 150, quality: 25 },
  blank: { photocopy: true, noise: 0.2, shadow: 'edge', quality: 75 },
} satisfies Record<string, Degrade>;

export function imageMagick(): string {
  for (const bin of ['/usr/bin/magick', '/usr/bin/convert']) if (existsSync(bin)) return bin;
  throw new Error('ImageMagick is missing (/usr/bin/convert): scripts/test.sh installs Debian\'s imagemagick');
}

/** The convert arguments that turn a 200-dpi PNG (stdin) into a degraded JPEG (stdout). */
export function degradeArgs(d: Degrade, size: { width: number; height: number }, out: 'jpg' | 'png' = 'jpg'): string[] {
  const { width: w, height: h } = size;
  const args = ['png:-', '-colorspace', d.colour ? 'sRGB' : 'Gray'];
  if (d.photocopy) args.push('-level', '6%,90%');
  if (d.shadow === 'corner') {
    args.push('(', '-size', `${w}x${h}`, 'xc:white', '-sparse-color', 'Barycentric', `0,0 gray45 ${Math.round(w * 0.7)},${Math.round(h * 0.6)} white`, ')',
      '-compose', 'Multiply', '-composite');
  } else if (d.shadow === 'edge') {
    args.push('(', '-size', `${w}x${h}`, 'xc:white', '-sparse-color', 'Barycentric', `${w},0 gray70 ${Math.round(w * 0.85)},0 white`, ')', '-compose',
      'Multiply', '-composite');
  }
  if (d.skew) args.push('-background', 'white', '-rotate', String(d.skew), '-gravity', 'center', '-extent', `${w}x${h}`);
  if (d.blur) args.push('-blur', `0x${d.blur}`);
  if (d.noise) args.push('-seed', String(d.seed ?? 7), '-attenuate', String(d.noise), '+noise', 'Gaussian');
  const dpi = d.dpi ?? 200;
  if (dpi !== 200) args.push('-resize', `${(dpi / 200) * 100}%`);
  if (d.rotate) args.push('-rotate', String(d.rotate));
  args.push('-density', String(dpi), '-units', 'PixelsPerInch', '-quality', String(d.quality ?? 80), '-strip', `${out}:-`);
  return args;
}

/** Pixel size from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Degrades one rendered page; returns JPEG (or, for PNG scans, PNG) bytes. */
export async function degrade(png: Buffer, d: Degrade, out: 'jpg' | 'png' = 'jpg'): Promise<Buffer> {
  const child = run(imageMagick(), degradeArgs(d, pngSize(png), out), { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin?.end(png);
  const { stdout } = await child;
  return stdout;
}
