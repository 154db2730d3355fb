// SMTP sink for tests and the benchmark: accepts everything on loopback and saves each message as
// <SINK_DIR>/<time>-<n>.eml (written to a temp name, then renamed, so readers never see half a file).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const dir = process.env.SINK_DIR ?? '.services/sink';
const port = Number(process.env.SMTP_TEST_PORT ?? 2525);
mkdirSync(dir, { recursive: true });
let counter = 0;

const server = new SMTPServer({
  // smtp-server's built-in certificate has expired: offer no STARTTLS at all.
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  allowInsecureAuth: true,
  disableReverseLookup: true,
  size: 100 * 1024 * 1024,
  logger: false,
  onAuth(_auth, _session, callback) {
    callback(null, { user: 'sink' });
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const name = `${Date.now()}-${process.pid}-${++counter}`;
      const envelope = `X-Sink-Mail-From: ${session.envelope.mailFrom ? session.envelope.mailFrom.address : ''}\r\n` +
        `X-Sink-Rcpt-To: ${session.envelope.rcptTo.map((r) => r.address).join(', ')}\r\n`;
      const tmp = join(dir, `.${name}.tmp`);
      writeFileSync(tmp, Buffer.concat([Buffer.from(envelope), ...chunks]));
      renameSync(tmp, join(dir, `${name}.eml`));
      callback();
    });
  },
});
server.on('error', (err) => console.error('smtp sink error', err.message));
server.listen(port, '127.0.0.1', () => console.log(`smtp sink on 127.0.0.1:${port}, saving to ${dir}`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
