// Loads the configuration once: defaults → file (YAML or JSON) → environment → *_FILE secrets.
// The only module that reads process.env. Errors name every bad field and its source.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configSchema, type AppConfig } from './schema.ts';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Environment variable → config path. A contract: documented in README.md. */
export const ENV_MAP: Record<string, string> = {
  ARCHIVE_DIR: 'archiveDir',
  ROSTER_FILE: 'rosterFile',
  UNITS_FILE: 'unitsFile',
  OUTBOX_DIR: 'outboxDir',
  LOG_LEVEL: 'logLevel',
  LOG_PRETTY: 'logPretty',
  IMAGE_SCANS: 'images',
  IMAP_HOST: 'imap.host',
  IMAP_PORT: 'imap.port',
  IMAP_SECURE: 'imap.secure',
  IMAP_USER: 'imap.user',
  IMAP_PASSWORD: 'imap.password',
  IMAP_ACCESS_TOKEN: 'imap.accessToken',
  IMAP_MAILBOX: 'imap.mailbox',
  IMAP_FOLDER_PROCESSED: 'imap.folders.processed',
  IMAP_FOLDER_REJECTED: 'imap.folders.rejected',
  IMAP_FOLDER_IGNORED: 'imap.folders.ignored',
  IMAP_RECHECK_SECONDS: 'imap.recheckSeconds',
  IMAP_LEASE_SECONDS: 'imap.leaseSeconds',
  SMTP_HOST: 'smtp.host',
  SMTP_PORT: 'smtp.port',
  SMTP_SECURE: 'smtp.secure',
  SMTP_USER: 'smtp.user',
  SMTP_PASSWORD: 'smtp.password',
  REPLY_FROM: 'reply.from',
  REPLY_MAX_PER_SENDER_PER_HOUR: 'reply.maxPerSenderPerHour',
  REPLY_REQUIRE_AUTH: 'reply.requireAuth',
  REMINDER_CHECK_PATTERN: 'reminders.checkPattern',
  OAUTH_TOKEN_URL: 'oauth.tokenUrl',
  OAUTH_CLIENT_ID: 'oauth.clientId',
  OAUTH_CLIENT_SECRET: 'oauth.clientSecret',
  OAUTH_REFRESH_TOKEN: 'oauth.refreshToken',
  REDIS_URL: 'redis.url',
  REDIS_PREFIX: 'redis.prefix',
  INGEST_CONCURRENCY: 'ingestConcurrency',
  CONTENT_READING: 'content.mode',
  CONTENT_CONCURRENCY: 'content.concurrency',
  OCR_PAGE_TIMEOUT_SECONDS: 'content.pageTimeoutSeconds',
  OCR_MAX_PAGES_PER_FILE: 'content.maxPagesPerFile',
  OCR_MAX_PAGES_PER_MESSAGE: 'content.maxPagesPerMessage',
  PAGE_FLAGS_REJECT: 'content.rejectFlags',
  JOB_ATTEMPTS: 'jobs.attempts',
  JOB_BACKOFF_MS: 'jobs.backoffMs',
  JOB_LOCK_MS: 'jobs.lockMs',
  PORT: 'dashboard.port',
  ADMIN_PASSWORD: 'dashboard.adminPassword',
  TRUSTED_PROXIES: 'dashboard.trustedProxies',
  SESSION_IDLE_MINUTES: 'dashboard.idleMinutes',
  SESSION_TTL_MINUTES: 'dashboard.sessionTtlMinutes',
  METRICS_PORT: 'metrics.port',
  METRICS_HOST: 'metrics.host',
  READY_MIN_FREE_MB: 'ready.minFreeMb',
};

/** Secrets may come from files (Docker/Kubernetes secrets): IMAP_PASSWORD_FILE=/run/secrets/imap. */
const SECRET_VARS = ['IMAP_PASSWORD', 'IMAP_ACCESS_TOKEN', 'SMTP_PASSWORD', 'OAUTH_CLIENT_SECRET', 'OAUTH_REFRESH_TOKEN', 'ADMIN_PASSWORD'];

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (data === null || data === undefined) return {};
    if (typeof data !== 'object' || Array.isArray(data)) throw new Error('top level must be a mapping');
    return data as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid YAML/JSON: ${(err as Error).message}`);
  }
}

export interface LoadOptions {
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  /** CLI flags, highest precedence (e.g. { archiveDir: '…' }). */
  overrides?: Record<string, unknown>;
}

export function loadConfig(opts: LoadOptions = {}): AppConfig {
  const env = opts.env ?? process.env;
  const file = opts.configFile ?? env.CONFIG_FILE;
  const raw: Record<string, unknown> = file ? readConfigFile(file) : {};
  for (const [name, path] of Object.entries(ENV_MAP)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, value);
  }
  for (const name of SECRET_VARS) {
    const secretFile = env[`${name}_FILE`];
    if (!secretFile) continue;
    try {
      setPath(raw, ENV_MAP[name], readFileSync(secretFile, 'utf8').trim());
    } catch {
      throw new ConfigError(`${name}_FILE: cannot read ${secretFile}`);
    }
  }
  for (const [path, value] of Object.entries(opts.overrides ?? {})) {
    if (value !== undefined) setPath(raw, path, value);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const path = issue.path.join('.');
      const envName = Object.entries(ENV_MAP).find(([, p]) => p === path)?.[0];
      return `${path || '(root)'}${envName ? ` (${envName})` : ''}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return validateCrossFields(result.data);
}

function validateCrossFields(config: AppConfig): AppConfig {
  const ids = new Set(config.campaigns.map((c) => c.id));
  const problems: string[] = [];
  if (!ids.has(config.defaultCampaign)) problems.push(`defaultCampaign: no campaign with id "${config.defaultCampaign}"`);
  config.campaigns.forEach((campaign, i) => {
    const itemIds = new Set(campaign.checklist.map((item) => item.id));
    for (const item of campaign.checklist) {
      for (const other of [...(item.replacedBy ?? []), ...(item.replaces ? [item.replaces] : [])]) {
        if (!itemIds.has(other)) problems.push(`campaigns.${i}.checklist.${item.id}: refers to unknown item "${other}"`);
      }
    }
  });
  if (problems.length) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}

export function campaignById(config: AppConfig, id = config.defaultCampaign) {
  const campaign = config.campaigns.find((c) => c.id === id);
  if (!campaign) throw new ConfigError(`no campaign with id "${id}"`);
  return campaign;
}
