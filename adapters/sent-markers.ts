// The Redis "sent" markers of delivered mail: the SMTP sending thread writes one the instant the server accepted a
// mail (adapters/smtp-sender.thread.js); a later attempt that finds it only finishes the bookkeeping. One namespace
// per kind of mail (replies by message key, staff mail by its id, reminders by theirs). It decides nothing; usecases/deliver-once.ts does.
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/schema.ts';
import { stateKey } from './queues.ts';
import type { SentMarker } from './smtp-mailer.ts';

/** Sent markers outlive any retry or re-delivery we care about. */
export const SENT_MARKER_TTL_S = 180 * 24 * 3600;

export type MarkerNamespace = 'sent' | 'staff-sent' | 'remind-sent';

export function markerKey(config: AppConfig, namespace: MarkerNamespace, id: string): string {
  return stateKey(config, namespace, id);
}

export class SentMarkers {
  constructor(private readonly redis: Redis, private readonly config: AppConfig, private readonly namespace: MarkerNamespace) {}

  key(id: string): string {
    return markerKey(this.config, this.namespace, id);
  }

  /** When the mail was sent, if a marker says it was. */
  async get(id: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(id))) ?? undefined;
  }

  /** What the sending thread writes after the server's "250". */
  marker(id: string, sentAt: string): SentMarker {
    return { key: this.key(id), value: sentAt, ttlSeconds: SENT_MARKER_TTL_S };
  }
}
