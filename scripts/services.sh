#!/usr/bin/env bash
# Starts (or stops) the project's private test services on loopback:
#   - Dovecot IMAP on 127.0.0.1:$IMAP_TEST_PORT (default 1143), user submissions@example.test / secret,
#     all state under $SERVICES_DIR/dovecot (installs Debian's dovecot-imapd when missing; needs root then)
#   - an SMTP sink on 127.0.0.1:$SMTP_TEST_PORT (default 2525) saving each message under $SERVICES_DIR/sink/
#   - checks the machine's Redis at 127.0.0.1:6379 and starts a throwaway one when none answers
# Writes the connection settings to $SERVICES_DIR/env (sourced by tests and the benchmark).
# Usage: scripts/services.sh start|stop|status
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SERVICES_DIR=${SERVICES_DIR:-$ROOT/.services}
IMAP_TEST_PORT=${IMAP_TEST_PORT:-1143}
SMTP_TEST_PORT=${SMTP_TEST_PORT:-2525}
DOVE=$SERVICES_DIR/dovecot
IMAP_USERS=${IMAP_USERS:-"submissions@example.test other@example.test"}

install_dovecot() {
  command -v dovecot >/dev/null && command -v doveadm >/dev/null && return 0
  if [ "$(id -u)" != 0 ]; then echo "dovecot-imapd is missing; install it as root: apt-get install -y dovecot-imapd" >&2; exit 1; fi
  echo "installing dovecot-imapd (Debian package)…" >&2
  # The package's postinst would start the system daemon; policy-rc.d exit 101 tells it not to.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
  rm -f /usr/sbin/policy-rc.d
}

write_dovecot_conf() {
  mkdir -p "$DOVE/mail" "$DOVE/state"
  rm -rf "$DOVE/run"
  : > "$DOVE/passwd"
  for user in $IMAP_USERS; do echo "$user:{PLAIN}secret::::::" >> "$DOVE/passwd"; done
  chmod 644 "$DOVE/passwd"
  chown -R 5000:5000 "$DOVE/mail" 2>/dev/null || true
  cat > "$DOVE/dovecot.conf" <<CONF
base_dir = $DOVE/run
state_dir = $DOVE/state
log_path = $DOVE/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
mail_location = maildir:$DOVE/mail/%u
mail_uid = 5000
mail_gid = 5000
first_valid_uid = 1000
passdb {
  driver = passwd-file
  args = $DOVE/passwd
}
userdb {
  driver = passwd-file
  args = $DOVE/passwd
}
service imap-login {
  inet_listener imap {
    port = $IMAP_TEST_PORT
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
CONF
}

imap_ready() {
  node -e '
    const net = require("node:net");
    const s = net.connect(Number(process.argv[1]), "127.0.0.1");
    let buf = "", step = 0;
    const done = (ok) => { s.destroy(); process.exit(ok ? 0 : 1); };
    s.setTimeout(2000, () => done(false));
    s.on("error", () => done(false));
    s.on("data", (d) => {
      buf += d;
      if (step === 0 && buf.includes("* OK")) { step = 1; buf = ""; s.write("a LOGIN submissions@example.test secret\r\n"); }
      else if (step === 1 && /^a OK/m.test(buf)) { step = 2; buf = ""; s.write("b SELECT INBOX\r\n"); }
      else if (step === 2 && /^b OK/m.test(buf)) done(true);
      else if (/^[ab] (NO|BAD)/m.test(buf)) done(false);
    });' "$IMAP_TEST_PORT"
}

start_dovecot() {
  install_dovecot
  if [ -f "$DOVE/run/master.pid" ] && kill -0 "$(cat "$DOVE/run/master.pid")" 2>/dev/null && imap_ready; then return 0; fi
  if port_open "$IMAP_TEST_PORT"; then
    echo "port $IMAP_TEST_PORT is taken by another process (another checkout's services?): stop it, or set IMAP_TEST_PORT" >&2; exit 1
  fi
  write_dovecot_conf
  # dovecot keeps the caller's stderr open forever: detach all three streams.
  dovecot -c "$DOVE/dovecot.conf" </dev/null >/dev/null 2>>"$DOVE/start.log"
  for _ in $(seq 1 100); do imap_ready && return 0; sleep 0.1; done
  echo "dovecot did not become ready; see $DOVE/dovecot.log" >&2; tail -20 "$DOVE/dovecot.log" >&2 || true; exit 1
}

port_open() {
  node -e 'require("node:net").connect(Number(process.argv[1]),"127.0.0.1").on("connect",()=>process.exit(0)).on("error",()=>process.exit(1))' "$1"
}

start_sink() {
  mkdir -p "$SERVICES_DIR/sink"
  if [ -f "$SERVICES_DIR/sink.pid" ] && kill -0 "$(cat "$SERVICES_DIR/sink.pid")" 2>/dev/null; then return 0; fi
  if port_open "$SMTP_TEST_PORT"; then
    echo "port $SMTP_TEST_PORT is taken by another process (another checkout's sink?): stop it, or set SMTP_TEST_PORT" >&2; exit 1
  fi
  SINK_DIR="$SERVICES_DIR/sink" SMTP_TEST_PORT=$SMTP_TEST_PORT \
    nohup node --import tsx scripts/smtp-sink.ts </dev/null >>"$SERVICES_DIR/sink.log" 2>&1 &
  echo $! > "$SERVICES_DIR/sink.pid"
  for _ in $(seq 1 100); do
    if port_open "$SMTP_TEST_PORT"; then return 0; fi
    sleep 0.1
  done
  echo "SMTP sink did not start; see $SERVICES_DIR/sink.log" >&2; exit 1
}

start_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then return 0; fi
  command -v redis-server >/dev/null || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; rm -f /usr/sbin/policy-rc.d; }
  mkdir -p "$SERVICES_DIR/redis"
  redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy noeviction \
    --daemonize yes --dir "$SERVICES_DIR/redis" --pidfile "$SERVICES_DIR/redis/redis.pid" --logfile "$SERVICES_DIR/redis/redis.log"
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis did not start" >&2; exit 1
}

write_env() {
  cat > "$SERVICES_DIR/env" <<ENV
IMAP_HOST=127.0.0.1
IMAP_PORT=$IMAP_TEST_PORT
IMAP_SECURE=false
IMAP_USER=submissions@example.test
IMAP_PASSWORD=secret
SMTP_HOST=127.0.0.1
SMTP_PORT=$SMTP_TEST_PORT
SMTP_SECURE=false
REDIS_URL=redis://127.0.0.1:6379
DOVECOT_CONF=$DOVE/dovecot.conf
SINK_DIR=$SERVICES_DIR/sink
ENV
}

stop_all() {
  if [ -f "$DOVE/dovecot.conf" ]; then doveadm -c "$DOVE/dovecot.conf" stop 2>/dev/null || true; fi
  # The OAuth tests' own Dovecot (test/helpers/oauth-mail-servers.ts), if one was left running.
  for conf in "$SERVICES_DIR"/oauth-dovecot-*/dovecot.conf; do
    [ -f "$conf" ] && { doveadm -c "$conf" stop 2>/dev/null || true; }
  done
  if [ -f "$SERVICES_DIR/sink.pid" ]; then kill "$(cat "$SERVICES_DIR/sink.pid")" 2>/dev/null || true; rm -f "$SERVICES_DIR/sink.pid"; fi
  if [ -f "$SERVICES_DIR/redis/redis.pid" ]; then kill "$(cat "$SERVICES_DIR/redis/redis.pid")" 2>/dev/null || true; fi
}

case "${1:-start}" in
  start) mkdir -p "$SERVICES_DIR"; start_redis; start_dovecot; start_sink; write_env; echo "services ready (env: $SERVICES_DIR/env)" ;;
  stop) stop_all; echo "services stopped" ;;
  status) imap_ready && echo "imap: up" || echo "imap: down"; redis-cli ping 2>/dev/null || echo "redis: down" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
