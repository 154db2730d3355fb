// What ZIP, RAR and 7z unpacking share: one entry path → safe folders and name, one entry → ExtractedFile,
// the limits budget, legacy name decoding, and nested archives. Reading each format stays in its own module.
import iconv from 'iconv-lite';
import type { AppConfig } from '../../config/schema.ts';
import type { ExtractedFile, FileProblemCode } from '../types.ts';
import { safeFileName } from '../safe-name.ts';
import { sha256 } from '../hash.ts';
import { EMPTY_BODY, type BodySink, type FileBody } from '../body.ts';

export type ArchiveLimits = AppConfig['limits'];

/** Below this many unpacked bytes a high ratio is harmless (a blank form, a text file). */
export const RATIO_FLOOR = 1024 * 1024;
/** OS litter in archives made on macOS and Windows: never a document. */
const JUNK = /^(__MACOSX|\.DS_Store|Thumbs\.db|desktop\.ini|\._.*|\.Spotlight-V100|\.Trashes)$/i;

/** Unpacking failed; `global` failures (the whole budget) end every level, others only the archive they hit. */
export class ArchiveFailure extends Error {
  constructor(readonly code: FileProblemCode, detail: string, readonly global = false) {
    super(detail);
  }
}

/** Shared by every level of one attachment: entries listed and bytes unpacked so far. */
export interface Budget {
  entries: number;
  bytes: number;
  exhausted: boolean;
}

/** Where the entries of one archive go, and how an entry that is itself an archive is unpacked. */
export interface Walk {
  /** Name of the attachment at the top: every file unpacked from it carries it. */
  container: string;
  /** Folders of the archive being read (outermost first). */
  folders: string[];
  depth: number;
  limits: ArchiveLimits;
  budget: Budget;
  /** Where unpacked entries are written. */
  sink: BodySink;
  /** Unpacks an entry that is itself an archive; undefined when it is not one. */
  nested: (file: ExtractedFile) => Promise<ExtractedFile[]> | undefined;
}

export function guessType(name: string, content: Buffer): string {
  const head = content.subarray(0, 8).toString('latin1');
  if (head.startsWith('%PDF')) return 'application/pdf';
  if (head.startsWith('\xff\xd8\xff')) return 'image/jpeg';
  if (head.startsWith('\x89PNG')) return 'image/png';
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const byExt: Record<string, string> = {
    pdf: 'application/pdf',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    gif: 'image/gif',
    tif: 'image/tiff',
    tiff: 'image/tiff',
    heic: 'image/heic',
    zip: 'application/zip',
    rar: 'application/vnd.rar',
    '7z': 'application/x-7z-compressed',
    doc: 'application/msword',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
  return byExt[ext] ?? 'application/octet-stream';
}

export function withProblem(file: ExtractedFile, code: FileProblemCode, detail?: string): ExtractedFile {
  return { ...file, problem: { code, detail } };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** What windows-874 can legitimately produce: ASCII, Thai, and its few punctuation extras. */
const THAI_PLAUSIBLE = /^[\x00-\x7f\u0e00-\u0e7f\u00a0\u20ac\u2026\u2018-\u201d\u2022\u2013\u2014]*$/;

/** A name stored as bytes without saying how: valid UTF-8 (macOS); windows-874 (Thai Windows); cp437 last. */
export function decodeLegacyName(raw: Buffer): string {
  try {
    return strictUtf8.decode(raw);
  } catch {
    const thai = iconv.decode(raw, 'win874');
    // Thai Windows archivers write cp874; without a single Thai letter the name is more likely DOS cp437.
    return THAI_PLAUSIBLE.test(thai) && /[\u0e01-\u0e5b]/.test(thai) ? thai : iconv.decode(raw, 'cp437');
  }
}

/**
 * Safe folders and name of an entry path, or undefined for folder entries and OS junk. "..", "." and
 * empty segments are dropped and a drive letter ("C:") too, so no path can leave the archive's folder.
 */
export function entryPath(fullName: string, folders: string[], maxNameLength: number): { name: string; folders: string[] } | undefined {
  const normal = fullName.normalize('NFC');
  const parts = normal.split(/[/\\]+/).filter((s) => s !== '' && s !== '.' && s !== '..');
  if (/[/\\]$/.test(normal) || parts.length === 0) return undefined;
  if (parts.some((p) => JUNK.test(p))) return undefined;
  if (parts.length > 1 && /^[a-z]:$/i.test(parts[0])) parts.shift();
  return {
    name: safeFileName(parts[parts.length - 1], maxNameLength),
    folders: [...folders, ...parts.slice(0, -1).map((p) => safeFileName(p, maxNameLength))],
  };
}

export interface EntryData {
  body: FileBody;
  size: number;
  sha256: string;
  tooLarge: boolean;
}

/**
 * An entry a library unpacked whole (RAR, 7z) as the pipeline keeps it: written to the sink, or, larger than
 * maxFileBytes, only its size and hash.
 */
export async function entryData(content: Buffer, limits: ArchiveLimits, sink: BodySink): Promise<EntryData> {
  const tooLarge = content.length > limits.maxFileBytes;
  const hash = sha256(content);
  if (tooLarge) return { body: EMPTY_BODY, size: content.length, sha256: hash, tooLarge };
  const writer = sink.create();
  try {
    await writer.write(content);
    return { body: await writer.finish(), size: content.length, sha256: hash, tooLarge };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

export function entryFile(path: { name: string; folders: string[] }, data: EntryData, container: string): ExtractedFile {
  return {
    name: path.name,
    folders: path.folders,
    origin: 'zip',
    container,
    contentType: guessType(path.name, data.body.head),
    size: data.size,
    sha256: data.sha256,
    body: data.body,
    ...(data.tooLarge ? { problem: { code: 'file-too-large' as const, detail: `${data.size} bytes` } } : {}),
  };
}

/** Adds one unpacked file, or the files inside it when it is an archive; a failing inner archive stays as a file with its problem. */
export async function addEntry(out: ExtractedFile[], file: ExtractedFile, walk: Walk): Promise<void> {
  const inner = file.problem ? undefined : walk.nested(file);
  if (!inner) {
    out.push(file);
    return;
  }
  try {
    out.push(...(await inner));
  } catch (err) {
    if (!(err instanceof ArchiveFailure) || err.global || walk.budget.exhausted) throw err;
    out.push(withProblem(file, err.code, err.message));
  }
}
