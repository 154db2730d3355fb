// What every dashboard route shares: the server's state, its options and the cookie names. Apart from
// server.ts so that the routes, which server.ts registers, never import the server back.
import type { FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/schema.ts';
import type { Campaign, Person } from '../pipelines/types.ts';
import type { UnitsDirectory } from '../pipelines/unit/index.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import type { StaffMailQueue } from '../usecases/staff-mail.ts';
import type { ArchiveIndex } from './archive-index.ts';
import type { AuditLog } from './audit.ts';
import type { DashboardUser, LoginThrottle, SessionStore } from './auth.ts';
import type { DecisionContext } from './decisions.ts';

export const SESSION_COOKIE = 'seis_session';
export const LOGIN_COOKIE = 'seis_login';

export interface DashboardOptions {
  config: AppConfig;
  store: ArchiveStore;
  roster?: Person[];
  /** The units file: which unit must send which unit-scope request (login-status, admin-appointment). */
  units?: UnitsDirectory;
  log: Logger;
  users: DashboardUser[];
  clock?: () => Date;
  /** 'auto': Secure cookies when the request came over https (X-Forwarded-Proto is trusted only with trustProxy). */
  secureCookies?: boolean | 'auto';
  trustProxy?: boolean;
  index?: ArchiveIndex;
  checkMs?: number;
  sweepMs?: number;
  /** Queue for staff mail (given by `serve` when SMTP is configured; the caller closes it). Else: outbox only. */
  staffMail?: StaffMailQueue;
}

export interface DashboardState {
  config: AppConfig;
  store: ArchiveStore;
  index: ArchiveIndex;
  audit: AuditLog;
  log: Logger;
  clock: () => Date;
  users: DashboardUser[];
  sessions: SessionStore;
  throttle: LoginThrottle;
  campaigns: Map<string, Campaign>;
  rosterById: Map<string, Person>;
  units?: UnitsDirectory;
  decisions: DecisionContext;
  isSecure: (request: FastifyRequest) => boolean;
}

export function newLoginToken(): string {
  return randomBytes(24).toString('base64url');
}
