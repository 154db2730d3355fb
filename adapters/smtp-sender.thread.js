// SMTP sending on its own thread. Why: the moment the SMTP server accepts a reply and the moment we
// record "sent" must be as close as possible (a crash between them sends the reply again on restart),
// and the main thread can be busy for tens of milliseconds parsing PDFs. This thread does nothing else:
// it sends and, in the same breath, writes the Redis sent marker. Plain JavaScript so no TypeScript
// loader is needed inside the thread. It decides nothing; errors go back with their codes for classifyError.
// Without a Redis URL (the `ingest` CLI) it only sends: no connection is opened and no marker is written.
import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';
import { Redis } from 'ioredis';

// Connected before the first send, so the marker write right after a "250" does not wait for a handshake.
const redis = workerData.redisUrl
  ? new Redis(workerData.redisUrl, {
    connectionName: 'seis-intake-smtp-marker',
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(times * 500, 5000),
  })
  : undefined;
redis?.on('error', () => {
  // reported through the failed marker write of a send, not here
});
let pooled;

function transportFor(msg) {
  if (msg.accessToken) {
    return nodemailer.createTransport({ ...msg.transport, auth: { type: 'OAuth2', user: msg.user, accessToken: msg.accessToken } });
  }
  pooled ??= nodemailer.createTransport({ ...msg.transport, pool: true, maxConnections: 2, maxMessages: 100 });
  return pooled;
}

function plainError(err) {
  const out = { message: String(err?.message ?? err), name: err?.name ?? 'Error' };
  for (const key of ['code', 'responseCode', 'command', 'response']) if (err && err[key] !== undefined) out[key] = err[key];
  return out;
}

parentPort.on('message', async (msg) => {
  if (msg.type === 'close') {
    pooled?.close();
    await redis?.quit().catch(() => redis.disconnect());
    parentPort.postMessage({ type: 'closed' });
    return;
  }
  const transport = transportFor(msg);
  let info;
  try {
    info = await transport.sendMail({ envelope: msg.envelope, raw: Buffer.from(msg.raw) });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, ok: false, error: plainError(err) });
    return;
  } finally {
    if (transport !== pooled) transport.close();
  }
  // Accepted: record it before anything else can happen.
  let markerError;
  if (msg.marker && !redis) {
    markerError = { message: 'no Redis connection for sent markers' };
  } else if (msg.marker) {
    try {
      await redis.set(msg.marker.key, msg.marker.value, 'EX', msg.marker.ttlSeconds);
    } catch (err) {
      markerError = plainError(err);
    }
  }
  parentPort.postMessage({ id: msg.id, ok: true, response: info.response, markerError });
});
