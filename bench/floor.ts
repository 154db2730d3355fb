// The I/O floors: what simply downloading the mailbox costs. One imapflow connection, one FETCH of every
// message's source, each written to its own file. No parsing, no Redis: the speed to compare with. The bare floor
// writes without fsync; the durable floor fsyncs each file once (what keeping a message safely costs at least).
// It takes seconds where a run takes minutes, so it is repeated and the median kept (a shared machine's
// noise would otherwise move the ratio more than any change to the code).
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchMailbox } from './generate.ts';
import { benchImapClient } from './reply-watch.ts';
import { clearSink, deliverToMaildir, wipeMailbox, type BenchServices } from './services.ts';

export interface FloorResult {
  messages: number;
  bytes: number;
  seconds: number;
  msgsPerSec: number;
  mbPerSec: number;
  /** seconds of every repetition; the fields above are of the median one */
  runs: number[];
}

export type FloorKind = 'bare' | 'durable';

/** Both floors, their repetitions taken in turn (bare, durable, bare…) so that both see the same machine load. */
export async function runFloors(svc: BenchServices, mailbox: BenchMailbox, workDir: string, repeats = 3): Promise<Record<FloorKind, FloorResult>> {
  const runs: Record<FloorKind, Array<Omit<FloorResult, 'runs'>>> = { bare: [], durable: [] };
  for (let i = 0; i < repeats; i++) {
    for (const kind of ['bare', 'durable'] as const) runs[kind].push(await downloadOnce(svc, mailbox, workDir, kind));
  }
  return { bare: median(runs.bare), durable: median(runs.durable) };
}

function median(runs: Array<Omit<FloorResult, 'runs'>>): FloorResult {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], runs: runs.map((r) => r.seconds) };
}

/** One file per message; the durable kind fsyncs it before the next message is read. */
async function saveMessage(file: string, source: Buffer, kind: FloorKind): Promise<void> {
  if (kind === 'bare') return writeFile(file, source);
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(source);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function downloadOnce(svc: BenchServices, mailbox: BenchMailbox, workDir: string, kind: FloorKind): Promise<Omit<FloorResult, 'runs'>> {
  await wipeMailbox(svc);
  await clearSink(svc);
  await deliverToMaildir(svc, mailbox.messages.map((m) => join(mailbox.dir, m.file)));
  const out = join(workDir, 'floor');
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });

  const t0 = Date.now();
  const client = benchImapClient(svc);
  let messages = 0;
  let bytes = 0;
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      for await (const msg of client.fetch('1:*', { uid: true, source: true })) {
        if (!msg.source) continue;
        await saveMessage(join(out, `${msg.uid}.eml`), msg.source, kind);
        messages++;
        bytes += msg.source.length;
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  const seconds = (Date.now() - t0) / 1000;
  await rm(out, { recursive: true, force: true });
  await wipeMailbox(svc);
  if (messages !== mailbox.messages.length) throw new Error(`floor downloaded ${messages} of ${mailbox.messages.length} messages`);
  return { messages, bytes, seconds, msgsPerSec: messages / seconds, mbPerSec: bytes / 1e6 / seconds };
}
