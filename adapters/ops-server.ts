// The operations endpoint of `run` and `serve`: GET /metrics (Prometheus text), /healthz (the process answers)
// and /readyz (its probes pass), on METRICS_HOST:METRICS_PORT, apart from the dashboard so that scrapers and
// health checks need no login and the dashboard's port never exposes them. Nothing else is served here.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadyReport } from './health-probes.ts';
import type { Logger } from './logger.ts';
import { metrics } from './metrics.ts';

export interface OpsServerOptions {
  host: string;
  port: number;
  log: Logger;
  /** Which command runs here (`run` or `serve`): a label on seis_process_start_time_seconds. */
  command: string;
  ready: () => Promise<ReadyReport>;
}

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: OpsServerOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  const route = (req.url ?? '/').split('?')[0];
  if (route === '/metrics') return send(res, 200, metrics.contentType, await metrics.text());
  if (route === '/healthz') return send(res, 200, 'application/json', `${JSON.stringify({ status: 'ok', command: opts.command })}\n`);
  if (route === '/readyz') {
    const report = await opts.ready();
    const body = { status: report.ok ? 'ready' : 'not-ready', command: opts.command, checks: report.checks };
    return send(res, report.ok ? 200 : 503, 'application/json', `${JSON.stringify(body)}\n`);
  }
  return send(res, 404, 'text/plain; charset=utf-8', 'not found: /metrics, /healthz, /readyz\n');
}

export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  metrics.processStart.set({ command: opts.command }, Math.floor(Date.now() / 1000));
  const server = createServer((req, res) => {
    handle(req, res, opts).catch((err: unknown) => {
      opts.log.warn({ err, code: 'ops.request_failed', route: req.url?.split('?')[0] }, 'metrics/health request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  // Probes and scrapes are short: do not let an idle keep-alive connection hold a shutdown.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  opts.log.info({ code: 'ops.listening', url, command: opts.command }, 'metrics and health endpoints listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
