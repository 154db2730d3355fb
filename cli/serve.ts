// `seis-intake serve`: the web dashboard for central staff over the archive (dashboard/), and
// `serve --hash-password` to make a password hash for config `dashboard.users`.
import { AccountStore, checkPassword } from '../dashboard/accounts.ts';
import { hashPassword } from '../dashboard/auth.ts';
import { Scope } from '../dashboard/scope.ts';
import { createDashboard } from '../dashboard/server.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import { openStaffMailQueue, requeuePending, type StaffMailQueue } from '../usecases/staff-mail.ts';
import { COMMON_OPTIONS, parseCommandArgs, UsageError, showHelp, stringOptions, booleanOptions } from './args.ts';
import { buildContext } from './context.ts';
import { openServeOps } from './serve-ops.ts';
import { readPassword } from './read-password.ts';

const HELP = `usage: seis-intake serve [--archive DIR] [--roster FILE] [--units FILE] [--config FILE] [--port N] [--host ADDR]
                         [--trust-proxy | --trusted-proxies LIST]
       seis-intake serve --hash-password        (reads a password on standard input, prints its hash)
  --port N        default: env PORT, else config dashboard.port, else 8080
  --host ADDR     address to listen on (default 127.0.0.1; 0.0.0.0 to accept other machines)
  --trust-proxy   a reverse proxy on this machine (loopback): believe its X-Forwarded-For/-Proto
  --trusted-proxies LIST  proxy addresses/CIDRs ("10.0.0.5, 10.1.0.0/16") or a hop count; default env TRUSTED_PROXIES
  --units FILE    units file (CSV/XLSX): which units must send login-status / admin-appointment (default: env UNITS_FILE)
  Accounts: seis-intake users (add|passwd|disable|enable|list), config dashboard.users, and ADMIN_PASSWORD (user "admin",
  role admin) on first start. Sessions are kept in Redis (REDIS_URL). Passwords: at least 12 characters.
  Queue view at /queues/ (roles admin and central; REDIS_URL, REDIS_PREFIX as for run). METRICS_PORT=N (not the
  dashboard's port) serves /metrics, /healthz and /readyz on METRICS_HOST (default 127.0.0.1; docs/operations.md).`;

/** Mail a Redis outage kept from the queue is queued again when Redis is back: checked this often. */
const REQUEUE_EVERY_MS = 30_000;

function requeueLoop(queue: StaffMailQueue, store: ArchiveStore, log: Logger): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await requeuePending({ store, queue, log, now: () => new Date() });
    } catch (err) {
      log.warn({ err, code: 'staff_mail.requeue_failed' }, 'staff mail requeue pass failed');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), REQUEUE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

function portOf(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  // 0 = any free port (the address is printed), for tests and throwaway runs.
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535 (got "${text}")`);
  return port;
}

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { ...COMMON_OPTIONS, ...stringOptions('port', 'host', 'trusted-proxies', 'units'),
    ...booleanOptions('trust-proxy', 'hash-password') });
  if (showHelp(values, HELP)) return 0;
  if (values['hash-password']) {
    const password = await readPassword();
    try {
      checkPassword(password);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    console.log(await hashPassword(password));
    return 0;
  }
  const ctx = await buildContext(values);
  const port = portOf(values.port, ctx.config.dashboard.port);
  const host = values.host ?? '127.0.0.1';
  const accounts = new AccountStore(ctx.store.root, ctx.config.dashboard.users, {
    onError: (err) => ctx.log.error({ err, code: 'dashboard.accounts_invalid' }, 'Accounts file unreadable: keeping the accounts loaded before'),
  });
  try {
    await accounts.load(ctx.config.dashboard.adminPassword);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (ctx.units) {
    // A unit entry the units file does not know still matches roster unit names, but never an address or unit folder.
    for (const a of accounts.list()) {
      const known = Scope.of(a, ctx.units).units.length;
      if (a.units.length && known < a.units.length) {
        ctx.log.warn({ code: 'dashboard.account_units_unknown', account: a.name, units: a.units.length, known },
          'Account names units the units file does not know');
      }
    }
  }
  if (accounts.size === 0)
    throw new UsageError('no dashboard accounts: set ADMIN_PASSWORD (first start), add one with `seis-intake users add`, or config dashboard.users');
  const trusted = values['trusted-proxies']?.split(',').map((x) => x.trim()).filter(Boolean);
  const trustProxy = values['trust-proxy']
    ? true
    : trusted?.length
    ? (trusted.length === 1 && /^\d+$/.test(trusted[0]) ? Number(trusted[0]) : trusted)
    : undefined;
  // With SMTP configured, mail from staff decisions is queued for `run` (same REDIS_URL and REDIS_PREFIX).
  const ops = openServeOps(ctx.config, ctx.log, ctx.store.root, port);
  const staffMail = ctx.config.smtp.host ? openStaffMailQueue(ctx.config, ctx.log) : undefined;
  const dashboard = await createDashboard({
    config: ctx.config,
    store: ctx.store,
    roster: ctx.roster?.persons,
    units: ctx.units,
    log: ctx.log,
    accounts,
    ...(trustProxy !== undefined ? { trustProxy } : {}),
    ...(staffMail ? { staffMail } : {}),
    queues: ops.queues,
  }).catch(async (err: unknown) => {
    await staffMail?.close();
    await ops.close();
    throw err;
  });
  const stopRequeue = staffMail ? requeueLoop(staffMail, ctx.store, ctx.log) : undefined;
  try {
    const started = Date.now();
    await dashboard.state.index.check(true);
    dashboard.state.index.start();
    const address = await dashboard.app.listen({ port, host });
    const metricsServer = await ops.listen();
    const scan = dashboard.state.index.lastScan;
    ctx.log.info({
      code: 'serve.started',
      url: `${address}/`,
      archive: ctx.store.root,
      accounts: accounts.list().map((a) => `${a.name}:${a.role}`),
      manifests: scan.manifests,
      loadMs: Date.now() - started,
      staffMail: staffMail ? `queued for run (prefix ${ctx.config.redis.prefix})` : 'outbox only (no SMTP_HOST)',
      queueView: `${address}/queues/`,
      metrics: metricsServer?.url ?? 'off (no METRICS_PORT)',
    }, 'Dashboard listening');
    console.error(`seis-intake dashboard: ${address}/  (archive ${ctx.store.root}; Ctrl-C stops)`);

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } finally {
    stopRequeue?.();
    await dashboard.close();
    await staffMail?.close();
    await ops.close();
  }
  return 0;
}
