// The one validated configuration. Layers: defaults → config file → environment → *_FILE secrets.
// Only config/load.ts reads process.env; everything else receives a parsed AppConfig.
import { z } from 'zod';
import { campaignSchema } from './campaign-schema.ts';
import { dashboardSection } from './dashboard-schema.ts';
import { DEFAULT_CAMPAIGNS } from './default-campaigns.ts';
import { clockTime, flag, holiday, mailServer, positiveInt } from './schema-fields.ts';

export { campaignSchema, type CampaignConfig, UNIT_KINDS, unitKind } from './campaign-schema.ts';
export { dashboardUser, type DashboardUserConfig, MIN_PASSWORD_LENGTH, type Role, ROLES } from './dashboard-schema.ts';
export { flag } from './schema-fields.ts';

const email = z.string().min(3);

export const configSchema = z.object({
  archiveDir: z.string().min(1).default('./archive'),
  rosterFile: z.string().min(1).optional(),
  /** Units file (CSV/XLSX): which unit must send which request, and their contact addresses. */
  unitsFile: z.string().min(1).optional(),
  outboxDir: z.string().min(1).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  logPretty: flag.default(false),
  /** The circular asks for PDF: image scans are refused unless this says convert. */
  images: z.enum(['reject', 'convert']).default('reject'),
  defaultCampaign: z.string().default('seis-certification'),
  campaigns: z.array(campaignSchema).min(1).prefault(DEFAULT_CAMPAIGNS),
  limits: z.object({
    /** Whole raw message. Large mailboxes cap at 25–35 MB; this leaves room for base64 overhead. */
    maxMessageBytes: positiveInt.default(80 * 1024 * 1024),
    maxFileBytes: positiveInt.default(40 * 1024 * 1024),
    maxFilesPerMessage: positiveInt.default(300),
    maxZipDepth: positiveInt.default(3),
    maxZipEntries: positiveInt.default(1000),
    maxZipTotalBytes: positiveInt.default(300 * 1024 * 1024),
    /** Scanned PDFs barely compress; a ratio above this is a bomb, not a scan. */
    maxZipRatio: positiveInt.default(100),
    maxNameLength: positiveInt.default(150),
  }).prefault({}),
  imap: z.object({
    ...mailServer(993, true),
    accessToken: z.string().optional(),
    mailbox: z.string().default('INBOX'),
    /** Safety net beside IDLE: how often the watcher re-reads the whole mailbox. */
    recheckSeconds: positiveInt.default(60),
    /** The watcher lease: another process takes over this long after the holder died. */
    leaseSeconds: positiveInt.min(2).default(15),
    folders: z.object({
      processed: z.string().default('Processed'),
      rejected: z.string().default('Rejected'),
      ignored: z.string().default('Ignored'),
    }).prefault({}),
  }).prefault({}),
  smtp: z.object(mailServer(587, false)).prefault({}),
  oauth: z.object({
    tokenUrl: z.string().url().optional(),
    clientId: z.string().optional(),
    clientSecret: z.string().optional(),
    refreshToken: z.string().optional(),
  }).prefault({}),
  redis: z.object({
    url: z.string().default('redis://127.0.0.1:6379'),
    prefix: z.string().default('seis'),
  }).prefault({}),
  ingestConcurrency: positiveInt.max(64).default(2),
  /** BullMQ retries of transient failures: exponential backoff with jitter from backoffMs. */
  jobs: z.object({
    attempts: positiveInt.max(100).default(10),
    backoffMs: positiveInt.default(5000),
    /** A job whose process died is retried once its lock expires (BullMQ lockDuration). */
    lockMs: positiveInt.min(1000).default(30000),
  }).prefault({}),
  reply: z.object({
    from: email.default('SEIS Intake <seis-intake@localhost>'),
    /** Addresses that are ours: never answered (loops). The reply From address is always included. */
    ownAddresses: z.array(email).default([]),
    maxPerSenderPerHour: positiveInt.default(10),
    requireAuth: flag.default(false),
  }).prefault({}),
  /** Reading the scans themselves (docs/content.md). */
  content: z.object({
    /** `off`: decide from file names only, as before content reading existed. */
    mode: z.enum(['on', 'off']).default('on'),
    /** Files read at once by one `content` process (each page is one tesseract process). */
    concurrency: positiveInt.max(32).default(1),
    /** A page that takes longer is flagged unreadable; the file and the message go on. */
    pageTimeoutSeconds: positiveInt.default(60),
    maxPagesPerFile: positiveInt.default(40),
    maxPagesPerMessage: positiveInt.default(120),
    /** Page flags that make a file invalid instead of only flagging it for staff. */
    rejectFlags: z.preprocess(
      (v) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : v),
      z.array(z.enum(['blank', 'unreadable', 'low-resolution', 'no-certification'])),
    ).default([]),
  }).prefault({}),
  /** The office calendar reminders keep to (Asia/Bangkok): working days and hours. */
  calendar: z.object({
    /** Days of the week without sends: 0 = Sunday … 6 = Saturday. */
    weekend: z.array(z.number().int().min(0).max(6)).default([0, 6]),
    /** Public holidays (no sends); a step that falls on one moves to the next working day. */
    holidays: z.array(holiday).default([]),
    /** Sends happen between these Bangkok times on working days. */
    hours: z.object({ start: clockTime.default('08:30'), end: clockTime.default('16:30') }).prefault({}),
  }).prefault({}),
  /** How `run` checks for due reminders: a BullMQ job scheduler on this cron pattern (Asia/Bangkok). */
  reminders: z.object({
    checkPattern: z.string().min(9).default('*/15 * * * *'),
  }).prefault({}),
  dashboard: dashboardSection.prefault({}),
  /** Prometheus /metrics, /healthz and /readyz of `run` and `serve` (docs/operations.md). Off unless a port is set. */
  metrics: z.object({
    /** 0 = any free port (printed in the log), for tests. Never the dashboard's port. */
    port: z.coerce.number().int().min(0).max(65535).optional(),
    /** Loopback by default: metrics tell outsiders how busy the mailbox is. */
    host: z.string().min(1).default('127.0.0.1'),
  }).prefault({}),
  ready: z.object({
    /** /readyz fails when the archive's disk has less free space than this (a 80 MB message must still fit). */
    minFreeMb: positiveInt.default(512),
  }).prefault({}),
});

export type AppConfig = z.infer<typeof configSchema>;
