// The dashboard section of the configuration: accounts, roles, sessions and proxies.
import { z } from 'zod';
import { port, positiveInt } from './schema-fields.ts';

/** Every password staff choose: the dashboard, `seis-intake users`, ADMIN_PASSWORD (counted in characters). */
export const MIN_PASSWORD_LENGTH = 12;
const password = z.string().refine((p) => [...p].length >= MIN_PASSWORD_LENGTH, `needs at least ${MIN_PASSWORD_LENGTH} characters`);

/** admin: everything and accounts; central: every unit, review; unit: its own units; viewer: read-only. */
export const ROLES = ['admin', 'central', 'unit', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** One account of config `dashboard.users`. Unknown keys are an error: a mistyped `unit:` must not widen access. */
export const dashboardUser = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'user names are letters, digits, ".", "_", "@" or "-" (max 64)'),
  /** The person's own name, shown in the audit log beside the account name. */
  displayName: z.string().trim().min(1).max(120).optional(),
  passwordHash: z.string().min(1),
  /** Without a role: central (what every user could do before roles existed, less account management). */
  role: z.enum(ROLES).default('central'),
  /** Units-file ids or unit names; unit users need at least one; viewers with none see every unit. */
  units: z.array(z.string().trim().min(1).max(300)).default([]),
  disabled: z.boolean().default(false),
}).strict().superRefine((u, ctx) => {
  if (u.role === 'unit' && u.units.length === 0) ctx.addIssue({ code: 'custom', path: ['units'], message: 'a unit user needs units: [unit id or name, …]' });
  if ((u.role === 'admin' || u.role === 'central') && u.units.length)
    ctx.addIssue({ code: 'custom', path: ['units'], message: `role ${u.role} sees every unit: remove units (or use role unit / viewer)` });
});
export type DashboardUserConfig = z.infer<typeof dashboardUser>;

/** "1" → 1 hop; "a, b" → addresses; [] → trust none. */
function proxyList(value: string[] | string): number | string[] {
  const items = (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean);
  if (items.length === 1 && /^\d+$/.test(items[0])) return Number(items[0]);
  return items;
}

export const dashboardSection = z.object({
  port: port.default(8080),
  /** The bootstrap admin (user "admin"), hashed and kept under <archive>/_state/dashboard/ on first start. */
  adminPassword: password.optional(),
  users: z.array(dashboardUser).default([]),
  /** Absolute session lifetime: a login lasts at most this long, however busy. */
  sessionTtlMinutes: positiveInt.default(480),
  /** A session unused this long ends (idle timeout). */
  idleMinutes: positiveInt.default(30),
  /**
   * Reverse proxies whose X-Forwarded-For/-Proto are believed: a hop count ("1": the peer is the proxy) or
   * addresses/CIDRs ("127.0.0.1, 10.0.0.0/8"). Empty: none, the socket address is the client.
   */
  trustedProxies: z.union([z.array(z.string().min(1)), z.string()]).default([]).transform(proxyList),
  /** Concurrent connections the dashboard accepts (a slow-loris cap). */
  maxConnections: positiveInt.default(200),
}).strict();
