// Issue 10's answer time for a scanned submission: `seis-intake run` (every role, content included) on the bench's
// Dovecot, SMTP sink and Redis; a 10-page combined scan named scan0004.pdf, in a mail that names nobody, APPENDed
// once per interval. Each is timed from the end of its APPEND to its reply at the sink (the reply waits for the
// pages to be read: the file has no name to go by). Each message's PDF differs in its metadata only, so the content
// cache (by sha256) never answers for it: every message is read afresh, as distinct submissions would be.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { PDFDocument } from 'pdf-lib';
import { rosterCsv } from '../cli/demo-data.ts';
import { freshSection, stateEnv } from './scenario.ts';
import { benchImapClient, drainReplies, endLiveRun, replyArrivals, replyLatency } from './reply-watch.ts';
import type { BenchServices } from './services.ts';
import { percentile } from './stats.ts';
import { startWorker } from './worker-process.ts';

export interface ContentLatencyResult {
  messages: number;
  pagesPerMessage: number;
  intervalSeconds: number;
  answered: number;
  /** APPEND → reply, ms per message in order (Infinity: no reply before the drain timeout) */
  latencies: number[];
  p50: number;
  p95: number;
  max: number;
  /** the content worker's own reading time per file (its `content.read` log lines), seconds */
  readSeconds: number[];
  /** the `run` process itself (tesseract and poppler run as its children, not counted) */
  peakRssMb: number;
  error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SCAN = 'scan0004.pdf';

/** The combined scan with a different /Title each time: new bytes and sha256, the same page images. */
async function variant(base: Buffer, i: number): Promise<Buffer> {
  const doc = await PDFDocument.load(base);
  doc.setTitle(`scan ${i + 1}`);
  doc.setModificationDate(new Date(Date.UTC(2023, 8, 14, 3, i)));
  return Buffer.from(await doc.save());
}

export async function runContentLatency(svc: BenchServices, opts: {
  messages: number;
  intervalSeconds: number;
  workDir: string;
  logDir: string;
  drainMs?: number;
}): Promise<ContentLatencyResult> {
  const { buildScanFixtures } = await import('../test/helpers/scans/build.ts');
  const { SCAN_FIXTURES } = await import('../test/helpers/scans/catalog.ts');
  const { ROSTER } = await import('../test/helpers/people.ts');
  const fixture = SCAN_FIXTURES.find((f) => f.name === SCAN)!;
  const scan = await readFile((await buildScanFixtures([fixture])).files[0].path);

  const state = await freshSection(svc, opts.workDir, 'content-latency');
  const rosterFile = join(state.archiveDir, '..', 'content-roster.csv');
  await writeFile(rosterFile, rosterCsv(ROSTER));
  const worker = startWorker({ label: 'content-latency', logDir: opts.logDir, env: stateEnv(svc, state, rosterFile) });
  const client = benchImapClient(svc);
  const appendedAt: Array<{ id: string; t: number }> = [];
  const replies = replyArrivals(svc);
  let error: string | undefined;
  try {
    await worker.waitForLog('watcher.watching', 120_000);
    await sleep(2_000);
    await client.connect();
    const start = Date.now();
    for (let i = 0; i < opts.messages; i++) {
      const due = start + i * opts.intervalSeconds * 1000;
      while (Date.now() < due) {
        await sleep(Math.min(500, due - Date.now()));
        await replies.collect();
      }
      const id = `<bench-content-${start}-${i}@office.example.test>`;
      const raw = await new MailComposer({
        from: 'เจ้าหน้าที่ <officer.unknown@example.test>',
        to: 'submissions@example.test',
        subject: 'ส่งเอกสาร',
        text: 'ส่งเอกสารตามหนังสือเวียนครับ',
        attachments: [{ filename: SCAN, content: await variant(scan, i) }],
        messageId: id,
        date: new Date('2023-09-14T03:00:00Z'),
      }).compile().build();
      await client.append('INBOX', raw, [], new Date('2023-09-14T03:00:00Z'));
      appendedAt.push({ id, t: Date.now() });
    }
    const missing = () => appendedAt.filter((m) => !replies.arrivedAt.has(m.id)).length;
    error = await drainReplies(worker, replies, missing, { drainMs: opts.drainMs ?? 600_000, pollMs: 500 });
  } finally {
    await endLiveRun(client, worker, state);
  }
  const latencies = appendedAt.map((m) => replyLatency(replies, m.id, m.t));
  const readSeconds = (await readFile(worker.logFile, 'utf8')).split('\n').filter((l) => l.includes('"code":"content.read"'))
    .map((l) => Number(/"seconds":([\d.]+)/.exec(l)?.[1] ?? NaN));
  return {
    messages: appendedAt.length,
    pagesPerMessage: fixture.pages.length,
    intervalSeconds: opts.intervalSeconds,
    answered: latencies.filter(Number.isFinite).length,
    latencies,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: Math.max(...latencies),
    readSeconds,
    peakRssMb: worker.peakMb(),
    ...(error ? { error } : {}),
  };
}
