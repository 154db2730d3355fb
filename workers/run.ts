// `seis-intake run`: wires the live process together: the leased mailbox watcher, the ingest, content (reading
// scans), reply (with the dashboard's staff mail), follow-up and remind workers, their Redis and IMAP/SMTP connections, and a clean shutdown that lets in-flight jobs
// finish. Any number of these processes may share one Redis and one archive directory.
import type { Worker } from 'bullmq';
import { ConfigError } from '../config/load.ts';
import type { AppConfig } from '../config/schema.ts';
import type { Roster } from '../pipelines/identity/index.ts';
import type { UnitsDirectory } from '../pipelines/unit/index.ts';
import { loadRosterFile, loadUnitsFile, ReferenceFile } from '../adapters/reference-files.ts';
import { ArchiveStore } from '../adapters/archive-store.ts';
import { startFollowupWorker } from './followup.worker.ts';
import { ImapSession } from '../adapters/imap-session.ts';
import { startIngestWorker } from './ingest.worker.ts';
import { Lease } from '../adapters/lease.ts';
import type { Logger } from '../adapters/logger.ts';
import { MailboxWatcher } from './mailbox-watcher.ts';
import { tokenSourceFromConfig } from '../adapters/oauth-token.ts';
import { CredentialGate } from '../adapters/credential-gate.ts';
import { mailboxTag, openQueues, stateKey } from '../adapters/queues.ts';
import { bullConnection, bullProducerConnection, createRedis } from '../adapters/redis-connection.ts';
import { startRemindWorker, type RemindHandle } from './remind.worker.ts';
import { startReplyWorker } from './reply.worker.ts';
import { SmtpMailer } from '../adapters/smtp-mailer.ts';
import { startStaffMailWorker } from './staff-mail.worker.ts';
import { instrumentRun } from './run-ops.ts';
import type { ReadyReport } from '../adapters/health-probes.ts';
import { SuppressionList } from '../adapters/suppression.ts';
import { ContentCache } from '../adapters/content-cache.ts';
import { createPageEngine } from '../adapters/content/index.ts';
import { cachedContentReader } from '../usecases/content-reader.ts';
import { startContentWorker } from './content.worker.ts';
import { openStaffMailQueue } from '../usecases/staff-mail.ts';

export type RunRole = 'watch' | 'ingest' | 'reply' | 'followup' | 'content' | 'remind';
export const ALL_ROLES: RunRole[] = ['watch', 'ingest', 'reply', 'followup', 'content', 'remind'];

export interface RunOptions {
  roster?: Roster;
  units?: UnitsDirectory;
  /** Which parts this process runs (all by default). */
  roles?: RunRole[];
  now?: () => Date;
}

export interface RunHandle {
  watcher?: MailboxWatcher;
  /** Whether the mailbox credentials are refused right now (watcher paused, replies and moves held). */
  credentials: CredentialGate;
  lease?: Lease;
  remind?: RemindHandle;
  /** This process's /readyz verdict (IMAP watcher, Redis, archive, disk). */
  ready(): Promise<ReadyReport>;
  /** Finishes in-flight jobs, releases the lease, logs out of IMAP and closes every connection. */
  close(): Promise<void>;
}

function checkConfig(config: AppConfig, roles: RunRole[]): void {
  const problems: string[] = [];
  const { imap, oauth } = config;
  if (roles.includes('watch') || roles.includes('followup')) {
    if (!imap.host) problems.push('imap.host (IMAP_HOST) is required for run');
    if (!imap.user) problems.push('imap.user (IMAP_USER) is required for run');
    if (!imap.password && !imap.accessToken && !(oauth.tokenUrl && oauth.clientId && oauth.refreshToken)) {
      problems.push('IMAP needs IMAP_PASSWORD, IMAP_ACCESS_TOKEN or OAUTH_TOKEN_URL + OAUTH_CLIENT_ID + OAUTH_REFRESH_TOKEN');
    }
  }
  if (problems.length) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
}

export async function startRun(config: AppConfig, log: Logger, opts: RunOptions = {}): Promise<RunHandle> {
  const roles = opts.roles ?? ALL_ROLES;
  checkConfig(config, roles);
  const now = opts.now ?? (() => new Date());
  // Given files are read now (a bad one stops the start) and again whenever staff replace them.
  const rosterFile = !opts.roster && config.rosterFile
    ? new ReferenceFile(config.rosterFile, (file) => loadRosterFile(file, log), log) :
    undefined;
  const unitsFile = !opts.units && config.unitsFile
    ? new ReferenceFile(config.unitsFile, (file) => loadUnitsFile(file, log, config.campaigns.map((c) => c.id)), log) :
    undefined;
  await Promise.all([rosterFile?.get(), unitsFile?.get()]);
  const roster = async () => opts.roster ?? (await rosterFile?.get());
  const units = async () => opts.units ?? (await unitsFile?.get());
  const store = new ArchiveStore(config.archiveDir, { logger: log.child({ component: 'archive' }), outboxDir: config.outboxDir });
  const suppression = new SuppressionList(config.archiveDir);
  const tokens = tokenSourceFromConfig(config, log);
  // Paused parts try the credentials again at the safety re-check's pace.
  const gate = new CredentialGate(log.child({ component: 'credentials' }), config.imap.recheckSeconds * 1000);
  const redis = createRedis(config.redis.url, log, 'state');
  const queues = openQueues(config, bullProducerConnection(config.redis.url));
  for (const queue of [queues.ingest, queues.reply, queues.followup, queues.content]) {
    queue.on('error', (err) => log.warn({ code: 'queue.error', queue: queue.name, err }, 'queue connection error'));
  }
  queues.flows.on('error', (err) => log.warn({ code: 'queue.error', queue: 'flows', err }, 'flow producer connection error'));
  const connection = bullConnection(config.redis.url);
  const workers: Worker[] = [];
  const imap = new ImapSession(config, log, tokens);
  const mailer = config.smtp.host ? new SmtpMailer(config, log, tokens) : undefined;
  if (roles.includes('reply') && !mailer) log.warn({ code: 'smtp.not_configured' }, 'no SMTP_HOST: replies go to the outbox');
  if (roles.includes('reply')) mailer?.warm();

  const reading = config.content.mode === 'on';
  const cache = new ContentCache(store);
  const content = reading ? cachedContentReader(cache) : undefined;
  if (roles.includes('ingest')) workers.push(startIngestWorker({ config, log, store, roster, units, queues, suppression, connection, now, content }));
  // Corrective mails after reading go out through the staff-mail queue that the reply role sends.
  const mailQueue = roles.includes('content') && reading && config.smtp.host ? openStaffMailQueue(config, log) : undefined;
  if (roles.includes('content') && reading) {
    workers.push(startContentWorker({ config, log, store, cache, engine: createPageEngine(config), connection, now, roster, mailQueue }));
  }
  if (roles.includes('reply')) {
    workers.push(startReplyWorker({ config, log, store, redis, mailer, suppression, connection, now, gate }));
    workers.push(startStaffMailWorker({ config, log, store, redis, mailer, suppression, connection, now, gate }));
  }
  if (roles.includes('followup')) workers.push(startFollowupWorker({ config, log, imap, connection, gate }));
  const remind = roles.includes('remind')
    ? startRemindWorker({ config, log, store, redis, mailer, suppression, connection, now, roster, units, gate }) :
    undefined;

  let watcher: MailboxWatcher | undefined;
  let lease: Lease | undefined;
  if (roles.includes('watch')) {
    const w = new MailboxWatcher({ config, log, store, queues, redis, tokens, gate, now });
    watcher = w;
    lease = new Lease(redis, stateKey(config, 'lease', mailboxTag(config.imap.mailbox)), config.imap.leaseSeconds * 1000, {
      onAcquired: () => w.start(),
      onLost: () => void w.stop(),
    }, log.child({ component: 'lease' }));
    lease.start();
  }
  const ops = instrumentRun({ config, store, redis, queues, workers, watcher, gate, connection });
  log.info({ code: 'run.started', roles, ingestConcurrency: config.ingestConcurrency, mailbox: config.imap.mailbox }, 'seis-intake run started');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      log.info({ code: 'run.stopping' }, 'stopping: finishing jobs in hand');
      await watcher?.stop();
      await lease?.stop();
      await Promise.all([...workers.map((w) => w.close()), remind?.close()]);
      await ops.close();
      await queues.close();
      await mailQueue?.close();
      await imap.close();
      await mailer?.close();
      await redis.quit().catch(() => redis.disconnect());
      log.info({ code: 'run.stopped' }, 'seis-intake run stopped');
    })();
    return closing;
  };
  return { watcher, lease, credentials: gate, ...(remind ? { remind } : {}), ready: () => ops.ready(), close };
}
