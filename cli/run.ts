// `seis-intake run`: the live workers, configured by the environment (and --config FILE). Runs until
// SIGTERM/SIGINT, then lets in-flight jobs finish and closes every connection; a second signal forces exit.
import { COMMON_OPTIONS, parseCommandArgs, UsageError, showHelp } from './args.ts';
import { configFromFlags } from './context.ts';
import { createLogger } from '../adapters/logger.ts';
import { startOpsServer, type OpsServer } from '../adapters/ops-server.ts';
import { ALL_ROLES, startRun, type RunRole } from '../workers/run.ts';

const HELP = `usage: seis-intake run [--config FILE] [--archive DIR] [--roster FILE] [--units FILE] [--roles watch,ingest,reply,followup,content,remind]
  Watches the IMAP mailbox, files every message and answers over SMTP. Settings come from the environment
  (IMAP_*, SMTP_*, REDIS_URL, …; see docs/live-mailbox.md). Stop with SIGTERM or Ctrl-C.
  METRICS_PORT=N serves /metrics, /healthz and /readyz on METRICS_HOST (default 127.0.0.1; docs/operations.md).`;

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { ...COMMON_OPTIONS, units: { type: 'string' }, roles: { type: 'string' } });
  if (showHelp(values, HELP)) return 0;
  const roles = values.roles ? values.roles.split(',').map((r) => r.trim()) : ALL_ROLES;
  const unknown = roles.filter((r) => !ALL_ROLES.includes(r as RunRole));
  if (unknown.length) throw new UsageError(`unknown role "${unknown[0]}" (roles: ${ALL_ROLES.join(', ')})`);
  const config = configFromFlags(values);
  const log = createLogger({ level: config.logLevel, pretty: config.logPretty });
  const handle = await startRun(config, log, { roles: roles as RunRole[] });
  let ops: OpsServer | undefined;
  if (config.metrics.port !== undefined) {
    ops = await startOpsServer({ host: config.metrics.host, port: config.metrics.port, log, command: 'run', ready: () => handle.ready() })
      .catch(async (err: unknown) => {
        await handle.close();
        throw err;
      });
  }

  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        log.warn({ code: 'run.forced', signal }, 'second signal: exiting without waiting');
        process.exit(1);
      }
      log.info({ code: 'run.signal', signal }, 'shutting down');
      Promise.all([handle.close(), ops?.close()]).then(() => resolve(0), (err) => {
        log.error({ err, code: 'run.close_failed' }, 'shutdown failed');
        resolve(1);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
