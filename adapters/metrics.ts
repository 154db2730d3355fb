// The process's Prometheus metrics (prom-client): one registry per process, the metric families every part
// records into, and small recording functions so callers never touch prom-client. It serves nothing itself
// (adapters/ops-server.ts does) and leaves queue depth to workers/queue-gauges.ts, which reads it from Redis.
// Labels never carry personal data: campaigns, queues, outcomes and error codes only.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** APPEND → reply: seconds at the low end (the benchmark's p95 is under 2 s), an hour at the top (stuck replies). */
const LATENCY_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600];
/** A job takes milliseconds (a reply) to a minute (a 50 MB ZIP of scans). */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** deferred: waits for the content queue to read its scans, and is counted again when it is decided. */
export type MessageOutcome = 'accepted' | 'incomplete' | 'rejected' | 'ignored' | 'duplicate' | 'deferred';
export type ReplyOutcome = 'sent' | 'suppressed' | 'failed' | 'retried';
/** read: pages the engine read; skipped: pages the budgets left unread; failed: the engine gave up on the file. */
export type OcrOutcome = 'read' | 'skipped' | 'failed' | (string & {});

type Labels<L extends string> = readonly L[];
/** The metric families below, each one line: registries, name, help, (buckets,) label names. */
const counter = <L extends string = never>(registers: Registry[], name: string, help: string, labelNames: Labels<L> = []) =>
  new Counter<L>({ name, help, labelNames, registers });
const gauge = <L extends string = never>(registers: Registry[], name: string, help: string, labelNames: Labels<L> = []) =>
  new Gauge<L>({ name, help, labelNames, registers });
const histogram = <L extends string = never>(registers: Registry[], name: string, help: string, buckets: number[], labelNames: Labels<L> = []) =>
  new Histogram<L>({ name, help, buckets, labelNames, registers });

export class Metrics {
  readonly registry = new Registry();
  readonly messagesReceived = counter([this.registry], 'seis_messages_received_total',
    'Originals stored in the archive and queued for ingest by the mailbox watcher.');
  readonly messagesProcessed = counter([this.registry], 'seis_messages_processed_total',
    'Messages ingested, by campaign ("none" when unrouted) and outcome (filed = accepted + incomplete; rejected; ignored; duplicate; deferred until its scans are read).',
    ['campaign', 'outcome']);
  readonly replies = counter([this.registry], 'seis_replies_total',
    'Replies and staff mail by outcome (sent, suppressed, failed for good, retried); detail = smtp/outbox, suppression reason or error code.', ['queue',
    'outcome', 'detail']);
  readonly replyLatency = histogram([this.registry], 'seis_append_to_reply_seconds',
    'From the message\'s arrival in the mailbox (IMAP INTERNALDATE) to its reply being sent.', LATENCY_BUCKETS);
  readonly jobDuration = histogram([this.registry], 'seis_job_duration_seconds',
    'Time a worker spent on one job attempt, by queue and result (completed, failed).', JOB_BUCKETS, ['queue', 'result']);
  readonly imapReconnects = counter([this.registry], 'seis_imap_reconnects_total',
    'IMAP connections opened again after one was lost or failed, by purpose (watch, followup).', ['purpose']);
  // The watcher gauges are registered by enableWatcherGauges(): only processes that can watch report them.
  readonly watcherConnected = gauge([], 'seis_imap_watcher_connected',
    '1 while this process watches the mailbox with a selected session; 0 otherwise (take max over processes: one holds the lease).');
  readonly watcherLastConnected = gauge([], 'seis_imap_watcher_last_connected_timestamp_seconds',
    'When this process\'s watcher last had a selected mailbox (Unix seconds; 0 = never).');
  readonly archiveWriteErrors = counter([this.registry], 'seis_archive_write_errors_total',
    'Failed atomic writes into the archive, by errno code (ENOSPC, EACCES, EROFS, EIO…).', ['code']);
  readonly ocrPages = counter([this.registry], 'seis_ocr_pages_total', 'Pages given to OCR, by outcome.', ['outcome']);
  readonly ocrSeconds = counter([this.registry], 'seis_ocr_seconds_total', 'Seconds spent in OCR, by outcome.', ['outcome']);
  readonly processStart = gauge([this.registry], 'seis_process_start_time_seconds', 'When this process started (Unix seconds), labelled with its command.', [
    'command',
  ]);

  /** The watcher gauges appear only in processes with a mailbox watcher (`run` with the watch role). */
  enableWatcherGauges(): void {
    const gauges = { seis_imap_watcher_connected: this.watcherConnected, seis_imap_watcher_last_connected_timestamp_seconds: this.watcherLastConnected };
    for (const [name, gauge] of Object.entries(gauges)) {
      if (!this.registry.getSingleMetric(name)) this.registry.registerMetric(gauge);
    }
  }

  /** Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The process's metrics. Tests that need a clean slate call `metrics.registry.resetMetrics()`. */
export const metrics = new Metrics();

/** For the OCR reader (usecases/content-reader.ts): one call per file it read. */
export function recordOcr(outcome: OcrOutcome, pages: number, seconds: number): void {
  // Both series appear together (zero included), so rates and ratios over them have both sides.
  metrics.ocrPages.inc({ outcome }, Number.isFinite(pages) && pages > 0 ? pages : 0);
  metrics.ocrSeconds.inc({ outcome }, Number.isFinite(seconds) && seconds > 0 ? seconds : 0);
}

export function recordArchiveWriteError(err: unknown): void {
  const code = (err as NodeJS.ErrnoException)?.code;
  metrics.archiveWriteErrors.inc({ code: typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : 'other' });
}
