// Runs the real pipeline (usecases/ingest-message.ts) into a temporary archive, for integration tests.
import { mkdtempSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { loadConfig } from '../../config/load.ts';
import type { AppConfig } from '../../config/schema.ts';
import { buildRoster } from '../../pipelines/identity/roster.ts';
import { buildReport } from '../../pipelines/person/report.ts';
import type { Person } from '../../pipelines/types.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';
import { composeReplyMail, ingestRaw, type IngestOutcome } from '../../usecases/ingest-message.ts';
import { silentLogger } from '../../adapters/logger.ts';
import { ContentCache } from '../../adapters/content-cache.ts';
import { createPageEngine } from '../../adapters/content/index.ts';
import { inlineContentReader } from '../../usecases/content-reader.ts';
import { ROSTER } from './people.ts';

export interface TestPipeline {
  root: string;
  config: AppConfig;
  store: ArchiveStore;
  ingest(raw: Buffer, opts?: { internalDate?: Date }): Promise<IngestOutcome & { replyMail?: ParsedMail }>;
  report(): Promise<ReturnType<typeof buildReport>>;
}

/** `readScans`: read every PDF's pages inline with the real engine (tesseract), as the CLI does. */
export function testPipeline(opts: { env?: Record<string, string>; roster?: Person[] | null; now?: Date; readScans?: boolean } = {}): TestPipeline {
  const root = mkdtempSync(join(tmpdir(), 'seis-pipeline-'));
  const config = loadConfig({ env: { ARCHIVE_DIR: root, REPLY_FROM: 'SEIS Intake <seis@dep.example.test>', ...opts.env } });
  const store = new ArchiveStore(root);
  const roster = opts.roster === null ? undefined : buildRoster(opts.roster ?? ROSTER);
  const now = () => opts.now ?? new Date('2023-09-20T03:00:00Z');
  const content = opts.readScans
    ? inlineContentReader({ engine: createPageEngine(config), cache: new ContentCache(store), now, limits: config.content, log: silentLogger })
    : undefined;
  return {
    root,
    config,
    store,
    async ingest(raw, o = {}) {
      const outcome = await ingestRaw(raw, { config, store, roster, now, log: silentLogger, internalDate: o.internalDate, content });
      const replyMail = outcome.reply ? await simpleParser(await composeReplyMail(outcome.reply, config.reply.from)) : undefined;
      return { ...outcome, replyMail };
    },
    async report() {
      const campaign = config.campaigns[0];
      const [persons, unmatched] = await Promise.all([store.listPersons(campaign.id), store.listUnmatched(campaign.id)]);
      return buildReport({ campaign, roster: roster?.persons, persons, unmatched, now: now() });
    },
  };
}

/** Every file below a folder, as paths relative to it. */
export async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listTree(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
