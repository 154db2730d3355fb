// Reading scans in `run`: the `content` queue and its BullMQ flows against Dovecot, the SMTP sink, Redis and
// the real OCR engine. A message that needs its pages to be decided waits for them; a message decided by its
// names is answered at once, then checked, and corrected with one mail when its pages say otherwise.
import { readFile } from 'node:fs/promises';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildRoster } from '../../pipelines/identity/index.ts';
import { submission } from '../helpers/eml.ts';
import { ARRIVAL, liveEnv, messageRecords, startInProcess, type InProcessRun, type LiveEnv } from '../helpers/live-run.ts';
import { ROSTER } from '../helpers/people.ts';
import { buildScanFixtures } from '../helpers/scans/build.ts';
import { SCAN_FIXTURES } from '../helpers/scans/catalog.ts';
import { OFFICER_SOMCHAI } from '../helpers/scans/cast.ts';
import { appendMessages, readSink, waitFor, wipeMailbox } from '../helpers/services.ts';

const scans = new Map<string, Buffer>();
let live: LiveEnv;
let run: InProcessRun | undefined;
let tag: string;

beforeAll(async () => {
  const built = await buildScanFixtures(SCAN_FIXTURES);
  for (const f of built.files) scans.set(f.file.name, await readFile(f.path));
}, 600_000);
beforeEach(() => {
  wipeMailbox();
  tag = `t${Date.now().toString(36)}`;
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && run) {
    console.error(
      run.logs.filter((l) => Number(l.level) >= 40 || /^(ingest|content|job)\./.test(String(l.code))).slice(-40).map((l) => JSON.stringify(l)).join('\n'),
    );
  }
  await run?.close();
  run = undefined;
  await live?.cleanup();
});

const deliver = (raws: Buffer[]) => appendMessages(raws, { internalDate: ARRIVAL });
const sinkTo = (local: string) => readSink({ to: `${local}-${tag}@` });

describe('the content queue in run', () => {
  it('holds a message that names nobody until its scans are read, then files it for the card holder and answers once', async () => {
    live = liveEnv('content-wait', { CONTENT_READING: 'on' });
    run = await startInProcess(live.env, { roster: buildRoster(ROSTER) });
    const id = `wait-${tag}@example.test`;
    await deliver([submission({
      from: `stranger-${tag}@example.test`,
      messageId: id,
      subject: 'ส่งเอกสาร',
      attachments: [{ name: 'scan0001.pdf', content: scans.get('scan0001.pdf')! }],
    })]);
    const [reply] = await waitFor(async () => (sinkTo('stranger').length ? sinkTo('stranger') : undefined), { what: 'the reply', timeoutMs: 120_000 });
    expect(reply.headers['x-seis-intake-status']).toBe('incomplete');
    const record = (await messageRecords(live.archiveDir)).find((r) => r.messageId === id);
    expect(record?.persons).toEqual([OFFICER_SOMCHAI.nationalId]);
    const folder = await run.store.readPerson('seis-certification', OFFICER_SOMCHAI.nationalId);
    expect(folder?.manifest.documents.map((d) => [d.item, d.reading?.source])).toEqual([['id-card', 'content']]);
    expect(run.logs.some((l) => l.code === 'ingest.deferred')).toBe(true);
    expect(sinkTo('stranger')).toHaveLength(1);
  }, 180_000);

  it('answers a named file at once, then corrects a mislabelled one with one short mail threaded to the reply', async () => {
    live = liveEnv('content-fix', { CONTENT_READING: 'on' });
    run = await startInProcess(live.env, { roster: buildRoster(ROSTER) });
    const id = `fix-${tag}@example.test`;
    await deliver([submission({
      from: `officer-${tag}@example.test`,
      messageId: id,
      subject: `ส่งเอกสาร ${OFFICER_SOMCHAI.nationalId}`,
      attachments: [{ name: 'ทะเบียนบ้าน.pdf', content: scans.get('ทะเบียนบ้าน.pdf')! }],
    })]);
    const mails = await waitFor(async () => (sinkTo('officer').length >= 2 ? sinkTo('officer') : undefined), {
      what: 'the reply and the correction',
      timeoutMs: 120_000,
    });
    const [reply, correction] = mails;
    expect(reply.headers['message-id']).toMatch(/^<reply-/);
    expect(correction.headers['message-id']).toMatch(/^<content-[0-9a-f]{32}@example\.test>$/);
    expect(correction.headers['in-reply-to']).toBe(reply.headers['message-id']);
    expect(correction.raw.toString('utf8')).toContain('Auto-Submitted: auto-replied');
    const folder = await run.store.readPerson('seis-certification', OFFICER_SOMCHAI.nationalId);
    const current = folder!.manifest.documents.filter((d) => d.current).map((d) => d.item).sort();
    expect(current).toEqual(['appointment-education', 'highest-education']);
    expect(folder!.manifest.documents.find((d) => d.item === 'house-registration')).toMatchObject({ current: false, relabelled: true });
    const record = (await messageRecords(live.archiveDir)).find((r) => r.messageId === id);
    expect(record?.contentChecked).toMatchObject({ corrected: 1 });
    // Nothing more is sent for it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(sinkTo('officer')).toHaveLength(2);
  }, 180_000);
});
