// Makes docs/dashboard-overview.png: the overview of a generated archive of fictional people, in headless
// Chromium at a laptop's width. Needs Thai fonts installed (Debian: fonts-thai-tlwg) for the text to render.
// Run: npx tsx test/helpers/dashboard/screenshot.ts [out.png]
import { dropPrefix, sessionPrefix } from './redis-sessions.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../../../config/load.ts';
import { ArchiveStore } from '../../../adapters/archive-store.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { hashPassword } from '../../../dashboard/auth.ts';
import { createDashboard } from '../../../dashboard/server.ts';
import { generateArchive } from './generate-archive.ts';

const SESSIONS = sessionPrefix('shot');
const out = path.resolve(process.argv[2] ?? 'docs/dashboard-overview.png');
const root = await mkdtemp(path.join(tmpdir(), 'seis-dash-shot-'));
try {
  const generated = await generateArchive(path.join(root, 'archive'), { persons: 1500, documentsPerPerson: 10, units: 12, seed: 2566 });
  const config = loadConfig({ env: { ARCHIVE_DIR: path.join(root, 'archive') } });
  const dash = await createDashboard({
    sessionPrefix: SESSIONS,
    config,
    store: new ArchiveStore(path.join(root, 'archive')),
    roster: generated.roster,
    log: silentLogger,
    users: [{ name: 'somying', displayName: 'สมหญิง', passwordHash: await hashPassword('screenshot-only') }],
    clock: () => new Date('2023-09-25T03:00:00Z'),
  });
  await dash.state.index.check(true);
  const base = await dash.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launchPersistentContext(path.join(root, 'profile'), {
    executablePath: '/usr/bin/chromium',
    viewport: { width: 1366, height: 768 },
    deviceScaleFactor: 1,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#username', 'somying');
  await page.fill('#password', 'screenshot-only');
  await page.click('form.login button[type=submit]');
  await page.waitForURL(`${base}/`);
  await page.goto(`${base}/c/seis-certification`); // the home page lists every campaign; the picture is the overview
  await page.waitForSelector('[data-count]');
  await page.screenshot({ path: out, fullPage: true });
  await browser.close();
  await dash.close();
  await dropPrefix(SESSIONS);
  console.log(`written ${out}`);
} finally {
  await rm(root, { recursive: true, force: true });
}
