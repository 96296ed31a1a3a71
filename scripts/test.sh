#!/usr/bin/env bash
# npm test: the whole suite. Builds the production app (integration tests drive the real server),
# then unit and integration tests (SQLite and PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
bash scripts/ensure-services.sh
echo "== building the production app"
npm run build --silent
echo "== unit and integration tests"
npx vitest run
echo "== end-to-end tests (Playwright, Debian's Chromium)"
[ -x /usr/bin/chromium ] || { apt-get update && apt-get install -y chromium; }
npx playwright test
