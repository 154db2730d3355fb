// `seis-intake users add|set|passwd|disable|enable|list`: the dashboard accounts kept in <archive>/_state/dashboard/
// users.json (a running dashboard sees changes within a second; a new password or a disabled account ends that
// account's sessions at their next request). Config and ADMIN_PASSWORD accounts are listed, changed where defined.
import { ROLES, type Role } from '../config/schema.ts';
import { AccountError, AccountStore } from '../dashboard/accounts.ts';
import { COMMON_OPTIONS, parseCommandArgs, UsageError } from './args.ts';
import { configFromFlags } from './context.ts';
import { readPassword } from './read-password.ts';

const HELP = `usage: seis-intake users list [--archive DIR] [--config FILE]
       seis-intake users add NAME --role ROLE [--unit UNIT]... [--display-name "ชื่อ นามสกุล"]
       seis-intake users set NAME [--role ROLE] [--unit UNIT]... [--display-name "ชื่อ นามสกุล"]
       seis-intake users passwd NAME
       seis-intake users disable NAME | enable NAME
  ROLE   admin (everything, accounts) | central (every unit, review) | unit (its own units) | viewer (read-only)
  UNIT   units-file id or unit name, repeatable; required for role unit, optional for viewer (none: every unit)
  The password is read from standard input (one line, at least 12 characters).`;

export async function usersCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...COMMON_OPTIONS,
    role: { type: 'string' },
    unit: { type: 'string', multiple: true },
    'display-name': { type: 'string' },
  }, true);
  const [verb, name, ...extra] = positionals;
  if (values.help || !verb) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const config = configFromFlags(values);
  const store = new AccountStore(config.archiveDir, config.dashboard.users);
  try {
    await store.load();
    if (verb === 'list') {
      for (const a of store.list()) {
        console.log([a.name, a.role, a.units.join(',') || '*', a.disabled ? 'disabled' : 'active', a.source, a.displayName ?? ''].join('\t'));
      }
      return 0;
    }
    if (!name) throw new UsageError(`users ${verb} needs an account name`);
    if (verb === 'add') {
      const role = ROLES.find((r) => r === values.role) as Role | undefined;
      if (!role) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const a = await store.add({ name, role, units: values.unit ?? [], password: await readPassword(),
        ...(values['display-name'] ? { displayName: values['display-name'] } : {}) });
      console.error(`added ${a.name} (${a.role}${a.units.length ? `: ${a.units.join(', ')}` : ''})`);
      return 0;
    }
    if (verb === 'set') {
      const role = values.role === undefined ? undefined : (ROLES.find((r) => r === values.role) as Role | undefined);
      if (values.role !== undefined && !role) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const a = await store.update(name, { ...(role ? { role } : {}), ...(values.unit ? { units: values.unit } : {}),
        ...(values['display-name'] !== undefined ? { displayName: values['display-name'] } : {}) });
      console.error(`${a.name}: ${a.role}${a.units.length ? ` (${a.units.join(', ')})` : ''}`);
      return 0;
    }
    if (verb === 'passwd') {
      await store.setPassword(name, await readPassword());
      console.error(`new password set for ${name}; its sessions end`);
      return 0;
    }
    if (verb === 'disable' || verb === 'enable') {
      await store.setDisabled(name, verb === 'disable');
      console.error(`${name} ${verb}d`);
      return 0;
    }
    throw new UsageError(`unknown users verb "${verb}" (add, set, passwd, disable, enable, list)`);
  } catch (err) {
    if (err instanceof AccountError) throw new UsageError(err.message);
    throw err;
  }
}
