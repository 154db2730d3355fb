// The dashboard's unit-scope campaigns (login-status, admin-appointment) over an archive built through the real
// pipeline (ingestRaw with a units file), driven with fastify's inject: home page, switcher, overview counts =
// the staff report, unit pages, the units that have not sent, and that the certification pages stay as they were.
import { dropPrefix, sessionPrefix } from '../../helpers/dashboard/redis-sessions.ts';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitReportFromArchive } from '../../../usecases/reports.ts';
import { hashPassword } from '../../../dashboard/auth.ts';
import { buildSampleArchive, SAMPLE_NOW, type SampleArchive } from '../../helpers/dashboard/sample-archive.ts';
import { addSampleUnitMail, CANNOT_LOGIN } from '../../helpers/dashboard/sample-units.ts';
import { escapeHtml } from '../../../dashboard/html.ts';
import { createDashboard, type Dashboard } from '../../../dashboard/server.ts';
import { unitCounts } from '../../../dashboard/unit-index.ts';
import { formatNationalId } from '../../../pipelines/identity/national-id.ts';
import type { UnitsDirectory } from '../../../pipelines/unit/units.ts';
import { silentLogger } from '../../../adapters/logger.ts';

const SESSIONS = sessionPrefix('units');
let root: string;
let sample: SampleArchive;
let units: UnitsDirectory;
let dash: Dashboard;
let cookie: string;
const PASSWORD = 'correct horse battery';

async function loginTo(d: Dashboard): Promise<string> {
  const form = await d.app.inject({ method: 'GET', url: '/login' });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
  const res = await d.app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: form.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, username: 'somying', password: PASSWORD, next: '/' }).toString(),
  });
  expect(res.headers.location).toBe('/');
  return `seis_session=${res.cookies.find((c) => c.name === 'seis_session')!.value}`;
}

async function dashboardOn(withUnits: boolean): Promise<Dashboard> {
  const d = await createDashboard({
    sessionPrefix: SESSIONS,
    config: sample.config,
    store: sample.store,
    roster: sample.roster,
    ...(withUnits ? { units } : {}),
    log: silentLogger,
    clock: () => SAMPLE_NOW,
    users: [{ name: 'somying', passwordHash: await hashPassword(PASSWORD) }],
  });
  await d.state.index.check(true);
  return d;
}

const get = (url: string, d = dash) => d.app.inject({ method: 'GET', url, headers: { cookie } });
const report = (id: string, withUnits = true) =>
  unitReportFromArchive({ config: sample.config, store: sample.store, log: silentLogger, ...(withUnits ? { units } : {}) }, id, SAMPLE_NOW);

/** The data-count cards of a page (or of one section of it), by name. */
function cards(body: string): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const m of body.matchAll(/data-count="([a-z-]+)"><div class="n">([^<]+)</g)) out[m[1]] = m[2] === '–' ? null : Number(m[2].replace(/,/g, ''));
  return out;
}

function section(body: string, attr: string): string {
  const start = body.indexOf(attr);
  expect(start, attr).toBeGreaterThan(-1);
  return body.slice(start, body.indexOf('</section>', start));
}

async function auditLines(): Promise<Array<Record<string, unknown>>> {
  const dir = path.join(root, '_audit');
  const lines: Array<Record<string, unknown>> = [];
  for (const f of await readdir(dir)) lines.push(...(await readFile(path.join(dir, f), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)));
  return lines;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dash-units-'));
  sample = await buildSampleArchive(root);
  ({ units } = await addSampleUnitMail({ config: sample.config, store: sample.store, now: SAMPLE_NOW }));
  dash = await dashboardOn(true);
  cookie = await loginTo(dash);
}, 120_000);
afterAll(async () => {
  await dropPrefix(SESSIONS);
  await dash?.close();
  await rm(root, { recursive: true, force: true });
});

describe('home and switcher', () => {
  it('lists every campaign with its deadline in Buddhist Era, the days left and the counts of its own overview', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    for (const c of sample.config.campaigns) {
      const s = section(res.body, `data-home-campaign="${c.id}"`);
      expect(s).toContain(c.title);
      const overview = await get(`/c/${c.id}`);
      expect(cards(s)).toEqual(Object.fromEntries(Object.entries(cards(overview.body)).filter(([k]) => k in cards(s))));
    }
    expect(section(res.body, 'data-home-campaign="admin-appointment"')).toContain('15 กันยายน 2566');
    expect(section(res.body, 'data-home-campaign="admin-appointment"')).toContain('เลยกำหนดมาแล้ว 8 วัน');
    expect(section(res.body, 'data-home-campaign="login-status"')).toContain('22 กันยายน 2566');
  });

  it('shows a switcher with every configured campaign on every page, the current one marked', async () => {
    for (const here of sample.config.campaigns.map((c) => c.id)) {
      const body = (await get(`/c/${here}`)).body;
      const switcher = /<nav class="campaigns"[\s\S]*?<\/nav>/.exec(body)![0];
      for (const c of sample.config.campaigns) expect(switcher).toContain(`href="/c/${c.id}"`);
      expect(/data-campaign="([a-z-]+)" aria-current="page"/.exec(switcher)?.[1]).toBe(here);
    }
  });

  it('keeps the certification pages and their URLs', async () => {
    const unit = sample.roster[0].unit!;
    expect((await get('/c/seis-certification')).body).toContain('data-count="fully-accepted"');
    expect((await get(`/c/seis-certification/units/${encodeURIComponent(unit)}`)).body).toContain(`data-person="${sample.roster[0].nationalId}"`);
    expect((await get(`/c/seis-certification/p/${sample.roster[0].nationalId}`)).statusCode).toBe(200);
  });
});

describe('unit-campaign overview', () => {
  for (const id of ['login-status', 'admin-appointment']) {
    it(`shows the staff report's counts and every unit's status for ${id}`, async () => {
      const r = await report(id);
      const body = (await get(`/c/${id}`)).body;
      const counts = unitCounts(r);
      expect(cards(body)).toEqual({
        expected: counts.expected,
        sent: counts.sent,
        complete: counts.complete,
        problems: counts.problems,
        late: counts.late,
        missing: counts.missing,
      });
      const rows = [...body.matchAll(/<tr data-unit="([^"]+)" data-status="([a-z-]+)"/g)].map((m) => [m[1], m[2]]);
      expect(rows).toEqual(r.units.map((u) => [u.unitId ?? u.name, u.status]));
      for (const problem of r.units.flatMap((u) => u.lastProblems)) expect(body).toContain(escapeHtml(problem));
    });
  }

  it('counts units as the circular asks: a late appointment, a wrong report, an unknown unit', async () => {
    const login = cards((await get('/c/login-status')).body);
    // Province offices, the central unit and the Institute are asked for login-status; the centre is not.
    expect(login).toMatchObject({ expected: 5, sent: 3, complete: 2, problems: 1, missing: 3 });
    const admin = cards((await get('/c/admin-appointment')).body);
    expect(admin).toMatchObject({ expected: 5, late: 1, complete: 2 });
    expect((await get('/c/login-status')).body).toContain('stranger@example.test');
  });

  it('lists the units that have not sent what the circular asks, with their contacts', async () => {
    const r = await report('admin-appointment');
    const body = (await get('/c/admin-appointment/missing')).body;
    const listed = [...body.matchAll(/<tr data-unit="([^"]+)"/g)].map((m) => m[1]);
    expect(listed).toEqual(r.missingUnits.map((u) => u.unitId));
    expect(listed).not.toContain('C01');
    for (const u of r.missingUnits) for (const e of u.emails) expect(body).toContain(`mailto:${e}`);
  });

  it('says who must send cannot be known without a units file, and still shows the units that sent', async () => {
    const bare = await dashboardOn(false);
    try {
      const c = await loginTo(bare);
      const body = (await bare.app.inject({ method: 'GET', url: '/c/login-status', headers: { cookie: c } })).body;
      expect(cards(body)).toMatchObject({ expected: null, missing: null, sent: unitCounts(await report('login-status', false)).sent });
      expect(body).toContain('ไม่ได้โหลดไฟล์บัญชีหน่วยงาน');
      const missing = (await bare.app.inject({ method: 'GET', url: '/c/login-status/missing', headers: { cookie: c } })).body;
      expect(missing).not.toContain('<tr data-unit=');
    } finally {
      await bare.close();
    }
  });
});

describe('unit pages', () => {
  it('shows a login-status unit\'s counts, who cannot log in with full national IDs, and the superseded report; audited', async () => {
    const res = await get('/c/login-status/units/50');
    expect(res.statusCode).toBe(200);
    expect(cards(res.body)).toEqual({ total: 120, can: 118, cannot: 2 });
    const list = /<table data-cannot-login>[\s\S]*?<\/table>/.exec(res.body)![0];
    for (const p of [CANNOT_LOGIN.somkid, CANNOT_LOGIN.pranee]) {
      expect(list).toContain(p.name);
      expect(list).toContain(formatNationalId(p.nationalId));
      expect(list).toContain(p.email);
    }
    expect(list).not.toContain(CANNOT_LOGIN.anan.name); // only in the superseded first report
    const superseded = /<table data-superseded>[\s\S]*?<\/table>/.exec(res.body)![0];
    expect(superseded).toContain('data-state="superseded"');
    expect(superseded).toContain('_superseded%2Flogin-status-2566-09-10-');
    expect(await auditLines()).toContainEqual(expect.objectContaining({ action: 'view-unit', campaign: 'login-status', target: '50', user: 'somying' }));
  });

  it('shows the problems of a rejected report in Thai', async () => {
    const body = (await get('/c/login-status/units/40')).body;
    expect(body).toContain('data-unit-status="incomplete"');
    expect(body).toContain('เข้าใช้งานได้ 75 + เข้าใช้งานไม่ได้ 3 = 78 คน แต่จำนวนข้าราชการทั้งหมดคือ 80 คน');
    expect(body).toContain('ยังไม่มีรายงานสถานะการเข้าใช้งานที่ใช้ได้');
  });

  it('shows the appointed officers per system and links the order, which opens inline as a PDF', async () => {
    const body = (await get('/c/admin-appointment/units/I01')).body;
    const admins = /<table data-admins>[\s\S]*?<\/table>/.exec(body)![0];
    expect(admins).toMatch(/<td>DPIS V6<\/td><td>นายเอก ทดสอบระบบ<\/td><td>นักทรัพยากรบุคคลชำนาญการ<\/td><td>053-123456<\/td><td>ek@dcd.example.test<\/td>/);
    expect(admins).toMatch(/<td>SEIS<\/td><td>นางโท ทดสอบระบบ<\/td>/);
    const href = /<tr data-order="appointment-order.pdf"><td><a href="([^"]+)"/.exec(body)![1].replace(/&amp;/g, '&');
    const pdf = await get(href);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^inline;/);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('opens a report\'s source message from the unit page', async () => {
    const body = (await get('/c/admin-appointment/units/I01')).body;
    const href = /href="(\/c\/admin-appointment\/units\/I01\/messages\/[^"]+)"/.exec(body)![1];
    const mail = await get(href);
    expect(mail.statusCode).toBe(200);
    expect(mail.body).toContain('cdi@dcd.example.test');
    expect((await get(`${href}/eml`)).headers['content-type']).toBe('message/rfc822');
  });

  it('answers 404 for a unit folder the index does not know', async () => {
    for (const url of ['/c/login-status/units/99', '/c/login-status/units/_originals', '/c/login-status/units/..%2F_state', '/c/login-status/units/%2E%2E']) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
  });
});
