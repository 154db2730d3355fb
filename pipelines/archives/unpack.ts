// Unpacks ZIP attachments into files, counting the bytes actually inflated (headers lie in bombs), and sends
// RAR attachments to unrar.ts and 7z to un7z.ts: one entry point, one budget per attachment, archives nested in any.
// Leaves out encrypted entries: those are kept as problems for the sender to fix.
import { crc32 } from 'node:zlib';
import type yauzl from 'yauzl';
import type { ExtractedFile } from '../types.ts';
import { memorySink, type BodySink } from '../body.ts';
import { addEntry, ArchiveFailure, decodeLegacyName, entryFile, entryPath, withProblem, type ArchiveLimits, type Budget, type Walk } from './archive-entry.ts';
import { openZip, readEntry } from './zip-stream.ts';
import { extractRar, isRar, isRarMagic } from './unrar.ts';
import { extract7z, is7z, is7zMagic } from './un7z.ts';
import { safeFileName } from '../safe-name.ts';

export { guessType } from './archive-entry.ts';
export type ZipLimits = ArchiveLimits;

/** Formats that are ZIPs inside but documents to the sender: never unpacked. */
const ZIP_DOCUMENTS = /\.(docx|docm|xlsx|xlsm|pptx|pptm|odt|ods|odp|epub|jar|apk|ipa|xps|oxps|vsdx|kmz|3mf)$/i;
const ZIP_TYPES = /^application\/(zip|x-zip|x-zip-compressed|x-compressed)$/i;

const isZipMagic = (content: Buffer): boolean => content.length >= 4 && content.readUInt32LE(0) === 0x04034b50;

export function isZip(content: Buffer, name: string, contentType: string): boolean {
  if (ZIP_DOCUMENTS.test(name)) return false;
  return isZipMagic(content) || /\.zip$/i.test(name) || ZIP_TYPES.test(contentType);
}

/** Info-ZIP Unicode Path extra field (0x7075): a UTF-8 name valid while its CRC matches the raw name. */
function unicodePathField(entry: yauzl.Entry, raw: Buffer): string | undefined {
  const field = entry.extraFields.find((f) => f.id === 0x7075);
  if (!field || field.data.length < 6 || field.data[0] !== 1) return undefined;
  return field.data.readUInt32LE(1) === crc32(raw) ? field.data.subarray(5).toString('utf8') : undefined;
}

/** Flag bit 11 → UTF-8; Unicode extra field; else the bytes decide (UTF-8, windows-874, cp437). */
export function decodeEntryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  if (entry.generalPurposeBitFlag & 0x800) return raw.toString('utf8');
  return unicodePathField(entry, raw) ?? decodeLegacyName(raw);
}

/** ZIP, RAR or 7z: what parse unpacks instead of keeping as one file. */
export function isArchive(content: Buffer, name: string, contentType: string): boolean {
  return isZip(content, name, contentType) || isRar(content, name, contentType) || is7z(content, name, contentType);
}

/** The bytes decide first: a RAR renamed to .zip is read as a RAR, a 7z renamed to .rar as a 7z, and so on. */
async function unpackAt(file: ExtractedFile, walk: Walk): Promise<ExtractedFile[]> {
  if (walk.depth > walk.limits.maxZipDepth) {
    throw new ArchiveFailure('zip-too-deep', `archive nested deeper than ${walk.limits.maxZipDepth} levels`);
  }
  const head = file.body.head;
  if (isRarMagic(head)) return extractRar(file, walk);
  if (is7zMagic(head)) return extract7z(file, walk);
  if (isZipMagic(head)) return extractZip(file, walk);
  if (is7z(head, file.name, file.contentType)) return extract7z(file, walk);
  return isRar(head, file.name, file.contentType) ? extractRar(file, walk) : extractZip(file, walk);
}

function walkOf(container: string, folders: string[], depth: number, limits: ArchiveLimits, budget: Budget, sink: BodySink): Walk {
  return {
    container,
    folders,
    depth,
    limits,
    budget,
    sink,
    nested: (file) => {
      if (!isArchive(file.body.head, file.name, file.contentType)) return undefined;
      const stem = safeFileName(file.name.replace(/\.(zip|rar|7z)$/i, ''), limits.maxNameLength);
      return unpackAt(file, walkOf(container, [...file.folders, stem], depth + 1, limits, budget, sink));
    },
  };
}

/**
 * The files inside a ZIP or RAR attachment (nested archives unpacked as folders). When unpacking fails
 * the archive itself comes back with the problem, so it is kept and reported; encrypted or broken
 * entries add the archive once with the problem next to the entries that could be read.
 */
export async function unzipFile(archive: ExtractedFile, limits: ArchiveLimits, sink: BodySink = memorySink): Promise<ExtractedFile[]> {
  const budget: Budget = { entries: 0, bytes: 0, exhausted: false };
  try {
    return await unpackAt(archive, walkOf(archive.name, archive.folders, 1, limits, budget, sink));
  } catch (err) {
    const failure = err instanceof ArchiveFailure ? err : new ArchiveFailure('zip-corrupt', (err as Error).message);
    return [withProblem(archive, failure.code, failure.message)];
  }
}

async function extractZip(zip: ExtractedFile, walk: Walk): Promise<ExtractedFile[]> {
  const { limits, budget } = walk;
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await openZip(zip.body);
  } catch (err) {
    const message = (err as Error).message;
    throw new ArchiveFailure(/encrypt/i.test(message) ? 'zip-encrypted' : 'zip-corrupt', message);
  }
  budget.entries += zipfile.entryCount;
  if (budget.entries > limits.maxZipEntries) {
    throw new ArchiveFailure('zip-bomb', `more than ${limits.maxZipEntries} entries`, true);
  }
  const out: ExtractedFile[] = [];
  const encrypted: string[] = [];
  const broken: string[] = [];
  try {
    for await (const entry of entries(zipfile)) {
      const path = entryPath(decodeEntryName(entry), walk.folders, limits.maxNameLength);
      if (!path) continue;
      if (entry.isEncrypted()) {
        encrypted.push(path.name);
        continue;
      }
      const read = await readEntry(zipfile, entry, limits, budget, walk.sink).catch((err: unknown) => {
        if (err instanceof ArchiveFailure && err.code === 'zip-bomb') throw err;
        broken.push(path.name);
        return undefined;
      });
      if (read) await addEntry(out, entryFile(path, read, walk.container), walk);
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
      const onEntry = (e: yauzl.Entry): void => {
        cleanup();
        resolve(e);
      };
      const onEnd = (): void => {
        cleanup();
        resolve(null);
      };
      const onError = (err: Error): void => {
        cleanup();
        reject(new ArchiveFailure('zip-corrupt', err.message));
      };
      const cleanup = (): void => {
        zipfile.off('entry', onEntry);
        zipfile.off('end', onEnd);
        zipfile.off('error', onError);
      };
      zipfile.on('entry', onEntry);
      zipfile.on('end', onEnd);
      zipfile.on('error', onError);
      zipfile.readEntry();
    });
    if (!next) return;
    yield next;
  }
}
