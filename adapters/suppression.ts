// Addresses we stop replying to because one of our replies to them bounced. Kept in the archive
// (_state/suppressed/), which every process shares and which outlives Redis; one small file per address.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { normaliseAddress } from '../pipelines/mail/index.ts';
import { json, readJson, writeAtomic } from './atomic-fs.ts';

export interface SuppressionEntry {
  address: string;
  since: string;
  /** The bounce that put it here. */
  bounceMessageKey: string;
  replyMessageIds: string[];
}

export class SuppressionList {
  private readonly dir: string;

  constructor(archiveRoot: string) {
    this.dir = path.join(path.resolve(archiveRoot), '_state', 'suppressed');
  }

  private file(address: string): string {
    const key = createHash('sha256').update(normaliseAddress(address)).digest('hex').slice(0, 32);
    return path.join(this.dir, `${key}.json`);
  }

  async get(address: string): Promise<SuppressionEntry | undefined> {
    return readJson<SuppressionEntry>(this.file(address));
  }

  async add(entry: SuppressionEntry): Promise<void> {
    if (await this.get(entry.address)) return;
    await writeAtomic(this.file(entry.address), json({ ...entry, address: normaliseAddress(entry.address) }));
  }
}
