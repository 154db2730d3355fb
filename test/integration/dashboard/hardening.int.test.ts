// The dashboard under attack: forged X-Forwarded-For, password guessing, odd form bodies on every POST route,
// open redirects, right-to-left overrides, path-like download names, long unit names, PDFs with JavaScript,
// slow or many connections. Over a small archive built through the real pipeline; clock injected.
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../dashboard/auth.ts';
import { escapeHtml } from '../../../dashboard/html.ts';
import { contentDisposition, downloadName } from '../../../dashboard/routes/common.ts';
import { safeNext } from '../../../dashboard/routes/login.ts';
import { createDashboard, TIMEOUTS, type Dashboard } from '../../../dashboard/server.ts';
import { withoutScripts } from '../../../pipelines/documents/index.ts';
import { withCheckDigit } from '../../../pipelines/identity/national-id.ts';
import type { Person } from '../../../pipelines/types.ts';
import { loadConfig } from '../../../config/load.ts';
import { buildRoster } from '../../../pipelines/identity/roster.ts';
import { ingestRaw } from '../../../usecases/ingest-message.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { buildSampleArchive, SAMPLE_NOW, SAMPLE_ROSTER, type SampleArchive } from '../../helpers/dashboard/sample-archive.ts';
import { dropPrefix, sessionPrefix } from '../../helpers/dashboard/redis-sessions.ts';
import { FORM, loginAs, loginForm } from '../../helpers/dashboard/login.ts';

const SESSIONS = sessionPrefix('hardening');
const C = 'seis-certification';
const PW = 'hardening-password';
const LONG_UNIT = `ศูนย์ศึกษาและพัฒนาชุมชน${'ทดสอบชื่อหน่วยงานที่ยาวมาก'.repeat(8)}`;
const longUnitPerson: Person = {
  nationalId: withCheckDigit('190020099001'),
  prefix: 'นาย',
  firstName: 'ทดสอบ',
  lastName: 'หน่วยงานยาว',
  unit: LONG_UNIT,
};
const RLO = '\u202e';

let root: string;
let sample: SampleArchive;
let dash: Dashboard;
let now = SAMPLE_NOW.getTime();

async function scriptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const js = (code: string) => doc.context.register(doc.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of(code) }));
  doc.catalog.set(PDFName.of('OpenAction'), js('app.alert("opened")'));
  page.node.set(PDFName.of('AA'), doc.context.obj({ O: js('app.alert("page")') }));
  const names = doc.context.obj({ JavaScript: doc.context.obj({ Names: [PDFString.of('a'), js('app.alert("named")')] }) });
  doc.catalog.set(PDFName.of('Names'), names);
  return Buffer.from(await doc.save());
}

async function ingest(from: string, subject: string, attachments: Array<{ filename: string; content: Buffer }>, n: number) {
  const raw = await new MailComposer({
    from,
    to: 'submissions@example.test',
    subject,
    text: 'ส่งเอกสาร',
    attachments,
    date: new Date('2023-09-19T03:00:00Z'),
    messageId: `<hardening-${n}@example.test>`,
  }).compile().build();
  return ingestRaw(raw, {
    config: sample.config,
    store: sample.store,
    roster: buildRoster([...SAMPLE_ROSTER, longUnitPerson]),
    log: silentLogger,
    now: () => SAMPLE_NOW,
    internalDate: new Date('2023-09-19T03:00:00Z'),
  });
}

async function auditLines(): Promise<Array<Record<string, unknown>>> {
  const dir = path.join(root, '_audit');
  const files = await readdir(dir).catch(() => []);
  const text = (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('');
  return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dash-hardening-'));
  sample = await buildSampleArchive(root);
  await ingest(`${SAMPLE_ROSTER[0].firstName} <${SAMPLE_ROSTER[0].email}>`, `ส่งเอกสาร ${SAMPLE_ROSTER[0].nationalId}`, [{ filename: 'บัตรประชาชนบิดา.pdf',
    content: await scriptedPdf() }], 1);
  await ingest(`evil${RLO}gpj.exe <evil@example.test>`, `ใบสมัคร${RLO}fdp.exe`, [{ filename: `scan${RLO}fdp.exe`, content: Buffer.from('MZ not a pdf') }], 2);
  dash = await createDashboard({
    sessionPrefix: SESSIONS,
    config: sample.config,
    store: sample.store,
    roster: [...sample.roster, longUnitPerson],
    log: silentLogger,
    clock: () => new Date(now),
    trustProxy: ['10.0.0.5'],
    sweepMs: 60_000,
    users: [{ name: 'somying', passwordHash: await hashPassword(PW), role: 'admin' }, { name: 'other', passwordHash: await hashPassword(PW), role: 'central' }],
  });
  await dash.state.index.check(true);
}, 180_000);

afterAll(async () => {
  await dropPrefix(SESSIONS);
  await dash?.close();
  await rm(root, { recursive: true, force: true });
});

async function tryLogin(username: string, password: string, headers: Record<string, string> = {}, remoteAddress?: string) {
  const f = await loginForm(dash);
  return dash.app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: f.cookie, 'content-type': FORM, ...headers },
    ...(remoteAddress ? { remoteAddress } : {}),
    payload: new URLSearchParams({ _csrf: f.token, username, password }).toString(),
  });
}

describe('client addresses', () => {
  it('believes X-Forwarded-For only from a configured proxy', async () => {
    await tryLogin('nobody-1', 'x', { 'x-forwarded-for': '203.0.113.9' });
    await tryLogin('nobody-2', 'x', { 'x-forwarded-for': '198.51.100.1, 203.0.113.10' }, '10.0.0.5');
    const lines = await auditLines();
    expect(lines.find((l) => l.user === 'nobody-1')?.ip).toBe('127.0.0.1');
    // The proxy appended the real client; what the client wrote before it is not believed.
    expect(lines.find((l) => l.user === 'nobody-2')?.ip).toBe('203.0.113.10');
  });
});

describe('password guessing', () => {
  it('throttles the account whatever X-Forwarded-For says, without locking other accounts out', async () => {
    for (let i = 0; i < 8; i++) await tryLogin('somying', `guess-${i}`, { 'x-forwarded-for': `192.0.2.${i}` });
    const real = await tryLogin('somying', PW, { 'x-forwarded-for': '192.0.2.200' });
    expect(real.statusCode).toBe(429);
    expect(Number(real.headers['retry-after'])).toBeGreaterThan(0);
    expect((await tryLogin('other', PW)).statusCode).toBe(303);
    // Refused attempts are counted, not each written: one line for the lockout.
    for (let i = 0; i < 20; i++) await tryLogin('somying', 'again');
    const throttled = (await auditLines()).filter((l) => l.action === 'login-throttled' && l.user === 'somying');
    expect(throttled).toHaveLength(1);
    now += 16 * 60_000;
    const later = await tryLogin('somying', PW);
    expect(later.statusCode).toBe(303);
    const login = (await auditLines()).filter((l) => l.action === 'login' && l.user === 'somying').at(-1) as { detail: { throttledBefore: number } };
    expect(login.detail.throttledBefore).toBeGreaterThanOrEqual(20);
  });
});

describe('form bodies', () => {
  it('answers every POST route with 4xx, never 500, for JSON, repeated or oversized fields', async () => {
    const login = await loginAs(dash, 'somying', PW);
    const nid = SAMPLE_ROSTER[0].nationalId;
    for (const route of dash.routes.filter((r) => r.method === 'POST')) {
      const url = route.url.replace(':cid', C).replace(':nid', nid).replace(':key', 'k1').replace(':unit', 'u').replace(':name', 'other');
      const json = await dash.app.inject({ method: 'POST', url, headers: { cookie: login.cookie, 'content-type': 'application/json' },
        payload: JSON.stringify({ _csrf: login.csrf }) });
      expect(json.statusCode, `${url} json`).toBe(415);
      const repeated = await dash.app.inject({ method: 'POST', url, headers: { cookie: login.cookie, 'content-type': FORM },
        payload: `_csrf=${login.csrf}&_csrf=${login.csrf}&path=a&path=b` });
      expect(repeated.statusCode, `${url} repeated`).toBe(400);
      const big = await dash.app.inject({ method: 'POST', url, headers: { cookie: login.cookie, 'content-type': FORM }, payload: `_csrf=${'x'.repeat(5000)}` });
      expect(big.statusCode, `${url} big`).toBe(400);
      const empty = await dash.app.inject({ method: 'POST', url, headers: { cookie: login.cookie, 'content-type': FORM }, payload: '' });
      expect(empty.statusCode, `${url} empty`).toBeGreaterThanOrEqual(400);
      expect(empty.statusCode, `${url} empty`).toBeLessThan(500);
    }
  });
});

describe('redirect after login', () => {
  it('follows only a same-site path and sends anything else home', async () => {
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', '/\r\nSet-Cookie:x', '/ a', '/\ta', 'javascript:alert(1)', '/ไทย', '',
      undefined, ['/a']]) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
    expect(safeNext('/c/seis-certification/p/1?x=1#y')).toBe('/c/seis-certification/p/1?x=1#y');
    const f = await loginForm(dash);
    const res = await dash.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: f.cookie, 'content-type': FORM },
      payload: new URLSearchParams({ _csrf: f.token, username: 'other', password: PW, next: '//evil.example/x' }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
  });
});

describe('names from outside', () => {
  it('never lets a right-to-left override disguise a sender, subject or file name', async () => {
    expect(escapeHtml(`scan${RLO}fdp.exe`)).toBe('scan\ufffdfdp.exe');
    const login = await loginAs(dash, 'other', PW);
    const list = await dash.app.inject({ method: 'GET', url: `/c/${C}/unmatched`, headers: { cookie: login.cookie } });
    expect(list.body).not.toContain(RLO);
    expect(list.body).toContain('<bdi>ใบสมัคร\ufffdfdp.exe</bdi>');
    const key = /\/unmatched\/([^"/]+)"[^>]*>(?:<bdi>)?ใบสมัคร/.exec(list.body)![1];
    const detail = await dash.app.inject({ method: 'GET', url: `/c/${C}/unmatched/${key}`, headers: { cookie: login.cookie } });
    expect(detail.body).not.toContain(RLO);
    expect(detail.body).toContain('<bdi>evil\ufffdgpj.exe &lt;evil@example.test&gt;</bdi>');
    expect(detail.body).toMatch(/<bdi>scan\ufffd?fdp\.exe<\/bdi>/); // the file name: isolated (the pipeline already drops the control)
  });

  it('gives downloads a plain name: no "/", "\\", ".." or controls', () => {
    for (const name of ['../../etc/passwd', '..\\..\\boot.ini', `a/b\\c..d${RLO}e\u0000.pdf`]) {
      const safe = downloadName(name);
      expect(safe).not.toMatch(/[/\\]|\.\.|[\u0000-\u001f\u202a-\u202e]/);
      expect(contentDisposition('attachment', name)).not.toMatch(/[/\\]|\.\./);
    }
    expect(downloadName('สำนักงาน.zip')).toBe('สำนักงาน.zip');
  });

  it('opens a unit whose name is far longer than a hundred characters', async () => {
    const login = await loginAs(dash, 'other', PW);
    const url = `/c/${C}/units/${encodeURIComponent(LONG_UNIT)}`;
    expect(url.length).toBeGreaterThan(1500);
    const res = await dash.app.inject({ method: 'GET', url, headers: { cookie: login.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(longUnitPerson.lastName);
  });
});

describe('PDFs with scripts', () => {
  it('removes every script and automatic action, and keeps the pages', async () => {
    const pdf = await scriptedPdf();
    const out = await withoutScripts(pdf);
    expect(out?.removed).toBeGreaterThanOrEqual(3);
    const text = Buffer.from(out!.bytes).toString('latin1');
    expect(text).not.toMatch(/\/JavaScript|\/JS\b|\/OpenAction|\/AA\b/);
    expect((await PDFDocument.load(out!.bytes)).getPageCount()).toBe(1);
    const plain = Buffer.from(await (await PDFDocument.create()).save());
    expect((await withoutScripts(plain))?.removed ?? 0).toBe(0);
  });

  it('serves a stored PDF defanged, inline, under a CSP sandbox', async () => {
    const login = await loginAs(dash, 'other', PW);
    const person = SAMPLE_ROSTER[0];
    const doc = (await sample.store.readPerson(C, person.nationalId))!.manifest.documents.find((d) => d.originalName === 'บัตรประชาชนบิดา.pdf')!;
    const res = await dash.app.inject({ method: 'GET', url: `/c/${C}/p/${person.nationalId}/file?path=${encodeURIComponent(doc.path)}`,
      headers: { cookie: login.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^inline/);
    expect(res.headers['content-security-policy']).toMatch(/sandbox/);
    expect(res.rawPayload.toString('latin1')).not.toMatch(/\/JavaScript|\/OpenAction/);
    const stored = await readFile(path.join(root, (await sample.store.readPerson(C, person.nationalId))!.dir, doc.path));
    expect((await withoutScripts(stored))!.removed).toBeGreaterThan(0); // the archive keeps the evidence as it came
  });
});

describe('connections', () => {
  it('sets header and request timeouts and caps concurrent connections', async () => {
    expect(dash.app.server.headersTimeout).toBe(TIMEOUTS.headersMs);
    expect(dash.app.server.requestTimeout).toBe(TIMEOUTS.requestMs);
    const config = loadConfig({ env: { ARCHIVE_DIR: root } });
    config.dashboard.maxConnections = 2;
    const small = await createDashboard({ sessionPrefix: SESSIONS, config, store: sample.store, log: silentLogger,
      users: [{ name: 'x', passwordHash: await hashPassword(PW) }] });
    const address = await small.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const s = connect(Number(port), '127.0.0.1');
        await once(s, 'connect');
        sockets.push(s);
      }
      const third = connect(Number(port), '127.0.0.1');
      sockets.push(third);
      await once(third, 'close'); // refused by the server at once: maxConnections
    } finally {
      for (const s of sockets) s.destroy();
      await small.close();
    }
  });
});
