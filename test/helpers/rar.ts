// RAR archives for tests, written byte by byte: there is no free RAR writer (Debian main has none), and
// STORED entries (no compression) are simple enough to lay out from RARLAB's technote.
import { crc32 } from 'node:zlib';
import iconv from 'iconv-lite';

export interface RarEntrySpec {
  /** Path inside the archive with "/" separators; a trailing "/" makes a folder entry. */
  name: string;
  content?: Buffer | string;
  /**
   * RAR4 only. unicode: the OEM name, a NUL and RAR's packed Unicode form (WinRAR 3/4 when the OEM code
   * page cannot hold the name) · cp874: OEM bytes only, no Unicode flag (WinRAR on Thai Windows, where
   * the OEM code page is 874 and holds Thai) · ascii. RAR5 names are always UTF-8.
   */
  nameEncoding?: 'unicode' | 'cp874' | 'ascii';
  /** Set the "encrypted with a password" flag: what an entry of `rar a -p` looks like in the listing. */
  encrypted?: boolean;
  /** Unpacked size written in the header instead of the real one: headers lie in bombs. */
  declaredSize?: number;
  /** RAR5 only: claim compression `method` (1–5) with a 128 KB << `dictionaryBits` dictionary; the data stays as given. */
  claim?: { method: number; dictionaryBits: number };
}

export interface RarOptions {
  /** Archive flags: solid; one volume of a multi-volume set; headers encrypted (`rar a -hp`). */
  solid?: boolean;
  volume?: boolean;
  headerEncrypted?: boolean;
}

/** 2023-09-01 10:00:00 in MS-DOS date/time, as RAR4 stores FILE_TIME. */
const DOS_TIME = ((2023 - 1980) << 25) | (9 << 21) | (1 << 16) | (10 << 11);
const HOST_WIN32 = 2;
const ATTR_FILE = 0x20;
const ATTR_DIR = 0x10;

const bytesOf = (content: RarEntrySpec['content']): Buffer => (typeof content === 'string' ? Buffer.from(content) : (content ?? Buffer.alloc(0)));

/** A RAR4 block: HEAD_CRC is the low 16 bits of the CRC32 of everything from HEAD_TYPE on. */
function block4(type: number, flags: number, fields: Buffer): Buffer {
  const head = Buffer.alloc(7);
  head.writeUInt8(type, 2);
  head.writeUInt16LE(flags, 3);
  head.writeUInt16LE(7 + fields.length, 5);
  const out = Buffer.concat([head, fields]);
  out.writeUInt16LE(crc32(out.subarray(2)) & 0xffff, 0);
  return out;
}

/** RAR's packed Unicode (unrar encname.cpp): a high byte, then 2-bit ops per char: 0 = low byte only, 1 = low byte + high byte, 2 = both bytes. */
export function packUnicodeName(name: string): Buffer {
  const high = 0x0e; // the Thai block U+0E00–U+0E7F
  const out: number[] = [high];
  const units = [...name].map((c) => c.charCodeAt(0));
  for (let i = 0; i < units.length; i += 4) {
    const group = units.slice(i, i + 4);
    let flags = 0;
    const data: number[] = [];
    group.forEach((u, j) => {
      const op = u < 0x100 ? 0 : u >> 8 === high ? 1 : 2;
      flags |= op << (6 - 2 * j);
      if (op === 2) data.push(u & 0xff, u >> 8);
      else data.push(u & 0xff);
    });
    out.push(flags, ...data);
  }
  return Buffer.from(out);
}

function name4(spec: RarEntrySpec, path: string): { bytes: Buffer; unicode: boolean } {
  const encoding = spec.nameEncoding ?? (/^[\x20-\x7e]*$/.test(path) ? 'ascii' : 'unicode');
  if (encoding === 'cp874') return { bytes: iconv.encode(path, 'win874'), unicode: false };
  if (encoding === 'ascii') return { bytes: Buffer.from(path, 'latin1'), unicode: false };
  const oem = Buffer.from(path.replace(/[^\x20-\x7e]/g, '?'), 'latin1');
  return { bytes: Buffer.concat([oem, Buffer.from([0]), packUnicodeName(path)]), unicode: true };
}

/** A RAR 1.5–4.x archive ("Rar!\x1a\x07\x00") of STORED entries, with Windows paths as WinRAR writes them. */
export function buildRar4(entries: RarEntrySpec[], opts: RarOptions = {}): Buffer {
  const archiveFlags = (opts.volume ? 0x0001 : 0) | (opts.solid ? 0x0008 : 0) | (opts.headerEncrypted ? 0x0080 : 0);
  const parts = [Buffer.from('Rar!\x1a\x07\x00', 'latin1'), block4(0x73, archiveFlags, Buffer.alloc(6))];
  for (const spec of entries) {
    const dir = spec.name.endsWith('/');
    const path = spec.name.replace(/\/+$/, '').replace(/\//g, '\\');
    const data = dir ? Buffer.alloc(0) : bytesOf(spec.content);
    const { bytes, unicode } = name4(spec, path);
    const flags = 0x8000 | (dir ? 0x00e0 : 0) | (unicode ? 0x0200 : 0) | (spec.encrypted ? 0x0004 : 0) | (opts.solid && parts.length > 2 ? 0x0010 : 0);
    const fields = Buffer.alloc(25);
    fields.writeUInt32LE(data.length, 0); // PACK_SIZE
    fields.writeUInt32LE(spec.declaredSize ?? data.length, 4); // UNP_SIZE
    fields.writeUInt8(HOST_WIN32, 8);
    fields.writeUInt32LE(crc32(data), 9); // FILE_CRC
    fields.writeUInt32LE(DOS_TIME, 13);
    fields.writeUInt8(29, 17); // UNP_VER 2.9
    fields.writeUInt8(0x30, 18); // METHOD: store
    fields.writeUInt16LE(bytes.length, 19);
    fields.writeUInt32LE(dir ? ATTR_DIR : ATTR_FILE, 21);
    parts.push(block4(0x74, flags, Buffer.concat([fields, bytes])), data);
  }
  parts.push(block4(0x7b, 0x4000, Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** RAR5 variable-length integer: 7 bits per byte, high bit = more bytes follow. */
function vint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

/** A RAR5 header: CRC32 (of size + body), header size, then type, flags and fields. */
function block5(body: Buffer): Buffer {
  const sized = Buffer.concat([vint(body.length), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(sized), 0);
  return Buffer.concat([crc, sized]);
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
};

/** A RAR 5.0 archive ("Rar!\x1a\x07\x01\x00", WinRAR 5 and later by default) of STORED entries, UTF-8 names. */
export function buildRar5(entries: RarEntrySpec[], opts: RarOptions = {}): Buffer {
  const archiveFlags = (opts.volume ? 0x0001 : 0) | (opts.solid ? 0x0004 : 0);
  const parts = [Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), block5(Buffer.concat([vint(1), vint(0), vint(archiveFlags)]))];
  for (const spec of entries) {
    const dir = spec.name.endsWith('/');
    const name = Buffer.from(spec.name.replace(/\/+$/, ''), 'utf8');
    const data = dir ? Buffer.alloc(0) : bytesOf(spec.content);
    const method = spec.claim ? (spec.claim.method << 7) | (spec.claim.dictionaryBits << 10) : dir ? 0 : 2 << 10; // store, 512 KB
    const compression = (opts.solid && parts.length > 2 ? 0x40 : 0) | method;
    const body = Buffer.concat([
      vint(2),
      vint(0x02),
      vint(data.length), // file header with a data area
      vint(dir ? 0x01 : 0x04),
      vint(spec.declaredSize ?? data.length),
      vint(dir ? ATTR_DIR : ATTR_FILE),
      ...(dir ? [] : [u32(crc32(data))]),
      vint(compression),
      vint(0),
      vint(name.length),
      name,
    ]);
    parts.push(block5(body), data);
  }
  parts.push(block5(Buffer.concat([vint(5), vint(0), vint(0)])));
  return Buffer.concat(parts);
}

/**
 * A real RAR5 archive (made by RAR, stored entries): payload/inner.zip (a ZIP holding
 * THIS_IS_INSIDE_THE_ZIP.txt), payload/real_after.txt ("i am a real rar entry") and the payload folder.
 * From libarchive, libarchive/test/test_read_format_rar5_zip_in_rar.rar.uu (BSD-2-Clause), uudecoded.
 */
export const RAR5_ZIP_IN_RAR = Buffer.from(
  'UmFyIRoHAQAzkrXlCgEFBgAFAQGAgACIP8gmLQIDC6UBBKUBIC7hcYWAAAARcGF5bG9hZC9pbm5lci56aXAKAwKvYq+zSzHdAVBLAwQUAAAACAA4iBVd'
    + '+j2XNg8AAAANAAAAGgAAAFRISVNfSVNfSU5TSURFX1RIRV9aSVAudHh0y8zLSy1SSM7PK0nNKwEAUEsBAhQAFAAAAAgAOIgVXfo9lzYPAAAADQAAABoA'
    + 'AAAAAAAAAAAAAAAAAAAAAFRISVNfSVNfSU5TSURFX1RIRV9aSVAudHh0UEsFBgAAAAABAAEASAAAAEcAAAAAAAPY4VkyAgMLlQAElQAgLqZN9oAAABZw'
    + 'YXlsb2FkL3JlYWxfYWZ0ZXIudHh0CgMCvNivs0sx3QFpIGFtIGEgcmVhbCByYXIgZW50cnntpSijHQIDCwABABCAAAAHcGF5bG9hZAoDAvvEr7NLMd0B'
    + 'HXdWUQMFBAA=',
  'base64',
);

/**
 * Real WinRAR archives, compressed ("Best"), of the same two files: testfile.jpg (220 bytes) and testfile.png
 * (87 bytes). RAR4 non-solid and RAR5 solid. CC0, from ssokolow/rar-test-files, as base64 copies embedded in a
 * public C++ test (rar_test_fixtures).
 */
export const RAR4_WINRAR_BEST = Buffer.from(
  'UmFyIRoHAM+QcwAADQAAAAAAAAAMJXQggCwAtgAAANwAAAAAbLFw2gAAISodNQwAIAAAAHRlc3RmaWxlLmpwZ+cYFf7V/ydkeNQh1MKmm6OAexVPlvVH'
    + 'rzqPE5mVHC08ghs85LfafCcldrlGYJPnjkgNzK9t4fZEpePKwmfeq9nqNRVssG8auWw3ppmChio3P4QobbIIu+aDvAnlNhtw7eU/yPyMBuPEssZjwTeh'
    + 'sh4DZgC5HXWGFUVxgDrn+6KnVDXP/2B26ds102b/eZa5elob/BycnuXvN92AXobBxHJ4Ebq+7rCITbK7Lz6UAAC/iGf2qf/UUW50IIAsAFQAAABXAAAA'
    + 'AGKssK8AACEqHTUMACAAAAB0ZXN0ZmlsZS5wbmenGIjF+7VC0fPe1feyyXAlT4G/SVtSdAyd7pMHsE3FAkIqbrYBRgyQp7m1pxzv+HOHpfwCaeA8jA41'
    + 'QCxmUCvsyGsqR5gONgQCwAAAAL+IZ/ap/9TEPXsAQAcA',
  'base64',
);
export const RAR5_WINRAR_SOLID = Buffer.from(
  'UmFyIRoHAQAgtvoRCgEFBgQFAQGAgABGxEvRIgIC7AEG3AG2gwLQDlA6bLFw2oAdAQx0ZXN0ZmlsZS5qcGfEd+knZURDL1cESsmZlt5eZkl3MRgQQeEo'
    + 'IogjHMi4iQxSamImCiDodCCCpNi6ngLqQdS7HgaCC8AQkBkf4GbXU7HUlgpKq9U4xd3X8X6vV6q5NXxRVUVRXjx99r/cXXeXgBOrXlrg00AD4nL9g0gb'
    + 'oM4x7f/OGc/s5jOmeOhAs88iClAh+i+MsKoaNJKVJEKnFTTEU6V+APnCgPRW1Cp5BjsXcKchclIjOiTFpCWOPHE4w3y/USMoaAZVup59/47829uo/75x'
    + 'uLM6r21duXLv12+PPaNn+mzuZfHV4bW90jvgcDrkc2upUX2u+NMc19ciAgK+AAbXALaDAtAOUDpirLCvwB0BDHRlc3RmaWxlLnBuZ0UkO+iaxpwoqoJa'
    + 'hl1I9hipjHbJ8m/+5BQNNrWZCita+y/1/BSwSx6Nnla3Z53KxfQbzcHIy4CWSxH3Vp+YHXdWUQMFBAA=',
  'base64',
);

/** Damage: flips bytes inside the stored `data` of one entry (its CRC no longer matches). */
export function corruptRarData(rar: Buffer, data: Buffer): Buffer {
  const out = Buffer.from(rar);
  const at = out.indexOf(data);
  if (at < 0) throw new Error('entry data not found in the archive');
  for (let i = 0; i < Math.min(8, data.length); i++) out[at + i] ^= 0xa5;
  return out;
}
