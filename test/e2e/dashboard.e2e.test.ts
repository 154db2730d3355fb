// The dashboard in a real headless Chromium (Debian's chromium, driven by playwright-core) over an archive
// built through the real pipeline: log in, overview = report, person, PDF, ZIP, assign unmatched mail, XLSX, a
// scan read by the real OCR engine (its first-page thumbnail, its page flag, the flagged filter), and the
// unit-scope campaigns (switch to login-status, a unit's cannot-login list, an admin-appointment order PDF).
import { dropPrefix, sessionPrefix } from '../helpers/dashboard/redis-sessions.ts';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../dashboard/auth.ts';
import { buildSampleArchive, SAMPLE_NOW, type SampleArchive } from '../helpers/dashboard/sample-archive.ts';
import { addSampleUnitMail, ingestUnitMail } from '../helpers/dashboard/sample-units.ts';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { addScannedMail, type ScannedSample } from '../helpers/dashboard/sample-scans.ts';
import { unitReportFromArchive } from '../../usecases/reports.ts';
import { formatNationalId } from '../../pipelines/identity/national-id.ts';
import type { UnitsDirectory } from '../../pipelines/unit/units.ts';
import { unitCounts } from '../../dashboard/unit-index.ts';
import { createDashboard, type Dashboard } from '../../dashboard/server.ts';
import { buildReport } from '../../pipelines/person/report.ts';
import { sheetName } from '../../pipelines/person/report-formats.ts';
import { silentLogger } from '../../adapters/logger.ts';

const SESSIONS = sessionPrefix('e2e');
const CHROMIUM = '/usr/bin/chromium';
const C = 'seis-certification';
const PASSWORD = 'ทดสอบ-e2e-password';

let root: string;
let sample: SampleArchive;
let units: UnitsDirectory;
let scanned: ScannedSample;
const cspViolations: string[] = [];
let dash: Dashboard;
let base: string;
let browser: BrowserContext;
let page: Page;
let scripted: Buffer;

/** A one-page PDF whose /OpenAction shows an alert: Chromium's viewer runs it unless the server removes it. */
async function scriptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([300, 300]);
  const action = doc.context.register(doc.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of('app.alert("PDF-SCRIPT-RAN")') }));
  doc.catalog.set(PDFName.of('OpenAction'), action);
  return Buffer.from(await doc.save());
}

/** Clicks a document link: Chromium must open it in its own PDF viewer in a new tab, not download it. */
async function expectPdfOpensInline(link: ReturnType<Page['locator']>): Promise<string | null> {
  const href = await link.getAttribute('href');
  const [popup, shown] = await Promise.all([
    page.waitForEvent('popup'),
    browser.waitForEvent('response', (r) => r.url() === base + href),
    link.click(),
  ]);
  await popup.waitForLoadState();
  expect(popup.url()).toBe(base + href);
  expect(shown.status()).toBe(200);
  expect(shown.headers()['content-type']).toBe('application/pdf');
  expect(shown.headers()['content-disposition']).toMatch(/^inline/);
  await popup.close();
  return href;
}

async function report() {
  return buildReport({
    campaign: sample.config.campaigns[0],
    roster: sample.roster,
    persons: await sample.store.listPersons(C),
    unmatched: await sample.store.listUnmatched(C),
    now: SAMPLE_NOW,
  });
}

async function overviewCounts(p: Page): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const card of await p.locator('[data-count]').all()) {
    counts[(await card.getAttribute('data-count'))!] = Number((await card.locator('.n').textContent())!.replace(/,/g, ''));
  }
  return counts;
}

function zipNames(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.readEntry();
    });
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/test.sh installs Debian's chromium`);
  root = await mkdtemp(path.join(tmpdir(), 'dash-e2e-'));
  sample = await buildSampleArchive(path.join(root, 'archive'));
  // login-status and admin-appointment reports through the same pipeline, with a units file
  ({ units } = await addSampleUnitMail({ config: sample.config, store: sample.store, now: SAMPLE_NOW }));
  // A Chiang Mai person's PDF that runs JavaScript when opened (common in malicious mail).
  const chaiwat = sample.roster[2];
  scripted = await scriptedPdf();
  await ingestUnitMail({
    label: 'scripted',
    from: `${chaiwat.firstName} <${chaiwat.email}>`,
    subject: `ส่งเอกสาร ${chaiwat.nationalId}`,
    at: '2023-09-19T03:00:00Z',
    attachments: [{ filename: 'บัตรประชาชน.pdf', content: scripted }],
  }, { config: sample.config, store: sample.store, units, now: SAMPLE_NOW });
  // a scanned ID card copy without the certification, read by poppler + Tesseract
  scanned = await addScannedMail({ config: sample.config, store: sample.store, roster: sample.roster, now: SAMPLE_NOW });
  dash = await createDashboard({
    sessionPrefix: SESSIONS,
    config: sample.config,
    store: sample.store,
    roster: sample.roster,
    units,
    log: silentLogger,
    clock: () => SAMPLE_NOW,
    users: [
      { name: 'somying', passwordHash: await hashPassword(PASSWORD) },
      { name: 'cm', passwordHash: await hashPassword(PASSWORD), role: 'unit', units: ['50'], displayName: 'สมใจ เชียงใหม่ทดสอบ' },
    ],
  });
  await dash.state.index.check(true);
  base = await dash.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launchPersistentContext(path.join(root, 'chromium-profile'), {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync'],
    viewport: { width: 1366, height: 850 },
    acceptDownloads: true,
    locale: 'th-TH',
  });
  page = await browser.newPage();
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
  });
}, 300_000);

afterAll(async () => {
  await dropPrefix(SESSIONS);
  await browser?.close();
  await dash?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('dashboard in Chromium', () => {
  it('refuses anonymous requests to pages and files', async () => {
    const doc = (await sample.store.readPerson(C, sample.roster[0].nationalId))!.manifest.documents[0].path;
    const anonymous = browser.request;
    for (const url of [`/c/${C}`, `/c/${C}/p/${sample.roster[0].nationalId}`, `/c/${C}/p/${sample.roster[0].nationalId}/file?path=${encodeURIComponent(doc)}`,
      `/c/${C}/p/${sample.roster[0].nationalId}/zip`, `/c/${C}/export.xlsx`]) {
      const res = await anonymous.get(base + url, { maxRedirects: 0 });
      expect([303, 401], url).toContain(res.status());
      expect((await res.body()).subarray(0, 5).toString(), url).not.toBe('%PDF-');
    }
    await page.goto(`${base}/c/${C}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('เข้าสู่ระบบ');
  });

  it('logs in and shows the overview counts of the report', async () => {
    await page.fill('#username', 'somying');
    await page.fill('#password', PASSWORD);
    await page.click('form.login button[type=submit]');
    await page.waitForURL(`${base}/c/${C}`);
    const r = await report();
    const counts = await overviewCounts(page);
    expect(counts).toMatchObject({
      total: r.persons.length,
      complete: r.persons.filter((p) => p.status === 'complete').length,
      incomplete: r.persons.filter((p) => p.status === 'incomplete').length,
      'not-submitted': r.persons.filter((p) => p.status === 'not-submitted').length,
      late: r.persons.filter((p) => p.late).length,
      unmatched: r.unmatched.length,
    });
    await expect(page.locator('table.units tbody tr').count()).resolves.toBe(new Set(r.persons.map((p) => p.unit)).size);
    await expect(page.locator('svg.chart rect').count()).resolves.toBe(3 * new Set(r.persons.map((p) => p.unit)).size);
  });

  it('opens a person through their unit, opens a PDF and downloads the folder as a ZIP', async () => {
    const somchai = sample.roster[0];
    await page.click(`table.units a:text("${somchai.unit}")`);
    await page.click(`tr[data-person="${somchai.nationalId}"] a`);
    await page.waitForURL(`${base}/c/${C}/p/${somchai.nationalId}`);
    await expect(page.locator('[data-person-status]').getAttribute('data-person-status')).resolves.toBe('complete');

    // Chromium opens the PDF in its own viewer in a new tab, not as a download.
    const link = page.locator('tr[data-doc="id-card.pdf"] a[target=_blank]').first();
    const href = await expectPdfOpensInline(link);

    const pdf = await page.request.get(base + href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(pdf.headers()['content-disposition']).toMatch(/^inline/);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:text("ดาวน์โหลดแฟ้มทั้งหมด (ZIP)")')]);
    const file = path.join(root, 'person.zip');
    await download.saveAs(file);
    const names = await zipNames(file);
    expect(names.some((n) => n.endsWith('/id-card.pdf'))).toBe(true);
    expect(names.some((n) => n.endsWith('/manifest.json'))).toBe(true);
  });

  it('assigns an unmatched message to a roster person, whose status changes at once', async () => {
    const boonma = sample.roster[4];
    await page.goto(`${base}/c/${C}`);
    const before = await overviewCounts(page);
    await page.click('nav a:text("อีเมลที่ระบุตัวไม่ได้")');
    await page.click('table[data-queue=open] tbody tr a');
    await page.fill('#assign-q', boonma.firstName);
    await page.click('#assign-q + button');
    await page.click(`tr[data-person="${boonma.nationalId}"] button:text("จัดเก็บให้บุคคลนี้")`);
    await page.waitForURL(new RegExp(`/p/${boonma.nationalId}\\?done=assigned`));
    await expect(page.locator('[data-person-status]').getAttribute('data-person-status')).resolves.toBe('incomplete');
    await expect(page.locator('tr[data-doc="id-card.pdf"]').count()).resolves.toBe(1);

    await page.goto(`${base}/c/${C}`);
    const after = await overviewCounts(page);
    expect(after['not-submitted']).toBe(before['not-submitted'] - 1);
    expect(after.incomplete).toBe(before.incomplete + 1);
    expect(after.unmatched).toBe(before.unmatched - 1);
    expect((await report()).persons.find((p) => p.nationalId === boonma.nationalId)?.status).toBe('incomplete');
  });

  it('shows a scan\'s first page and what its pages said, and lists flagged persons on their own', async () => {
    const nid = scanned.person.nationalId;
    await page.goto(`${base}/c/${C}`);
    expect((await overviewCounts(page)).flagged).toBe((await report()).persons.filter((p) => p.flags.length > 0).length);
    await page.click('[data-filter=flags] a');
    await page.waitForURL(`${base}/c/${C}/search?flags=1`);
    await expect(page.locator('table.matrix tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-person')))).resolves.toEqual([nid]);
    await page.click(`tr[data-person="${nid}"] a`);
    await page.waitForURL(`${base}/c/${C}/p/${nid}`);

    const row = page.locator(`tr[data-doc="${scanned.path}"]`);
    const img = row.locator('a.thumb img');
    await img.scrollIntoViewIfNeeded();
    // Chromium loaded the picture under the dashboard's CSP: a decoded PNG, page 1 at most 240 pixels long
    await expect.poll(() =>
      img.evaluate((el) => {
        const im = el as unknown as { complete: boolean; naturalWidth: number; naturalHeight: number };
        return im.complete ? Math.max(im.naturalWidth, im.naturalHeight) : 0;
      }), { timeout: 20_000 }).toBe(240);
    const thumb = await page.request.get(base + (await img.getAttribute('src'))!);
    expect(thumb.headers()['content-type']).toBe('image/png');
    await expect(row.locator('[data-flag="no-certification"]').textContent()).resolves.toBe('ไม่มีคำรับรองสำเนาถูกต้อง');
    await expect(row.locator('.reading strong').textContent()).resolves.toBe('ทั้งสองอย่าง');
    await expect(row.locator('[data-evidence]').textContent()).resolves.toContain('คำที่พบ:');
    expect(cspViolations).toEqual([]);

    // the unit page: everyone, then only persons with flags
    await page.goto(`${base}/c/${C}/units/${encodeURIComponent(scanned.person.unit!)}`);
    const listed = () => page.locator('table.matrix tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-person')));
    expect((await listed()).length).toBeGreaterThan(1);
    await page.click('[data-filter=flags] a:text("เฉพาะที่มีข้อสังเกต")');
    await page.waitForURL(/flags=1$/);
    await expect(listed()).resolves.toEqual([nid]);
    await expect(page.locator(`tr[data-person="${nid}"] [data-flag="no-certification"]`).count()).resolves.toBe(1);
  });

  it('exports the report as XLSX with a summary and one sheet per unit, in Thai', async () => {
    await page.click('nav a:text("ส่งออกรายงาน")');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:text("Excel (.xlsx)")')]);
    const file = path.join(root, 'report.xlsx');
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await readFile(file) as unknown as ArrayBuffer);
    const r = await report();
    const units = [...new Set(r.persons.map((p) => p.unit))];
    const sheetOf = (unit: string) => sheetName(unit, new Set());
    expect(book.worksheets.map((s) => s.name)).toEqual(expect.arrayContaining(['สรุป', ...units.map(sheetOf)]));
    const sheet = book.getWorksheet(sheetOf(sample.roster[4].unit!))!;
    expect(sheet.getRow(1).getCell(1).value).toBe('เลขประจำตัวประชาชน');
    const rows = sheet.getSheetValues().slice(2).filter(Boolean) as unknown as unknown[][];
    const boonma = rows.find((row) => row[1] === sample.roster[4].nationalId)!;
    expect(boonma[4]).toBe('ส่งไม่ครบ');
  });

  it('switches to login-status, shows a unit\'s cannot-login list, and opens an admin-appointment order PDF', async () => {
    const unitReport = (id: string) => unitReportFromArchive({ config: sample.config, store: sample.store, log: silentLogger, units }, id, SAMPLE_NOW);
    await page.goto(`${base}/`);
    await page.click('nav.campaigns a[data-campaign="login-status"]');
    await page.waitForURL(`${base}/c/login-status`);
    await expect(page.locator('nav.campaigns a[aria-current=page]').getAttribute('data-campaign')).resolves.toBe('login-status');
    const login = await unitReport('login-status');
    const counts = unitCounts(login);
    expect(await overviewCounts(page)).toMatchObject({ expected: counts.expected, sent: counts.sent, complete: counts.complete, missing: counts.missing });

    const chiangMai = login.units.find((u) => u.unitId === '50')!;
    await page.click(`table.units a:text("${chiangMai.name}")`);
    await page.waitForURL(`${base}/c/login-status/units/50`);
    const rows = await page.locator('table[data-cannot-login] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim()))
    );
    const expected = login.cannotLogin!.filter((p) => p.unitId === '50');
    expect(rows.map((r) => [r[1], r[2], r[3]])).toEqual(expected.map((p) => [p.name, formatNationalId(p.nationalId), p.email]));
    expect(rows.length).toBe(chiangMai.cannot);

    await page.click('nav.campaigns a[data-campaign="admin-appointment"]');
    await page.waitForURL(`${base}/c/admin-appointment`);
    const institute = (await unitReport('admin-appointment')).units.find((u) => u.unitId === 'I01')!;
    await page.click(`table.units a:text("${institute.name}")`);
    await page.waitForURL(`${base}/c/admin-appointment/units/I01`);
    await expect(page.locator('table[data-admins] tbody tr').count()).resolves.toBe(institute.administrators!.length);
    const link = page.locator('tr[data-order="appointment-order.pdf"] a[target=_blank]').first();
    const href = await expectPdfOpensInline(link);
    expect(institute.orders!.map((o) => o.path)).toEqual([`admin-appointment/I01/${new URL(base + href).searchParams.get('path')}`]);
  });
});

describe('a unit user in Chromium', () => {
  const kk = () => sample.roster[3];
  it('logs in and sees only their own unit, in every campaign', async () => {
    await page.goto(`${base}/`);
    await page.click('header form[action="/logout"] button');
    await page.waitForURL(`${base}/login`);
    await page.fill('#username', 'cm');
    await page.fill('#password', PASSWORD);
    await page.click('form.login button[type=submit]');
    await page.waitForURL(`${base}/`);
    await expect(page.locator('header').textContent()).resolves.toContain('สมใจ เชียงใหม่ทดสอบ');
    await page.goto(`${base}/c/${C}`);
    const unitsShown = await page.locator('table.units tbody tr').allTextContents();
    expect(unitsShown).toHaveLength(1);
    expect(unitsShown[0]).toContain('เชียงใหม่');
    await page.goto(`${base}/c/login-status`);
    const names = await page.locator('table.units tbody a').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.includes('เชียงใหม่'))).toBe(true);
  });

  it('cannot open another unit\'s person, file, ZIP or unit folder by typing the URL', async () => {
    const other = await sample.store.readPerson(C, kk().nationalId);
    const doc = other!.manifest.documents[0].path;
    for (const url of [`/c/${C}/p/${kk().nationalId}`, `/c/${C}/p/${kk().nationalId}/file?path=${encodeURIComponent(doc)}`,
      `/c/${C}/p/${kk().nationalId}/thumb?path=${encodeURIComponent(doc)}`, `/c/${C}/p/${kk().nationalId}/zip`,
      `/c/${C}/units/${encodeURIComponent(kk().unit!)}`, '/c/login-status/units/40']) {
      const res = await page.request.get(base + url, { maxRedirects: 0 });
      expect(res.status(), url).toBe(404);
      expect((await res.body()).toString('latin1'), url).not.toMatch(/%PDF-|^PK|PNG|ขอนแก่น/);
    }
    const csv = await (await page.request.get(`${base}/c/${C}/export.csv`)).text();
    expect(csv).toContain(sample.roster[0].nationalId);
    expect(csv).not.toContain(kk().nationalId);
  });

  it('opens a PDF of their unit in Chromium\'s viewer with its JavaScript removed (a CSP sandbox alone does not stop it)', async () => {
    const seen: string[] = [];
    browser.on('dialog', (d) => {
      seen.push(d.message());
      void d.dismiss();
    });
    // Control: the same bytes served as they came, even under a CSP sandbox, run their script in this Chromium.
    const raw = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'inline', 'content-security-policy': 'sandbox' });
      res.end(scripted);
    });
    raw.listen(0, '127.0.0.1');
    await once(raw, 'listening');
    const control = await browser.newPage();
    try {
      const [dialog] = await Promise.all([browser.waitForEvent('dialog'), control.goto(`http://127.0.0.1:${(raw.address() as AddressInfo).port}/control.pdf`)]);
      expect(dialog.message()).toBe('PDF-SCRIPT-RAN');
    } finally {
      raw.close();
    }
    await control.close();
    seen.length = 0;

    const chaiwat = sample.roster[2];
    await page.goto(`${base}/c/${C}/p/${chaiwat.nationalId}`);
    const link = page.locator('tr[data-doc="id-card.pdf"] a[target=_blank]').first();
    const href = await expectPdfOpensInline(link);
    const served = await page.request.get(base + href!);
    expect(served.headers()['content-security-policy']).toMatch(/sandbox/);
    const viewer = await browser.newPage();
    await viewer.goto(base + href!);
    // The control's alert came within this time; the served copy must stay silent.
    await expect(browser.waitForEvent('dialog', { timeout: 5000 })).rejects.toThrow(/Timeout/);
    expect(seen).toEqual([]);
    await viewer.close();
  });
});
