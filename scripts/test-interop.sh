#!/usr/bin/env bash
# Runs tests/interop: Laurel's Data Integrity proofs against Digital Bazaar's JavaScript stack
# (npm, installed into tests/interop/node_modules from package-lock.json, test-only). Needs the
# WebAssembly build (bindings/wasm/dist/laurel.mjs) and the Python package in .venv (for
# Laurel-issued credentials); make test-interop brings both up to date.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
interop=$root/tests/interop

[[ -f $root/bindings/wasm/dist/laurel.mjs ]] || bash "$root/scripts/build-wasm.sh"
[[ -x $root/.venv/bin/python ]] || { echo "error: .venv missing (make venv)" >&2; exit 1; }

# Install only when the lock file changed since the last install.
stamp=$interop/node_modules/.laurel-lock.sha256
want=$(sha256sum "$interop/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  (cd "$interop" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

cd "$interop"
node --test ./*.test.mjs
