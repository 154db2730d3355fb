// Unpacks RAR 4 and RAR 5 attachments (WinRAR is what many provincial offices compress with) with the same
// limits, names and folders as ZIPs: declared sizes are checked before a byte is unpacked, actual sizes after.
// Leaves out multi-volume sets, passwords and RAR5 dictionaries over 64 MB: kept as problems with a Thai detail.
import type { Extractor, FileHeader } from 'node-unrar-js';

/** Loaded with the first RAR (about 4 MB a process need not carry when none comes). */
let unrar: typeof import('node-unrar-js') | undefined;
const isUnrarError = (err: unknown): err is InstanceType<typeof import('node-unrar-js').UnrarError> => unrar !== undefined && err instanceof unrar.UnrarError;
import type { ExtractedFile } from '../types.ts';
import { addEntry, ArchiveFailure, decodeLegacyName, entryData, entryFile, entryPath, RATIO_FLOOR, withProblem, type Walk } from './archive-entry.ts';
import { capRar5Window, countRarEntries } from './rar-headers.ts';

const RAR4_MAGIC = Buffer.from('Rar!\x1a\x07\x00', 'latin1');
const RAR5_MAGIC = Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1');
const RAR_TYPES = /^application\/(vnd\.rar|x-rar|x-rar-compressed)$/i;
/** Largest dictionary unrar may allocate (its WebAssembly memory never shrinks); WinRAR's default is 32 MB. */
const MAX_WINDOW = 64 * 1024 * 1024;
/** A damaged entry ends unrar's pass; a non-solid archive is read again past it at most this many times. */
const MAX_RESTARTS = 8;

const AGAIN = 'หรือแนบไฟล์ PDF โดยตรง';
const listed = (names: string[]): string => names.slice(0, 5).join(', ') + (names.length > 5 ? ` และอีก ${names.length - 5} ไฟล์` : '');
const THAI = {
  corrupt: `ไฟล์ RAR เสียหาย เปิดไม่ได้ กรุณาบีบอัดใหม่ ${AGAIN}`,
  broken: (names: string[]) => `ไฟล์ RAR เสียหายบางส่วน อ่านไฟล์ข้างในไม่ได้ (${listed(names)}) กรุณาบีบอัดใหม่ ${AGAIN}`,
  locked: `ไฟล์ RAR ตั้งรหัสผ่านไว้ ระบบเปิดไม่ได้ กรุณาบีบอัดใหม่โดยไม่ตั้งรหัสผ่าน ${AGAIN}`,
  encrypted: (names: string[]) => `ไฟล์ในไฟล์ RAR ตั้งรหัสผ่านไว้ (${listed(names)}) ระบบเปิดไม่ได้ กรุณาบีบอัดใหม่โดยไม่ตั้งรหัสผ่าน ${AGAIN}`,
  volume: 'ไฟล์ RAR ที่แบ่งเป็นหลายส่วน (เช่น .part1.rar, .part2.rar) ระบบเปิดไม่ได้ '
    + `กรุณาบีบอัดใหม่เป็นไฟล์เดียวโดยไม่แบ่งไฟล์ ${AGAIN}`,
  window: (bytes: number) =>
    `ไฟล์ RAR บีบอัดด้วยพจนานุกรมขนาดใหญ่ (${Math.round(bytes / 2 ** 20)} MB) ระบบเปิดไม่ได้ `
    + `กรุณาบีบอัดใหม่ด้วยค่าปกติหรือเป็นไฟล์ ZIP ${AGAIN}`,
};

export function isRarMagic(content: Buffer): boolean {
  return content.subarray(0, 7).equals(RAR4_MAGIC) || content.subarray(0, 8).equals(RAR5_MAGIC);
}

export function isRar(content: Buffer, name: string, contentType: string): boolean {
  return isRarMagic(content) || /\.rar$/i.test(name) || RAR_TYPES.test(contentType);
}

/**
 * RAR4 names without the Unicode flag are OEM bytes (cp874 on Thai Windows). unrar's Unix build reads them as
 * UTF-8 where it can, and from the first byte it cannot it inserts U+FFFE and maps such bytes to U+E000 + byte:
 * undo both and decode the bytes as ZIP names are. RAR5 and Unicode names pass as they are.
 */
export function rarEntryName(name: string): string {
  const mark = name.indexOf('\ufffe');
  if (mark < 0) return name;
  const bytes: number[] = [];
  for (const ch of name.slice(0, mark) + name.slice(mark + 1)) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xe080 && code <= 0xe0ff) bytes.push(code - 0xe000);
    else bytes.push(...Buffer.from(ch, 'utf8'));
  }
  return decodeLegacyName(Buffer.from(bytes));
}

interface Wanted {
  header: FileHeader;
  path: { name: string; folders: string[] };
}
interface Read {
  files: Array<{ path: Wanted['path']; content: Buffer }>;
  encrypted: string[];
  broken: string[];
}

function failureOf(err: unknown): ArchiveFailure {
  if (err instanceof ArchiveFailure) return err;
  const reason = isUnrarError(err) ? err.reason : '';
  if (reason === 'ERAR_MISSING_PASSWORD' || reason === 'ERAR_BAD_PASSWORD') return new ArchiveFailure('zip-encrypted', THAI.locked);
  return new ArchiveFailure('zip-corrupt', THAI.corrupt);
}

/**
 * Every header, checked against the limits before anything is unpacked. The header iterator is always run
 * to its end (unrar frees the archive only there); entries past maxZipEntries are counted, not kept.
 */
function list(extractor: Extractor<Uint8Array>, rar: ExtractedFile, walk: Walk): { wanted: Map<number, Wanted>; encrypted: string[]; solid: boolean } {
  const { limits, budget } = walk;
  const wanted = new Map<number, Wanted>();
  const encrypted: string[] = [];
  let count = 0;
  let declared = 0;
  let tooRatio = false;
  let arc: ReturnType<Extractor<Uint8Array>['getFileList']>;
  try {
    arc = extractor.getFileList();
    for (const header of arc.fileHeaders) {
      const index = count++;
      if (budget.entries + count > limits.maxZipEntries || header.flags.directory) continue;
      const path = entryPath(rarEntryName(header.name), walk.folders, limits.maxNameLength);
      if (!path) continue;
      if (header.flags.encrypted) {
        encrypted.push(path.name);
        continue;
      }
      declared += header.unpSize;
      if (header.unpSize > RATIO_FLOOR && header.unpSize > Math.max(header.packSize, 1) * limits.maxZipRatio) tooRatio = true;
      wanted.set(index, { header, path });
    }
  } catch (err) {
    throw failureOf(err);
  }
  const { solid, volume } = arc.arcHeader.flags;
  if (volume) throw new ArchiveFailure('unsupported-type', THAI.volume);
  if (count === 0) throw new ArchiveFailure('zip-corrupt', THAI.corrupt);
  budget.entries += count;
  if (budget.entries > limits.maxZipEntries) throw new ArchiveFailure('zip-bomb', `more than ${limits.maxZipEntries} entries`, true);
  if (budget.bytes + declared > limits.maxZipTotalBytes) {
    throw new ArchiveFailure('zip-bomb', `declares ${declared} unpacked bytes, beyond ${limits.maxZipTotalBytes}`, true);
  }
  // Entries of a solid archive share one dictionary: a repeated scan packs to almost nothing, so the ratio is the archive's.
  if (solid ? declared > RATIO_FLOOR && declared > Math.max(rar.size, 1) * limits.maxZipRatio : tooRatio) {
    throw new ArchiveFailure('zip-bomb', `declares more than ${limits.maxZipRatio}:1 expansion`);
  }
  return { wanted, encrypted, solid };
}

/**
 * node-unrar-js 2.0.2 files each unpacked entry under the name unrar writes to ("../x.pdf" becomes "x.pdf"),
 * looks it up under the header's name (a crash when they differ) and keeps every entry until the end. One slot,
 * replaced by each entry unrar creates, fixes both; `created` tells whether the entry just read was written at all.
 */
function oneSlot(extractor: Extractor<Uint8Array>): { created: () => boolean } {
  const inner = extractor as unknown as { create(name: string): number; getExtractedFileName(name: string): string };
  const create = inner.create.bind(inner);
  let created = false;
  inner.getExtractedFileName = () => '*entry*';
  inner.create = (name) => {
    created = true;
    return create(name);
  };
  inner.create('');
  created = false;
  return { created: () => {
    const was = created;
    created = false;
    return was;
  } };
}

/** One entry at a time, in archive order; a damaged entry is noted and (non-solid) the pass restarts past it. */
function unpack(extractor: Extractor<Uint8Array>, wanted: Map<number, Wanted>, solid: boolean, walk: Walk): Omit<Read, 'encrypted'> {
  const { limits, budget } = walk;
  const slot = oneSlot(extractor);
  const files: Read['files'] = [];
  const broken: string[] = [];
  const done = new Set<number>();
  let failure: ArchiveFailure | undefined;
  for (let pass = 0; pass <= MAX_RESTARTS; pass++) {
    let index = -1;
    let picked = -1;
    // After a failure nothing more is picked, so the iterator still runs to its end and unrar frees the archive.
    const pick = (): boolean => {
      index += 1;
      const take = !failure && wanted.has(index) && !done.has(index);
      if (take) picked = index;
      return take;
    };
    try {
      for (const file of extractor.extract({ files: pick }).files) {
        const entry = wanted.get(picked) as Wanted;
        done.add(picked);
        const bytes = file.extraction ?? new Uint8Array(0);
        const content = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        if (failure) continue;
        if (!slot.created() || content.length !== entry.header.unpSize) {
          broken.push(entry.path.name);
          continue;
        }
        budget.bytes += content.length;
        if (budget.bytes > limits.maxZipTotalBytes) {
          budget.exhausted = true;
          failure = new ArchiveFailure('zip-bomb', `expands beyond ${limits.maxZipTotalBytes} bytes`, true);
          continue;
        }
        files.push({ path: entry.path, content });
      }
      break;
    } catch (err) {
      if (failure) break;
      const at = wanted.get(picked);
      const restart = isUnrarError(err) && !solid && picked === index && at && !done.has(picked) && pass < MAX_RESTARTS;
      if (at && !done.has(picked)) {
        done.add(picked);
        broken.push(at.path.name);
      }
      if (!restart) {
        for (const [i, w] of wanted) if (!done.has(i)) broken.push(w.path.name);
        break;
      }
    }
  }
  if (failure) throw failure;
  return { files, broken };
}

let queue: Promise<unknown> = Promise.resolve();
/** node-unrar-js sends every archive's reads through one module-wide "current extractor": one archive at a time. */
function serially<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The first call loads unrar's WebAssembly, whose Emscripten glue adds process handlers that rethrow every
 * uncaught error and rejection: whether the process dies is the workers' decision, so they are taken off again.
 */
async function extractorOf(bytes: Buffer): Promise<Extractor<Uint8Array>> {
  const uncaught = process.listeners('uncaughtException');
  const rejection = process.listeners('unhandledRejection');
  unrar ??= await import('node-unrar-js');
  const extractor = await unrar.createExtractorFromData({ data: new Uint8Array(bytes).buffer });
  for (const l of process.listeners('uncaughtException')) if (!uncaught.includes(l)) process.off('uncaughtException', l);
  for (const l of process.listeners('unhandledRejection')) if (!rejection.includes(l)) process.off('unhandledRejection', l);
  return extractor;
}

async function read(rar: ExtractedFile, bytes: Buffer, walk: Walk): Promise<Read> {
  const extractor = await extractorOf(bytes);
  // From here to the return nothing awaits: no other archive can take unrar's "current extractor" meanwhile.
  const { wanted, encrypted, solid } = list(extractor, rar, walk);
  return { ...unpack(extractor, wanted, solid, walk), encrypted };
}

/** The files inside a RAR (entries that are archives unpacked through walk.nested), then its problems if any. */
export async function extractRar(rar: ExtractedFile, walk: Walk): Promise<ExtractedFile[]> {
  const { limits, budget } = walk;
  // unrar reads the archive from memory: one archive at a time (serially), bounded by the message size.
  const bytes = await rar.body.bytes();
  if (budget.entries + countRarEntries(bytes, limits.maxZipEntries) > limits.maxZipEntries) {
    throw new ArchiveFailure('zip-bomb', `more than ${limits.maxZipEntries} entries`, true);
  }
  const window = capRar5Window(bytes, MAX_WINDOW);
  if (!window.ok) throw new ArchiveFailure('unsupported-type', THAI.window(window.window));
  const found = await serially(() => read(rar, window.bytes, walk));
  const out: ExtractedFile[] = [];
  for (const [i, f] of found.files.entries()) {
    found.files[i] = { path: f.path, content: Buffer.alloc(0) }; // each entry leaves memory once in the sink
    await addEntry(out, entryFile(f.path, await entryData(f.content, limits, walk.sink), walk.container), walk);
  }
  if (found.broken.length > 0) out.push(withProblem(rar, 'zip-corrupt', THAI.broken(found.broken)));
  else if (found.encrypted.length > 0) out.push(withProblem(rar, 'zip-encrypted', THAI.encrypted(found.encrypted)));
  if (out.length === 0) out.push(withProblem(rar, 'empty-file', 'RAR holds no files'));
  return out;
}
