// The archive's spool: attachment bodies and unpacked entries of the message being processed, as files under
// _state/spool/<pid>-<random>.<host>/ (same file system as the folders, so filing links them instead of copying bytes).
// One directory per message run, removed when the run ends; at start a process sweeps what dead processes of its own
// host left. Other hosts' (or containers') pids mean nothing here: their directories go only once they are a day old.
import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { BodyMeter, HEAD_BYTES, type BodySink, type BodyWriter, type FileBody } from '../pipelines/body.ts';
import { SPOOL_DIR } from '../pipelines/archive-layout.ts';
import { processAlive } from './archive-walk.ts';
import { ReadHandle, ReadHandles } from './read-handle.ts';
import { ChunkBatch } from './write-chunks.ts';

const READ_CHUNK = 1024 * 1024;
/** A directory of another host is left this long: no run lasts a day, and its own host sweeps it sooner. */
const FOREIGN_SPOOL_MAX_AGE_MS = 24 * 3600 * 1000;
export const SPOOL_HOST = hostname().replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'host';

/**
 * A body that lives in a file that nobody writes any more. Its reads share one handle while they come in a burst
 * (read-handle.ts): `open` is one already open on the file, `handles` a spool run's, closed before its directory goes.
 */
export function fileBody(abs: string, meta: { size: number; sha256: string; head: Buffer },
  opts: { handles?: ReadHandles; open?: fs.FileHandle } = {}): FileBody {
  const reader = opts.handles ? opts.handles.for(abs) : new ReadHandle(abs);
  if (opts.open) reader.adopt(opts.open);
  return {
    ...meta,
    path: abs,
    bytes: () => reader.read(0, meta.size),
    read: (offset, length) => reader.read(offset, Math.min(length, meta.size - offset)),
    stream: (start = 0) => createReadStream(abs, { start, highWaterMark: READ_CHUNK }),
  };
}

/** A stored file as a body, hashed once by streaming unless its hash is known (an original is named by it). */
export async function openFileBody(abs: string, knownSha256?: string): Promise<FileBody> {
  const handle = await fs.open(abs, 'r');
  let size: number;
  let head: Buffer;
  try {
    size = (await handle.stat()).size;
    const buf = Buffer.alloc(Math.min(size, HEAD_BYTES));
    head = buf.subarray(0, (await handle.read(buf, 0, buf.length, 0)).bytesRead);
  } catch (err) {
    await handle.close();
    throw err;
  }
  let sha256 = knownSha256;
  if (!sha256) {
    const meter = new BodyMeter();
    try {
      for await (const chunk of createReadStream(abs, { highWaterMark: READ_CHUNK })) meter.add(chunk as Buffer);
    } catch (err) {
      await handle.close();
      throw err;
    }
    sha256 = meter.digest().sha256;
  }
  // The handle stays for the reads that follow (the message's head scan); it closes itself when they stop.
  return fileBody(abs, { size, sha256, head }, { open: handle });
}

class FileWriter implements BodyWriter {
  private readonly meter: BodyMeter;
  /** The caller's meter, which it adds every chunk to: hashing again here would double the hashing. */
  private readonly metered: boolean;
  private handle?: fs.FileHandle;
  private readonly batch = new ChunkBatch();
  private done = false;

  constructor(private readonly abs: string, private readonly handles: ReadHandles, meter?: BodyMeter) {
    this.meter = meter ?? new BodyMeter();
    this.metered = meter !== undefined;
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.done) throw new Error('spool file already finished');
    if (!this.metered) this.meter.add(chunk);
    if (this.batch.add(chunk)) await this.flush();
  }

  async finish(): Promise<FileBody> {
    await this.flush(true);
    this.done = true;
    // Opened for reading too: the body's first reads (its PDF check) use the handle that wrote it.
    const open = this.handle;
    this.handle = undefined;
    return fileBody(this.abs, this.meter.digest(), { handles: this.handles, open });
  }

  async abort(): Promise<void> {
    this.done = true;
    this.batch.clear();
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await fs.unlink(this.abs).catch(() => undefined);
  }

  private async flush(always = false): Promise<void> {
    if (!this.handle && (this.batch.size > 0 || always)) this.handle = await fs.open(this.abs, 'wx+', 0o600);
    if (this.handle) await this.batch.writeTo(this.handle);
  }
}

/** One message run's spool directory: a BodySink whose files go when the run ends. */
export class Spool implements BodySink {
  private count = 0;
  private readonly handles = new ReadHandles();

  constructor(readonly dir: string) {}

  create(_hint?: string, meter?: BodyMeter): BodyWriter {
    this.count += 1;
    return new FileWriter(path.join(this.dir, `${this.count}.part`), this.handles, meter);
  }

  async remove(): Promise<void> {
    await this.handles.closeAll();
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** The spool area of an archive root. */
export class SpoolArea {
  readonly root: string;
  private swept?: Promise<unknown>;

  constructor(archiveRoot: string) {
    this.root = path.join(archiveRoot, SPOOL_DIR);
  }

  async open(): Promise<Spool> {
    // The first run of a process clears what crashed processes left.
    await (this.swept ??= this.sweep().catch(() => 0));
    const dir = path.join(this.root, `${process.pid}-${randomBytes(6).toString('hex')}.${SPOOL_HOST}`);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    return new Spool(dir);
  }

  /** Runs `fn` with a fresh spool and removes it afterwards, whatever happens. */
  async with<T>(fn: (spool: Spool) => Promise<T>): Promise<T> {
    const spool = await this.open();
    try {
      return await fn(spool);
    } finally {
      await spool.remove();
    }
  }

  /** Removes the directories of processes that are gone (a crash mid-message); returns how many. */
  async sweep(): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.root);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const dir = path.join(this.root, name);
      if (!(await this.abandoned(name, dir))) continue;
      await fs.rm(dir, { recursive: true, force: true });
      removed += 1;
    }
    return removed;
  }

  /** This host's directory of a process that is gone, or another host's that is a day old. */
  private async abandoned(name: string, dir: string): Promise<boolean> {
    const own = /^(\d+)-[0-9a-f]+\.(.+)$/.exec(name);
    if (own && own[2] === SPOOL_HOST) {
      const pid = Number(own[1]);
      return pid !== process.pid && !processAlive(pid);
    }
    const stat = await fs.stat(dir).catch(() => undefined);
    return stat !== undefined && Date.now() - stat.mtimeMs > FOREIGN_SPOOL_MAX_AGE_MS;
  }
}
