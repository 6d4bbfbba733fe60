#!/usr/bin/env bash
# Runs tests/e2e: the web-demo widget and the tests/wasm cases in Debian's headless Chromium,
# driven by playwright-core (npm, installed into tests/e2e/node_modules from package-lock.json).
# Needs bindings/wasm/dist/laurel.mjs and its copy in web-demo/laurel/ (make test-e2e builds them).
# Screenshots of failing tests land in tests/e2e/screenshots/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
e2e=$root/tests/e2e

[[ -f $root/web-demo/laurel/laurel.mjs && -f $root/web-demo/laurel/fetch-badge.mjs ]] || bash "$root/scripts/build-wasm.sh"
[[ -x /usr/bin/chromium ]] || { echo "error: /usr/bin/chromium is missing (scripts/setup-system.sh installs it)" >&2; exit 1; }

# Install only when the lock file changed since the last install.
stamp=$e2e/node_modules/.laurel-lock.sha256
want=$(sha256sum "$e2e/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

rm -rf "$e2e/screenshots"
cd "$e2e"
node --test --test-concurrency=1 ./*.test.mjs
