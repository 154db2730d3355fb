// Collects messages for `ingest`: .eml files, folders of them (recursively) and mbox files, put in
// arrival order (topmost Received:, else Date:, else file time) so resubmissions supersede in the right order.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { looksLikeMbox, splitMbox } from '../pipelines/mail/index.ts';
import { UsageError } from './args.ts';

export interface InputMessage {
  source: string;
  fileMtime: Date;
  arrival: number;
  /** Reads the message when its turn comes: thousands of scans never sit in memory together. */
  load: () => Promise<Buffer>;
}

const MAX_HEADER_SCAN = 256 * 1024;

/** Arrival time from the header block only (cheap; the full parse happens in the pipeline). */
export function peekArrival(raw: Buffer): number | undefined {
  const head = raw.subarray(0, MAX_HEADER_SCAN).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const unfolded = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
  const lines = unfolded.split(/\r?\n/);
  const received = lines.find((l) => /^received:/i.test(l));
  const candidates = [received?.slice(received.lastIndexOf(';') + 1), lines.find((l) => /^date:/i.test(l))?.slice(5)];
  for (const text of candidates) {
    const time = text ? Date.parse(text.trim().replace(/\s*\([^)]*\)\s*$/, '')) : NaN;
    if (Number.isFinite(time)) return time;
  }
  return undefined;
}

async function collectFiles(path: string, out: string[]): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`no such file or folder: ${path}`);
  }
  if (info.isDirectory()) {
    const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(path, entry.name);
      if (entry.isDirectory()) await collectFiles(full, out);
      else if (/\.(eml|mbox|mbx)$/i.test(entry.name) || entry.name === 'mbox') out.push(full);
    }
  } else {
    out.push(path);
  }
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_HEADER_SCAN);
    const { bytesRead } = await handle.read(buffer, 0, MAX_HEADER_SCAN, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The last mbox split, kept while its messages are processed (they usually come in a row). */
let mboxCache: { file: string; parts: Buffer[] } | undefined;
async function mboxParts(file: string): Promise<Buffer[]> {
  if (mboxCache?.file !== file) mboxCache = { file, parts: splitMbox(await readFile(file)) };
  return mboxCache.parts;
}

export async function readInputs(paths: string[]): Promise<InputMessage[]> {
  const files: string[] = [];
  for (const path of paths) await collectFiles(path, files);
  const messages: InputMessage[] = [];
  for (const file of files) {
    const [head, info] = await Promise.all([readHead(file), stat(file)]);
    if (looksLikeMbox(head)) {
      const parts = await mboxParts(file);
      parts.forEach((part, i) =>
        messages.push({
          source: `${file}#${i + 1}`,
          fileMtime: info.mtime,
          arrival: peekArrival(part) ?? info.mtime.getTime(),
          load: async () => (await mboxParts(file))[i],
        })
      );
    } else {
      messages.push({ source: file, fileMtime: info.mtime, arrival: peekArrival(head) ?? info.mtime.getTime(), load: () => readFile(file) });
    }
  }
  mboxCache = undefined;
  // Stable: equal arrival times keep the order they were given in.
  return messages.map((m, i) => ({ m, i })).sort((a, b) => a.m.arrival - b.m.arrival || a.i - b.i).map(({ m }) => m);
}
