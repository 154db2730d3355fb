// Unpacks 7z attachments (7-Zip is the other free archiver offices use) with the same limits, names and folders
// as ZIP and RAR: the listing's declared sizes are checked before anything is unpacked, sizes and CRCs after.
// Leaves out passwords (entries or headers) and multi-volume sets: kept as problems with a Thai detail.
import { crc32 } from 'node:zlib';
import type { SevenZipModule } from '7z-wasm';

/**
 * Loaded with the first 7z (about 9 MB a process need not carry when none comes). The package is CommonJS: Node's
 * default import is module.exports, which also carries itself as `.default` (the only form its typings describe).
 */
const loadSevenZip = async () => (await import('7z-wasm')).default.default;
import type { ExtractedFile } from '../types.ts';
import { addEntry, ArchiveFailure, entryData, entryFile, entryPath, RATIO_FLOOR, withProblem, type EntryData, type Walk } from './archive-entry.ts';

const MAGIC = Buffer.from('377abcaf271c', 'hex');
const SEVEN_Z_TYPES = /^application\/(x-7z-compressed|x-7z)$/i;
/** 7-Zip asks for a password on the terminal when it has none: it always gets this one, which opens nothing. */
const NO_PASSWORD = '-pseis-intake-no-password';
/** The 7z AES-256 coder id, as it appears in an encrypted header's coder list. */
const AES_CODER = Buffer.from('06f10701', 'hex');

const AGAIN = 'หรือแนบไฟล์ PDF โดยตรง';
const listed = (names: string[]): string => names.slice(0, 5).join(', ') + (names.length > 5 ? ` และอีก ${names.length - 5} ไฟล์` : '');
const THAI = {
  corrupt: `ไฟล์ 7z เสียหาย เปิดไม่ได้ กรุณาบีบอัดใหม่ ${AGAIN}`,
  broken: (names: string[]) => `ไฟล์ 7z เสียหายบางส่วน อ่านไฟล์ข้างในไม่ได้ (${listed(names)}) กรุณาบีบอัดใหม่ ${AGAIN}`,
  locked: `ไฟล์ 7z ตั้งรหัสผ่านไว้ ระบบเปิดไม่ได้ กรุณาบีบอัดใหม่โดยไม่ตั้งรหัสผ่าน ${AGAIN}`,
  encrypted: (names: string[]) => `ไฟล์ในไฟล์ 7z ตั้งรหัสผ่านไว้ (${listed(names)}) ระบบเปิดไม่ได้ กรุณาบีบอัดใหม่โดยไม่ตั้งรหัสผ่าน ${AGAIN}`,
  volume: `ไฟล์ 7z ที่แบ่งเป็นหลายส่วน (เช่น .7z.001, .7z.002) ระบบเปิดไม่ได้ กรุณาบีบอัดใหม่เป็นไฟล์เดียวโดยไม่แบ่งไฟล์ ${AGAIN}`,
};

export const is7zMagic = (content: Buffer): boolean => content.subarray(0, 6).equals(MAGIC);

export function is7z(content: Buffer, name: string, contentType: string): boolean {
  return is7zMagic(content) || /\.7z(\.0*1)?$/i.test(name) || SEVEN_Z_TYPES.test(contentType);
}

/** `-mhe=on`: the header itself is AES-encrypted, so not even the names can be listed without the password. */
function headerEncrypted(content: Buffer): boolean {
  if (content.length < 32) return false;
  const offset = 32 + Number(content.readBigUInt64LE(12));
  const size = Number(content.readBigUInt64LE(20));
  if (offset >= content.length || size > 1 << 20) return false;
  const header = content.subarray(offset, Math.min(content.length, offset + size));
  return header[0] === 0x17 && header.includes(AES_CODER); // kEncodedHeader coded with 7zAES
}

interface Listed {
  path: string;
  size: number;
  packed: number;
  dir: boolean;
  encrypted: boolean;
  crc?: number;
  block: string;
}

/** `7z l -slt` output: "Key = Value" lines, one blank-line-separated group per entry after the "----------" line. */
export function parseListing(lines: string[]): { solid: boolean; entries: Listed[] } {
  const start = lines.indexOf('----------');
  const head = start < 0 ? lines : lines.slice(0, start);
  const solid = head.some((l) => l === 'Solid = +');
  const entries: Listed[] = [];
  let current: Record<string, string> | undefined;
  const flush = (): void => {
    if (!current || current.Path === undefined) return;
    entries.push({
      path: current.Path,
      size: Number(current.Size) || 0,
      packed: Number(current['Packed Size']) || 0,
      dir: /^D/.test(current.Attributes ?? '') || current.Folder === '+',
      encrypted: current.Encrypted === '+',
      ...(/^[0-9A-F]{8}$/i.test(current.CRC ?? '') ? { crc: parseInt(current.CRC, 16) } : {}),
      block: current.Block ?? '',
    });
  };
  for (const line of start < 0 ? [] : lines.slice(start + 1)) {
    const kv = /^([A-Za-z ]+?) = ?(.*)$/.exec(line);
    if (!kv) {
      if (line === '') {
        flush();
        current = undefined;
      }
      continue;
    }
    if (kv[1] === 'Path') {
      flush();
      current = {};
    }
    if (current) current[kv[1]] = kv[2];
  }
  flush();
  return { solid, entries };
}

/** Checks the listing against the limits; the entries to unpack by path. */
function plan(listing: { solid: boolean; entries: Listed[] }, archiveBytes: number, walk: Walk): Map<string, Listed> {
  const { limits, budget } = walk;
  const files = listing.entries.filter((e) => !e.dir);
  budget.entries += listing.entries.length;
  if (budget.entries > limits.maxZipEntries) throw new ArchiveFailure('zip-bomb', `more than ${limits.maxZipEntries} entries`, true);
  const declared = files.filter((e) => !e.encrypted).reduce((sum, e) => sum + e.size, 0);
  if (budget.bytes + declared > limits.maxZipTotalBytes) {
    throw new ArchiveFailure('zip-bomb', `declares ${declared} unpacked bytes, beyond ${limits.maxZipTotalBytes}`, true);
  }
  // Entries of one block share one compressed stream whose packed size is listed on the block's first entry.
  const blocks = new Map<string, { size: number; packed: number }>();
  for (const e of files) {
    const key = e.block || `entry:${e.path}`;
    const b = blocks.get(key) ?? { size: 0, packed: 0 };
    blocks.set(key, { size: b.size + e.size, packed: b.packed + e.packed });
  }
  const tooRatio = (b: { size: number; packed: number }) => b.size > RATIO_FLOOR && b.size > Math.max(b.packed, 1) * limits.maxZipRatio;
  if ([...blocks.values()].some(tooRatio) || tooRatio({ size: declared, packed: archiveBytes })) {
    throw new ArchiveFailure('zip-bomb', `declares more than ${limits.maxZipRatio}:1 expansion`);
  }
  return new Map(files.map((e) => [e.path, e]));
}

/**
 * Runs 7-Zip's command line on its in-memory file system. It sets process.exitCode as a program would, and
 * throws (a bare number: a C++ exception) on archives it cannot parse: both stay in here.
 */
function run(module: SevenZipModule, out: string[], args: string[]): number | 'crashed' {
  const exitCode = process.exitCode;
  out.length = 0;
  try {
    return module.callMain(['-bd', '-y', '-sccUTF-8', NO_PASSWORD, ...args]) as unknown as number ?? 0;
  } catch {
    return 'crashed';
  } finally {
    process.exitCode = exitCode;
  }
}

/** Every regular file below `dir` in the module's memory, as archive paths. */
function walkFiles(module: SevenZipModule, dir: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const name of module.FS.readdir(dir)) {
    if (name === '.' || name === '..') continue;
    const full = `${dir}/${name}`;
    const rel = prefix ? `${prefix}/${name}` : name;
    const mode = module.FS.lstat(full).mode;
    if (module.FS.isDir(mode)) found.push(...walkFiles(module, full, rel));
    else if (module.FS.isFile(mode)) found.push(rel);
  }
  return found;
}

interface Read {
  files: Array<{ path: string; data: EntryData }>;
  encrypted: string[];
  broken: string[];
}

async function read(archive: ExtractedFile, content: Buffer, walk: Walk): Promise<Read> {
  const out: string[] = [];
  // A fresh instance per archive: its memory (which never shrinks) goes with it, and no state is shared.
  const module = await (await loadSevenZip())({ print: (line: string) => out.push(line), printErr: () => undefined });
  module.FS.writeFile('/archive.7z', content);
  if (run(module, out, ['l', '-slt', '/archive.7z']) !== 0) throw new ArchiveFailure('zip-corrupt', THAI.corrupt);
  const wanted = plan(parseListing(out), archive.size, walk);
  const encrypted = [...wanted.values()].filter((e) => e.encrypted).map((e) => e.path);
  const result: Read = { files: [], encrypted, broken: [] };
  if (encrypted.length === wanted.size) return result; // nothing readable (or an empty archive)
  module.FS.mkdir('/out');
  const code = run(module, out, ['x', '-o/out', '/archive.7z']);
  const seen = new Set<string>();
  for (const path of code === 'crashed' ? [] : walkFiles(module, '/out')) {
    const listedEntry = wanted.get(path);
    if (listedEntry?.encrypted) continue;
    seen.add(path);
    const bytes = module.FS.readFile(`/out/${path}`);
    const entry = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    module.FS.unlink(`/out/${path}`);
    // 7-Zip renames what a file system cannot hold; such an entry is kept without a listing to check it against.
    if (listedEntry && (entry.length !== listedEntry.size || (listedEntry.crc !== undefined && crc32(entry) !== listedEntry.crc))) {
      result.broken.push(path);
      continue;
    }
    walk.budget.bytes += entry.length;
    if (walk.budget.bytes > walk.limits.maxZipTotalBytes) {
      walk.budget.exhausted = true;
      throw new ArchiveFailure('zip-bomb', `expands beyond ${walk.limits.maxZipTotalBytes} bytes`, true);
    }
    result.files.push({ path, data: await entryData(entry, walk.limits, walk.sink) });
  }
  if (code !== 0) {
    for (const e of wanted.values()) if (!e.encrypted && !seen.has(e.path) && !result.broken.includes(e.path)) result.broken.push(e.path);
  }
  return result;
}

/** The files inside a 7z (entries that are archives unpacked through walk.nested), then its problems if any. */
export async function extract7z(archive: ExtractedFile, walk: Walk): Promise<ExtractedFile[]> {
  if (/\.7z\.0*\d+$/i.test(archive.name)) throw new ArchiveFailure('unsupported-type', THAI.volume);
  if (!is7zMagic(archive.body.head)) throw new ArchiveFailure('zip-corrupt', THAI.corrupt);
  // 7-Zip reads the archive from its in-memory file system: the whole archive, bounded by the message size.
  const content = await archive.body.bytes();
  if (headerEncrypted(content)) throw new ArchiveFailure('zip-encrypted', THAI.locked);
  const found = await read(archive, content, walk);
  const out: ExtractedFile[] = [];
  for (const f of found.files) {
    const path = entryPath(f.path, walk.folders, walk.limits.maxNameLength);
    if (path) await addEntry(out, entryFile(path, f.data, walk.container), walk);
  }
  if (found.broken.length > 0) out.push(withProblem(archive, 'zip-corrupt', THAI.broken(found.broken)));
  else if (found.encrypted.length > 0) out.push(withProblem(archive, 'zip-encrypted', THAI.encrypted(found.encrypted)));
  if (out.length === 0) out.push(withProblem(archive, 'empty-file', '7z holds no files'));
  return out;
}
