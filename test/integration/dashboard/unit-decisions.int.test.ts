// Unit-scope campaigns are first-class: staff accept or return a unit's login-status report (a return mails the
// unit a Thai revision request and the report stops counting), file a report from an unknown unit into a unit,
// and decision routes refuse a campaign of the other scope. Real pipeline archive, fastify inject.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../dashboard/auth.ts';
import { createDashboard, type Dashboard } from '../../../dashboard/server.ts';
import type { UnitsDirectory } from '../../../pipelines/unit/units.ts';
import { unitReportFromArchive } from '../../../usecases/reports.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { buildSampleArchive, SAMPLE_NOW, SAMPLE_ROSTER, type SampleArchive } from '../../helpers/dashboard/sample-archive.ts';
import { addSampleUnitMail } from '../../helpers/dashboard/sample-units.ts';
import { dropPrefix, sessionPrefix } from '../../helpers/dashboard/redis-sessions.ts';
import { loginAs, postForm, type Login } from '../../helpers/dashboard/login.ts';

const SESSIONS = sessionPrefix('unitdecisions');
const C = 'seis-certification';
const LOGIN = 'login-status';
const PW = 'unit-decisions-password';

let root: string;
let sample: SampleArchive;
let units: UnitsDirectory;
let dash: Dashboard;
let central: Login;
let labels: Record<string, string>;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dash-unit-decisions-'));
  sample = await buildSampleArchive(root);
  const added = await addSampleUnitMail({ config: sample.config, store: sample.store, now: SAMPLE_NOW });
  units = added.units;
  labels = Object.fromEntries([...added.outcomes, ...sample.outcomes].map((o) => [o.label, o.messageKey]));
  dash = await createDashboard({
    sessionPrefix: SESSIONS,
    config: sample.config,
    store: sample.store,
    roster: sample.roster,
    units,
    log: silentLogger,
    clock: () => SAMPLE_NOW,
    sweepMs: 60_000,
    users: [{ name: 'central', passwordHash: await hashPassword(PW), role: 'central' }],
  });
  await dash.state.index.check(true);
  central = await loginAs(dash, 'central', PW);
}, 180_000);

afterAll(async () => {
  await dropPrefix(SESSIONS);
  await dash?.close();
  await rm(root, { recursive: true, force: true });
});

const report = () => unitReportFromArchive({ config: sample.config, store: sample.store, log: silentLogger, units }, LOGIN, SAMPLE_NOW);

describe('reviewing a unit report', () => {
  it('returning it asks the unit again in Thai and the unit is no longer complete', async () => {
    expect((await report()).units.find((u) => u.unitId === '50')?.status).toBe('complete');
    const page = await dash.app.inject({ method: 'GET', url: `/c/${LOGIN}/units/50`, headers: { cookie: central.cookie } });
    expect(page.body).toContain(`data-review="${labels['login-corrected']}"`);
    const res = await postForm(dash, `/c/${LOGIN}/units/50/review`, central, { messageKey: labels['login-corrected'], decision: 'return',
      reason: 'จำนวนผู้เข้าใช้งานไม่ตรงกับรายชื่อ' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('done=returned');
    expect((await report()).units.find((u) => u.unitId === '50')?.status).not.toBe('complete');
    const outbox = path.join(root, '_outbox');
    const file = (await readdir(outbox)).find((f) => f.startsWith('return-u'))!;
    const mail = await simpleParser(await readFile(path.join(outbox, file)));
    expect(mail.subject).toContain('ขอให้ส่งรายงานสถานะการเข้าใช้งานระบบใหม่');
    expect(mail.subject).toContain('สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่');
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain('cm@dcd.example.test');
    expect(mail.text).toContain('จำนวนผู้เข้าใช้งานไม่ตรงกับรายชื่อ');
    const manifest = (await sample.store.readUnit(LOGIN, '50'))!.manifest;
    expect(manifest.decisions.at(-1)).toMatchObject({ by: 'central', action: 'return-report' });
    expect(await postForm(dash, `/c/${LOGIN}/units/50/review`, central, { messageKey: labels['login-corrected'], decision: 'return', reason: '' }))
      .toMatchObject({ statusCode: 303, headers: expect.objectContaining({ location: expect.stringContaining('need-reason') }) });
  });

  it('accepting one records who accepted it', async () => {
    const res = await postForm(dash, `/c/${LOGIN}/units/C01/review`, central, { messageKey: labels['login-body'], decision: 'accept' });
    expect(res.headers.location).toContain('done=accepted');
    const submission = (await sample.store.readUnit(LOGIN, 'C01'))!.manifest.submissions.find((s) => s.messageKey === labels['login-body'])!;
    expect(submission.review).toMatchObject({ state: 'accepted', by: 'central' });
  });
});

describe('a report from an unknown unit', () => {
  it('is filed into the unit staff choose, as the pipeline would have filed it', async () => {
    const key = labels['login-unknown-unit'];
    const page = await dash.app.inject({ method: 'GET', url: `/c/${LOGIN}/unmatched/${key}`, headers: { cookie: central.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('ศูนย์ศึกษาและพัฒนาชุมชนลำปาง');
    const res = await postForm(dash, `/c/${LOGIN}/unmatched/${key}/assign-unit`, central, { unit: 'S01' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/c/${LOGIN}/units/S01?done=assigned-unit`);
    const found = (await sample.store.readUnit(LOGIN, 'S01'))!;
    expect(found.manifest.unit).toMatchObject({ id: 'S01', inUnitsFile: true });
    expect(found.manifest.submissions.map((s) => s.messageKey)).toEqual([key]);
    expect((await report()).units.find((u) => u.unitId === 'S01')?.total).toBe(10);
    const again = await postForm(dash, `/c/${LOGIN}/unmatched/${key}/assign-unit`, central, { unit: 'S01' });
    expect(again.headers.location).toContain('done=unchanged');
  });
});

describe('decision routes and the other scope', () => {
  it('refuse a person decision on a unit-scope campaign and a unit decision on a person campaign', async () => {
    const nid = SAMPLE_ROSTER[0].nationalId;
    const person = await postForm(dash, `/c/${LOGIN}/unmatched/${labels['login-unknown-unit']}/assign`, central, { nationalId: nid, notify: '0' });
    expect(person.statusCode).toBe(404);
    expect(await readdir(path.join(root, LOGIN))).not.toContain(SAMPLE_ROSTER[0].unit);
    expect(await sample.store.readPerson(LOGIN, nid)).toBeUndefined();
    const review = await postForm(dash, `/c/${LOGIN}/p/${nid}/review`, central, { path: 'x.pdf', decision: 'accept' });
    expect(review.statusCode).toBe(404);
    const unitOnPerson = await postForm(dash, `/c/${C}/units/${encodeURIComponent(SAMPLE_ROSTER[0].unit!)}/review`, central, { messageKey: labels.complete,
      decision: 'accept' });
    expect(unitOnPerson.statusCode).toBe(404);
    const assignUnitOnPerson = await postForm(dash, `/c/${C}/unmatched/${labels.unidentified}/assign-unit`, central, { unit: '50' });
    expect(assignUnitOnPerson.statusCode).toBe(404);
    expect((await sample.store.listUnmatched(C)).find((r) => r.messageKey === labels.unidentified)?.resolved).toBeUndefined();
  });
});
