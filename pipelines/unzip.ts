// Unpacks ZIP attachments into files, counting the bytes actually inflated (headers lie in bombs).
// Leaves out RAR/7z and encrypted entries: those are kept as problems for the sender to fix.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import type { AppConfig } from '../config/schema.ts';
import type { ExtractedFile, FileProblemCode } from './types.ts';
import { safeFileName } from './safe-name.ts';

export type ZipLimits = AppConfig['limits'];

/** Below this many inflated bytes a high ratio is harmless (a blank form, a text file). */
const RATIO_FLOOR = 1024 * 1024;
/** Formats that are ZIPs inside but documents to the sender: never unpacked. */
const ZIP_DOCUMENTS = /\.(docx|docm|xlsx|xlsm|pptx|pptm|odt|ods|odp|epub|jar|apk|ipa|xps|oxps|vsdx|kmz|3mf)$/i;
const ZIP_TYPES = /^application\/(zip|x-zip|x-zip-compressed|x-compressed)$/i;
const JUNK = /^(__MACOSX|\.DS_Store|Thumbs\.db|desktop\.ini|\._.*|\.Spotlight-V100|\.Trashes)$/i;

export function isZip(content: Buffer, name: string, contentType: string): boolean {
  const magic = content.length >= 4 && content.readUInt32LE(0) === 0x04034b50;
  if (ZIP_DOCUMENTS.test(name)) return false;
  return magic || /\.zip$/i.test(name) || ZIP_TYPES.test(contentType);
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function guessType(name: string, content: Buffer): string {
  const head = content.subarray(0, 8).toString('latin1');
  if (head.startsWith('%PDF')) return 'application/pdf';
  if (head.startsWith('\xff\xd8\xff')) return 'image/jpeg';
  if (head.startsWith('\x89PNG')) return 'image/png';
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const byExt: Record<string, string> = {
    pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif',
    tif: 'image/tiff', tiff: 'image/tiff', heic: 'image/heic', zip: 'application/zip',
    doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
  return byExt[ext] ?? 'application/octet-stream';
}

/** Info-ZIP Unicode Path extra field (0x7075): a UTF-8 name valid while its CRC matches the raw name. */
function unicodePathField(entry: yauzl.Entry, raw: Buffer): string | undefined {
  const field = entry.extraFields.find((f) => f.id === 0x7075);
  if (!field || field.data.length < 6 || field.data[0] !== 1) return undefined;
  return field.data.readUInt32LE(1) === crc32(raw) ? field.data.subarray(5).toString('utf8') : undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** What windows-874 can legitimately produce: ASCII, Thai, and its few punctuation extras. */
const THAI_PLAUSIBLE = /^[\x00-\x7f\u0e00-\u0e7f\u00a0\u20ac\u2026\u2018-\u201d\u2022\u2013\u2014]*$/;

/** Flag bit 11 → UTF-8; Unicode extra field; valid UTF-8 (macOS); windows-874 (Thai Windows); cp437 last. */
export function decodeEntryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  if (entry.generalPurposeBitFlag & 0x800) return raw.toString('utf8');
  const unicode = unicodePathField(entry, raw);
  if (unicode) return unicode;
  try {
    return strictUtf8.decode(raw);
  } catch {
    const thai = iconv.decode(raw, 'win874');
    // Thai Windows zippers write cp874; without a single Thai letter the name is more likely DOS cp437.
    return THAI_PLAUSIBLE.test(thai) && /[\u0e01-\u0e5b]/.test(thai) ? thai : iconv.decode(raw, 'cp437');
  }
}

class ZipFailure extends Error {
  constructor(readonly code: FileProblemCode, detail: string, readonly global = false) {
    super(detail);
  }
}

interface Budget { entries: number; bytes: number; exhausted: boolean }

function withProblem(file: ExtractedFile, code: FileProblemCode, detail?: string): ExtractedFile {
  return { ...file, problem: { code, detail } };
}

/**
 * The files inside a ZIP attachment (nested ZIPs unpacked as folders). When unpacking fails the ZIP
 * itself comes back with the problem, so it is kept and reported; encrypted or broken entries add
 * the ZIP once with the problem next to the entries that could be read.
 */
export async function unzipFile(zip: ExtractedFile, limits: ZipLimits): Promise<ExtractedFile[]> {
  const budget: Budget = { entries: 0, bytes: 0, exhausted: false };
  try {
    return await extract(zip, zip.name, zip.folders, 1, limits, budget);
  } catch (err) {
    const failure = err instanceof ZipFailure ? err : new ZipFailure('zip-corrupt', (err as Error).message);
    return [withProblem(zip, failure.code, failure.message)];
  }
}

async function extract(zip: ExtractedFile, container: string, folders: string[], depth: number, limits: ZipLimits, budget: Budget): Promise<ExtractedFile[]> {
  if (depth > limits.maxZipDepth) throw new ZipFailure('zip-too-deep', `ZIP nested deeper than ${limits.maxZipDepth} levels`);
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await yauzl.fromBufferPromise(zip.content, { lazyEntries: true, decodeStrings: false, validateEntrySizes: false });
  } catch (err) {
    const message = (err as Error).message;
    throw new ZipFailure(/encrypt/i.test(message) ? 'zip-encrypted' : 'zip-corrupt', message);
  }
  budget.entries += zipfile.entryCount;
  if (budget.entries > limits.maxZipEntries) {
    throw new ZipFailure('zip-bomb', `more than ${limits.maxZipEntries} entries`, true);
  }
  const out: ExtractedFile[] = [];
  const encrypted: string[] = [];
  const broken: string[] = [];
  try {
    for await (const entry of entries(zipfile)) {
      const fullName = decodeEntryName(entry).normalize('NFC');
      const parts = fullName.split(/[/\\]+/).filter((s) => s !== '' && s !== '.' && s !== '..');
      if (/[/\\]$/.test(fullName) || parts.length === 0) continue; // directory entry
      if (parts.some((p) => JUNK.test(p))) continue;
      if (parts.length > 1 && /^[a-z]:$/i.test(parts[0])) parts.shift();
      const name = safeFileName(parts[parts.length - 1], limits.maxNameLength);
      const entryFolders = [...folders, ...parts.slice(0, -1).map((p) => safeFileName(p, limits.maxNameLength))];
      if (entry.isEncrypted()) { encrypted.push(name); continue; }
      const read = await readEntry(zipfile, entry, limits, budget).catch((err: unknown) => {
        if (err instanceof ZipFailure && err.code === 'zip-bomb') throw err;
        broken.push(name);
        return undefined;
      });
      if (!read) continue;
      const file: ExtractedFile = {
        name, folders: entryFolders, origin: 'zip', container, contentType: guessType(name, read.content),
        size: read.size, sha256: read.sha256, content: read.content,
        ...(read.tooLarge ? { problem: { code: 'file-too-large' as const, detail: `${read.size} bytes` } } : {}),
      };
      if (!read.tooLarge && isZip(file.content, name, file.contentType)) {
        const stem = safeFileName(name.replace(/\.zip$/i, ''), limits.maxNameLength);
        try {
          out.push(...(await extract(file, container, [...entryFolders, stem], depth + 1, limits, budget)));
        } catch (err) {
          if (!(err instanceof ZipFailure) || err.global || budget.exhausted) throw err;
          out.push(withProblem(file, err.code, err.message));
        }
      } else {
        out.push(file);
      }
    }
  } finally {
    zipfile.close();
  }
  if (broken.length > 0) out.push(withProblem(zip, 'zip-corrupt', `unreadable entries: ${broken.join(', ')}`));
  else if (encrypted.length > 0) out.push(withProblem(zip, 'zip-encrypted', `password-protected entries: ${encrypted.join(', ')}`));
  if (out.length === 0) out.push(withProblem(zip, 'empty-file', 'ZIP holds no files'));
  return out;
}

/** yauzl's lazy entry events as an async iterator. */
async function* entries(zipfile: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const next = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      const onEntry = (e: yauzl.Entry): void => { cleanup(); resolve(e); };
      const onEnd = (): void => { cleanup(); resolve(null); };
      const onError = (err: Error): void => { cleanup(); reject(new ZipFailure('zip-corrupt', err.message)); };
      const cleanup = (): void => {
        zipfile.off('entry', onEntry); zipfile.off('end', onEnd); zipfile.off('error', onError);
      };
      zipfile.on('entry', onEntry); zipfile.on('end', onEnd); zipfile.on('error', onError);
      zipfile.readEntry();
    });
    if (!next) return;
    yield next;
  }
}

interface EntryData { content: Buffer; size: number; sha256: string; tooLarge: boolean }

function readEntry(zipfile: yauzl.ZipFile, entry: yauzl.Entry, limits: ZipLimits, budget: Budget): Promise<EntryData> {
  return new Promise((resolve, reject) => {
    zipfile.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('no stream'));
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      let crc = 0;
      let settled = false;
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        stream.destroy();
        reject(e);
      };
      stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        size += chunk.length;
        budget.bytes += chunk.length;
        if (budget.bytes > limits.maxZipTotalBytes) {
          budget.exhausted = true;
          return fail(new ZipFailure('zip-bomb', `expands beyond ${limits.maxZipTotalBytes} bytes`, true));
        }
        if (size > RATIO_FLOOR && size > Math.max(entry.compressedSize, 1) * limits.maxZipRatio) {
          return fail(new ZipFailure('zip-bomb', `entry expands more than ${limits.maxZipRatio}:1`));
        }
        hash.update(chunk);
        crc = crc32(chunk, crc);
        if (size <= limits.maxFileBytes) chunks.push(chunk);
        else chunks.length = 0;
      });
      stream.on('error', (e: Error) => fail(e));
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        if (crc !== entry.crc32 || size !== entry.uncompressedSize) {
          return reject(new Error('checksum or size mismatch'));
        }
        const tooLarge = size > limits.maxFileBytes;
        resolve({ content: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks, size), size, sha256: hash.digest('hex'), tooLarge });
      });
    });
  });
}
