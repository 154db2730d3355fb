// Watches the archive's file system calls and checks the crash-safety order the archive promises: a file is
// "surely durable" once its bytes were fsynced and its name was in its directory when that directory was fsynced.
// A name may reach the disk any time after its rename (the kernel writes back in no promised order), so when a
// manifest.json, an unmatched record.json or a message record is renamed into place, everything it vouches for
// must be surely durable already. Directories' own names in their parents are not checked (never fsynced).
import { lstatSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

type Handle = fs.FileHandle;

export interface DurabilityWatch {
  /** Broken promises, in the order they happened (empty when every step was in place). */
  violations: string[];
  /** Files renamed into place that vouch for others (manifests, records), absolute. */
  vouchers: string[];
  surelyDurable(abs: string): boolean;
  stop(): void;
}

/** Starts watching `root` (absolute, real path); stop() restores the file system functions. */
export async function watchDurability(root: string): Promise<DurabilityWatch> {
  const paths = new WeakMap<Handle, string>();
  const synced = new Set<number>();
  const durableNames = new Map<string, Map<string, number>>();
  const violations: string[] = [];
  const vouchers: string[] = [];
  const inoOf = (abs: string) => lstatSync(abs, { throwIfNoEntry: false })?.ino;
  const surelyDurable = (abs: string) => {
    const ino = inoOf(abs);
    return ino !== undefined && synced.has(ino) && durableNames.get(path.dirname(abs))?.get(path.basename(abs)) === ino;
  };
  const rel = (abs: string) => path.relative(root, abs);
  const mustBeDurable = (what: string, abs: string) => {
    if (!surelyDurable(abs)) violations.push(`${what} before ${rel(abs)} was durable`);
  };

  const open = fs.open.bind(fs);
  const rename = fs.rename.bind(fs);
  const spies: Array<{ mockRestore(): void }> = [
    vi.spyOn(fs, 'open').mockImplementation(async (file, ...rest) => {
      const handle = await open(file, ...rest);
      paths.set(handle, path.resolve(String(file)));
      return handle;
    }),
    vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      const target = path.resolve(String(to));
      if (target.startsWith(`${root}${path.sep}`)) check(path.resolve(String(from)), target);
      return rename(from, to);
    }),
  ];
  const probe = await open(fileURLToPath(import.meta.url), 'r');
  const proto = Object.getPrototypeOf(probe) as Handle;
  await probe.close();
  const sync = proto.sync;
  const writeFile = proto.writeFile;
  spies.push(
    vi.spyOn(proto, 'sync').mockImplementation(async function(this: Handle) {
      await sync.call(this);
      const abs = paths.get(this);
      const stat = await this.stat();
      if (!stat.isDirectory()) synced.add(stat.ino);
      else if (abs) durableNames.set(abs, new Map(readdirSync(abs).map((name) => [name, inoOf(path.join(abs, name)) ?? -1])));
    }),
    vi.spyOn(proto, 'writeFile').mockImplementation(async function(this: Handle, ...args: Parameters<Handle['writeFile']>) {
      synced.delete((await this.stat()).ino);
      return writeFile.apply(this, args);
    }),
  );

  /** What the file being renamed vouches for must be surely durable, and the file's own bytes too. */
  function check(from: string, target: string): void {
    const name = path.basename(target);
    const what = rel(target);
    const vouches = name === 'manifest.json' || name === 'record.json' || rel(target).startsWith(`_state${path.sep}messages${path.sep}`);
    if (!vouches) return;
    if (!synced.has(inoOf(from) ?? -1)) violations.push(`${what} renamed before its bytes were fsynced`);
    const content = JSON.parse(readFileSync(from, 'utf8')) as {
      documents?: Array<{ path: string }>;
      problems?: Array<{ path?: string }>;
      combined?: Array<{ path?: string }>;
      files?: Array<{ path?: string }>;
      emlPath?: string;
    };
    if (name === 'manifest.json') {
      for (const d of [...(content.documents ?? []), ...(content.problems ?? []), ...(content.combined ?? [])]) {
        if (d.path) mustBeDurable(`${what} renamed`, path.join(path.dirname(target), d.path));
      }
    } else if (name === 'record.json') {
      for (const f of content.files ?? []) if (f.path) mustBeDurable(`${what} renamed`, path.join(root, f.path));
    } else {
      // A message record: the message's original and everything filed so far.
      if (content.emlPath) mustBeDurable(`${what} renamed`, path.join(root, content.emlPath));
      for (const v of vouchers) mustBeDurable(`${what} renamed`, v);
    }
    if (name === 'manifest.json' || name === 'record.json') vouchers.push(target);
  }

  return {
    violations,
    vouchers,
    surelyDurable,
    stop: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
