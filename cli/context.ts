// Builds what every verb needs from its flags: the validated config, a logger, the archive store and
// the roster (loaded and checked once; row errors are reported, never fatal unless nothing loads).
import { loadConfig } from '../config/load.ts';
import type { AppConfig } from '../config/schema.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import type { UnitsDirectory } from '../pipelines/unit/index.ts';
import { ArchiveStore } from '../adapters/archive-store.ts';
import { createLogger, type Logger } from '../adapters/logger.ts';
import { loadRosterFile, loadUnitsFile } from '../adapters/reference-files.ts';
import { ContentCache } from '../adapters/content-cache.ts';
import { createPageEngine } from '../adapters/content/index.ts';
import type { ContentReader } from '../usecases/content-step.ts';
import { inlineContentReader } from '../usecases/content-reader.ts';

export interface CliContext {
  config: AppConfig;
  log: Logger;
  store: ArchiveStore;
  roster?: Roster;
  /** The units file (--units / UNITS_FILE): which unit must send which request. */
  units?: UnitsDirectory;
  /** Reads scans inline (content.mode on): the CLI has no `content` queue. */
  content?: ContentReader;
}

export interface CommonFlags {
  config?: string;
  archive?: string;
  roster?: string;
  outbox?: string;
  units?: string;
}

export function configFromFlags(flags: CommonFlags, extra: Record<string, unknown> = {}): AppConfig {
  return loadConfig({
    configFile: flags.config,
    overrides: { archiveDir: flags.archive, rosterFile: flags.roster, outboxDir: flags.outbox, unitsFile: flags.units, ...extra },
  });
}

export async function buildContext(flags: CommonFlags, opts: { logLevel?: string } = {}): Promise<CliContext> {
  const config = configFromFlags(flags);
  const log = createLogger({ level: opts.logLevel ?? config.logLevel, pretty: config.logPretty });
  const store = new ArchiveStore(config.archiveDir, { logger: log, outboxDir: config.outboxDir });
  const roster = config.rosterFile ? await loadRosterFile(config.rosterFile, log) : undefined;
  const units = config.unitsFile ? await loadUnitsFile(config.unitsFile, log, config.campaigns.map((c) => c.id)) : undefined;
  const content = config.content.mode === 'on'
    ? inlineContentReader({ engine: createPageEngine(config), cache: new ContentCache(store), now: () => new Date(), limits: config.content, log })
    : undefined;
  return { config, log, store, roster, ...(units ? { units } : {}), ...(content ? { content } : {}) };
}
