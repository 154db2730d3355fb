// What every dashboard route shares: the server's state, its options and the cookie names. Apart from
// server.ts so that the routes, which server.ts registers, never import the server back.
import type { Queue } from 'bullmq';
import type { FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/schema.ts';
import type { Campaign, Person } from '../pipelines/types.ts';
import type { UnitsDirectory } from '../pipelines/unit/index.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import type { ThumbnailCache } from '../adapters/thumbnail-cache.ts';
import type { StaffMailQueue } from '../usecases/staff-mail.ts';
import type { ArchiveIndex } from './archive-index.ts';
import type { Redis } from 'ioredis';
import type { AccountStore } from './accounts.ts';
import type { SessionStore } from './sessions.ts';
import type { LoginThrottle } from './throttle.ts';
import type { DashboardCore, DecisionContext } from './decision-context.ts';

export const SESSION_COOKIE = 'seis_session';
export const LOGIN_COOKIE = 'seis_login';

export interface DashboardOptions {
  config: AppConfig;
  store: ArchiveStore;
  roster?: Person[];
  /** The units file: which unit must send which unit-scope request (login-status, admin-appointment). */
  units?: UnitsDirectory;
  log: Logger;
  /** The accounts (serve loads them: config users, users.json, ADMIN_PASSWORD); or `users`, loaded here. */
  accounts?: AccountStore;
  /** Config-style accounts ({ name, passwordHash, role?, units? }), for tests and embedding. */
  users?: Array<{ name: string; passwordHash: string; role?: 'admin' | 'central' | 'unit' | 'viewer'; units?: string[]; displayName?: string }>;
  clock?: () => Date;
  /** 'auto': Secure cookies when the request came over https (X-Forwarded-Proto is trusted only from a trusted proxy). */
  secureCookies?: boolean | 'auto';
  /**
   * Which proxies' X-Forwarded-For/-Proto to believe: true = one hop (the peer is the proxy), a hop count, or
   * addresses/CIDRs. Default: config dashboard.trustedProxies (none).
   */
  trustProxy?: boolean | number | string[];
  /** Sessions live here (default: a connection to config redis.url, closed with the dashboard). */
  redis?: Redis;
  /** Redis key prefix of the sessions (default: `<redis.prefix>:dash`). */
  sessionPrefix?: string;
  index?: ArchiveIndex;
  checkMs?: number;
  sweepMs?: number;
  /** Queue for staff mail (given by `serve` when SMTP is configured; the caller closes it). Else: outbox only. */
  staffMail?: StaffMailQueue;
  /** First-page thumbnails (default: poppler's pdftoppm, cached under the archive's _state/thumbs/). */
  thumbnails?: ThumbnailCache;
  /** BullMQ queues for the administrators' queue view at /queues/ (given by `serve`; the caller closes them). */
  queues?: Queue[];
}

export interface DashboardState extends DashboardCore {
  accounts: AccountStore;
  sessions: SessionStore;
  throttle: LoginThrottle;
  campaigns: Map<string, Campaign>;
  rosterById: Map<string, Person>;
  units?: UnitsDirectory;
  decisions: DecisionContext;
  thumbnails: ThumbnailCache;
  isSecure: (request: FastifyRequest) => boolean;
  /** The queue view is mounted (queues were given). */
  queueView: boolean;
}

export function newLoginToken(): string {
  return randomBytes(24).toString('base64url');
}
