// ZIP archives for tests, built with yazl and then patched the way real zippers differ: names in
// cp874 or UTF-8 without the UTF-8 flag (Thai Windows, macOS), hostile raw names, encrypted flags.
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import yazl from 'yazl';

export interface ZipEntrySpec {
  /** Path inside the ZIP; a trailing "/" makes a directory entry. */
  name: string;
  content?: Buffer | string;
  /**
   * utf8: UTF-8 with flag bit 11 (7-Zip, yazl) · utf8-noflag: UTF-8 without the flag (macOS Archive
   * Utility) · cp874: Thai Windows "Send to compressed folder" · cp437: old DOS zippers.
   */
  nameEncoding?: 'utf8' | 'utf8-noflag' | 'cp874' | 'cp437';
  /** Set the traditional-encryption flag (bit 0): what a password-protected entry looks like. */
  encrypted?: boolean;
  /** Stored (no compression) instead of deflated. */
  store?: boolean;
}

const UTF8_FLAG = 0x800;
const ENCRYPTED_FLAG = 0x1;

function collect(zip: yazl.ZipFile): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

function rawName(spec: ZipEntrySpec): Buffer {
  switch (spec.nameEncoding ?? 'utf8') {
    case 'cp874':
      return iconv.encode(spec.name, 'win874');
    case 'cp437':
      return iconv.encode(spec.name, 'cp437');
    default:
      return Buffer.from(spec.name, 'utf8');
  }
}

interface CentralRecord {
  flagsAt: number;
  nameAt: number;
  nameLength: number;
  localFlagsAt: number;
  localNameAt: number;
}

/** Central directory records with where their (and their local header's) flags and names sit. */
function records(zip: Buffer): CentralRecord[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd === -1) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out: CentralRecord[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    out.push({ flagsAt: at + 8, nameAt: at + 46, nameLength, localFlagsAt: local + 6, localNameAt: local + 30 });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

/**
 * A ZIP of the entries, names written as raw bytes in the chosen encoding. yazl always writes UTF-8
 * with the flag and refuses "../" names, so each entry is added under an ASCII placeholder of the same
 * byte length and the real bytes and flags are written over it afterwards (names are not checksummed).
 */
export async function buildZip(entries: ZipEntrySpec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2023, 8, 1, 3, 0, 0));
  const names = entries.map(rawName);
  entries.forEach((spec, i) => {
    const isDir = spec.name.endsWith('/');
    const placeholder = 'a'.repeat(names[i].length - (isDir ? 1 : 0)) + (isDir ? '/' : '');
    if (isDir) zip.addEmptyDirectory(placeholder, { mtime });
    else {
      const content = typeof spec.content === 'string' ? Buffer.from(spec.content) : (spec.content ?? Buffer.alloc(0));
      zip.addBuffer(content, placeholder, { mtime, compress: !spec.store });
    }
  });
  zip.end();
  const out = await collect(zip);
  records(out).forEach((rec, i) => {
    const spec = entries[i];
    names[i].copy(out, rec.nameAt);
    names[i].copy(out, rec.localNameAt);
    for (const at of [rec.flagsAt, rec.localFlagsAt]) {
      let flags = out.readUInt16LE(at);
      if ((spec.nameEncoding ?? 'utf8') === 'utf8') flags |= UTF8_FLAG;
      else flags &= ~UTF8_FLAG;
      if (spec.encrypted) flags |= ENCRYPTED_FLAG;
      out.writeUInt16LE(flags, at);
    }
  });
  return out;
}

/**
 * One entry of `bytes` zeros, deflated while streaming (the test never holds the expanded data):
 * 200 MB of zeros comes out at about 200 KB.
 */
export async function zipBomb(bytes = 200 * 1024 * 1024, name = 'scan.pdf'): Promise<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024);
  async function* zeros(): AsyncGenerator<Buffer> {
    for (let left = bytes; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  }
  const zip = new yazl.ZipFile();
  zip.addReadStream(Readable.from(zeros()), name, { mtime: new Date(Date.UTC(2023, 8, 1)) });
  zip.end();
  return collect(zip);
}

/** Damage a ZIP: 'data' garbles the first entry's compressed bytes; 'truncate' cuts off the central directory. */
export function corruptZip(zip: Buffer, how: 'data' | 'truncate' = 'data'): Buffer {
  const out = Buffer.from(zip);
  if (how === 'truncate') return out.subarray(0, Math.floor(out.length / 2));
  const rec = records(out)[0];
  const dataAt = rec.localNameAt + rec.nameLength + out.readUInt16LE(rec.localNameAt - 2);
  for (let i = 0; i < 16 && dataAt + i < out.length; i++) out[dataAt + i] ^= 0xa5;
  return out;
}
