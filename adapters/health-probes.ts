// The probes behind /readyz: Redis answers, the archive takes a write, its disk has room. Each probe is a
// value (ok + a little detail for the operator), never an exception, and each has a time budget, so a hung
// Redis or NFS mount makes the process unready instead of making the probe hang.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { writeAtomic } from './atomic-fs.ts';

export interface ProbeResult {
  ok: boolean;
  detail: Record<string, unknown>;
}

export type Probe = () => Promise<ProbeResult>;

/** Docker's and Kubernetes' default probe timeouts are 30 s and 1 s; one slow probe must not eat them all. */
export const PROBE_TIMEOUT_MS = 2500;

/** Where the write probe writes: a known state area (seis-intake verify accepts it). */
export const HEALTH_DIR = '_state/health';

function errorDetail(err: unknown): Record<string, unknown> {
  const code = (err as NodeJS.ErrnoException)?.code;
  return { error: typeof code === 'string' ? code : (err as Error)?.message ?? String(err) };
}

export async function runProbe(probe: Probe, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: { error: 'timeout', afterMs: timeoutMs } }), timeoutMs);
  });
  try {
    return await Promise.race([probe().catch((err: unknown) => ({ ok: false, detail: errorDetail(err) })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function redisProbe(redis: Pick<Redis, 'ping'>): Probe {
  return async () => {
    const started = Date.now();
    const pong = await redis.ping();
    return { ok: pong === 'PONG', detail: { ms: Date.now() - started } };
  };
}

/** A real write (temp file, fsync, rename, unlink): catches read-only remounts, full disks and lost mounts. */
export function archiveWritableProbe(root: string): Probe {
  return async () => {
    const file = path.join(path.resolve(root), HEALTH_DIR, `probe-${process.pid}`);
    await writeAtomic(file, `${new Date().toISOString()}\n`);
    await fs.unlink(file);
    return { ok: true, detail: {} };
  };
}

export function freeDiskProbe(root: string, minFreeMb: number): Probe {
  return async () => {
    // Before the first message the archive folder may not exist yet: its disk is its nearest existing parent's.
    let dir = path.resolve(root);
    while (!(await fs.stat(dir).then(() => true, () => false)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    const stats = await fs.statfs(dir);
    const freeMb = Math.floor((stats.bavail * stats.bsize) / (1024 * 1024));
    return { ok: freeMb >= minFreeMb, detail: { freeMb, minFreeMb } };
  };
}

export interface ReadyReport {
  ok: boolean;
  checks: Record<string, ProbeResult>;
}

/** Every probe at once; ready only when all pass. */
export async function readiness(probes: Record<string, Probe>, timeoutMs = PROBE_TIMEOUT_MS): Promise<ReadyReport> {
  const names = Object.keys(probes);
  const results = await Promise.all(names.map((name) => runProbe(probes[name], timeoutMs)));
  const checks = Object.fromEntries(names.map((name, i) => [name, results[i]]));
  return { ok: results.every((r) => r.ok), checks };
}
