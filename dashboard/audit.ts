// The audit trail staff and auditors read: who opened which ID card, who decided what, when.
// JSON lines under <archive>/_audit/YYYY-MM-DD.jsonl (Bangkok day), appended, never rewritten.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type AuditAction = 'login' | 'login-failed' | 'login-throttled' | 'logout' | 'logout-everywhere' | 'view-person' | 'view-unit' | 'view-message'
  | 'view-unmatched' | 'search' | 'view-audit' | 'download-file' | 'download-eml' | 'download-zip' | 'export' | 'assign-message' | 'assign-item'
  | 'accept-document' | 'return-document' | 'accept-report' | 'return-report' | 'assign-unit' | 'account-add' | 'account-update' | 'account-password'
  | 'account-disable' | 'account-enable' | 'account-logout' | 'pause-reminders' | 'resume-reminders' | 'excuse-reminders' | 'unexcuse-reminders'
  | 'extend-deadline' | 'withdraw-extension' | 'queue-action';

export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'login',
  'login-failed',
  'login-throttled',
  'logout',
  'logout-everywhere',
  'view-person',
  'view-unit',
  'view-message',
  'view-unmatched',
  'search',
  'view-audit',
  'download-file',
  'download-eml',
  'download-zip',
  'export',
  'assign-message',
  'assign-item',
  'accept-document',
  'return-document',
  'accept-report',
  'return-report',
  'assign-unit',
  'account-add',
  'account-update',
  'account-password',
  'account-disable',
  'account-enable',
  'account-logout',
  'pause-reminders',
  'resume-reminders',
  'excuse-reminders',
  'unexcuse-reminders',
  'extend-deadline',
  'withdraw-extension',
  'queue-action',
];

export interface AuditEntry {
  at: string;
  /** The account name. */
  user: string;
  /** The person's own name on the account, when it has one. */
  name?: string;
  action: AuditAction;
  ip?: string;
  campaign?: string;
  /** National ID, unit folder, message key or export format the action was about. */
  target?: string;
  detail?: Record<string, unknown>;
}

const BANGKOK_OFFSET_MS = 7 * 60 * 60 * 1000;

export const AUDIT_DIR = '_audit';

export function auditFileName(at: Date): string {
  return `${new Date(at.getTime() + BANGKOK_OFFSET_MS).toISOString().slice(0, 10)}.jsonl`;
}

export class AuditLog {
  private chain: Promise<void> = Promise.resolve();
  private readonly dir: string;

  /** The person's own name on an account (accounts.ts), written beside the account name. */
  nameOf?: (user: string) => string | undefined;

  constructor(archiveRoot: string, private readonly clock: () => Date = () => new Date()) {
    this.dir = join(archiveRoot, AUDIT_DIR);
  }

  get directory(): string {
    return this.dir;
  }

  /** Resolves once the line is on disk; writes from this process keep their order. */
  write(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<void> {
    const at = entry.at ? new Date(entry.at) : this.clock();
    const name = entry.name ?? this.nameOf?.(entry.user);
    const line = `${JSON.stringify({ ...entry, ...(name ? { name } : {}), at: at.toISOString() })}\n`;
    const next = this.chain.then(async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o750 });
      await appendFile(join(this.dir, auditFileName(at)), line, { mode: 0o640 });
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}

export interface AuditQuery {
  /** Bangkok days, inclusive, YYYY-MM-DD. */
  from: string;
  to: string;
  user?: string;
  action?: string;
  campaign?: string;
  /** A national ID, unit, message key or search text the entry was about (substring). */
  target?: string;
  limit: number;
}

/** Days from..to (at most 92 of them); nothing for dates that are not dates. */
export function auditDays(from: string, to: string): string[] {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(from) || !day.test(to)) return [];
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length < 92; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** The entries of those days that match, newest first, at most `limit`; `more` when some were left out. */
export async function readAudit(dir: string, q: AuditQuery): Promise<{ entries: AuditEntry[]; more: boolean }> {
  const entries: AuditEntry[] = [];
  const target = q.target?.trim().toLowerCase();
  for (const day of auditDays(q.from, q.to).reverse()) {
    const text = await readFile(join(dir, `${day}.jsonl`), 'utf8').catch(() => '');
    const lines = text.split('\n').filter(Boolean).reverse();
    for (const line of lines) {
      let e: AuditEntry;
      try {
        e = JSON.parse(line) as AuditEntry;
      } catch {
        continue;
      }
      if (q.user && e.user !== q.user) continue;
      if (q.action && e.action !== q.action) continue;
      if (q.campaign && e.campaign !== q.campaign) continue;
      if (target && !`${e.target ?? ''} ${JSON.stringify(e.detail ?? {})}`.toLowerCase().includes(target)) continue;
      if (entries.length >= q.limit) return { entries, more: true };
      entries.push(e);
    }
  }
  return { entries, more: false };
}
