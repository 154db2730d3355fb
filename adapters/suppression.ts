// Addresses we stop replying to because one of our replies to them bounced. Kept in the archive
// (_state/suppressed/), which every process shares and which outlives Redis; one small file per address.
import path from 'node:path';
import { sha256 } from '../pipelines/hash.ts';
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
    const key = sha256(normaliseAddress(address)).slice(0, 32);
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
