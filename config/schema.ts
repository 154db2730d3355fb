// The one validated configuration. Layers: defaults → config file → environment → *_FILE secrets.
// Only config/load.ts reads process.env; everything else receives a parsed AppConfig.
import { z } from 'zod';
import { parseDeadline, toCeYear } from './deadline.ts';
import { DEFAULT_CAMPAIGNS, DEFAULT_REMINDER_STEPS } from './default-campaigns.ts';

const deadline = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const date = parseDeadline(value);
  if (!date) {
    ctx.addIssue({ code: 'custom', message: `not a date: "${String(value)}" (use 2566-09-22, 2023-09-22 or ISO)` });
    return z.NEVER;
  }
  return date;
});

/** "true"/"false"/"1"/"0"/"yes"/"no" — z.coerce.boolean() would turn "false" into true. */
export const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes'),
]);

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** Where a mail server is and how to log in to it (IMAP and SMTP alike); every field optional but the defaults. */
const mailServer = (defaultPort: number, defaultSecure: boolean) => ({
  host: z.string().optional(),
  port: port.default(defaultPort),
  secure: flag.default(defaultSecure),
  user: z.string().optional(),
  password: z.string().optional(),
});

const checklistItem = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'checklist ids are lower-case words joined by "-"'),
  label: z.string().min(1),
  required: z.boolean().default(false),
  replacedBy: z.array(z.string()).optional(),
  replaces: z.string().optional(),
  parts: z.array(z.enum(['degree', 'transcript'])).optional(),
  multiple: z.boolean().optional(),
  keywords: z.array(z.string()).default([]),
});

/** The circular's unit kinds (units file, column kind). */
export const UNIT_KINDS = ['province-office', 'central', 'institute', 'centre'] as const;
export const unitKind = z.enum(UNIT_KINDS);

/** How a message is sent to this campaign (pipelines/route.ts decides; README "Campaigns" explains). */
const routing = z.object({
  /** Words in the subject, Thai or English, compared without case and spaces. */
  subjectKeywords: z.array(z.string().min(1)).default([]),
  /** seis+TAG@… on To/Cc/Delivered-To/X-Original-To sends the message here, whatever else it says. */
  plusTags: z.array(z.string().regex(/^[a-z0-9._-]+$/i, 'plus tags are letters, digits, ".", "_" or "-"')).default([]),
});

/** "09:00": a Bangkok wall-clock time. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day is HH:MM (Bangkok), e.g. 09:00');

/** One reminder step: so many calendar days before the deadline, or so many working days after it, at a time. */
const reminderStep = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,23}$/, 'step ids are lower-case words joined by "-" (d-7, overdue)'),
  daysBefore: z.number().int().min(0).max(365).optional(),
  workingDaysAfter: z.number().int().min(1).max(60).optional(),
  at: clockTime.default('09:00'),
}).superRefine((s, ctx) => {
  if ((s.daysBefore === undefined) === (s.workingDaysAfter === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'a step has either daysBefore or workingDaysAfter' });
  }
});

/** What a campaign chases before its deadline (pipelines/reminders decides; docs/reminders.md explains). */
const campaignReminders = z.object({
  enabled: flag.default(true),
  steps: z.array(reminderStep).default(DEFAULT_REMINDER_STEPS),
  /** A reminder to each roster person (person-scope campaigns). */
  persons: flag.default(true),
  /** One digest per step to each unit's contact addresses (units file). */
  unitDigests: flag.default(true),
  /** A step after the deadline (overdue) missed while the service was down is still sent this many days late. */
  lateSendDays: positiveInt.default(7),
}).superRefine((r, ctx) => {
  const ids = r.steps.map((s) => s.id);
  if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'step ids must differ' });
});

/** A later deadline for one person (national ID) or one unit (units-file id or name), from the config file. */
const extension = z.object({
  nationalId: z.string().regex(/^\d{13}$/, 'a national ID is 13 digits').optional(),
  unit: z.string().min(1).optional(),
  until: deadline,
  reason: z.string().max(300).optional(),
}).superRefine((e, ctx) => {
  if (Boolean(e.nationalId) === Boolean(e.unit)) ctx.addIssue({ code: 'custom', message: 'an extension names either nationalId or unit' });
});

export const campaignSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  deadline,
  latePolicy: z.enum(['accept', 'reject']).default('accept'),
  scope: z.enum(['person', 'unit']).default('person'),
  checklist: z.array(checklistItem).min(1),
  /** Archive folder of a unit-scope campaign (<archive>/<folder>/<unit>/); person campaigns use their id. */
  folder: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'folder keys are lower-case words joined by "-"').optional(),
  /** The structured data a unit-scope campaign reads (and the Thai reply and published template it uses). */
  form: z.enum(['login-status', 'admin-appointment']).optional(),
  routing: routing.prefault({}),
  /** Unit kinds the circular asks for this request; a units-file row may override it (column requests). */
  expectedFrom: z.array(unitKind).default(['province-office', 'central', 'institute']),
  reminders: campaignReminders.prefault({}),
  extensions: z.array(extension).default([]),
}).superRefine((c, ctx) => {
  if (c.scope === 'unit' && !c.form)
    ctx.addIssue({ code: 'custom', path: ['form'], message: 'a unit-scope campaign needs form: login-status or admin-appointment' });
});

const email = z.string().min(3);

/** Every password staff choose: the dashboard, `seis-intake users`, ADMIN_PASSWORD (counted in characters). */
export const MIN_PASSWORD_LENGTH = 12;
const password = z.string().refine((p) => [...p].length >= MIN_PASSWORD_LENGTH, `needs at least ${MIN_PASSWORD_LENGTH} characters`);

/** admin: everything and accounts; central: every unit, review; unit: its own units; viewer: read-only. */
export const ROLES = ['admin', 'central', 'unit', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** One account of config `dashboard.users`. Unknown keys are an error: a mistyped `unit:` must not widen access. */
export const dashboardUser = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'user names are letters, digits, ".", "_", "@" or "-" (max 64)'),
  /** The person's own name, shown in the audit log beside the account name. */
  displayName: z.string().trim().min(1).max(120).optional(),
  passwordHash: z.string().min(1),
  /** Without a role: central (what every user could do before roles existed, less account management). */
  role: z.enum(ROLES).default('central'),
  /** Units-file ids or unit names; unit users need at least one; viewers with none see every unit. */
  units: z.array(z.string().trim().min(1).max(300)).default([]),
  disabled: z.boolean().default(false),
}).strict().superRefine((u, ctx) => {
  if (u.role === 'unit' && u.units.length === 0) ctx.addIssue({ code: 'custom', path: ['units'], message: 'a unit user needs units: [unit id or name, …]' });
  if ((u.role === 'admin' || u.role === 'central') && u.units.length)
    ctx.addIssue({ code: 'custom', path: ['units'], message: `role ${u.role} sees every unit: remove units (or use role unit / viewer)` });
});
export type DashboardUserConfig = z.infer<typeof dashboardUser>;

/** "1" → 1 hop; "a, b" → addresses; [] → trust none. */
function proxyList(value: string[] | string): number | string[] {
  const items = (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean);
  if (items.length === 1 && /^\d+$/.test(items[0])) return Number(items[0]);
  return items;
}

/** A holiday as a Bangkok calendar date (BE or CE), kept as CE "YYYY-MM-DD". */
const holiday = z.string().transform((value, ctx) => {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value.trim()) ?? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `not a date: "${value}" (use 2566-10-13 or 2023-10-13)` });
    return z.NEVER;
  }
  const [y, mo, d] = m[1].length === 4 ? [m[1], m[2], m[3]] : [m[3], m[2], m[1]];
  return `${toCeYear(Number(y))}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
});

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
  dashboard: z.object({
    port: port.default(8080),
    /** The bootstrap admin (user "admin"), hashed and kept under <archive>/_state/dashboard/ on first start. */
    adminPassword: password.optional(),
    users: z.array(dashboardUser).default([]),
    /** Absolute session lifetime: a login lasts at most this long, however busy. */
    sessionTtlMinutes: positiveInt.default(480),
    /** A session unused this long ends (idle timeout). */
    idleMinutes: positiveInt.default(30),
    /**
     * Reverse proxies whose X-Forwarded-For/-Proto are believed: a hop count ("1": the peer is the proxy) or
     * addresses/CIDRs ("127.0.0.1, 10.0.0.0/8"). Empty: none, the socket address is the client.
     */
    trustedProxies: z.union([z.array(z.string().min(1)), z.string()]).default([]).transform(proxyList),
    /** Concurrent connections the dashboard accepts (a slow-loris cap). */
    maxConnections: positiveInt.default(200),
  }).strict().prefault({}),
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
export type CampaignConfig = z.infer<typeof campaignSchema>;
