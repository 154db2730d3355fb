// Harness for the reminder tests: a fictional roster and units file with unique addresses, `run` in this process
// on a clock the test moves, waiting for the scheduler's checks and the sends they queue, and reading what the
// SMTP sink received as parsed mail.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { loadConfig } from '../../config/load.ts';
import type { AppConfig } from '../../config/schema.ts';
import { withCheckDigit } from '../../pipelines/identity/national-id.ts';
import type { Person } from '../../pipelines/types.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';
import { startRun, type RunHandle, type RunRole } from '../../workers/run.ts';
import { submission } from './eml.ts';
import { labelledPdf } from './live-run.ts';
import { readSink, waitFor, type SinkMessage } from './services.ts';

export const CM = 'สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่';
export const KK = 'สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น';
/** Bangkok wall-clock time → instant. */
export const bkk = (text: string) => new Date(`${text}+07:00`);

export function rosterPerson(n: number, unit: string, email: string | undefined): Person {
  return {
    nationalId: withCheckDigit(`3${String(n).padStart(11, '0')}`),
    prefix: 'นาย',
    firstName: `เตือน${n}`,
    lastName: 'ทดสอบระบบ',
    unit,
    ...(email ? { email } : {}),
  };
}

/** Writes roster.csv and units.csv into `dir`; returns their paths. */
export function writeReferenceFiles(dir: string, persons: Person[], units: Array<{ id: string; name: string; emails: string[] }>) {
  const roster = join(dir, 'roster.csv');
  const unitsFile = join(dir, 'units.csv');
  writeFileSync(roster,
    `national_id,prefix,first_name,last_name,unit,email\n${
      persons.map((p) => [p.nationalId, p.prefix, p.firstName, p.lastName, p.unit, p.email ?? ''].join(',')).join('\n')
    }\n`);
  writeFileSync(unitsFile, `unit_id,name,kind,emails\n${units.map((u) => `${u.id},${u.name},province-office,${u.emails.join(';')}`).join('\n')}\n`);
  return { roster, units: unitsFile };
}

/** Every required document of the circular, each a distinct PDF. */
export async function completeSet(p: Person) {
  const names = ['บัตรประชาชน', 'ทะเบียนบ้าน', 'บัตรประชาชนบิดา', 'บัตรประชาชนมารดา', 'วุฒิที่ใช้บรรจุ ปริญญาบัตรและทรานสคริปต์', 'วุฒิสูงสุด ปริญญาบัตรและทรานสคริปต์'];
  return Promise.all(names.map(async (n) => ({ name: `${n}.pdf`, content: await labelledPdf(`${p.nationalId}-${n}`), contentType: 'application/pdf' })));
}

export async function mailFrom(p: Person,
  opts: { from: string; messageId: string; named?: boolean; references?: string[]; files: Array<{ name: string; content: Buffer; contentType: string }> }) {
  const refs = opts.references?.length ? [`In-Reply-To: ${opts.references.at(-1)}`, `References: ${opts.references.join(' ')}`] : [];
  return submission({
    from: opts.from,
    to: 'submissions@example.test',
    messageId: opts.messageId,
    headers: refs,
    date: 'Fri, 15 Sep 2023 10:00:00 +0700',
    subject: opts.named === false ? 'Re: ส่งเอกสารเพิ่มเติมครับ' : `ส่งเอกสาร ${p.nationalId} ${p.prefix}${p.firstName} ${p.lastName}`,
    text: opts.named === false ? 'ส่งเพิ่มครับ' : 'ส่งเอกสารครับ',
    attachments: opts.files,
  });
}

export interface ClockedRun {
  handle: RunHandle;
  config: AppConfig;
  store: ArchiveStore;
  logs: Array<Record<string, unknown>>;
  clock: { now: Date };
  /** Moves the clock and waits until a check that started after the move has queued its sends and they are done. */
  checkAt(at: Date, opts?: { timeoutMs?: number }): Promise<{ due: number }>;
  /** Files a message through the real ingest worker (and its reply through the reply worker). */
  ingest(raw: Buffer): Promise<string>;
  close(): Promise<void>;
}

let uidCounter = 1;

export async function startClockedRun(env: Record<string, string>, start: Date, roles: RunRole[] = ['ingest', 'reply', 'remind']): Promise<ClockedRun> {
  const config = loadConfig({ env });
  const logs: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const clock = { now: start };
  const handle = await startRun(config, log, { roles, now: () => clock.now });
  const store = new ArchiveStore(config.archiveDir);
  const finished = () =>
    logs.filter((l) => typeof l.code === 'string' && /^remind\.(sent|outbox|suppressed|not-due|already-sent)$/.test(l.code as string)).length;
  const ingestQueue = new Queue('ingest', { connection: { url: config.redis.url }, prefix: config.redis.prefix });
  return {
    handle,
    config,
    store,
    logs,
    clock,
    async checkAt(at, opts = {}) {
      clock.now = at;
      const before = finished();
      const from = logs.length;
      const check = await waitFor(() => logs.slice(from).find((l) => l.code === 'remind.check' && Date.parse(String(l.at)) >= at.getTime()), {
        what: `a reminder check at ${at.toISOString()}`,
        timeoutMs: opts.timeoutMs ?? 20_000,
        intervalMs: 50,
      });
      const due = Number(check.due);
      await waitFor(() => finished() - before >= due, { what: `${due} reminder sends`, timeoutMs: opts.timeoutMs ?? 20_000, intervalMs: 50 });
      return { due };
    },
    async ingest(raw) {
      const { emlPath } = await store.storeOriginal(raw, clock.now);
      const uid = uidCounter++;
      await ingestQueue.add('ingest', { mailbox: 'INBOX', uidValidity: '1', uid, emlPath, internalDate: clock.now.toISOString() }, {
        jobId: `ingest-test-${uid}`,
      });
      const done = await waitFor(() => logs.find((l) => l.code === 'ingest.done' && l.uid === uid), { what: 'the message to be filed' });
      return String(done.messageKey);
    },
    async close() {
      await ingestQueue.close();
      await handle.close();
    },
  };
}

export interface ParsedSinkMail {
  rcptTo: string[];
  step?: string;
  messageId: string;
  inReplyTo?: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
}

export async function sinkMails(filter: (m: SinkMessage) => boolean): Promise<ParsedSinkMail[]> {
  const out: ParsedSinkMail[] = [];
  for (const m of readSink().filter(filter)) {
    const parsed = await simpleParser(m.raw);
    out.push({
      rcptTo: m.rcptTo,
      step: m.headers['x-seis-intake-reminder'],
      messageId: parsed.messageId ?? '',
      inReplyTo: parsed.inReplyTo,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      headers: m.headers,
    });
  }
  return out;
}
