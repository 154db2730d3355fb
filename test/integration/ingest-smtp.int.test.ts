// `seis-intake ingest` with an SMTP server configured, as a real process against the test SMTP sink: each
// reply is sent once and recorded (a re-run sends nothing); with SMTP down the messages are still filed, the
// replies wait in the outbox, the exit code says so, and the next run sends them.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SuppressionList } from '../../adapters/suppression.ts';
import { messageRecords, person, REPLY_FROM, submissionFor } from '../helpers/live-run.ts';
import { ROOT, readSink, servicesEnv } from '../helpers/services.ts';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function ingest(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/seis-intake.js'), 'ingest', ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_PRETTY: 'false', ...env },
      maxBuffer: 10 * 1024 * 1024,
    }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/** A loopback port nothing listens on: connecting is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const outboxFiles = async (archive: string) => (await readdir(join(archive, '_outbox')).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));

let dir: string;
let tag: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seis-ingest-smtp-'));
  tag = `cli${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** n submissions from unique addresses of this test, as .eml files in <dir>/mail. */
async function writeMail(n: number, first: number): Promise<string> {
  const mail = join(dir, 'mail');
  mkdirSync(mail, { recursive: true });
  for (let i = 0; i < n; i++) {
    const raw = await submissionFor(person(first + i), { from: `officer${i}-${tag}@example.test`, messageId: `m${i}-${tag}@example.test` });
    writeFileSync(join(mail, `${i}.eml`), raw);
  }
  return mail;
}

function smtpEnv(archive: string, port?: number): Record<string, string> {
  const s = servicesEnv();
  return { SMTP_HOST: s.SMTP_HOST, SMTP_PORT: String(port ?? s.SMTP_PORT), SMTP_SECURE: 'false', REPLY_FROM, ARCHIVE_DIR: archive };
}

describe('ingest with SMTP configured', () => {
  it('sends each reply once over SMTP, records it, and a re-run sends nothing', async () => {
    const mail = await writeMail(3, 7100);
    const archive = join(dir, 'archive');
    const first = await ingest([mail], smtpEnv(archive));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('ส่งอีเมลตอบกลับแล้ว 3');

    const sent = readSink({ to: `-${tag}@` });
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((m) => m.headers['in-reply-to']))).toEqual(new Set([0, 1, 2].map((i) => `<m${i}-${tag}@example.test>`)));
    expect(sent.every((m) => m.headers['x-sink-mail-from'] === 'seis-intake@example.test')).toBe(true);
    const records = await messageRecords(archive);
    expect(records).toHaveLength(3);
    expect(records.every((r) => r.reply?.sentAt && !r.reply.outboxPath)).toBe(true);
    expect(await outboxFiles(archive)).toEqual([]);

    const again = await ingest([mail], smtpEnv(archive));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('ซ้ำ 3');
    expect(readSink({ to: `-${tag}@` })).toHaveLength(3);
  });

  it('with SMTP down files every message, leaves the replies in the outbox and exits 1; the next run sends them', async () => {
    const mail = await writeMail(2, 7200);
    const archive = join(dir, 'archive');
    const down = await ingest([mail], smtpEnv(archive, await closedPort()));
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('ส่งอีเมลตอบกลับไม่สำเร็จ 2 ฉบับ');
    expect(down.stderr).toContain('smtp.connection');
    const warnings = down.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(warnings.filter((w) => w.code === 'reply.not_sent').map((w) => w.errorCode)).toEqual(['smtp.connection', 'smtp.connection']);
    expect(await outboxFiles(archive)).toHaveLength(2);
    const records = await messageRecords(archive);
    expect(records.map((r) => r.outcome).sort()).toEqual(['incomplete', 'incomplete']);
    expect(records.every((r) => r.persons.length === 1 && r.reply?.rendered && !r.reply.sentAt && !r.reply.outboxPath)).toBe(true);
    expect(readSink({ to: `-${tag}@` })).toHaveLength(0);

    const up = await ingest([mail], smtpEnv(archive));
    expect(up.code).toBe(0);
    expect(readSink({ to: `-${tag}@` })).toHaveLength(2);
    expect(await outboxFiles(archive)).toEqual([]);
    expect((await messageRecords(archive)).every((r) => r.reply?.sentAt)).toBe(true);
  });

  it('without SMTP_HOST writes the replies to the outbox as before and sends nothing', async () => {
    const mail = await writeMail(2, 7300);
    const archive = join(dir, 'archive');
    const res = await ingest([mail], { ...smtpEnv(archive), SMTP_HOST: '' });
    expect(res.code).toBe(0);
    expect(await outboxFiles(archive)).toHaveLength(2);
    expect((await messageRecords(archive)).every((r) => r.reply?.outboxPath && !r.reply.sentAt)).toBe(true);
    expect(readSink({ to: `-${tag}@` })).toHaveLength(0);
  });

  it('answers no address whose earlier mail bounced, with or without SMTP (one set of delivery rules)', async () => {
    const mail = await writeMail(2, 7400);
    for (const [i, env] of [[0, (a: string) => smtpEnv(a)], [1, (a: string) => ({ ...smtpEnv(a), SMTP_HOST: '' })]] as const) {
      const archive = join(dir, `archive${i}`);
      await new SuppressionList(archive).add({ address: `officer0-${tag}@example.test`, since: '2023-09-01T00:00:00.000Z', bounceMessageKey: 'b'.repeat(32),
        replyMessageIds: [] });
      const res = await ingest([mail], env(archive));
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('ไม่ตอบ:bounced-address');
      const records = await messageRecords(archive);
      expect(records.map((r) => r.reply?.suppressed ?? 'answered').sort()).toEqual(['answered', 'bounced-address']);
      expect(await outboxFiles(archive)).toHaveLength(i === 0 ? 0 : 1);
    }
    expect(readSink({ to: `-${tag}@` }).map((m) => m.headers.to)).toEqual([`officer1-${tag}@example.test`]);
  });
});
