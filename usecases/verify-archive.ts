// `seis-intake verify`: proves the archive whole. Every original hashes to its name and is claimed by a message
// record; every record's originals exist and its filings are in their folders' manifests; every folder holds
// exactly what its manifest lists (verify-folders.ts); no temp file of an unfinished write, nothing outside the
// layout (pipelines/archive-layout.ts). Reads only: repair-archive.ts acts on the findings.
import path from 'node:path';
import type { AppConfig } from '../config/schema.ts';
import { classifySystemPath, isCampaignFolderName, rawKeyOfPath, SYSTEM_DIRS, tempName } from '../pipelines/archive-layout.ts';
import type { MessageRecord } from '../pipelines/types.ts';
import { HashCache, processAlive, walkArchive, type WalkEntry } from '../adapters/archive-walk.ts';
import { readJson } from '../adapters/atomic-fs.ts';
import { checkPersonFolder, checkPersonIndexes, checkUnitFolder, checkUnmatched, type FolderGroup } from './verify-folders.ts';
import { folderKey, sortFindings, type Finding, type VerifyContext, type VerifyReport } from './verify-types.ts';

/** A temp file this young from a running process is a write in progress, not debris. */
const IN_PROGRESS_MS = 10 * 60_000;

export interface VerifyOptions {
  config: Pick<AppConfig, 'campaigns'>;
  now?: () => Date;
}

function context(root: string, entries: WalkEntry[]): VerifyContext {
  const byRel = new Map(entries.map((e) => [e.rel, e]));
  const hashes = new HashCache(root);
  const findings = new Map<string, Finding>();
  return {
    root,
    entries: byRel,
    records: new Map(),
    accounted: new Set(),
    filed: new Map(),
    personDirs: new Map(),
    broken: new Set(),
    mentioned: new Set(),
    originals: new Map(entries.flatMap((e) => {
      const k = rawKeyOfPath(e.rel);
      return k ? [[k, e.rel] as [string, string]] : [];
    })),
    findings: () => [...findings.values()],
    hash: async (rel) => {
      const e = byRel.get(rel);
      return e?.type === 'file' ? hashes.get(e) : undefined;
    },
    readJson: async <T>(rel: string) => {
      try {
        const value = await readJson<T>(path.join(root, rel));
        return value === undefined || value === null || typeof value !== 'object' ? { error: 'empty or not an object' } : { value };
      } catch (err) {
        return { error: /corrupt JSON/.test((err as Error).message) ? 'not valid JSON' : (err as NodeJS.ErrnoException).code ?? 'unreadable' };
      }
    },
    add: (f) => {
      const key = `${f.code} ${f.path}`;
      if (!findings.has(key)) findings.set(key, f);
    },
  } as VerifyContext & { findings: () => Finding[] };
}

/** Temp files first: they are debris (or a write in progress) wherever they are. */
function checkTemps(ctx: VerifyContext, now: number): void {
  for (const e of ctx.entries.values()) {
    const temp = tempName(path.posix.basename(e.rel));
    if (!temp) continue;
    ctx.accounted.add(e.rel);
    const live = (temp.pid === undefined || processAlive(temp.pid)) && now - e.mtimeMs < IN_PROGRESS_MS;
    ctx.add(live
      ? { severity: 'warning', code: 'temp-in-progress', path: e.rel, detail: temp.pid ? `process ${temp.pid} is running` : 'recent' }
      : { severity: 'damage', code: 'temp-leftover', path: e.rel, detail: `${e.size} bytes, a write that never finished`, repair: 'quarantine' });
  }
}

async function checkSystemAreas(ctx: VerifyContext): Promise<{ originals: number }> {
  let originals = 0;
  for (const e of ctx.entries.values()) {
    if (ctx.accounted.has(e.rel) || !SYSTEM_DIRS.some((d) => e.rel.startsWith(`${d}/`))) continue;
    const verdict = classifySystemPath(e.rel);
    if (!verdict || e.type !== 'file') continue; // left for the "outside the layout" sweep
    ctx.accounted.add(e.rel);
    if ('unknownArea' in verdict) {
      ctx.add({ severity: 'warning', code: 'unknown-state-area', path: `_state/${verdict.unknownArea}`, detail: 'not a state area of this version' });
    } else if (verdict.kind === 'original') {
      originals++;
      const actual = await ctx.hash(e.rel);
      if (actual !== rawKeyOfPath(e.rel))
        ctx.add({ severity: 'damage', code: 'hash-mismatch', path: e.rel, detail: 'an original whose bytes are not those it was stored with' });
    } else if (verdict.kind === 'message-record') {
      const { value, error } = await ctx.readJson<MessageRecord>(e.rel);
      if (value?.messageKey) ctx.records.set(value.messageKey, value);
      else ctx.add({ severity: 'damage', code: 'record-unreadable', path: e.rel, detail: error ?? 'no messageKey' });
    }
  }
  return { originals };
}

/** Folders of the campaigns: person (<c>/<unit>/<person>/), unit (<folder>/<unit>/), unmatched (<c>/_unmatched/<key>/). */
function groupFolders(ctx: VerifyContext, config: VerifyOptions['config']): FolderGroup[] {
  const unitFolders = new Map(config.campaigns.filter((c) => c.scope === 'unit').map((c) => [c.folder ?? c.id, c.id]));
  const groups = new Map<string, FolderGroup>();
  for (const e of ctx.entries.values()) {
    if (ctx.accounted.has(e.rel)) continue;
    const parts = e.rel.split('/');
    const [top] = parts;
    if (top.startsWith('_') || top.startsWith('.') || !isCampaignFolderName(top) || parts.length < 3) continue;
    let ref: FolderRef | undefined;
    let depth = 0;
    if (parts[1] === '_unmatched' && parts.length >= 4) {
      ref = { kind: 'unmatched', campaign: top, messageKey: parts[2], dir: parts.slice(0, 3).join('/') };
      depth = 3;
    } else if (unitFolders.has(top)) {
      ref = { kind: 'unit', campaign: unitFolders.get(top)!, unitKey: parts[1], dir: parts.slice(0, 2).join('/') };
      depth = 2;
    } else if (parts.length >= 4 && /^\d{13}( |$)/.test(parts[2])) {
      const dir = parts.slice(0, 3).join('/');
      ref = { kind: 'person', campaign: top, nationalId: parts[2].slice(0, 13), dir };
      depth = 3;
    }
    if (!ref) continue;
    const dir = parts.slice(0, depth).join('/');
    const group = groups.get(dir) ?? { ref, dir, files: [] };
    group.files.push(e.rel);
    groups.set(dir, group);
  }
  return [...groups.values()];
}

type FolderRef = FolderGroup['ref'];

/** Every record against the originals and the folders it says it filed into. */
function checkRecords(ctx: VerifyContext, config: VerifyOptions['config']): void {
  const unitCampaigns = new Set(config.campaigns.filter((c) => c.scope === 'unit').map((c) => c.id));
  for (const r of ctx.records.values()) {
    const where = `record ${r.messageKey}`;
    for (const rel of new Set([r.emlPath, ...(r.rawKeys ?? []).map((k) => ctx.originals.get(k) ?? `_messages/…/${k}.eml`)])) {
      if (!ctx.entries.has(rel)) ctx.add({ severity: 'damage', code: 'original-missing', path: rel, detail: `named by ${where}` });
    }
    const refs: FolderRef[] = unitCampaigns.has(r.campaign)
      ? (r.unit ? [{ kind: 'unit', campaign: r.campaign, unitKey: r.unit, dir: '' }] : [])
      : r.persons.map((nationalId) => ({ kind: 'person', campaign: r.campaign, nationalId }));
    for (const ref of refs) {
      if (ctx.filed.get(folderKey(ref))?.has(r.messageKey) || ctx.broken.has(folderKey(ref))) continue;
      const exists = ctx.filed.has(folderKey(ref));
      ctx.add({
        severity: 'damage',
        code: exists ? 'manifest-misses-message' : 'manifest-missing',
        path: ref.kind === 'person' ? `${ref.campaign}/…/${ref.nationalId}` : ref.kind === 'unit' ? `${ref.campaign}/${ref.unitKey}` : ref.dir,
        detail: `${where} says it was filed there`,
        repair: 'rebuild',
        folder: ref,
      });
    }
    if (r.reply?.outboxPath && !path.isAbsolute(r.reply.outboxPath)) {
      if (ctx.entries.has(r.reply.outboxPath)) ctx.accounted.add(r.reply.outboxPath);
      else ctx.add({ severity: 'damage', code: 'missing-file', path: r.reply.outboxPath, detail: `the reply ${where} wrote to the outbox` });
    }
  }
}

export async function verifyArchive(root: string, opts: VerifyOptions): Promise<VerifyReport> {
  const abs = path.resolve(root);
  const now = (opts.now ?? (() => new Date()))();
  const entries = await walkArchive(abs);
  const ctx = context(abs, entries) as VerifyContext & { findings: () => Finding[] };
  checkTemps(ctx, now.getTime());
  const { originals } = await checkSystemAreas(ctx);
  for (const r of ctx.records.values()) {
    for (const nationalId of r.persons ?? []) ctx.mentioned.add(folderKey({ kind: 'person', campaign: r.campaign, nationalId }));
    if (r.unit) ctx.mentioned.add(folderKey({ kind: 'unit', campaign: r.campaign, unitKey: r.unit, dir: '' }));
  }
  const groups = groupFolders(ctx, opts.config);
  for (const g of groups) {
    if (g.ref.kind === 'person') await checkPersonFolder(ctx, g as FolderGroup & { ref: { kind: 'person' } });
    else if (g.ref.kind === 'unit') await checkUnitFolder(ctx, g as FolderGroup & { ref: { kind: 'unit' } });
    else await checkUnmatched(ctx, g as FolderGroup & { ref: { kind: 'unmatched' } });
  }
  await checkPersonIndexes(ctx);
  checkRecords(ctx, opts.config);
  const claimed = new Set([...ctx.records.values()].flatMap((r) => r.rawKeys ?? []));
  for (const [key, rel] of ctx.originals) {
    if (!claimed.has(key))
      ctx.add({ severity: 'damage', code: 'original-without-record', path: rel, detail: 'stored but never processed (or its record is lost)' });
  }
  checkOutbox(ctx);
  for (const e of entries) {
    if (!ctx.accounted.has(e.rel)) ctx.add({ severity: 'damage', code: 'outside-layout', path: e.rel, detail: e.type === 'file' ? `${e.size} bytes` : e.type });
  }
  const findings = sortFindings(ctx.findings());
  const damage = findings.filter((f) => f.severity === 'damage').length;
  return {
    root: abs,
    checkedAt: now.toISOString(),
    clean: damage === 0,
    findings,
    summary: {
      files: entries.length,
      bytes: entries.reduce((n, e) => n + e.size, 0),
      originals,
      records: ctx.records.size,
      persons: groups.filter((g) => g.ref.kind === 'person').length,
      units: groups.filter((g) => g.ref.kind === 'unit').length,
      unmatched: groups.filter((g) => g.ref.kind === 'unmatched').length,
      damage,
      warnings: findings.length - damage,
    },
  };
}

/** Replies in _outbox/ belong to a record (accounted above) or to a staff mail record. */
function checkOutbox(ctx: VerifyContext): void {
  const named = new Set([...ctx.records.values()].map((r) => r.reply?.outboxPath));
  for (const rel of ctx.entries.keys()) {
    const m = /^_outbox\/(.+)\.eml$/.exec(rel);
    if (!m || named.has(rel)) continue;
    if (!ctx.entries.has(`_state/staff-mail/${m[1]}.json`))
      ctx.add({ severity: 'warning', code: 'outbox-orphan', path: rel, detail: 'no record or staff mail names it' });
  }
}
