// Measures the dashboard on a generated department-sized archive (default 10,000 persons, 9 in 10 with a folder
// of 11 documents: ~100,000 documents):
// index load, a sweep, a no-change check, and overview / unit / person / search pages over real HTTP.
// Used by `npm run bench` (bench/) and runnable alone: `npx tsx test/helpers/dashboard/bench-dashboard.ts [persons]`.
import { dropPrefix, sessionPrefix } from './redis-sessions.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../../config/load.ts';
import { ArchiveStore } from '../../../adapters/archive-store.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { hashPassword } from '../../../dashboard/auth.ts';
import { url } from '../../../dashboard/html.ts';
import { createDashboard } from '../../../dashboard/server.ts';
import { generateArchive } from './generate-archive.ts';

const SESSIONS = sessionPrefix('bench');
export interface DashboardBenchResult {
  persons: number;
  folders: number;
  documents: number;
  generateMs: number;
  /** First full read of every manifest (what `serve` does before listening). */
  loadMs: number;
  sweepMs: number;
  checkMs: number;
  pages: Record<'overview' | 'unit' | 'person' | 'search', { medianMs: number; maxMs: number; bytes: number; persons?: number }>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchDashboard(
  opts: { persons?: number; documentsPerPerson?: number; runs?: number; root?: string } = {},
): Promise<DashboardBenchResult> {
  const persons = opts.persons ?? 10_000;
  const runs = opts.runs ?? 9;
  const root = opts.root ?? (await mkdtemp(path.join(tmpdir(), 'seis-dash-bench-')));
  try {
    let t = performance.now();
    const generated = await generateArchive(root, { persons, documentsPerPerson: opts.documentsPerPerson ?? 11 });
    const generateMs = performance.now() - t;

    const config = loadConfig({ env: { ARCHIVE_DIR: root } });
    const dash = await createDashboard({
      sessionPrefix: SESSIONS,
      config,
      store: new ArchiveStore(root),
      roster: generated.roster,
      log: silentLogger,
      users: [{ name: 'bench', passwordHash: await hashPassword('bench-password') }],
    });
    t = performance.now();
    await dash.state.index.check(true);
    const loadMs = performance.now() - t;
    t = performance.now();
    await dash.state.index.rescan();
    const sweepMs = performance.now() - t;
    t = performance.now();
    await dash.state.index.check();
    const checkMs = performance.now() - t;

    const base = await dash.app.listen({ port: 0, host: '127.0.0.1' });
    const form = await fetch(`${base}/login`);
    const loginCookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, username: 'bench', password: 'bench-password' }),
    });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('seis_session='))!;

    const campaign = config.defaultCampaign;
    const index = dash.state.index.campaign(campaign)!;
    const biggest = [...index.units()].sort((a, b) => b.tally.total - a.tally.total)[0];
    const someone = generated.roster[Math.floor(persons / 2)];
    const targets = {
      overview: url('c', campaign),
      unit: url('c', campaign, 'units', biggest.unit),
      person: url('c', campaign, 'p', someone.nationalId),
      search: `${url('c', campaign, 'search')}?q=${encodeURIComponent(someone.lastName.slice(0, 4))}`,
    };
    const pages = {} as DashboardBenchResult['pages'];
    for (const [name, target] of Object.entries(targets) as Array<[keyof typeof targets, string]>) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const res = await fetch(base + target, { headers: { cookie }, redirect: 'manual' });
        bytes = (await res.arrayBuffer()).byteLength;
        times.push(performance.now() - start);
        if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
      }
      pages[name] = { medianMs: round(median(times)), maxMs: round(Math.max(...times)), bytes, ...(name === 'unit' ? { persons: biggest.tally.total } : {}) };
    }
    await dash.close();
    await dropPrefix(SESSIONS);
    return {
      persons,
      folders: generated.folders,
      documents: generated.documents,
      generateMs: round(generateMs),
      loadMs: round(loadMs),
      sweepMs: round(sweepMs),
      checkMs: round(checkMs),
      pages,
    };
  } finally {
    if (!opts.root) await rm(root, { recursive: true, force: true });
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const persons = Number(process.argv[2] ?? 10_000);
  console.log(JSON.stringify(await benchDashboard({ persons }), null, 2));
}
