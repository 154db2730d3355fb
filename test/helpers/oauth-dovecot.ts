// A second private Dovecot, like the one scripts/services.sh starts, that accepts only XOAUTH2/OAUTHBEARER and
// checks every bearer token against an introspection URL (its oauth2 passdb): Outlook.com's mailbox kind, on
// loopback. Config, Maildir and logs live under .services/oauth-dovecot-<port>/; Dovecot itself comes from
// scripts/services.sh (which installs it when missing).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './services.ts';

export interface OAuthDovecot {
  port: number;
  dir: string;
  stop(): void;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

export async function startOAuthDovecot(opts: { port: number; introspectionUrl: string }): Promise<OAuthDovecot> {
  const dir = join(ROOT, '.services', `oauth-dovecot-${opts.port}`);
  const conf = join(dir, 'dovecot.conf');
  try {
    execFileSync('doveadm', ['-c', conf, 'stop'], { stdio: 'ignore' });
  } catch {
    // not running
  }
  if (await portOpen(opts.port)) throw new Error(`port ${opts.port} is taken: set OAUTH_IMAP_TEST_PORT`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'mail'), { recursive: true });
  mkdirSync(join(dir, 'state'), { recursive: true });
  try {
    chownSync(join(dir, 'mail'), 5000, 5000);
  } catch {
    // not root: Dovecot then runs mail as the caller
  }
  writeFileSync(join(dir, 'oauth2.conf.ext'), [
    `introspection_url = ${opts.introspectionUrl}`,
    'introspection_mode = post',
    'force_introspection = yes',
    'username_attribute = username',
    'active_attribute = active',
    'active_value = true',
    'timeout_msecs = 5000',
    '',
  ].join('\n'));
  writeFileSync(conf, `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = xoauth2
mail_location = maildir:${dir}/mail/%u
mail_uid = 5000
mail_gid = 5000
first_valid_uid = 1000
passdb {
  driver = oauth2
  mechanisms = xoauth2
  args = ${dir}/oauth2.conf.ext
}
userdb {
  driver = static
  args = uid=5000 gid=5000 home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    port = ${opts.port}
  }
}
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
mailbox_idle_check_interval = 1 secs
mail_max_userip_connections = 200
`);
  execFileSync('dovecot', ['-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await portOpen(opts.port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await portOpen(opts.port))) throw new Error(`the OAuth Dovecot did not start; see ${dir}/dovecot.log`);
  return {
    port: opts.port, dir,
    stop() {
      try {
        execFileSync('doveadm', ['-c', conf, 'stop'], { stdio: 'ignore' });
      } catch {
        // already stopped
      }
    },
  };
}
