// Account management by admins (GET and POST /admin/users…): add an account, change its role and units, set a password, disable or enable
// it, end its sessions everywhere. Config and ADMIN_PASSWORD accounts are shown but changed where they are
// defined. Every change is audited; a new password or a disabled account also ends that account's sessions.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type Role } from '../../config/schema.ts';
import { AccountError } from '../accounts.ts';
import { withQuery } from '../html.ts';
import type { DashboardState } from '../state.ts';
import { accountsView } from '../views/admin.ts';
import { flashTable, type Flash } from '../views/flash.ts';
import { clientIp, pageContext, sendPage } from './common.ts';
import { formRoute } from './forms.ts';

type Params = { name: string };
const DONE = flashTable({
  added: 'เพิ่มบัญชีแล้ว',
  password: 'ตั้งรหัสผ่านใหม่แล้ว บัญชีนี้ต้องเข้าสู่ระบบใหม่ทุกเครื่อง',
  disabled: 'ระงับบัญชีแล้ว',
  enabled: 'เปิดใช้บัญชีแล้ว',
  logout: 'ออกจากระบบทุกเครื่องของบัญชีนี้แล้ว',
  updated: 'แก้ไขบทบาทและหน่วยงานแล้ว มีผลตั้งแต่คำขอถัดไปของบัญชีนี้',
});

export function registerAccountRoutes(app: FastifyInstance, state: DashboardState): void {
  const accounts = { config: { access: 'accounts' as const } };
  const back = (reply: FastifyReply, done: string) => reply.code(303).header('location', withQuery('/admin/users', { done })).send();
  const failed = (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (!(err instanceof AccountError)) throw err;
    return show(request, reply, { kind: 'bad', text: `ทำไม่ได้: ${err.message}` }, 400);
  };
  const audit = (request: FastifyRequest,
    action: 'account-add' | 'account-update' | 'account-password' | 'account-disable' | 'account-enable' | 'account-logout', target: string,
    detail?: Record<string, unknown>) =>
    state.audit.write({ user: request.session!.user, ip: clientIp(request), action, target, ...(detail ? { detail } : {}) });

  async function show(request: FastifyRequest, reply: FastifyReply, flash?: Flash, status = 200) {
    await state.accounts.refresh();
    const list = state.accounts.list();
    const sessions = new Map(await Promise.all(list.map(async (a) => [a.name, await state.sessions.count(a.name)] as const)));
    return sendPage(reply, 'บัญชีผู้ใช้', pageContext(state, request), accountsView({ accounts: list, sessions, csrf: request.session!.csrf, flash }), status);
  }

  app.get('/admin/users', accounts, async (request, reply) => show(request, reply, DONE[String((request.query as { done?: unknown }).done)]));

  app.post<{ Body: Record<string, string | undefined> }>('/admin/users',
    formRoute('accounts', { name: 64, displayName: 120, role: 20, units: 4000, password: 1000 }), async (request, reply) => {
    const b = request.body;
    const role = ROLES.find((r) => r === b.role) as Role | undefined;
    const units = String(b.units ?? '').split(/[\n,]/).map((u) => u.trim()).filter(Boolean);
    try {
      if (!role) throw new AccountError('unknown role');
      const a = await state.accounts.add({ name: String(b.name ?? '').trim(), password: String(b.password ?? ''), role, units,
        ...(b.displayName?.trim() ? { displayName: b.displayName.trim() } : {}) });
      await audit(request, 'account-add', a.name, { role: a.role, units: a.units });
    } catch (err) {
      return failed(request, reply, err);
    }
    return back(reply, 'added');
  });

  app.post<{ Params: Params; Body: { password?: string } }>('/admin/users/:name/password', formRoute('accounts', { password: 1000 }),
    async (request, reply) => {
      try {
        await state.accounts.setPassword(request.params.name, String(request.body.password ?? ''));
      } catch (err) {
        return failed(request, reply, err);
      }
      await state.sessions.destroyAll(request.params.name);
      await audit(request, 'account-password', request.params.name);
      return back(reply, 'password');
    });

  app.post<{ Params: Params; Body: Record<string, string | undefined> }>('/admin/users/:name/update',
    formRoute('accounts', { role: 20, units: 4000, displayName: 120 }), async (request, reply) => {
    const b = request.body;
    const role = ROLES.find((r) => r === b.role) as Role | undefined;
    const units = String(b.units ?? '').split(/[\n,]/).map((u) => u.trim()).filter(Boolean);
    try {
      if (!role) throw new AccountError('unknown role');
      const a = await state.accounts.update(request.params.name, { role, units, displayName: (b.displayName ?? '').trim() });
      await audit(request, 'account-update', a.name, { role: a.role, units: a.units });
    } catch (err) {
      return failed(request, reply, err);
    }
    return back(reply, 'updated');
  });

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post<{ Params: Params }>(`/admin/users/:name/${verb}`, formRoute('accounts', {}), async (request, reply) => {
      try {
        await state.accounts.setDisabled(request.params.name, disabled);
      } catch (err) {
        return failed(request, reply, err);
      }
      if (disabled) await state.sessions.destroyAll(request.params.name);
      await audit(request, disabled ? 'account-disable' : 'account-enable', request.params.name);
      return back(reply, disabled ? 'disabled' : 'enabled');
    });
  }

  app.post<{ Params: Params }>('/admin/users/:name/logout', formRoute('accounts', {}), async (request, reply) => {
    const ended = await state.sessions.destroyAll(request.params.name);
    await audit(request, 'account-logout', request.params.name, { sessions: ended });
    return back(reply, 'logout');
  });
}
