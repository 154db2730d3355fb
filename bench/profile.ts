// Reads V8 .cpuprofile files (written by `node --cpu-prof`) and sums self time by function and by file or
// package, so the report can name where the worker's CPU goes. Idle time is counted but kept out of shares.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ROOT } from './services.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Cost {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  files: string[];
  /** Every thread's sampled and busy time; the tables below are of the main threads (thread 0). */
  threads: Array<{ file: string; thread: number; totalMs: number; busyMs: number }>;
  totalMs: number;
  idleMs: number;
  byFunction: Cost[];
  byFile: Cost[];
  /** Self time charged to the nearest project file or npm package up the stack (fs calls, Buffer work, …). */
  byOwner: Cost[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a frame lives: a package name for node_modules, a project path, or a node: builtin. */
export function locationOf(url: string): string {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  // The CLI runs its compiled build (bin/build.js), one .mjs per source in the same tree: name the source.
  const compiled = /node_modules\/\.cache\/seis-intake\/tree-[^/]+\/(.+)\.mjs$/.exec(path);
  if (compiled) return `${compiled[1]}.ts`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return `npm:${nm[1]}`;
  if (path.startsWith('node:')) return path;
  if (path.startsWith('/')) return relative(ROOT, path);
  return path;
}

function add(map: Map<string, Cost>, key: string, name: string, where: string, ms: number): void {
  const c = map.get(key);
  if (c) c.selfMs += ms;
  else map.set(key, { name, where, selfMs: ms, share: 0 });
}

const isOwner = (where: string) => where.startsWith('npm:') || /\.(ts|js|mjs|cjs)$/.test(where) && !where.startsWith('node:');

export function summarizeProfiles(profiles: CpuProfile[], top = 15): Omit<ProfileSummary, 'files' | 'threads'> {
  const byFunction = new Map<string, Cost>();
  const byFile = new Map<string, Cost>();
  const byOwner = new Map<string, Cost>();
  let totalMs = 0;
  let idleMs = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const ownerCache = new Map<number, string>();
    const ownerOf = (id: number): string => {
      const cached = ownerCache.get(id);
      if (cached) return cached;
      let at: number | undefined = id;
      let owner = '(node internals)';
      while (at !== undefined) {
        const where = locationOf(nodes.get(at)?.callFrame.url ?? '');
        if (isOwner(where)) {
          owner = where;
          break;
        }
        at = parent.get(at);
      }
      ownerCache.set(id, owner);
      return owner;
    };
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      const frame = nodes.get(id)?.callFrame;
      if (!frame) return;
      totalMs += ms;
      if (frame.functionName === '(idle)') {
        idleMs += ms;
        return;
      }
      const special = SPECIAL.has(frame.functionName);
      const where = special ? frame.functionName : locationOf(frame.url);
      const name = special ? frame.functionName : frame.functionName || '(anonymous)';
      add(byFunction, `${name}|${where}|${frame.lineNumber}`, name, special ? '' : `${where}:${frame.lineNumber + 1}`, ms);
      add(byFile, where, where, '', ms);
      const owner = special ? frame.functionName : ownerOf(id);
      add(byOwner, owner, owner, '', ms);
    });
  }
  const busy = totalMs - idleMs || 1;
  const rank = (map: Map<string, Cost>) =>
    [...map.values()]
      .map((c) => ({ ...c, selfMs: Math.round(c.selfMs), share: c.selfMs / busy }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  return {
    totalMs: Math.round(totalMs),
    idleMs: Math.round(idleMs),
    byFunction: rank(byFunction),
    byFile: rank(byFile),
    byOwner: rank(byOwner),
  };
}

/** node --cpu-prof names files CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread. */
export function threadOf(file: string): number {
  return Number(/\.(\d+)\.\d+\.cpuprofile$/.exec(file)?.[1] ?? 0);
}

export async function summarizeProfileDir(dir: string, top = 15): Promise<ProfileSummary> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir} (did the worker exit cleanly?)`);
  const profiles = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as CpuProfile));
  const threads = profiles.map((p, i) => {
    const one = summarizeProfiles([p], 0);
    return { file: files[i], thread: threadOf(files[i]), totalMs: one.totalMs, busyMs: one.totalMs - one.idleMs };
  });
  return { files, threads, ...summarizeProfiles(profiles.filter((_, i) => threadOf(files[i]) === 0), top) };
}

export function formatProfile(summary: ProfileSummary, top = 10): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
  const lines = [
    `CPU profile of the main thread: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${
      ((summary.totalMs - summary.idleMs) / 1000).toFixed(1)
    } s busy (shares are of busy time)`,
    `threads (busy s): ${summary.threads.map((t) => `#${t.thread} ${(t.busyMs / 1000).toFixed(1)}`).join(', ')}`,
    'self time by function:',
    ...summary.byFunction.slice(0, top).map((c) => `  ${pct(c.share)}  ${String(c.selfMs).padStart(7)} ms  ${c.name}  ${c.where}`),
    'self time by file / package:',
    ...summary.byFile.slice(0, top).map((c) => `  ${pct(c.share)}  ${String(c.selfMs).padStart(7)} ms  ${c.name}`),
    'self time charged to the nearest project file or package on the stack:',
    ...summary.byOwner.slice(0, top).map((c) => `  ${pct(c.share)}  ${String(c.selfMs).padStart(7)} ms  ${c.name}`),
  ];
  return lines.join('\n');
}
