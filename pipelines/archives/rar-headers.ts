// Reads RAR headers in plain JS, before unrar sees the archive: counting a million entries through unrar takes
// seconds, and RAR5 lets an archive ask for a dictionary of up to 4 GB that unrar allocates before unpacking a
// byte (1 GB of WebAssembly memory from a 300-byte attachment, never given back). Leaves out encrypted headers.
import { crc32 } from 'node:zlib';

const RAR4 = Buffer.from('Rar!\x1a\x07\x00', 'latin1');
const RAR5 = Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1');
/** RAR5 dictionaries are 128 KB << N (N in bits 10–13 of the compression information). */
const MIN_WINDOW = 0x20000;
const HEAD_MAIN = 1;
const HEAD_FILE = 2;
const HEAD_SERVICE = 3;
const HEAD_CRYPT = 4;
const HEAD_END = 5;

export type WindowCheck = { ok: true; bytes: Buffer } | { ok: false; window: number };

interface Vint {
  value: number;
  next: number;
}

/** RAR5 variable-length integer (7 bits a byte, high bit = more follow); undefined past the end. */
function vint(buf: Buffer, at: number, end: number): Vint | undefined {
  let value = 0;
  for (let i = 0; i < 10 && at + i < end; i++) {
    const b = buf[at + i];
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, next: at + i + 1 };
  }
  return undefined;
}

/** The same number in exactly `length` bytes (unrar reads redundant high groups as zeros). */
function writeVint(buf: Buffer, at: number, value: number, length: number): void {
  for (let i = 0; i < length; i++) {
    const group = Math.floor(value / 2 ** (7 * i)) & 0x7f;
    buf[at + i] = group | (i < length - 1 ? 0x80 : 0);
  }
}

interface Packed {
  crcAt: number;
  headerAt: number;
  end: number;
  infoAt: number;
  infoEnd: number;
  info: number;
  unpSize: number;
}

/** RAR5 file headers, compressed file and service headers, and whether the archive is solid; stops at what it cannot read. */
function scan5(rar: Buffer, stopAt = Infinity): { files: number; packed: Packed[]; solid: boolean; total: number } {
  const packed: Packed[] = [];
  let files = 0;
  let solid = false;
  let total = 0;
  let pos = RAR5.length;
  while (pos + 5 <= rar.length && files <= stopAt) {
    const size = vint(rar, pos + 4, rar.length);
    if (!size) break;
    const end = size.next + size.value;
    if (end > rar.length) break;
    const type = vint(rar, size.next, end);
    const flags = type && vint(rar, type.next, end);
    if (!type || !flags) break;
    let at = flags.next;
    if (flags.value & 0x01) at = vint(rar, at, end)?.next ?? end; // extra area size
    const data = flags.value & 0x02 ? vint(rar, at, end) : { value: 0, next: at };
    if (!data) break;
    at = data.next;
    if (type.value === HEAD_CRYPT || type.value === HEAD_END) break;
    if (type.value === HEAD_MAIN) solid = ((vint(rar, at, end)?.value ?? 0) & 0x04) !== 0;
    if (type.value === HEAD_FILE || type.value === HEAD_SERVICE) {
      const fileFlags = vint(rar, at, end);
      const unp = fileFlags && vint(rar, fileFlags.next, end);
      const attrs = unp && vint(rar, unp.next, end);
      if (!fileFlags || !unp || !attrs) break;
      const unpSize = fileFlags.value & 0x08 ? Infinity : unp.value; // 0x08: size unknown
      const infoAt = attrs.next + (fileFlags.value & 0x02 ? 4 : 0) + (fileFlags.value & 0x04 ? 4 : 0);
      const info = vint(rar, infoAt, end);
      if (!info) break;
      if (type.value === HEAD_FILE) {
        files += 1;
        total += unpSize;
      }
      if ((info.value >> 7) & 0x07) {
        packed.push({ crcAt: pos, headerAt: pos + 4, end, infoAt, infoEnd: info.next, info: info.value, unpSize });
      }
    }
    pos = end + data.value;
  }
  return { files, packed, solid, total };
}

/** RAR 1.5–4.x blocks: HEAD_CRC, HEAD_TYPE, HEAD_FLAGS, HEAD_SIZE, then ADD_SIZE (a file's PACK_SIZE) when present. */
function count4(rar: Buffer, stopAt: number): number {
  let files = 0;
  let pos = RAR4.length;
  while (pos + 7 <= rar.length && files <= stopAt) {
    const type = rar[pos + 2];
    const flags = rar.readUInt16LE(pos + 3);
    const size = rar.readUInt16LE(pos + 5);
    if (size < 7 || (type === 0x73 && flags & 0x0080) || type === 0x7b) break; // bad block, encrypted headers, end
    let add = 0;
    if ((flags & 0x8000 || type === 0x74) && pos + 11 <= rar.length) add = rar.readUInt32LE(pos + 7);
    if (type === 0x74 && flags & 0x0100 && pos + 36 <= rar.length) add += rar.readUInt32LE(pos + 32) * 2 ** 32;
    if (type === 0x74) files += 1;
    pos += size + add;
  }
  return files;
}

/** File entries counted from the headers, at most stopAt + 1 (enough to know a limit is passed); 0 when unknown. */
export function countRarEntries(rar: Buffer, stopAt: number): number {
  if (rar.subarray(0, RAR4.length).equals(RAR4)) return count4(rar, stopAt);
  if (rar.subarray(0, RAR5.length).equals(RAR5)) return scan5(rar, stopAt).files;
  return 0;
}

/** Smallest N with 128 KB << N ≥ bytes (16 when no RAR5 dictionary is that large). */
function windowBits(bytes: number): number {
  let n = 0;
  while (n < 16 && MIN_WINDOW * 2 ** n < bytes) n++;
  return n;
}

/**
 * A window never needs to exceed the bytes it will hold: one entry's size, or the whole solid stream's.
 * Returns the archive with smaller dictionaries written in (header CRCs redone), or the window it would
 * still need when that is above maxWindow.
 */
export function capRar5Window(rar: Buffer, maxWindow: number): WindowCheck {
  if (!rar.subarray(0, RAR5.length).equals(RAR5)) return { ok: true, bytes: rar };
  const { packed, solid, total } = scan5(rar);
  let out = rar;
  for (const p of packed) {
    if ((p.info & 0x3f) !== 0) continue; // not RAR 5.0 compression: unrar refuses it before allocating
    const declared = (p.info >> 10) & 0x0f;
    const bits = Math.min(declared, windowBits(solid ? Math.max(total, p.unpSize) : p.unpSize));
    const window = MIN_WINDOW * 2 ** bits;
    if (window > maxWindow) return { ok: false, window };
    if (bits === declared) continue;
    if (out === rar) out = Buffer.from(rar);
    writeVint(out, p.infoAt, (p.info & ~(0x0f << 10)) | (bits << 10), p.infoEnd - p.infoAt);
    out.writeUInt32LE(crc32(out.subarray(p.headerAt, p.end)), p.crcAt);
  }
  return { ok: true, bytes: out };
}
