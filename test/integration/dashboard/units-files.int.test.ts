// Files, exports, access control and freshness of the dashboard's unit-scope campaigns, over an archive built
// through the real pipeline (ingestRaw with a units file), driven with fastify's inject.
import { dropPrefix, sessionPrefix } from '../../helpers/dashboard/redis-sessions.ts';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitReportFromArchive } from '../../../usecases/reports.ts';
import { hashPassword } from '../../../dashboard/auth.ts';
import { buildSampleArchive, SAMPLE_NOW, type SampleArchive } from '../../helpers/dashboard/sample-archive.ts';
import { addSampleUnitMail, ingestUnitMail, OFFICERS_BODY } from '../../helpers/dashboard/sample-units.ts';
import { createDashboard, type Dashboard } from '../../../dashboard/server.ts';
import { unitReportToCsv } from '../../../pipelines/unit/report-formats.ts';
import type { UnitsDirectory } from '../../../pipelines/unit/units.ts';
import { ArchiveStore } from '../../../adapters/archive-store.ts';
import { silentLogger } from '../../../adapters/logger.ts';

const SESSIONS = sessionPrefix('unitfiles');
let root: string;
let sample: SampleArchive;
let units: UnitsDirectory;
let dash: Dashboard;
let cookie: string;
let unmatchedKey: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dash-unit-files-'));
  sample = await buildSampleArchive(root);
  const added = await addSampleUnitMail({ config: sample.config, store: sample.store, now: SAMPLE_NOW });
  units = added.units;
  unmatchedKey = added.outcomes.find((o) => o.label === 'login-unknown-unit')!.messageKey;
  dash = await createDashboard({
    sessionPrefix: SESSIONS,
    config: sample.config,
    store: sample.store,
    roster: sample.roster,
    units,
    log: silentLogger,
    clock: () => SAMPLE_NOW,
    users: [{ name: 'somying', passwordHash: await hashPassword('correct horse battery') }],
    sweepMs: 60_000,
  });
  await dash.state.index.check(true);
  const form = await dash.app.inject({ method: 'GET', url: '/login' });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
  const res = await dash.app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: form.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, username: 'somying', password: 'correct horse battery' }).toString(),
  });
  cookie = `seis_session=${res.cookies.find((c) => c.name === 'seis_session')!.value}`;
}, 120_000);
afterAll(async () => {
  await dropPrefix(SESSIONS);
  await dash?.close();
  await rm(root, { recursive: true, force: true });
});

const get = (url: string) => dash.app.inject({ method: 'GET', url, headers: { cookie } });
const report = (id: string) => unitReportFromArchive({ config: sample.config, store: sample.store, log: silentLogger, units }, id, SAMPLE_NOW);

async function auditLines(): Promise<Array<Record<string, unknown>>> {
  const dir = path.join(root, '_audit');
  const lines: Array<Record<string, unknown>> = [];
  for (const f of await readdir(dir)) lines.push(...(await readFile(path.join(dir, f), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)));
  return lines;
}

describe('access control', () => {
  it('refuses every unit-campaign page and file to anonymous requests', async () => {
    const order = '/c/admin-appointment/units/I01/file?path=appointment-order.pdf';
    expect((await get(order)).statusCode).toBe(200); // it exists: the refusal below is about the session
    const urls = [
      '/',
      '/c/login-status',
      '/c/admin-appointment',
      '/c/login-status/units/50',
      '/c/admin-appointment/units/I01',
      order,
      '/c/login-status/units/50/file?path=login-status.xlsx',
      '/c/login-status/missing',
      '/c/login-status/exports',
      '/c/login-status/export.csv',
      '/c/login-status/export.xlsx',
      '/c/admin-appointment/export.xlsx',
      `/c/login-status/unmatched/${unmatchedKey}/eml`,
    ];
    for (const url of urls) {
      const res = await dash.app.inject({ method: 'GET', url });
      expect([303, 401], url).toContain(res.statusCode);
      if (res.statusCode === 303) expect(res.headers.location, url).toMatch(/^\/login\?next=/);
      expect(res.body, url).not.toMatch(/%PDF|^PK|\d{13}|ทดลองระบบ|ทดสอบระบบ/);
    }
  });

  it('serves only files listed in the unit\'s manifest, inside the archive', async () => {
    for (const p of ['manifest.json', '../../_state/messages', '../50/login-status.xlsx', '/etc/passwd', '_originals', 'login-status.xlsx/../manifest.json']) {
      const res = await get(`/c/login-status/units/50/file?path=${encodeURIComponent(p)}`);
      expect(res.statusCode, p).toBe(404);
      expect(res.body, p).not.toMatch(/root:|"submissions"/);
    }
    // A unit key that is not a folder the index knows, and a person-scope campaign's folder.
    for (const url of ['/c/login-status/units/..%2F..%2Fseis-certification/file?path=manifest.json',
      '/c/admin-appointment/units/50/file?path=login-status.xlsx', `/c/seis-certification/units/50/file?path=login-status.xlsx`]) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
  });

  it('offers an order that is not really a PDF only as a download, and audits every file', async () => {
    const s01 = (await sample.store.readUnit('admin-appointment', 'S01'))!.manifest;
    const bad = s01.submissions.flatMap((s) => s.files).find((f) => f.path.startsWith('_problems/'))!;
    const res = await get(`/c/admin-appointment/units/S01/file?path=${encodeURIComponent(bad.path)}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    expect(await auditLines()).toContainEqual(expect.objectContaining({
      action: 'download-file',
      campaign: 'admin-appointment',
      target: 'S01',
      user: 'somying',
      detail: { path: bad.path, sha256: bad.sha256 },
    }));
  });

  it('downloads the original of a report no unit could be found for, audited', async () => {
    const res = await get(`/c/login-status/unmatched/${unmatchedKey}/eml`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('stranger@example.test');
    expect(await auditLines()).toContainEqual(expect.objectContaining({ action: 'download-eml', campaign: 'login-status', target: unmatchedKey }));
  });
});

describe('exports', () => {
  it('exports the department-wide list as the same CSV as `report --campaign`, audited', async () => {
    for (const id of ['login-status', 'admin-appointment']) {
      const res = await get(`/c/${id}/export.csv`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.body).toBe(unitReportToCsv(await report(id)));
      expect(await auditLines()).toContainEqual(expect.objectContaining({ action: 'export', campaign: id, target: 'csv' }));
    }
  });

  it('exports XLSX with the per-unit summary, the list and the units that have not sent', async () => {
    const res = await get('/c/login-status/export.xlsx');
    expect(res.headers['content-disposition']).toMatch(/^attachment;.*login-status-report\.xlsx/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['สรุปรายหน่วยงาน', 'ผู้ที่เข้าใช้งานไม่ได้', 'หน่วยงานที่ยังไม่ส่ง']);
    const r = await report('login-status');
    const ids = book.getWorksheet('ผู้ที่เข้าใช้งานไม่ได้')!.getColumn(4).values.slice(2);
    expect(ids).toEqual(r.cannotLogin!.map((p) => p.nationalId));
    expect(book.getWorksheet('หน่วยงานที่ยังไม่ส่ง')!.rowCount).toBe(1 + r.missingUnits.length);
    expect(await auditLines()).toContainEqual(expect.objectContaining({ action: 'export', campaign: 'login-status', target: 'xlsx' }));
  });
});

describe('freshness', () => {
  it('shows a report filed by another process without a restart', async () => {
    const before = await get('/c/admin-appointment');
    expect(before.body).toMatch(/<tr data-unit="90" data-status="not-submitted"/);
    // a separate `run`/`ingest`: its own store object, sharing only the disk
    await ingestUnitMail({ label: 'songkhla', from: 'sk@dcd.example.test', to: 'seis+admin@dcd.example.test', subject: 'ส่งรายชื่อผู้ดูแลระบบ',
      at: '2023-09-14T03:00:00Z', text: OFFICERS_BODY }, { config: sample.config, store: new ArchiveStore(root), units, now: SAMPLE_NOW });
    let changes = 0;
    for (let i = 0; i < 40 && !changes; i++) {
      changes = await dash.state.index.check();
      if (!changes) await new Promise((r) => setTimeout(r, 50));
    }
    expect(changes).toBeGreaterThan(0);
    const after = await get('/c/admin-appointment');
    expect(after.body).toMatch(/<tr data-unit="90" data-status="incomplete"/);
    expect(after.body).toContain('href="/c/admin-appointment/units/90"');
    expect((await get('/c/admin-appointment/units/90')).body).toContain('นายเอก ทดสอบระบบ');
  });
});
