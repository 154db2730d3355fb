// The audit trail staff and auditors read: who opened which ID card, who decided what, when.
// JSON lines under <archive>/_audit/YYYY-MM-DD.jsonl (Bangkok day), appended, never rewritten.
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export type AuditAction =
  | 'login' | 'login-failed' | 'logout'
  | 'view-person' | 'view-unit' | 'download-file' | 'download-eml' | 'download-zip' | 'export'
  | 'assign-message' | 'assign-item' | 'accept-document' | 'return-document';

export interface AuditEntry {
  at: string;
  user: string;
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

  constructor(archiveRoot: string, private readonly clock: () => Date = () => new Date()) {
    this.dir = join(archiveRoot, AUDIT_DIR);
  }

  /** Resolves once the line is on disk; writes from this process keep their order. */
  write(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<void> {
    const at = entry.at ? new Date(entry.at) : this.clock();
    const line = `${JSON.stringify({ ...entry, at: at.toISOString() })}\n`;
    const next = this.chain.then(async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o750 });
      await appendFile(join(this.dir, auditFileName(at)), line, { mode: 0o640 });
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
