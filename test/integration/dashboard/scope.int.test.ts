// Roles and per-unit scope, enforced on the server: every route fastify knows (enumerated from the app, so a new
// route is covered without a line here) is tried by a unit user with another unit's person, file, ZIP, message,
// unmatched mail and report, and must leak nothing. Over an archive built through the real pipeline.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../dashboard/auth.ts';
import { createDashboard, type Dashboard } from '../../../dashboard/server.ts';
import type { RouteInfo } from '../../../dashboard/guards.ts';
import { formatNationalId } from '../../../pipelines/identity/national-id.ts';
import type { UnitsDirectory } from '../../../pipelines/unit/units.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { buildSampleArchive, SAMPLE_NOW, SAMPLE_ROSTER, type SampleArchive } from '../../helpers/dashboard/sample-archive.ts';
import { addSampleUnitMail, ingestUnitMail } from '../../helpers/dashboard/sample-units.ts';
import { dropPrefix, sessionPrefix } from '../../helpers/dashboard/redis-sessions.ts';
import { loginAs, postForm, type Login } from '../../helpers/dashboard/login.ts';
import { makePdf } from '../../helpers/pdf.ts';

const SESSIONS = sessionPrefix('scope');
const C = 'seis-certification';
const LOGIN = 'login-status';
const ADMIN = 'admin-appointment';
const PW = 'scope-test-password';
const CM = 'สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่';
const KK = 'สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น';

let root: string;
let sample: SampleArchive;
let units: UnitsDirectory;
let dash: Dashboard;
let as: Record<'admin' | 'central' | 'cm' | 'kkviewer' | 'viewer', Login>;
let keys: { unknownPerson: string; cmUnmatched: string; unknownUnit: string };

const somchai = SAMPLE_ROSTER[0]; // Chiang Mai, complete
const wandee = SAMPLE_ROSTER[3]; // Khon Kaen, late

/** What must never reach the Chiang Mai unit user: other units' people, names, addresses and the unmatched mail of strangers. */
const FOREIGN = [
  ...SAMPLE_ROSTER.filter((p) => p.unit !== CM).flatMap((p) => [p.nationalId, formatNationalId(p.nationalId), p.lastName]),
  'ขอนแก่น',
  'สงขลา',
  'กองการเจ้าหน้าที่',
  'สถาบันการพัฒนาชุมชน',
  'ลำปาง',
  'kk@dcd',
  'sk@dcd',
  'personnel@dcd',
  'cdi@dcd',
  'lampang@dcd',
  'unknown.sender@example.test',
  'stranger@example.test',
];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dash-scope-'));
  sample = await buildSampleArchive(root);
  const added = await addSampleUnitMail({ config: sample.config, store: sample.store, now: SAMPLE_NOW });
  units = added.units;
  // Person mail from the Chiang Mai office's own address that names nobody: it belongs to Chiang Mai's queue.
  const cmMail = await ingestUnitMail({
    label: 'cm-unmatched',
    from: 'cm@dcd.example.test',
    subject: 'ส่งเอกสารครับ',
    at: '2023-09-19T03:00:00Z',
    attachments: [{ filename: 'เอกสาร.pdf', content: await makePdf(1) }],
  }, { config: sample.config, store: sample.store, units, now: SAMPLE_NOW });
  keys = {
    unknownPerson: sample.outcomes.find((o) => o.label === 'unidentified')!.messageKey,
    cmUnmatched: cmMail.messageKey,
    unknownUnit: added.outcomes.find((o) => o.label === 'login-unknown-unit')!.messageKey,
  };
  const hash = await hashPassword(PW);
  dash = await createDashboard({
    sessionPrefix: SESSIONS,
    config: sample.config,
    store: sample.store,
    roster: sample.roster,
    units,
    log: silentLogger,
    clock: () => SAMPLE_NOW,
    sweepMs: 60_000,
    users: [
      { name: 'root', passwordHash: hash, role: 'admin' },
      { name: 'central', passwordHash: hash, role: 'central' },
      { name: 'cm', passwordHash: hash, role: 'unit', units: ['50'], displayName: 'สมใจ เชียงใหม่ทดสอบ' },
      { name: 'kkviewer', passwordHash: hash, role: 'viewer', units: [KK] },
      { name: 'viewer', passwordHash: hash, role: 'viewer' },
    ],
  });
  await dash.state.index.check(true);
  as = {
    admin: await loginAs(dash, 'root', PW),
    central: await loginAs(dash, 'central', PW),
    cm: await loginAs(dash, 'cm', PW),
    kkviewer: await loginAs(dash, 'kkviewer', PW),
    viewer: await loginAs(dash, 'viewer', PW),
  };
}, 180_000);

afterAll(async () => {
  await dropPrefix(SESSIONS);
  await dash?.close();
  await rm(root, { recursive: true, force: true });
});

const get = (url: string, who: Login) => dash.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });

async function textOf(res: { headers: Record<string, unknown>; rawPayload: Buffer; body: string }): Promise<string> {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('spreadsheetml')) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    book.eachSheet((sheet) => {
      cells.push(sheet.name);
      sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text))));
    });
    return cells.join('\n');
  }
  return res.body;
}

/** Concrete requests for a route, filled with another unit's (Khon Kaen's) resources for each campaign. */
async function foreignRequests(route: RouteInfo): Promise<Array<{ url: string; body: Record<string, string> }>> {
  const out: Array<{ url: string; body: Record<string, string> }> = [];
  const wandeeFolder = (await sample.store.readPerson(C, wandee.nationalId))!;
  const wandeeDoc = wandeeFolder.manifest.documents.find((d) => d.current)!;
  const kkLogin = (await sample.store.readUnit(LOGIN, '40'))!;
  const kkAdmin = (await sample.store.readUnit(ADMIN, '40'))!;
  const fill = (cid: string) => {
    const unitScope = cid !== C;
    const kkUnit = cid === LOGIN ? kkLogin : kkAdmin;
    const values: Record<string, string> = {
      cid,
      nid: wandee.nationalId,
      name: 'central',
      unit: unitScope ? '40' : KK,
      key: route.url.includes('/unmatched/') ?
        (unitScope ? keys.unknownUnit : keys.unknownPerson)
        : unitScope
        ? kkUnit.manifest.submissions[0].messageKey
        : wandeeFolder.manifest.messages[0].messageKey,
    };
    let url = route.url.replace(/:(\w+)/g, (_m, p: string) => encodeURIComponent(values[p] ?? 'x'));
    if (url.endsWith('/file') || url.endsWith('/thumb')) {
      url += route.url.includes('/unmatched/')
        ? '?n=0'
        : `?path=${encodeURIComponent(unitScope ? kkUnit.manifest.submissions[0].files[0]?.path ?? 'x' : wandeeDoc.path)}`;
    }
    out.push({
      url,
      body: {
        path: wandeeDoc.path,
        decision: 'accept',
        item: 'id-card',
        nationalId: wandee.nationalId,
        unit: '40',
        messageKey: values.key,
        reason: 'ทดสอบ',
        name: 'intruder',
        role: 'admin',
        password: 'intruder-password-1',
        notify: '0',
      },
    });
  };
  if (route.url.includes(':cid')) { for (const cid of [C, LOGIN, ADMIN]) fill(cid); }
  else fill(C);
  return out;
}

describe('every route, tried by a unit user with another unit\'s resources', () => {
  it('declares an access level on every route that is not public (or gets one by path, guards.ts PATH_ACCESS)', () => {
    const undeclared = dash.routes.filter((r) => !r.public && !r.access && r.effective === 'accounts').map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
    expect(dash.routes.length).toBeGreaterThan(25);
  });

  it('gives the Chiang Mai user nothing of Khon Kaen by any URL, while central staff reach the same URLs', async () => {
    let reachedByCentral = 0;
    // Logging out touches only one's own sessions (tested in sessions.test.ts); it would end this walk's login.
    const own = new Set(['/logout', '/logout-everywhere']);
    for (const route of dash.routes.filter((r) => !r.public && !own.has(r.url))) {
      for (const req of await foreignRequests(route)) {
        const label = `${route.method} ${req.url}`;
        if (route.method === 'GET') {
          const central = await get(req.url, as.central);
          const mine = await get(req.url, as.cm);
          expect(mine.statusCode, label).toBeLessThan(500);
          const text = await textOf(mine);
          for (const marker of FOREIGN) expect(text.includes(marker), `${label} shows "${marker}"`).toBe(false);
          if (central.statusCode === 200 && /\/(p|units|unmatched)\/|export|zip/.test(req.url)) {
            reachedByCentral++;
            if (/\/(p\/|units\/[^/]+|unmatched\/[^/]+)/.test(req.url) && !/export/.test(req.url)) expect([403, 404], label).toContain(mine.statusCode);
          }
        } else {
          const before = await readFile(path.join(root, (await sample.store.readPerson(C, wandee.nationalId))!.dir, 'manifest.json'), 'utf8');
          const res = await postForm(dash, req.url, as.cm, req.body);
          expect([403, 404], label).toContain(res.statusCode);
          const after = await readFile(path.join(root, (await sample.store.readPerson(C, wandee.nationalId))!.dir, 'manifest.json'), 'utf8');
          expect(after, label).toBe(before);
        }
      }
    }
    // The URLs were real: central staff opened Khon Kaen's person, files, ZIPs, messages, unit folders and unmatched mail.
    expect(reachedByCentral).toBeGreaterThan(12);
    expect(await readdir(path.join(root, LOGIN))).not.toContain(wandee.nationalId);
  }, 120_000);
});

describe('what a unit user sees of their own unit', () => {
  it('opens their own people, files and ZIPs, and their unit in the unit campaigns', async () => {
    const folder = (await sample.store.readPerson(C, somchai.nationalId))!;
    const doc = folder.manifest.documents.find((d) => d.current)!;
    for (const url of [
      `/c/${C}/p/${somchai.nationalId}`,
      `/c/${C}/p/${somchai.nationalId}/file?path=${encodeURIComponent(doc.path)}`,
      `/c/${C}/p/${somchai.nationalId}/zip`,
      `/c/${C}/units/${encodeURIComponent(CM)}`,
      `/c/${C}/units/${encodeURIComponent(CM)}/zip`,
      `/c/${LOGIN}/units/50`,
    ]) expect((await get(url, as.cm)).statusCode, url).toBe(200);
  });

  it('counts, searches and exports only their unit', async () => {
    const overview = await get(`/c/${C}`, as.cm);
    expect(overview.body).toContain(CM);
    const search = await get(`/c/${C}/search?q=${encodeURIComponent('จำลอง')}`, as.cm);
    expect(search.body).toContain('ยังไม่ส่งจำลอง'); // Chiang Mai's own "จำลอง" person
    expect(search.body).not.toContain(wandee.lastName);
    const csv = (await get(`/c/${C}/export.csv`, as.cm)).body;
    const ids = SAMPLE_ROSTER.filter((p) => csv.includes(p.nationalId)).map((p) => p.unit);
    expect(new Set(ids)).toEqual(new Set([CM]));
    const unitCsv = (await get(`/c/${LOGIN}/export.csv`, as.cm)).body;
    expect(unitCsv).toContain('เชียงใหม่');
    expect(unitCsv).not.toMatch(/ขอนแก่น|กองการเจ้าหน้าที่/);
  });

  it('sees unmatched mail only when it came from an address of their unit', async () => {
    const list = (await get(`/c/${C}/unmatched`, as.cm)).body;
    expect(list).toContain(keys.cmUnmatched);
    expect(list).not.toContain(keys.unknownPerson);
    expect((await get(`/c/${C}/unmatched/${keys.cmUnmatched}`, as.cm)).statusCode).toBe(200);
    expect((await get(`/c/${C}/unmatched/${keys.unknownPerson}`, as.cm)).statusCode).toBe(404);
    expect((await get(`/c/${C}/unmatched/${keys.unknownPerson}`, as.central)).statusCode).toBe(200);
  });

  it('may assign their unit\'s unmatched mail to their own people only', async () => {
    const other = await postForm(dash, `/c/${C}/unmatched/${keys.cmUnmatched}/assign`, as.cm, { nationalId: wandee.nationalId, notify: '0' });
    expect(other.statusCode).toBe(404);
    const own = await postForm(dash, `/c/${C}/unmatched/${keys.cmUnmatched}/assign`, as.cm, { nationalId: somchai.nationalId, notify: '0' });
    expect(own.statusCode).toBe(303);
    expect(own.headers.location).toContain(`/c/${C}/p/${somchai.nationalId}`);
  });
});

describe('roles', () => {
  it('lets viewers read (all units, or theirs) and never decide', async () => {
    expect((await get(`/c/${C}/p/${wandee.nationalId}`, as.viewer)).statusCode).toBe(200);
    expect((await get(`/c/${C}/p/${wandee.nationalId}`, as.kkviewer)).statusCode).toBe(200);
    expect((await get(`/c/${C}/p/${somchai.nationalId}`, as.kkviewer)).statusCode).toBe(404);
    const doc = (await sample.store.readPerson(C, wandee.nationalId))!.manifest.documents.find((d) => d.current)!;
    for (const who of [as.viewer, as.kkviewer]) {
      const res = await postForm(dash, `/c/${C}/p/${wandee.nationalId}/review`, who, { path: doc.path, decision: 'accept' });
      expect(res.statusCode).toBe(403);
    }
  });

  it('opens the audit log to admins and central staff, and accounts to admins only', async () => {
    expect((await get('/audit', as.admin)).statusCode).toBe(200);
    expect((await get('/audit', as.central)).statusCode).toBe(200);
    expect((await get('/audit', as.cm)).statusCode).toBe(403);
    expect((await get('/admin/users', as.admin)).statusCode).toBe(200);
    expect((await get('/admin/users', as.central)).statusCode).toBe(403);
    expect((await postForm(dash, '/admin/users', as.central, { name: 'x', role: 'admin', password: 'long-enough-pw' })).statusCode).toBe(403);
  });

  it('lets a unit user decide for their own people', async () => {
    const doc = (await sample.store.readPerson(C, somchai.nationalId))!.manifest.documents.find((d) => d.current)!;
    const res = await postForm(dash, `/c/${C}/p/${somchai.nationalId}/review`, as.cm, { path: doc.path, decision: 'accept' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('done=accepted');
    const after = (await sample.store.readPerson(C, somchai.nationalId))!.manifest;
    expect(after.decisions.at(-1)).toMatchObject({ by: 'cm', action: 'accept-document' });
  });

  it('writes the account name and the person\'s own name in the audit log', async () => {
    await get(`/c/${C}/p/${somchai.nationalId}`, as.cm);
    const text = (await Promise.all((await readdir(path.join(root, '_audit'))).map((f) => readFile(path.join(root, '_audit', f), 'utf8')))).join('');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toContainEqual(expect.objectContaining({ user: 'cm', name: 'สมใจ เชียงใหม่ทดสอบ', action: 'view-person', target: somchai.nationalId }));
  });

  it('lets central staff filter the audit log for who saw a person\'s documents', async () => {
    await get(`/c/${C}/p/${somchai.nationalId}`, as.cm);
    await get(`/c/${C}/search?q=${encodeURIComponent('สมชาย')}`, as.cm);
    const res = await get(`/audit?from=2023-09-20&to=2023-09-30&target=${somchai.nationalId}`, as.central);
    expect(res.statusCode).toBe(200);
    const rows = [...res.body.matchAll(/<tr data-action="([^"]+)">(.*?)<\/tr>/gs)].map((m) => ({ action: m[1], row: m[2] }));
    expect(rows.some((r) => r.action === 'view-person' && r.row.includes('cm') && r.row.includes('สมใจ เชียงใหม่ทดสอบ'))).toBe(true);
    expect(rows.every((r) => r.row.includes(somchai.nationalId))).toBe(true);
    const searches = await get('/audit?from=2023-09-20&to=2023-09-30&action=search&user=cm', as.central);
    expect(searches.body).toContain('สมชาย');
    expect([...searches.body.matchAll(/<tr data-action="([^"]+)"/g)].every((m) => m[1] === 'search')).toBe(true);
  });

  it('lets an admin add and disable accounts on the accounts page; a disabled account is logged out', async () => {
    const add = await postForm(dash, '/admin/users', as.admin, { name: 'kk', displayName: 'ขอนแก่น ทดสอบ', role: 'unit', units: '40',
      password: 'khon-kaen-password' });
    expect(add.statusCode).toBe(303);
    const short = await postForm(dash, '/admin/users', as.admin, { name: 'kk2', role: 'unit', units: '40', password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('at least 12');
    const kk = await loginAs(dash, 'kk', 'khon-kaen-password');
    expect((await get(`/c/${C}/p/${wandee.nationalId}`, kk)).statusCode).toBe(200);
    expect((await get(`/c/${C}/p/${somchai.nationalId}`, kk)).statusCode).toBe(404);
    // A new unit takes effect at the account's next request, without logging in again.
    expect((await postForm(dash, '/admin/users/kk/update', as.admin, { role: 'unit', units: '50', displayName: 'ย้ายไปเชียงใหม่' })).statusCode).toBe(303);
    expect((await get(`/c/${C}/p/${wandee.nationalId}`, kk)).statusCode).toBe(404);
    expect((await get(`/c/${C}/p/${somchai.nationalId}`, kk)).statusCode).toBe(200);
    expect((await postForm(dash, '/admin/users/kk/update', as.admin, { role: 'unit', units: '' })).statusCode).toBe(400); // a unit user needs units
    expect((await postForm(dash, '/admin/users/kk/disable', as.admin, {})).statusCode).toBe(303);
    expect((await get('/', kk)).statusCode).toBe(303);
    expect((await postForm(dash, '/admin/users/central/disable', as.admin, {})).statusCode).toBe(400); // a config account
    const page = await get('/admin/users', as.admin);
    expect(page.body).toMatch(/data-account="kk"[\s\S]*?ระงับ/);
  });
});

describe('pages added by other features', () => {
  it('gate the job queue view and reminders to admins and central staff through the role table', async () => {
    const { accessOf } = await import('../../../dashboard/guards.ts');
    const { rolesWith, canManageQueues, canManageReminders } = await import('../../../dashboard/roles.ts');
    expect(accessOf('/queues', undefined)).toBe('queues');
    expect(accessOf('/queues/api/queues/:queueName/:jobId/retry', undefined)).toBe('queues');
    expect(accessOf('/c/:cid/reminders/pause', undefined)).toBe('reminders');
    expect(accessOf('/something-new', undefined)).toBe('accounts');
    expect(rolesWith('queues')).toEqual(['admin', 'central']);
    expect(rolesWith('reminders')).toEqual(['admin', 'central']);
    expect([canManageQueues({ role: 'central' }), canManageQueues({ role: 'unit' }), canManageQueues(undefined)]).toEqual([true, false, false]);
    expect([canManageReminders({ role: 'admin' }), canManageReminders({ role: 'viewer' })]).toEqual([true, false]);
    // And on live routes that declare no access level: the reminders page (dashboard/routes/reminders.ts) and one
    // registered the way the queue view will be.
    const probe = await createDashboard({
      sessionPrefix: SESSIONS,
      config: sample.config,
      store: sample.store,
      roster: sample.roster,
      units,
      log: silentLogger,
      clock: () => SAMPLE_NOW,
      users: [{ name: 'central', passwordHash: await hashPassword(PW), role: 'central' }, { name: 'cm', passwordHash: await hashPassword(PW), role: 'unit',
        units: ['50'] }],
    });
    try {
      probe.app.get('/queues', async () => 'queue view');
      probe.app.put('/queues/api/queues/:queueName/retry', async (request) => ({ got: request.body }));
      const central = await loginAs(probe, 'central', PW);
      const cm = await loginAs(probe, 'cm', PW);
      for (const url of [`/c/${C}/reminders`, '/queues']) {
        expect((await probe.app.inject({ method: 'GET', url, headers: { cookie: central.cookie } })).statusCode, url).toBe(200);
        expect((await probe.app.inject({ method: 'GET', url, headers: { cookie: cm.cookie } })).statusCode, url).toBe(403);
      }
      // The queue view's API alone takes JSON (its own CSRF header check is its business); still role-gated.
      const put = (cookie: string) =>
        probe.app.inject({ method: 'PUT', url: '/queues/api/queues/reply/retry', headers: { cookie, 'content-type': 'application/json' }, payload: '{"a":1}' });
      expect((await put(central.cookie)).json()).toEqual({ got: { a: 1 } });
      expect((await put(cm.cookie)).statusCode).toBe(403);
    } finally {
      await probe.close();
    }
  });
});
