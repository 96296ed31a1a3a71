#!/usr/bin/env bash
# npm test: the whole suite. Builds the production app (integration tests drive the real server),
# then unit and integration tests (SQLite and PostgreSQL), then browser tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
echo "== lint and format check (Biome)"
npm run --silent lint
npm run --silent format:check
bash scripts/ensure-services.sh
# Browser tests drive Debian's Chromium (no browser download is possible here).
# The reverse-proxy test runs docs/deploy.md's nginx and Caddy set-ups (Debian's packages too).
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
[ -x /usr/bin/caddy ] || missing="$missing caddy"
if [ -n "$missing" ]; then
  echo "== installing Debian's$missing for the browser and reverse-proxy tests"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi
echo "== building the production app"
npm run build --silent
reports="$(mktemp -d)"
echo "== unit and integration tests"
npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json"
echo "== end-to-end tests (Playwright, Debian's Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" npx playwright test --reporter=list,json
node scripts/test-summary.mjs "$reports/vitest.json" "$reports/playwright.json"
