// The dashboard's reminders page over a small archive built through the real pipeline (fastify inject, no socket):
// the schedule, the next send and who it would reach, pause and resume, excusing a person, extending a deadline,
// the history, and an audit line for every action.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../dashboard/auth.ts';
import { createDashboard, type Dashboard } from '../../dashboard/server.ts';
import { recipientKey, reminderId } from '../../pipelines/reminders/index.ts';
import { silentLogger } from '../../adapters/logger.ts';
import { loadExtensions } from '../../usecases/extensions.ts';
import { readReminderControl, writeReminderRecord } from '../../usecases/reminder-state.ts';
import { loginAs, postForm, type Login } from '../helpers/dashboard/login.ts';
import { dropPrefix, sessionPrefix } from '../helpers/dashboard/redis-sessions.ts';
import { buildSampleArchive, type SampleArchive } from '../helpers/dashboard/sample-archive.ts';

const C = 'seis-certification';
const NOW = new Date('2023-09-19T03:00:00Z'); // Tuesday 19 September 2566, 10:00 Bangkok: the d-3 round is due
let root: string;
let sample: SampleArchive;
let dash: Dashboard;
let session: Login;
const SESSIONS = sessionPrefix('reminders');

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dash-remind-'));
  sample = await buildSampleArchive(root);
  dash = await createDashboard({
    sessionPrefix: SESSIONS,
    config: sample.config,
    store: sample.store,
    roster: sample.roster,
    log: silentLogger,
    clock: () => NOW,
    users: [
      { name: 'somying', passwordHash: await hashPassword('correct horse battery') },
      { name: 'cm-hr', role: 'unit', units: ['สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่'], passwordHash: await hashPassword('correct horse battery') },
    ],
  });
  await dash.state.index.check(true);
  session = await loginAs(dash, 'somying', 'correct horse battery');
}, 120_000);
afterAll(async () => {
  await dropPrefix(SESSIONS);
  await dash?.close();
  await rm(root, { recursive: true, force: true });
});

const page = async () => {
  const res = await dash.app.inject({ method: 'GET', url: `/c/${C}/reminders`, headers: { cookie: session.cookie } });
  expect(res.statusCode).toBe(200);
  return res.body;
};
const post = async (action: string, form: Record<string, string>) => {
  const res = await postForm(dash, `/c/${C}/reminders/${action}`, session, form);
  expect(res.statusCode).toBe(303);
  return String(res.headers.location);
};
const previewRows = (body: string) => [...body.matchAll(/<tr data-recipient="([^"]+)"/g)].map((m) => m[1]);
const audit = async () => {
  const lines: Array<Record<string, unknown>> = [];
  for (const f of await readdir(path.join(root, '_audit')))
    lines.push(...(await readFile(path.join(root, '_audit', f), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)));
  return lines;
};

describe('reminders page', () => {
  it('shows the schedule and who the round due now would reach', async () => {
    const body = await page();
    expect(body).toContain('การแจ้งเตือนทางอีเมล');
    expect(body).toMatch(/data-step="d-3"[\s\S]*?ถึงกำหนดส่งแล้ว/);
    const incomplete = sample.roster.filter((p) => dash.state.index.campaign(C)!.persons.get(p.nationalId)!.status !== 'complete');
    expect(previewRows(body).filter((k) => k.startsWith('p')).sort()).toEqual(incomplete.map((p) => recipientKey('person', p.nationalId)).sort());
  });

  it('is for admins and central staff: a unit account neither sees the link nor opens the page or its actions', async () => {
    expect(await page()).toContain(`href="/c/${C}/reminders"`);
    const unit = await loginAs(dash, 'cm-hr', 'correct horse battery');
    const overview = await dash.app.inject({ method: 'GET', url: `/c/${C}`, headers: { cookie: unit.cookie } });
    expect(overview.body).not.toContain(`href="/c/${C}/reminders"`);
    expect((await dash.app.inject({ method: 'GET', url: `/c/${C}/reminders`, headers: { cookie: unit.cookie } })).statusCode).toBe(403);
    expect((await postForm(dash, `/c/${C}/reminders/pause`, unit, { action: 'pause' })).statusCode).toBe(403);
    expect((await readReminderControl(sample.store, C)).paused).toBeUndefined();
  });

  it('pauses and resumes a campaign, audited', async () => {
    expect(await post('pause', { action: 'pause' })).toContain('done=paused');
    expect((await readReminderControl(sample.store, C)).paused?.by).toBe('somying');
    expect(await page()).toContain('data-paused="yes"');
    await post('pause', { action: 'resume' });
    expect((await readReminderControl(sample.store, C)).paused).toBeUndefined();
    expect((await audit()).map((l) => l.action)).toEqual(expect.arrayContaining(['pause-reminders', 'resume-reminders']));
  });

  it('excuses a person with a reason (none without one), and they leave the round', async () => {
    const person = sample.roster.find((p) => dash.state.index.campaign(C)!.persons.get(p.nationalId)!.status === 'not-submitted')!;
    expect(await post('excuse', { nationalId: person.nationalId, reason: '' })).toContain('done=need-reason');
    expect(await post('excuse', { nationalId: person.nationalId, reason: 'ลาป่วยยาว' })).toContain('done=excused');
    const body = await page();
    expect(previewRows(body)).not.toContain(recipientKey('person', person.nationalId));
    expect(body).toContain('ลาป่วยยาว');
    expect((await audit()).find((l) => l.action === 'excuse-reminders')).toMatchObject({ user: 'somying', target: person.nationalId,
      detail: { reason: 'ลาป่วยยาว' } });
    await post('excuse', { nationalId: person.nationalId, action: 'lift' });
    expect(previewRows(await page())).toContain(recipientKey('person', person.nationalId));
  });

  it('extends a person\'s deadline (a later date only), audited, and moves them to their own schedule', async () => {
    const person = sample.roster.find((p) => dash.state.index.campaign(C)!.persons.get(p.nationalId)!.status !== 'complete')!;
    expect(await post('extend', { nationalId: person.nationalId, until: '2566-09-20', reason: 'x' })).toContain('done=bad-date');
    expect(await post('extend', { nationalId: person.nationalId, until: '2566-09-29', reason: 'ไปราชการต่างประเทศ' })).toContain('done=extended');
    const [ext] = await loadExtensions(sample.config, sample.store, C);
    expect(ext).toMatchObject({ nationalId: person.nationalId, source: 'dashboard', by: 'somying', reason: 'ไปราชการต่างประเทศ' });
    expect(ext.until.toISOString()).toBe('2023-09-29T16:59:59.999Z');
    const body = await page();
    expect(previewRows(body)).not.toContain(recipientKey('person', person.nationalId)); // their d-3 is 26 September
    expect(body).toContain('ไปราชการต่างประเทศ');
    expect((await audit()).find((l) => l.action === 'extend-deadline')).toMatchObject({ target: person.nationalId });
    await post('extend', { nationalId: person.nationalId, action: 'withdraw' });
    expect(await loadExtensions(sample.config, sample.store, C)).toEqual([]);
    expect((await audit()).some((l) => l.action === 'withdraw-extension')).toBe(true);
  });

  it('counts a late sender as on time on the overview once their deadline is extended', async () => {
    const wandee = sample.roster.find((p) => p.firstName === 'วันดี')!;
    const entry = () => dash.state.index.campaign(C)!.persons.get(wandee.nationalId)!;
    expect(entry().late).toBe(true); // sent on 23 September, after the deadline
    await post('extend', { nationalId: wandee.nationalId, until: '30/09/2566', reason: 'น้ำท่วม' });
    await dash.state.index.check(true);
    expect(entry().late).toBe(false);
    await post('extend', { nationalId: wandee.nationalId, action: 'withdraw' });
    await dash.state.index.check(true);
    expect(entry().late).toBe(true);
  });

  it('lists what was sent to whom', async () => {
    const p = sample.roster[0];
    const key = recipientKey('person', p.nationalId);
    await writeReminderRecord(sample.store, {
      id: reminderId(C, 'd-7', key),
      campaign: C,
      step: 'd-7',
      kind: 'person',
      recipientKey: key,
      nationalId: p.nationalId,
      name: 'นายสมชาย ใจดีทดสอบ',
      to: [p.email!],
      messageId: '<x@y>',
      state: 'sent',
      createdAt: '2023-09-15T02:00:00Z',
      sentAt: '2023-09-15T02:00:01Z',
      by: 'schedule',
    });
    const body = await page();
    expect(body).toMatch(new RegExp(`data-reminder="${reminderId(C, 'd-7', key)}"[\\s\\S]*?${p.email!.replace('.', '\\.')}[\\s\\S]*?ส่งแล้ว`));
  });
});
