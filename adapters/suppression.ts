// Addresses we stop replying to because one of our replies to them bounced. Kept in the archive
// (_state/suppressed/), which every process shares and which outlives Redis; one small file per address.
import { readdir } from 'node:fs/promises';
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

  /** Every suppressed address (normalised): a few files, read for planning reminders. */
  async addresses(): Promise<Set<string>> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const entries = await Promise.all(
      names.filter((n) => n.endsWith('.json')).map((n) => readJson<SuppressionEntry>(path.join(this.dir, n)).catch(() => undefined)),
    );
    return new Set(entries.filter((e): e is SuppressionEntry => Boolean(e)).map((e) => normaliseAddress(e.address)));
  }

  async add(entry: SuppressionEntry): Promise<void> {
    if (await this.get(entry.address)) return;
    await writeAtomic(this.file(entry.address), json({ ...entry, address: normaliseAddress(entry.address) }));
  }
}
