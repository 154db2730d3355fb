// One file handle shared by the reads of a file that nobody writes any more: a PDF check or a ZIP's central
// directory makes dozens of small reads in a row, and on this kind of file system opening and closing the file costs
// more than a small read. The handle that wrote a spool file is kept for its first reads (adopt), so a part written
// and then checked is opened once. Bodies have no close(): a handle closes itself once no read has come for a
// moment, and a spool run closes its handles before it removes its directory (an NFS server keeps a directory whose
// files are still open); a run keeps only so many open at once.
import { promises as fs } from 'node:fs';

/** Long enough to span parsing the rest of a message between writing a part and checking it; short enough to hold few. */
export const READ_HANDLE_IDLE_MS = 1000;
/** Most handles one spool run keeps open (a ZIP may hold thousands of entries): past it the least recently used closes. */
export const MAX_OPEN_PER_RUN = 16;

export class ReadHandle {
  private opening?: Promise<fs.FileHandle>;
  private users = 0;
  private idle?: NodeJS.Timeout;

  /** `handles`: the spool run's, which keeps count of what is open; `idleMs` for tests. */
  constructor(readonly path: string, private readonly handles?: ReadHandles, private readonly idleMs = READ_HANDLE_IDLE_MS) {}

  /** Up to `length` bytes at `offset`; fewer only at the end of the file. */
  read(offset: number, length: number): Promise<Buffer> {
    return this.use(async (handle) => {
      // Not from the shared pool: some parsers wrap `buf.buffer` and ignore the offset.
      const buf = Buffer.allocUnsafeSlow(Math.max(0, length));
      let filled = 0;
      while (filled < buf.length) {
        const { bytesRead } = await handle.read(buf, filled, buf.length - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buf.subarray(0, filled);
    });
  }

  /** Takes over a handle already open on the file (the one that wrote it): the next reads need not open it again. */
  adopt(handle: fs.FileHandle): void {
    if (this.opening) {
      void handle.close().catch(() => undefined);
      return;
    }
    this.opening = Promise.resolve(handle);
    this.handles?.opened(this);
    this.rest();
  }

  /** True while the file is open. */
  get isOpen(): boolean {
    return this.opening !== undefined;
  }

  get busy(): boolean {
    return this.users > 0;
  }

  /** Closes the handle now; a later read opens it again. */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    this.idle = undefined;
    const opening = this.opening;
    this.opening = undefined;
    this.handles?.closed(this);
    const handle = await opening?.catch(() => undefined);
    await handle?.close().catch(() => undefined);
  }

  private async use<T>(fn: (handle: fs.FileHandle) => Promise<T>): Promise<T> {
    clearTimeout(this.idle);
    this.idle = undefined;
    this.users += 1;
    try {
      let opening = this.opening;
      if (!opening) {
        opening = this.opening = fs.open(this.path, 'r');
        this.handles?.opened(this);
      } else {
        this.handles?.used(this);
      }
      let handle: fs.FileHandle;
      try {
        handle = await opening;
      } catch (err) {
        // A failed open is not kept: the next read tries again, as a fresh open did before.
        if (this.opening === opening) {
          this.opening = undefined;
          this.handles?.closed(this);
        }
        throw err;
      }
      return await fn(handle);
    } finally {
      this.users -= 1;
      this.rest();
    }
  }

  private rest(): void {
    if (this.users === 0 && this.opening && !this.idle) this.idle = setTimeout(() => void this.close(), this.idleMs).unref();
  }
}

/** The open handles of one spool run's files, least recently used first; closed together before its directory goes. */
export class ReadHandles {
  private readonly open = new Set<ReadHandle>();

  constructor(private readonly maxOpen = MAX_OPEN_PER_RUN, private readonly idleMs = READ_HANDLE_IDLE_MS) {}

  for(abs: string): ReadHandle {
    return new ReadHandle(abs, this, this.idleMs);
  }

  get openCount(): number {
    return this.open.size;
  }

  opened(handle: ReadHandle): void {
    this.open.add(handle);
    if (this.open.size <= this.maxOpen) return;
    for (const old of this.open) {
      if (this.open.size <= this.maxOpen) break;
      if (old !== handle && !old.busy) void old.close();
    }
  }

  used(handle: ReadHandle): void {
    this.open.delete(handle);
    this.open.add(handle);
  }

  closed(handle: ReadHandle): void {
    this.open.delete(handle);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((handle) => handle.close()));
  }
}
