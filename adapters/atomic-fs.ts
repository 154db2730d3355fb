// Crash-safe file primitives for the archive: atomic publish (temp file, fsync, rename or link), tolerant reads,
// and an in-process queue per lock. No archive layout here: adapters/archive-store.ts owns that.
import { randomBytes } from 'node:crypto';
import { lstatSync, promises as fs, realpathSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from '../pipelines/hash.ts';
import { recordArchiveWriteError } from './metrics.ts';
import type { FileBody } from '../pipelines/body.ts';

/** Temp files of writeVia: `.tmp-<pid>-<12 hex>` beside their target (`seis-intake verify` looks for leftovers). */
export const TEMP_PREFIX = '.tmp-';

export const isCode = (err: unknown, ...codes: string[]) => codes.includes((err as NodeJS.ErrnoException)?.code ?? '');

export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

/** Directories this process made or found, so a write into one skips mkdir; forgotten when a write finds it gone. */
const knownDirs = new Set<string>();
const MAX_KNOWN_DIRS = 20_000;

/** Runs `op` (which creates a file in `dir`) after making sure `dir` exists; mkdir only when not known. */
export async function inDir<T>(dir: string, op: () => Promise<T>): Promise<T> {
  const known = knownDirs.has(dir);
  if (!known) await makeDir(dir);
  try {
    return await op();
  } catch (err) {
    if (!known || !isCode(err, 'ENOENT')) throw err;
    knownDirs.delete(dir);
    await makeDir(dir);
    return op();
  }
}

/** mkdir calls under way, so files staged side by side in a new folder wait for one mkdir instead of racing. */
const making = new Map<string, Promise<void>>();

function makeDir(dir: string): Promise<void> {
  let made = making.get(dir);
  if (!made) {
    made = fs.mkdir(dir, { recursive: true }).then(() => {
      if (knownDirs.size >= MAX_KNOWN_DIRS) knownDirs.clear();
      knownDirs.add(dir);
    }).finally(() => making.delete(dir));
    making.set(dir, made);
  }
  return made;
}

/** A new temp file's path in `dir` (`.tmp-<pid>-<12 hex>`), so `seis-intake verify` recognises a crash's leftover. */
export function tempPathIn(dir: string): string {
  return path.join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
}

const tempBeside = (abs: string) => tempPathIn(path.dirname(abs));

/**
 * A new temp file beside `abs` holding `content`, fsynced (unless `sync` is false: a derived file that is rebuilt
 * when lost); removed again when anything fails. Returns its path.
 */
export async function writeTemp(abs: string, content: Buffer | string, mode = 0o644, sync = true): Promise<string> {
  const tmp = tempBeside(abs);
  try {
    const handle = await inDir(path.dirname(abs), () => fs.open(tmp, 'wx', mode));
    try {
      await handle.writeFile(content);
      if (sync) await handle.sync();
    } finally {
      await handle.close();
    }
    return tmp;
  } catch (err) {
    recordArchiveWriteError(err);
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * A temp file beside `abs` with a body's bytes, fsynced: a body in a spool file is hard-linked (no bytes copied;
 * the spool never writes a file again once finished), a body in memory, or on another file system, is written.
 */
export async function bodyTemp(abs: string, body: FileBody): Promise<string> {
  if (!body.path) return writeTemp(abs, await body.bytes());
  const source = body.path;
  const tmp = tempBeside(abs);
  try {
    await inDir(path.dirname(abs), () => fs.link(source, tmp));
    const handle = await fs.open(tmp, 'r');
    try {
      await handle.chmod(0o644);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return tmp;
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    // Another file system (EXDEV) or one without hard links: copy the bytes instead.
    if (isCode(err, 'EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP')) return writeTemp(abs, await body.bytes());
    recordArchiveWriteError(err);
    throw err;
  }
}

/**
 * Writes a temp file beside the target and fsyncs it; `publish` makes it visible ('rename', or a function that
 * links). The directory is fsynced too.
 */
export async function writeVia(abs: string, content: Buffer | string, publish: 'rename' | ((tmp: string) => Promise<void>), mode = 0o644) {
  await publishTemp(abs, await writeTemp(abs, content, mode), publish);
  await syncDir(path.dirname(abs));
}

/** Makes a temp file visible at `abs`; the temp is gone afterwards, whatever happened. */
export async function publishTemp(abs: string, tmp: string, publish: 'rename' | ((tmp: string) => Promise<void>) = 'rename'): Promise<void> {
  let renamed = false;
  try {
    if (publish === 'rename') {
      await fs.rename(tmp, abs);
      renamed = true;
    } else {
      await publish(tmp);
    }
  } catch (err) {
    recordArchiveWriteError(err);
    throw err;
  } finally {
    // Still there after a link or a failure.
    if (!renamed) await fs.unlink(tmp).catch(() => undefined);
  }
}

export const writeAtomic = (abs: string, content: Buffer | string, mode?: number) => writeVia(abs, content, 'rename', mode);

/** Each directory fsynced once, side by side (the thread pool runs them at once). */
export async function syncDirs(dirs: string[]): Promise<void> {
  await Promise.all([...new Set(dirs)].map(syncDir));
}

export async function readJson<T>(abs: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(abs, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR')) return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`corrupt JSON in ${abs}: ${(err as Error).message}`, { cause: err });
  }
}

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export async function fileSha(abs: string): Promise<string | undefined> {
  try {
    return sha256(await fs.readFile(abs));
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR', 'EISDIR')) return undefined;
    throw err;
  }
}

export async function subdirs(abs: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(abs, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR')) return [];
    throw err;
  }
}

/** In-process queue per lock path, so one process's callers wait in line instead of polling the lock dir. */
const queues = new Map<string, Promise<unknown>>();
export async function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  try {
    return await run;
  } finally {
    if (queues.get(key) === tail) queues.delete(key);
  }
}

export function contains(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!path.isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${path.sep}`));
}

/** Real path of the deepest existing ancestor plus the rest (the path need not exist); a dangling symlink throws. */
export function realPathOf(abs: string): string {
  const rest: string[] = [];
  let probe = abs;
  for (;;) {
    try {
      // .native is one realpath(3) call; the JS version lstats every component of the path.
      return path.join(realpathSync.native(probe), ...rest);
    } catch (err) {
      if (!isCode(err, 'ENOENT', 'ENOTDIR')) throw err;
      let isLink = false;
      try {
        isLink = lstatSync(probe).isSymbolicLink();
      } catch {
        // does not exist: go up one level
      }
      if (isLink) throw new Error(`dangling symlink: ${probe}`, { cause: err });
      const parent = path.dirname(probe);
      if (parent === probe) return abs;
      rest.unshift(path.basename(probe));
      probe = parent;
    }
  }
}
