// The dashboard over a small archive built through the real pipeline, driven with fastify's inject (no socket).
import { dropPrefix, sessionPrefix } from '../../helpers/dashboard/redis-sessions.ts';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../dashboard/auth.ts';
import { buildSampleArchive, SAMPLE_NOW, type SampleArchive } from '../../helpers/dashboard/sample-archive.ts';
import { createDashboard, type Dashboard } from '../../../dashboard/server.ts';
import { buildReport } from '../../../pipelines/person/report.ts';
import { reportToCsv } from '../../../pipelines/person/report-formats.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { ArchiveStore } from '../../../adapters/archive-store.ts';
import { ingestRaw } from '../../../usecases/ingest-message.ts';
import { buildRoster } from '../../../pipelines/identity/roster.ts';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { PDFDocument } from 'pdf-lib';

const SESSIONS = sessionPrefix('server');
const C = 'seis-certification';
let root: string;
let sample: SampleArchive;
let dash: Dashboard;
let now = SAMPLE_NOW.getTime();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dash-server-'));
  sample = await buildSampleArchive(root);
  dash = await createDashboard({
    sessionPrefix: SESSIONS,
    config: sample.config,
    store: sample.store,
    roster: sample.roster,
    log: silentLogger,
    clock: () => new Date(now),
    users: [{ name: 'somying', passwordHash: await hashPassword('correct horse battery') }],
    trustProxy: true,
  });
  await dash.state.index.check(true);
}, 120_000);
afterAll(async () => {
  await dropPrefix(SESSIONS);
  await dash?.close();
  await rm(root, { recursive: true, force: true });
});

const id = (i: number) => sample.roster[i].nationalId;
const cookieHeader = (cookies: Array<{ name: string; value: string }>) => cookies.map((c) => `${c.name}=${c.value}`).join('; ');

async function login(): Promise<{ cookie: string; csrf: string }> {
  const form = await dash.app.inject({ method: 'GET', url: '/login' });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
  const res = await dash.app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: cookieHeader(form.cookies), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, username: 'somying', password: 'correct horse battery', next: '/' }).toString(),
  });
  expect(res.statusCode).toBe(303);
  const session = res.cookies.find((c) => c.name === 'seis_session')!;
  const cookie = `seis_session=${session.value}`;
  const page = await dash.app.inject({ method: 'GET', url: `/c/${C}`, headers: { cookie } });
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1] };
}

async function auditLines(): Promise<Array<Record<string, unknown>>> {
  const dir = path.join(root, '_audit');
  const lines: Array<Record<string, unknown>> = [];
  for (const f of await readdir(dir)) lines.push(...(await readFile(path.join(dir, f), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)));
  return lines;
}

async function firstDocPath(nationalId: string): Promise<string> {
  return (await sample.store.readPerson(C, nationalId))!.manifest.documents.find((d) => d.current)!.path;
}

describe('access control', () => {
  it('refuses every page and file to anonymous requests', async () => {
    const key = sample.outcomes.find((o) => o.label === 'unidentified')!.messageKey;
    const doc = encodeURIComponent(await firstDocPath(id(0)));
    const urls = [
      '/',
      `/c/${C}`,
      `/c/${C}/units/${encodeURIComponent(sample.roster[0].unit!)}`,
      `/c/${C}/p/${id(0)}`,
      `/c/${C}/p/${id(0)}/file?path=${doc}`,
      `/c/${C}/p/${id(0)}/zip`,
      `/c/${C}/units/${encodeURIComponent(sample.roster[0].unit!)}/zip`,
      `/c/${C}/export.xlsx`,
      `/c/${C}/export.csv`,
      `/c/${C}/unmatched`,
      `/c/${C}/unmatched/${key}`,
      `/c/${C}/unmatched/${key}/file?n=0`,
      `/c/${C}/unmatched/${key}/eml`,
      `/c/${C}/search?q=${id(0)}`,
      '/no-such-page',
      '/_audit/',
      `/${C}/manifest.json`,
    ];
    for (const url of urls) {
      const res = await dash.app.inject({ method: 'GET', url });
      expect([303, 401], url).toContain(res.statusCode);
      if (res.statusCode === 303) expect(res.headers.location, url).toMatch(/^\/login\?next=/);
      expect(res.body, url).not.toMatch(/%PDF|^PK|ใจดีทดสอบ|\d{13}/);
    }
    const post = await dash.app.inject({ method: 'POST', url: `/c/${C}/p/${id(0)}/review`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ path: 'id-card.pdf', decision: 'accept' }).toString() });
    expect(post.statusCode).toBe(401);
  });

  it('refuses a wrong password and records the attempt', async () => {
    const form = await dash.app.inject({ method: 'GET', url: '/login' });
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
    const res = await dash.app.inject({ method: 'POST', url: '/login',
      headers: { cookie: cookieHeader(form.cookies), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, username: 'somying', password: 'guess' }).toString() });
    expect(res.statusCode).toBe(401);
    expect(res.cookies.some((c) => c.name === 'seis_session')).toBe(false);
    expect(await auditLines()).toContainEqual(expect.objectContaining({ action: 'login-failed', user: 'somying' }));
  });

  it('sets an HttpOnly, SameSite=Strict session cookie, Secure when the request came over https', async () => {
    const form = await dash.app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-proto': 'https' } });
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
    const res = await dash.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: cookieHeader(form.cookies), 'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, username: 'somying', password: 'correct horse battery' }).toString(),
    });
    const session = res.cookies.find((c) => c.name === 'seis_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: true, path: '/' });
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('refuses a POST without the session CSRF token, and a login without the form token', async () => {
    const { cookie } = await login();
    const res = await dash.app.inject({ method: 'POST', url: `/c/${C}/p/${id(0)}/review`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ path: 'id-card.pdf', decision: 'accept' }).toString() });
    expect(res.statusCode).toBe(403);
    const forged = await dash.app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: 'x', username: 'somying', password: 'correct horse battery' }).toString() });
    expect(forged.statusCode).toBe(403);
  });

  it('ends sessions after their time to live', async () => {
    const { cookie } = await login();
    expect((await dash.app.inject({ method: 'GET', url: `/c/${C}`, headers: { cookie } })).statusCode).toBe(200);
    now += sample.config.dashboard.sessionTtlMinutes * 60_000;
    try {
      const res = await dash.app.inject({ method: 'GET', url: `/c/${C}`, headers: { cookie } });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toContain('expired=1');
    } finally {
      now = SAMPLE_NOW.getTime();
    }
  });

  it('sends a strict Content-Security-Policy and nosniff on every page', async () => {
    const { cookie } = await login();
    const res = await dash.app.inject({ method: 'GET', url: `/c/${C}`, headers: { cookie } });
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline|script-src/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).not.toMatch(/<script|style="/);
  });
});

describe('files', () => {
  it('serves a document PDF inline with its type, and audits the download', async () => {
    const { cookie } = await login();
    const docPath = await firstDocPath(id(0));
    const res = await dash.app.inject({ method: 'GET', url: `/c/${C}/p/${id(0)}/file?path=${encodeURIComponent(docPath)}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^inline;/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await auditLines()).toContainEqual(
      expect.objectContaining({ action: 'download-file', user: 'somying', target: id(0), detail: expect.objectContaining({ path: docPath }) }),
    );
  });

  it('never reaches a path the manifest does not list', async () => {
    const { cookie } = await login();
    for (const p of ['../../../../../etc/passwd', 'manifest.json', '/etc/passwd', '_originals', '..', 'id-card.pdf/../../x']) {
      const res = await dash.app.inject({ method: 'GET', url: `/c/${C}/p/${id(0)}/file?path=${encodeURIComponent(p)}`, headers: { cookie } });
      expect(res.statusCode, p).toBe(404);
      expect(res.body).not.toMatch(/root:|"documents"/);
    }
    expect((await dash.app.inject({ method: 'GET', url: `/c/${C}/p/..%2F..%2Fetc/zip`, headers: { cookie } })).statusCode).toBe(404);
    expect((await dash.app.inject({ method: 'GET', url: `/c/${C}/units/..%2F_state/zip`, headers: { cookie } })).statusCode).toBe(404);
    expect((await dash.app.inject({ method: 'GET', url: `/c/${C}/unmatched/..%2F..%2F_state/eml`, headers: { cookie } })).statusCode).toBe(404);
  });

  it('offers files that are not PDFs only as downloads', async () => {
    const { cookie } = await login();
    const kittiya = (await sample.store.readPerson(C, id(5)))!.manifest;
    const image = kittiya.problems.find((p) => p.code === 'image-not-pdf')!;
    const res = await dash.app.inject({ method: 'GET', url: `/c/${C}/p/${id(5)}/file?path=${encodeURIComponent(image.path)}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('streams a person folder as a ZIP with every file in it', async () => {
    const { cookie } = await login();
    const res = await dash.app.inject({ method: 'GET', url: `/c/${C}/p/${id(0)}/zip`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const names = await zipNames(res.rawPayload);
    const folder = path.posix.basename((await sample.store.readPerson(C, id(0)))!.dir);
    expect(names).toContain(`${folder}/manifest.json`);
    expect(names).toContain(`${folder}/id-card.pdf`);
    expect(names.every((n) => n.startsWith(`${folder}/`))).toBe(true);
  });

  it('streams a unit as one ZIP of the folders of its people', async () => {
    const { cookie } = await login();
    const unit = sample.roster[0].unit!;
    const res = await dash.app.inject({ method: 'GET', url: `/c/${C}/units/${encodeURIComponent(unit)}/zip`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const names = await zipNames(res.rawPayload);
    const folders = new Set(names.map((n) => n.split('/').slice(0, 2).join('/')));
    const expected = (await sample.store.listPersons(C)).filter((p) => p.manifest.person.unit === unit).map((p) => `${unit}/${path.posix.basename(p.dir)}`);
    expect([...folders].sort()).toEqual(expected.sort());
    expect(await auditLines()).toContainEqual(expect.objectContaining({ action: 'download-zip', target: unit }));
  });

  it('exports the same CSV as the report, and audits it', async () => {
    const { cookie } = await login();
    const res = await dash.app.inject({ method: 'GET', url: `/c/${C}/export.csv`, headers: { cookie } });
    const campaign = sample.config.campaigns[0];
    const report = buildReport({ campaign, roster: sample.roster, persons: await sample.store.listPersons(C), unmatched: await sample.store.listUnmatched(C),
      now: new Date(now) });
    expect(res.body).toBe(reportToCsv(report, { checklist: campaign.checklist }));
    expect(await auditLines()).toContainEqual(expect.objectContaining({ action: 'export', target: 'csv' }));
  });
});

describe('pages and decisions', () => {
  it('shows the same counts as the report on the overview', async () => {
    const { cookie } = await login();
    const res = await dash.app.inject({ method: 'GET', url: `/c/${C}`, headers: { cookie } });
    const count = (name: string) => Number(new RegExp(`data-count="${name}"><div class="n">(\\d+)`).exec(res.body)![1]);
    const report = buildReport({ campaign: sample.config.campaigns[0], roster: sample.roster, persons: await sample.store.listPersons(C),
      unmatched: await sample.store.listUnmatched(C), now: new Date(now) });
    expect(count('total')).toBe(report.persons.length);
    for (const s of ['complete', 'incomplete', 'not-submitted'] as const) expect(count(s)).toBe(report.persons.filter((p) => p.status === s).length);
    expect(count('late')).toBe(report.persons.filter((p) => p.late).length);
    expect(count('unmatched')).toBe(report.unmatched.length);
    expect(res.body).toContain('22 กันยายน 2566');
  });

  it('returning a document makes the person incomplete and writes a Thai revision request to the outbox', async () => {
    const { cookie, csrf } = await login();
    const before = await dash.app.inject({ method: 'GET', url: `/c/${C}/p/${id(7)}`, headers: { cookie } });
    expect(before.body).toContain('data-person-status="complete"');
    const res = await dash.app.inject({
      method: 'POST',
      url: `/c/${C}/p/${id(7)}/review`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, path: 'house-registration.pdf', decision: 'return', reason: 'เอกสารไม่ชัดเจน อ่านไม่ออก', note: '' }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('done=returned');
    const after = await dash.app.inject({ method: 'GET', url: `/c/${C}/p/${id(7)}`, headers: { cookie } });
    expect(after.body).toContain('data-person-status="incomplete"');
    expect(dash.state.index.campaign(C)!.persons.get(id(7))?.status).toBe('incomplete');

    const outbox = path.join(root, '_outbox');
    const file = (await readdir(outbox)).find((f) => f.startsWith(`return-${id(7)}-`))!;
    const mail = await simpleParser(await readFile(path.join(outbox, file)));
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe(sample.roster[7].email);
    expect(mail.subject).toContain('สำเนาทะเบียนบ้าน');
    expect(mail.text).toContain('เอกสารไม่ชัดเจน อ่านไม่ออก');
    const manifest = (await sample.store.readPerson(C, id(7)))!.manifest;
    expect(manifest.decisions).toContainEqual(expect.objectContaining({ action: 'return-document', by: 'somying' }));
    expect(await auditLines()).toContainEqual(expect.objectContaining({ action: 'return-document', target: id(7) }));
  });
});

describe('more decisions and freshness', () => {
  it('assigning an unclassified file to a checklist item files it under that item', async () => {
    const { cookie, csrf } = await login();
    const prasert = id(6);
    const before = (await sample.store.readPerson(C, prasert))!;
    const scan = before.manifest.problems.find((p) => p.code === 'unclassified')!;
    expect(dash.state.index.campaign(C)!.persons.get(prasert)?.cells['mother-id']).toEqual({ kind: 'missing' });
    const res = await dash.app.inject({
      method: 'POST',
      url: `/c/${C}/p/${prasert}/classify`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, path: scan.path, item: 'mother-id' }).toString(),
    });
    expect(res.headers.location).toContain('done=classified');
    const after = (await sample.store.readPerson(C, prasert))!;
    expect(after.manifest.documents.find((d) => d.item === 'mother-id')).toMatchObject({ originalName: scan.originalName, path: 'mother-id.pdf',
      current: true });
    expect(after.manifest.problems).toEqual([]);
    expect((await readFile(path.join(root, after.dir, 'mother-id.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
    expect(dash.state.index.campaign(C)!.persons.get(prasert)?.cells['mother-id']).toMatchObject({ kind: 'received' });
  });

  it('sees mail ingested by another process without a restart', async () => {
    const { cookie } = await login();
    const chaiwat = sample.roster[2];
    const count = async (name: string) => {
      const res = await dash.app.inject({ method: 'GET', url: `/c/${C}`, headers: { cookie } });
      return Number(new RegExp(`data-count="${name}"><div class="n">(\\d+)`).exec(res.body)![1]);
    };
    const notSubmitted = await count('not-submitted');
    const raw = await new MailComposer({
      from: chaiwat.email,
      to: 'submissions@example.test',
      subject: `ส่งเอกสาร ${chaiwat.nationalId}`,
      text: 'ส่งบัตร',
      attachments: [{ filename: 'บัตรประชาชน.pdf', content: await samplePdf() }],
      messageId: '<elsewhere@example.test>',
    }).compile().build();
    // a separate `run`/`ingest`: its own store object, sharing only the disk
    await ingestRaw(raw, { config: sample.config, store: new ArchiveStore(root), roster: buildRoster(sample.roster), log: silentLogger, now: () => SAMPLE_NOW,
      internalDate: new Date('2023-09-20T00:00:00Z') });
    expect(await dash.state.index.check()).toBeGreaterThan(0);
    expect(await count('not-submitted')).toBe(notSubmitted - 1);
    expect(dash.state.index.campaign(C)!.persons.get(chaiwat.nationalId)?.status).toBe('incomplete');
  });
});

async function samplePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  return Buffer.from(await doc.save());
}

function zipNames(buffer: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
