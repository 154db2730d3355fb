// The `content` queue's worker: reads one file of a stored message (text layer or OCR) into the archive's
// cache, so the message's second ingest run (the flow parent) decides with it. CPU-heavy: run as many
// `--roles content` processes on as many machines as share the archive; `content.concurrency` files each.
import { UnrecoverableError, type ConnectionOptions, type Job, type Worker } from 'bullmq';
import type { AppConfig } from '../config/schema.ts';
import { parseMessageStream } from '../pipelines/mail/index.ts';
import { validateFile } from '../pipelines/documents/index.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { ContentCache } from '../adapters/content-cache.ts';
import type { Logger } from '../adapters/logger.ts';
import { contentPayload, QUEUE_NAMES, verifyPayload, type ContentPayload, type VerifyPayload } from '../adapters/queues.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import type { ParsedMessage } from '../pipelines/types.ts';
import { budgetSink, type BodySink } from '../pipelines/body.ts';
import { cachedContentReader, readAndCache, type PageEngine } from '../usecases/content-reader.ts';
import { verifyWithContent } from '../usecases/content-verify.ts';
import type { StaffMailQueue } from '../usecases/staff-mail.ts';
import { jobLogger, startWorker } from './job-events.ts';
import { MAX_HELD_BYTES, RecentParse } from './recent-parse.ts';

export interface ContentWorkerDeps {
  config: AppConfig;
  log: Logger;
  store: ArchiveStore;
  cache: ContentCache;
  engine: PageEngine;
  connection: ConnectionOptions;
  now: () => Date;
  roster: () => Promise<Roster | undefined>;
  /** Corrective mails (run's staff-mail queue); without it they stay in the outbox. */
  mailQueue?: StaffMailQueue;
}

export interface ContentResult {
  sha256?: string;
  pages?: number;
  cached?: boolean;
  seconds?: number;
  corrected?: number;
}

export function processContent(deps: ContentWorkerDeps) {
  const recent = new RecentParse();
  // A message whose files fit MAX_HELD_BYTES is parsed into memory once for all its jobs; others into each job's spool.
  const parse = async (emlPath: string, sink: BodySink): Promise<ParsedMessage> => {
    const held = recent.peek(emlPath);
    if (held) return held;
    const source = await deps.store.openOriginal(emlPath);
    const limits = deps.config.limits;
    if (source.size > MAX_HELD_BYTES) return parseMessageStream(source, { limits, sink });
    return recent.get(emlPath, () => parseMessageStream(source, { limits, sink: budgetSink(MAX_HELD_BYTES, sink) }));
  };
  const read = processRead(deps, parse);
  return async (job: Job<ContentPayload | VerifyPayload>): Promise<ContentResult> => {
    if (job.name !== 'verify') return read(job as Job<ContentPayload>);
    const payload = verifyPayload.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`bad verify payload: ${payload.error.message}`);
    const outcome = await verifyWithContent({
      config: deps.config,
      store: deps.store,
      roster: await deps.roster(),
      content: cachedContentReader(deps.cache),
      now: deps.now,
      log: jobLogger(deps.log, QUEUE_NAMES.content, job),
      mailQueue: deps.mailQueue,
      parse,
    }, payload.data.messageKey);
    recent.drop(); // the message's last job
    return { corrected: outcome.corrected.length };
  };
}

function processRead(deps: ContentWorkerDeps, parse: (emlPath: string, sink: BodySink) => Promise<ParsedMessage>) {
  return async (job: Job<ContentPayload>): Promise<ContentResult> => {
    const log = jobLogger(deps.log, QUEUE_NAMES.content, job);
    const payload = contentPayload.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`bad content payload: ${payload.error.message}`);
    const { emlPath, sha256 } = payload.data;
    const known = await deps.cache.get(sha256);
    if (known) return { sha256, pages: known.pages.length, cached: true, seconds: 0 };
    const entry = await deps.store.spool.with(async (sink) => {
      const parsed = await parse(emlPath, sink);
      const file = parsed.files.find((f) => f.sha256 === sha256);
      if (!file) throw new UnrecoverableError('the file is no longer in its message');
      const { validation, pdf } = await validateFile(file, { images: deps.config.images });
      if (!validation.ok) throw new UnrecoverableError(`not a readable document (${validation.code})`);
      return readAndCache({ sha256, content: pdf ?? await file.body.bytes() }, {
        engine: deps.engine,
        cache: deps.cache,
        now: deps.now,
        limits: deps.config.content,
      });
    });
    log.info({ code: 'content.read', pages: entry.pages.length, skipped: entry.skippedPages ?? 0, seconds: entry.seconds }, 'file read');
    return { sha256, pages: entry.pages.length, cached: false, seconds: entry.seconds };
  };
}

export function startContentWorker(deps: ContentWorkerDeps): Worker<ContentPayload | VerifyPayload, ContentResult> {
  return startWorker(QUEUE_NAMES.content, processContent(deps), deps, deps.config.content.concurrency);
}
