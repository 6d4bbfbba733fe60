#!/usr/bin/env bash
# Data Integrity verification beside Digital Bazaar's stack in Node (run by scripts/bench.sh
# after build/native/bench/data_integrity_bench, which `make bench` builds): see
# bench/data_integrity_node.mjs. Installs tests/interop's pinned npm packages when needed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/build-wasm.sh" >/dev/null
[[ -d $root/tests/interop/node_modules/@digitalbazaar/vc ]] ||
  (cd "$root/tests/interop" && npm ci --no-audit --no-fund --loglevel=error)
node "$root/bench/data_integrity_node.mjs"
