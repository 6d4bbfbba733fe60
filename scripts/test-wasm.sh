#!/usr/bin/env bash
# Runs tests/wasm under Node's test runner against bindings/wasm/dist/laurel.mjs. Brings both
# builds up to date from the same tree first (cheap when nothing changed): the wasm module and the
# native reference driver (tests/wasm/native, in build/wasm-native) that native.test.mjs compares
# every wasm report with.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${JOBS:-2}
((jobs > 2)) && jobs=2

bash "$root/scripts/build-wasm.sh" | tail -1

cmake -S "$root/tests/wasm/native" -B "$root/build/wasm-native" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build/wasm-native" --target native_reports -j "$jobs" | tail -1

cd "$root"
node --test tests/wasm/
