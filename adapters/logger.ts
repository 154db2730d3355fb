// One root pino logger for the process; children per job carry queue, jobId, attempt, uid, messageKey.
// Never log bodies or attachment bytes: file names, sizes and hashes only.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(opts: { level?: string; pretty?: boolean; destination?: number } = {}): Logger {
  const level = opts.level ?? 'info';
  if (opts.pretty) {
    return pino({ level, transport: { target: 'pino-pretty', options: { destination: opts.destination ?? 2 } } });
  }
  return pino({ level, base: { pid: process.pid } }, pino.destination(opts.destination ?? 2));
}

export const silentLogger: Logger = pino({ level: 'silent' });
