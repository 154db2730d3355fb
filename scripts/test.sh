#!/usr/bin/env bash
# The whole test suite (what `npm test` and .ci/run call): starts the private services, then type
# checking, lint, and every vitest tier (unit, integration against real Dovecot/SMTP/Redis, e2e in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/services.sh start
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ]; then
  echo "installing Debian's chromium for the dashboard e2e tests…" >&2
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
echo "== typecheck"; npx tsc --noEmit -p .
echo "== lint"; npx eslint .
echo "== import directions"; npm run --silent lint:deps
echo "== vitest"
status=0
npx vitest run --reporter=default --reporter=json --outputFile=.services/vitest.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(".services/vitest.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`);
' || true
exit $status
