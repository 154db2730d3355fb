#!/usr/bin/env bash
# The whole test suite (what `npm test` and .ci/run call): starts the private services, then type
# checking, lint, and every vitest tier (unit, integration against real Dovecot/SMTP/Redis, e2e in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/services.sh start
# Debian packages the tests need beyond the services: chromium (dashboard e2e, rendering scan fixtures),
# tesseract with the Thai model and poppler (reading scans), TLWG Thai fonts and ImageMagick (making scan fixtures).
TEST_PACKAGES="chromium tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-tha poppler-utils fonts-thai-tlwg imagemagick"
missing=""
if command -v dpkg-query >/dev/null; then
  for pkg in $TEST_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
  done
fi
if [ -n "$missing" ] && [ "$(id -u)" = 0 ]; then
  echo "installing Debian packages for the tests:$missing…" >&2
  # policy-rc.d exit 101: no package may start a daemon while installing
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  # shellcheck disable=SC2086
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  rm -f /usr/sbin/policy-rc.d
elif [ -n "$missing" ]; then
  echo "missing Debian packages (the browser and OCR tests will fail): apt-get install -y$missing" >&2
fi
echo "== typecheck"; npx tsc --noEmit -p .
echo "== lint"; npx eslint .; npx dprint check  # the formatter (dprint.json): `npm run format` fixes
echo "== import directions"; npm run --silent lint:deps
echo "== compile"; node bin/build.js  # what bin/seis-intake.js runs; the CLI tests start it many times at once
echo "== vitest"
status=0
npx vitest run --reporter=default --reporter=json --outputFile=.services/vitest.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(".services/vitest.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`);
' || true
exit $status
