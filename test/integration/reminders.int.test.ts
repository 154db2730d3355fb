// A campaign walked through every reminder step on a clock the test moves, with `run`'s real job scheduler, Redis,
// the SMTP sink and the archive: people completing between steps (one by answering a reminder without naming
// themselves), an excuse, a bounced address, a person extension, a weekend and a holiday, and a dry run (the CLI)
// that matches what is then sent.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGNS } from '../../config/default-campaigns.ts';
import { recordExtension } from '../../usecases/extensions.ts';
import { setExcused } from '../../usecases/reminder-state.ts';
import { SuppressionList } from '../../adapters/suppression.ts';
import { liveEnv, type LiveEnv } from '../helpers/live-run.ts';
import { bkk, CM, completeSet, KK, mailFrom, rosterPerson, sinkMails, startClockedRun, writeReferenceFiles, type ClockedRun } from '../helpers/reminders.ts';
import { submission } from '../helpers/eml.ts';
import { ROOT } from '../helpers/services.ts';

let live: LiveEnv | undefined;
let run: ClockedRun | undefined;
let dir: string | undefined;

afterEach(async () => {
  await run?.close();
  await live?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
  run = live = dir = undefined;
});

describe('reminders through a whole campaign', () => {
  it('chases each person and unit once per step, on working days, until they complete', async () => {
    const tag = `w${Date.now().toString(36)}`;
    const addr = (who: string) => `${who}.${tag}@example.test`;
    const [never, completes, excused, bounced, extended, noEmail, answers] = [
      rosterPerson(1, CM, addr('never')),
      rosterPerson(2, CM, addr('completes')),
      rosterPerson(3, CM, addr('excused')),
      rosterPerson(4, CM, addr('bounced')),
      rosterPerson(5, KK, addr('extended')),
      rosterPerson(6, KK, undefined),
      rosterPerson(7, KK, addr('answers')),
    ];
    dir = mkdtempSync(join(tmpdir(), 'seis-remind-'));
    const files = writeReferenceFiles(dir, [never, completes, excused, bounced, extended, noEmail, answers], [
      { id: '50', name: CM, emails: [addr('cm-office')] },
      { id: '40', name: KK, emails: [addr('kk-office'), addr('kk-head')] },
    ]);
    // The deadline is Friday 22 September 2566; Tuesday 19 is a (fictional) public holiday, so d-3 moves to Wednesday.
    live = liveEnv('remind-walk', {
      ROSTER_FILE: files.roster,
      UNITS_FILE: files.units,
      REMINDER_CHECK_PATTERN: '* * * * * *',
      CONFIG_FILE: join(dir, 'config.json'),
    });
    // Only the per-person campaign reminds here (the unit campaigns have their own test).
    const campaigns = DEFAULT_CAMPAIGNS.map((c) => (c.scope === 'unit' ? { ...c, reminders: { enabled: false } } : c));
    writeFileSync(live.env.CONFIG_FILE, JSON.stringify({ calendar: { holidays: ['2566-09-19'] }, campaigns }));
    await new SuppressionList(live.archiveDir).add({ address: bounced.email!, since: '2023-09-01T00:00:00Z', bounceMessageKey: 'x', replyMessageIds: [] });

    run = await startClockedRun(live.env, bkk('2023-09-14T10:00'));
    await recordExtension(run.store, 'seis-certification', {
      nationalId: extended.nationalId,
      until: bkk('2023-09-29T23:59:59.999'),
      source: 'dashboard',
      by: 'staff',
      at: '2023-09-14T02:00:00Z',
    });
    const mine = (m: { rcptTo: string[] }) => m.rcptTo.some((r) => r.includes(tag));
    const sent = async (step?: string) => (await sinkMails(mine)).filter((m) => m.step && (!step || m.step === step));
    const recipients = async (step: string) => (await sent(step)).flatMap((m) => m.rcptTo).sort();

    // "never" sends something incomplete early: its reply is sent, and the reminders join that thread.
    await run.ingest(await mailFrom(never, { from: never.email!, messageId: `never-1.${tag}@example.test`, files: (await completeSet(never)).slice(0, 1) }));

    expect(await run.checkAt(bkk('2023-09-14T10:00'))).toEqual({ due: 0 }); // a week and a day before: nothing yet
    expect(await sent()).toEqual([]);

    // d-7, Friday 15 September 09:00: everyone incomplete with an email, and one digest per unit.
    await run.checkAt(bkk('2023-09-15T09:00'));
    expect(await recipients('d-7')).toEqual([
      addr('answers'),
      addr('cm-office'),
      addr('completes'),
      addr('excused'),
      addr('kk-head'),
      addr('kk-office'),
      addr('never'),
    ].sort());
    const d7 = await sent('d-7');
    const neverD7 = d7.find((m) => m.rcptTo.includes(addr('never')))!;
    expect(neverD7.headers['auto-submitted']).toBe('auto-generated');
    expect(neverD7.inReplyTo).toMatch(/^<reply-[0-9a-f]{32}@example\.test>$/); // threaded to its last reply
    expect(neverD7.subject).toContain(`${never.prefix}${never.firstName} ${never.lastName}`);
    expect(neverD7.text).toContain('เหลือเวลาอีก 7 วัน');
    expect(neverD7.text).toContain('22 กันยายน 2566');
    expect(neverD7.text).toContain('สำเนาทะเบียนบ้าน'); // what is still missing
    const kkDigest = d7.find((m) => m.rcptTo.includes(addr('kk-office')))!;
    expect(kkDigest.rcptTo.sort()).toEqual([addr('kk-head'), addr('kk-office')]); // one digest to both contacts
    expect(kkDigest.text).toContain(`${noEmail.firstName} ${noEmail.lastName}`);
    expect(kkDigest.text).toContain('ไม่มีอีเมลในบัญชีรายชื่อ');

    // Between the steps: one completes with a named submission, one answers the reminder without naming themselves,
    // one is excused by staff.
    await run.ingest(await mailFrom(completes, { from: completes.email!, messageId: `completes.${tag}@example.test`, files: await completeSet(completes) }));
    const answerTo = d7.find((m) => m.rcptTo.includes(addr('answers')))!;
    await run.ingest(await mailFrom(answers, {
      from: addr('colleague'),
      messageId: `answers.${tag}@example.test`,
      named: false,
      references: [answerTo.messageId],
      files: await completeSet(answers),
    }));
    expect((await run.store.readPerson('seis-certification', answers.nationalId))?.manifest.documents.length).toBe(6);
    await setExcused(run.store, 'seis-certification', excused.nationalId, { by: 'staff', at: '2023-09-16T02:00:00Z', reason: 'ลาศึกษาต่อ' });

    expect(await run.checkAt(bkk('2023-09-16T10:00'))).toEqual({ due: 0 }); // Saturday
    expect(await run.checkAt(bkk('2023-09-19T10:00'))).toEqual({ due: 0 }); // the holiday

    // The dry run of Wednesday 20 September 09:00 (d-3), through the CLI, says exactly what is then sent.
    const dry = spawnSync(process.execPath, [join(ROOT, 'bin/seis-intake.js'), 'remind', '--dry-run', '--json', '--campaign', 'seis-certification', '--at',
      '2566-09-20T09:00'], {
      cwd: ROOT,
      env: { ...process.env, ...live.env, LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });
    expect(dry.status, dry.stderr).toBe(0);
    const planned = JSON.parse(dry.stdout).campaigns[0].due as Array<{ to: string[]; subject: string; messageId: string; text: string }>;
    await run.checkAt(bkk('2023-09-20T09:00'));
    const d3 = await sent('d-3');
    expect(d3.map((m) => [m.rcptTo.sort().join(','), m.subject, m.messageId, m.text]).sort())
      .toEqual(planned.map((p) => [[...p.to].sort().join(','), p.subject, p.messageId, p.text]).sort());
    expect(await recipients('d-3')).toEqual([addr('cm-office'), addr('kk-head'), addr('kk-office'), addr('never')].sort());
    const cmD3 = d3.find((m) => m.rcptTo.includes(addr('cm-office')))!;
    expect(cmD3.text).toContain(`${bounced.firstName} ${bounced.lastName}`); // listed for the unit though their address bounced
    expect(cmD3.text).not.toContain(`${excused.firstName} ${excused.lastName}`);
    expect(cmD3.text).not.toContain(`${completes.firstName} ${completes.lastName}`);

    await run.checkAt(bkk('2023-09-21T09:00'));
    expect(await recipients('d-1')).toEqual([addr('cm-office'), addr('kk-head'), addr('kk-office'), addr('never')].sort());

    // Friday 22: the extended person's own d-7 (29 September − 7 days); nobody else is due.
    await run.checkAt(bkk('2023-09-22T09:00'));
    const ext = (await sent('d-7')).filter((m) => m.rcptTo.includes(addr('extended')));
    expect(ext).toHaveLength(1);
    expect(ext[0].text).toContain('29 กันยายน 2566');
    expect(ext[0].text).toContain('ได้รับการขยายจากกำหนดเดิม');

    // Monday 25: the overdue notice, the working day after the deadline.
    await run.checkAt(bkk('2023-09-25T09:00'));
    expect(await recipients('overdue')).toEqual([addr('cm-office'), addr('kk-head'), addr('kk-office'), addr('never')].sort());
    expect((await sent('overdue')).find((m) => m.rcptTo.includes(addr('never')))!.text).toContain('เลยกำหนดส่งแล้ว');

    // Later checks in the same windows send nothing again; nobody ever got a step twice.
    expect(await run.checkAt(bkk('2023-09-25T11:00'))).toEqual({ due: 0 });
    const all = await sent();
    const pairs = all.flatMap((m) => m.rcptTo.map((r) => `${m.step} ${r}`));
    expect(pairs.length).toBe(new Set(pairs).size);
    expect(all.some((m) => m.rcptTo.includes(addr('bounced')))).toBe(false);
  });
});

describe('reminders of a unit-scope campaign', () => {
  it('chases units for their own report, leaves out a bounced contact, stops at a complete report, and shares steps with remind --send', async () => {
    const tag = `u${Date.now().toString(36)}`;
    const addr = (who: string) => `${who}.${tag}@example.test`;
    dir = mkdtempSync(join(tmpdir(), 'seis-remind-'));
    const files = writeReferenceFiles(dir, [], [
      { id: '50', name: CM, emails: [addr('cm-office')] },
      { id: '40', name: KK, emails: [addr('kk-office'), addr('kk-gone')] },
    ]);
    const campaigns = DEFAULT_CAMPAIGNS.map((c) => (c.id === 'login-status' ? c : { ...c, reminders: { enabled: false } }));
    live = liveEnv('remind-units', { UNITS_FILE: files.units, REMINDER_CHECK_PATTERN: '* * * * * *', CONFIG_FILE: join(dir, 'config.json') });
    writeFileSync(live.env.CONFIG_FILE, JSON.stringify({ campaigns }));
    run = await startClockedRun(live.env, bkk('2023-09-15T09:00'));
    const mine = (m: { rcptTo: string[] }) => m.rcptTo.some((r) => r.includes(tag));
    const sent = async (step: string) => (await sinkMails(mine)).filter((m) => m.step === step);

    await run.checkAt(bkk('2023-09-15T09:01'));
    const d7 = await sent('d-7');
    expect(d7.map((m) => m.rcptTo.sort().join(',')).sort()).toEqual([addr('cm-office'), `${addr('kk-gone')},${addr('kk-office')}`]);
    expect(d7[0].text).toContain('ระบบยังไม่ได้รับ “รายงานสถานะการเข้าใช้งานระบบ SEIS”');
    expect(d7[0].text).toContain('จำนวนข้าราชการทั้งหมด จำนวนผู้เข้าใช้งานได้');

    // One Khon Kaen contact bounces.
    const kk = d7.find((m) => m.rcptTo.includes(addr('kk-office')))!;
    await run.ingest(Buffer.from([
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.test>',
      `To: seis-intake@example.test`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <dsn.${tag}@mx.example.test>`,
      'Date: Fri, 15 Sep 2023 09:05:00 +0700',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Delivery failed.',
      '',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.test',
      '',
      `Final-Recipient: rfc822; ${addr('kk-gone')}`,
      'Action: failed',
      'Status: 5.1.1',
      '',
      '--b',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${kk.messageId}`,
      'Auto-Submitted: auto-generated',
      '',
      '--b--',
      '',
    ].join('\r\n')));
    expect(await new SuppressionList(live.archiveDir).get(addr('kk-gone'))).toBeDefined();
    // Staff send d-3 early with the command; run's own d-3 check then finds it sent.
    const cli = spawnSync(process.execPath, [join(ROOT, 'bin/seis-intake.js'), 'remind', '--send', '--campaign', 'login-status', '--step', 'd-3', '--json'], {
      cwd: ROOT,
      env: { ...process.env, ...live.env, LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout).results.map((r: { name: string; state: string }) => `${r.name} ${r.state}`)).toEqual([`${CM} sent`, `${KK} sent`]);
    // Khon Kaen's digest went to the contact that did not bounce only.
    expect((await sent('d-3')).map((m) => m.rcptTo.join()).sort()).toEqual([addr('cm-office'), addr('kk-office')]);
    expect(await run.checkAt(bkk('2023-09-20T09:00'))).toEqual({ due: 0 });

    // Then Khon Kaen sends a complete report: no more reminders for it.
    await run.ingest(submission({
      from: addr('kk-office'),
      to: 'submissions@example.test',
      messageId: `kk.${tag}@example.test`,
      subject: 'รายงานสถานะการเข้าใช้งาน SEIS',
      text: ['หน่วยงาน: สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น', 'ข้าราชการทั้งหมด 3 คน', 'เข้าใช้งานได้ 2 คน', 'เข้าใช้งานไม่ได้ 1 คน', 'ชื่อ-นามสกุล | เลขประจำตัวประชาชน | อีเมล',
        `นายก ทดสอบ | ${rosterPerson(99, KK, undefined).nationalId} | a@example.test`].join('\n'),
    }));

    await run.checkAt(bkk('2023-09-21T09:00'));
    expect((await sent('d-1')).map((m) => m.rcptTo.join())).toEqual([addr('cm-office')]);
    expect((await sinkMails(mine)).filter((m) => m.rcptTo.includes(addr('kk-gone'))).map((m) => m.step)).toEqual(['d-7']);
  });
});
