// What each role may do, as one table every route guard and view asks: admin (everything, accounts), central
// (every unit, review), unit (review and downloads for its own units), viewer (read-only). Which units an
// account sees is scope.ts's; which route needs what is declared on the route (guards.ts enforces it).
import type { Role } from '../config/schema.ts';

export { ROLES, type Role } from '../config/schema.ts';

/**
 * read: pages, files, ZIPs, exports (within scope); decide: review decisions and assignments (within scope);
 * audit: the audit log page; accounts: manage accounts; queues: the job queue view; reminders: the reminders page.
 */
export type Access = 'read' | 'decide' | 'audit' | 'accounts' | 'queues' | 'reminders';
export const ACCESS_LEVELS: readonly Access[] = ['read', 'decide', 'audit', 'accounts', 'queues', 'reminders'];

export const ROLE_ACCESS: Record<Role, readonly Access[]> = {
  admin: ['read', 'decide', 'audit', 'accounts', 'queues', 'reminders'],
  central: ['read', 'decide', 'audit', 'queues', 'reminders'],
  unit: ['read', 'decide'],
  viewer: ['read'],
};

/** Thai names of the roles, for the accounts page and the header. */
export const ROLE_TH: Record<Role, string> = {
  admin: 'ผู้ดูแลระบบ',
  central: 'เจ้าหน้าที่ส่วนกลาง',
  unit: 'เจ้าหน้าที่หน่วยงาน',
  viewer: 'ผู้ดูข้อมูล',
};

export function roleAllows(role: Role | undefined, access: Access): boolean {
  return role !== undefined && ROLE_ACCESS[role].includes(access);
}

/** Every role that the access is given to (docs, tests). */
export function rolesWith(access: Access): Role[] {
  return (Object.keys(ROLE_ACCESS) as Role[]).filter((r) => ROLE_ACCESS[r].includes(access));
}

/** For the job queue view (bull-board): admins and central staff only. */
export function canManageQueues(session: { role?: Role } | undefined): boolean {
  return roleAllows(session?.role, 'queues');
}

/** For the reminders page: admins and central staff only. */
export function canManageReminders(session: { role?: Role } | undefined): boolean {
  return roleAllows(session?.role, 'reminders');
}
