// The administrators' queue view in a real headless Chromium (Debian's chromium, playwright-core) over real
// BullMQ queues in the machine's Redis: log in, follow the dashboard's link, see the failed job with its error,
// retry it (bull-board's own button and confirmation), and never trip the Content-Security-Policy or leave
// the origin.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';
import { silentLogger } from '../../adapters/logger.ts';
import { QUEUE_NAMES } from '../../adapters/queues.ts';
import { hashPassword } from '../../dashboard/auth.ts';
import { createDashboard, type Dashboard } from '../../dashboard/server.ts';
import { dropPrefix, sessionPrefix } from '../helpers/dashboard/redis-sessions.ts';
import { deleteRedisPrefix, servicesEnv, uniquePrefix, waitFor } from '../helpers/services.ts';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'ทดสอบ-คิวงาน-password';
const JOB = 'reply-e2e0queue0view0failed0job';
const SESSIONS = sessionPrefix('queue-e2e');
let root: string;
let prefix: string;
let queues: Queue[];
let dash: Dashboard;
let base: string;
let browser: Browser;
let page: Page;
/** CSP reports, console errors and requests that left the origin, as they happen. */
const trouble: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/test.sh installs Debian's chromium`);
  root = await mkdtemp(path.join(tmpdir(), 'queue-e2e-'));
  prefix = uniquePrefix('qview-e2e');
  const connection = { url: servicesEnv().REDIS_URL };
  queues = Object.values(QUEUE_NAMES).map((name) => new Queue(name, { connection, prefix }));
  const reply = queues.find((q) => q.name === QUEUE_NAMES.reply)!;
  await reply.add('reply', { messageKey: 'e2e0queue0view0failed0job' }, { jobId: JOB, attempts: 1 });
  const worker = new Worker(QUEUE_NAMES.reply, async () => {
    throw new UnrecoverableError('smtp.rejected: 550 mailbox unavailable (made by the test)');
  }, { connection, prefix });
  await new Promise((resolve) => worker.once('failed', resolve));
  await worker.close();

  const config = loadConfig({ env: { REDIS_PREFIX: prefix }, overrides: { archiveDir: root } });
  dash = await createDashboard({
    config,
    store: new ArchiveStore(root),
    log: silentLogger,
    queues,
    sessionPrefix: SESSIONS,
    users: [{ name: 'somying', passwordHash: await hashPassword(PASSWORD), role: 'admin' }],
  });
  base = await dash.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1366, height: 850 }, locale: 'th-TH' });
  page.on('console', (m) => {
    if (m.type() === 'error') trouble.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (err) => trouble.push(`page error: ${err.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) trouble.push(`left the origin: ${r.url()}`);
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await Promise.all((queues ?? []).map((q) => q.close()));
  if (prefix) await deleteRedisPrefix(servicesEnv().REDIS_URL, prefix);
  await dropPrefix(SESSIONS);
  if (root) await rm(root, { recursive: true, force: true });
});

describe('queue view in Chromium', () => {
  it('sends an anonymous visitor to the login page', async () => {
    await page.goto(`${base}/queues/queue/reply?status=failed`);
    await expect(page.locator('h1').textContent()).resolves.toBe('เข้าสู่ระบบ');
  });

  it('logs in, follows the link to the queue view and shows the failed reply with its error', async () => {
    await page.fill('#username', 'somying');
    await page.fill('#password', PASSWORD);
    await page.click('form.login button[type=submit]');
    await page.waitForURL(`${base}/queues/queue/reply?status=failed`);
    await page.goto(`${base}/`);
    await page.click('header.top a[href="/queues/"]');
    await page.waitForURL(`${base}/queues/`);
    await page.click('a[title="reply"]');
    await page.click('a[href="/queues/queue/reply?status=failed"]');
    const card = page.locator(`a[href^="/queues/queue/reply/${JOB}"]`);
    await card.waitFor();
    // isVisible() does not wait: under load the card can show before its error line does.
    const error = page.getByText('smtp.rejected: 550 mailbox unavailable').first();
    await error.waitFor({ state: 'visible' });
    await expect(error.isVisible()).resolves.toBe(true);
  });

  it('retries it with bull-board\'s own button, through the CSRF check', async () => {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/queues/api/queues/reply/${JOB}/retry` && r.request().method() === 'PUT'),
      (async () => {
        await page.locator('[class*="jobActions"] button').first().click();
        await page.getByRole('button', { name: 'Confirm' }).click();
      })(),
    ]);
    expect(response.status()).toBe(204);
    expect(response.request().headers()['x-xsrf-token']).toBeTruthy();
    const reply = queues.find((q) => q.name === QUEUE_NAMES.reply)!;
    await waitFor(async () => (await reply.getJobState(JOB)) === 'waiting', { what: 'the job to wait again' });
    await page.locator('text=No failed jobs in this queue').first().waitFor();
  });

  it('worked without a single Content-Security-Policy report, script error or request elsewhere', () => {
    expect(trouble).toEqual([]);
  });
});
