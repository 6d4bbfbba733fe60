#!/usr/bin/env bash
# WebAssembly numbers (run by scripts/bench.sh): size budget and verify timings in headless
# Chromium, Node and natively in the same run. Builds what it needs (all cached after once).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/build-wasm.sh" >/dev/null
cmake -S "$root/tests/wasm/native" -B "$root/build/wasm-native" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build/wasm-native" --target native_reports -j 2 >/dev/null
[[ -d $root/tests/e2e/node_modules/playwright-core ]] || (cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
[[ -d $root/tests/interop/node_modules/@digitalbazaar/vc ]] || (cd "$root/tests/interop" && npm ci --no-audit --no-fund --loglevel=error)
node "$root/bench/wasm_bench.mjs"
