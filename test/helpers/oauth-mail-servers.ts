// Outlook.com's mailbox kind on loopback: a second private Dovecot (like scripts/services.sh's, which installs
// Dovecot) that accepts only XOAUTH2 and checks every bearer token at an introspection URL (its oauth2 passdb),
// and an SMTP server that does the same. Dovecot's config, Maildir and log live under .services/oauth-dovecot-<port>/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { SMTPServer } from 'smtp-server';
import type { TestOAuthProvider } from './oauth-provider.ts';
import { ROOT } from './services.ts';

export interface OAuthDovecot {
  port: number;
  dir: string;
  /** Ends every session of `user` (what a provider does when it revokes a grant). */
  kick(user: string): void;
  stop(): void;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
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
    port: opts.port,
    dir,
    kick(user: string) {
      execFileSync('doveadm', ['-c', conf, 'kick', user], { stdio: 'ignore' });
    },
    stop() {
      try {
        execFileSync('doveadm', ['-c', conf, 'stop'], { stdio: 'ignore' });
      } catch {
        // already stopped
      }
    },
  };
}

/** The test's own IMAP client over XOAUTH2, with a token from its own grant (not the one under test). */
export async function withOAuthImap<T>(port: number, user: string, accessToken: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, accessToken }, logger: false, disableAutoIdle: true });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export interface OAuthSmtp {
  received: Array<{ raw: Buffer; rcptTo: string[]; user: string }>;
  authFailures: number;
  close(): Promise<void>;
}

/** An SMTP submission server like Outlook's: AUTH XOAUTH2 only, each bearer token checked at the provider's introspection endpoint. */
export async function startOAuthSmtp(port: number, provider: TestOAuthProvider): Promise<OAuthSmtp> {
  const state: OAuthSmtp = { received: [], authFailures: 0, close: async () => undefined };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authMethods: ['XOAUTH2'],
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      void provider.checkBearer(auth.username ?? '', auth.accessToken ?? '').then((ok) => {
        if (ok) return callback(null, { user: auth.username });
        state.authFailures++;
        // RFC 7628's failure: the client gets 334 with this JSON, then 535.
        return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office.com/SMTP.Send' } });
      });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        state.received.push({ raw: Buffer.concat(chunks), rcptTo: session.envelope.rcptTo.map((r) => r.address), user: String(session.user) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
