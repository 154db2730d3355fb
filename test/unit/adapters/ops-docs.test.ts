// The ready-made Grafana dashboard and Prometheus alert rules under docs/ops/ speak only of metrics the code
// exports (a renamed metric would otherwise leave an empty panel or an alert that never fires), and the
// docker-compose health checks call the endpoints on the port the services are told to use.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { metrics } from '../../../adapters/metrics.ts';
import '../../../adapters/queue-gauges.ts';
import { registerCredentialGauge } from '../../../workers/run-ops.ts';

async function exported(): Promise<Set<string>> {
  metrics.enableWatcherGauges();
  registerCredentialGauge();
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') { for (const s of ['_bucket', '_sum', '_count']) names.add(`${m.name}${s}`); }
  }
  return names;
}

/** seis_* names in PromQL. */
const used = (expr: string) => [...expr.matchAll(/\bseis_[a-z_]+\b/g)].map((m) => m[0]);

describe('docs/ops', () => {
  it('alert rules use only exported metrics, and name the ones the issue asks for', async () => {
    const names = await exported();
    const rules = parse(await readFile('docs/ops/prometheus-alerts.yml', 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    const all = rules.groups.flatMap((g) => g.rules);
    for (const r of all) for (const name of used(r.expr)) expect(names, `${r.alert}: ${name}`).toContain(name);
    expect(all.map((r) => r.alert)).toEqual(expect.arrayContaining(['SeisIntakeQueueBackingUp', 'SeisIntakeRepliesFailing', 'SeisIntakeWatcherDisconnected']));
  });

  it('the Grafana dashboard uses only exported metrics and covers every seis_ family', async () => {
    const names = await exported();
    const dashboard = JSON.parse(await readFile('docs/ops/grafana-dashboard.json', 'utf8')) as {
      panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    };
    const usedNames = new Set<string>();
    for (const p of dashboard.panels) {
      for (const t of p.targets ?? []) {
        for (const name of used(t.expr)) {
          expect(names, `${p.title}: ${name}`).toContain(name);
          usedNames.add(name.replace(/_(bucket|sum|count)$/, ''));
        }
      }
    }
    const families = [...names].filter((n) => n.startsWith('seis_') && !/_(bucket|sum|count)$/.test(n) && n !== 'seis_process_start_time_seconds');
    expect(families.filter((n) => !usedNames.has(n))).toEqual([]);
  });

  it('docker-compose checks /readyz on the metrics port it gives each service', async () => {
    const compose = parse(await readFile('docker-compose.yml', 'utf8')) as {
      services: Record<string, { environment?: Record<string, string>; healthcheck?: { test: string[] } }>;
    };
    for (const name of ['seis-intake', 'dashboard']) {
      const service = compose.services[name];
      const port = /:-(\d+)\}/.exec(service.environment!.METRICS_PORT)![1];
      expect(service.healthcheck!.test.join(' '), name).toContain(`127.0.0.1:\${METRICS_PORT:-${port}}/readyz`);
    }
  });
});
