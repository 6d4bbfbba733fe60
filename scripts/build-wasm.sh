#!/usr/bin/env bash
# Builds bindings/wasm/dist/laurel.mjs (called by `make wasm`).
#
# 1. Crypto++, simdjson and zlib for wasm32, compiled with Debian's Emscripten from Debian's
#    *source* packages (apt-get source into build/deps-src, scripts/deps.sh), into
#    build/wasm-deps/{lib,include}. Slow the first time (minutes); cached with stamp files that record the source version and the flags, so a rebuild only
#    redoes what changed.
# 2. The portable core and bindings/wasm with emcmake cmake into build/wasm; the module and the ES
#    wrapper become the single file bindings/wasm/dist/laurel.mjs (wasm embedded), also copied to
#    web-demo/laurel/ so the static widget needs no build step of its own.
#
# Idempotent; needs root only the first time (to add the deb-src entry). JOBS caps parallelism.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build
deps=$build/wasm-deps
jobs=${JOBS:-2}
((jobs > 2)) && jobs=2  # the build machine is shared: never more than two compilers at once

# Debian's Emscripten runs its JS tools with node and needs Debian's node modules.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

# Flags shared by the dependencies and Laurel itself, so headers and libraries agree:
# - CRYPTOPP_DISABLE_ASM: no x86/ARM assembly or intrinsics on wasm32.
# - -fexceptions: Crypto++ reports bad keys and malformed DER by throwing, and the core catches
#   those where it calls the library (DESIGN.md, Errors). Without catching support an Emscripten
#   throw aborts the module, so a hostile key could kill the page. Debian's Emscripten ships only
#   the JS-based exception runtime (libc++abi-except), hence -fexceptions and not -fwasm-exceptions.
# - SIMDJSON_NO_PORTABILITY_WARNING: wasm32 is a 32-bit target, so simdjson uses its portable
#   kernel and would say so in a #pragma message on every file that includes it.
common_flags="-O2 -fexceptions -DNDEBUG"
cryptopp_flags="$common_flags -DCRYPTOPP_DISABLE_ASM"
simdjson_flags="$common_flags -DSIMDJSON_NO_PORTABILITY_WARNING"
# The whole output is read and cut here: `| head` could kill em++ with SIGPIPE under pipefail.
compiler_id=$(em++ --version)
compiler_id=${compiler_id%%$'\n'*}
log() { printf '[build-wasm] %s\n' "$*"; }
# Debian source packages (libcrypto++ and simdjson, the versions the native build links) are
# fetched into build/deps-src by the step shared with scripts/build-static-deps.sh.
# shellcheck source=scripts/deps.sh
source "$root/scripts/deps.sh"
seconds() { date +%s; }
started=$(seconds)

# --- simdjson ----------------------------------------------------------------------------------
# The single-header amalgamation; on wasm32 simdjson picks its portable "fallback" kernel.
build_simdjson() {
  local stamp=$deps/lib/libsimdjson.stamp
  local want
  want="$(source_version simdjson)|$(flags_id "$compiler_id" "$simdjson_flags")"
  if is_current "$stamp" "$want" "$deps/lib/libsimdjson.a"; then return; fi
  log "compiling simdjson for wasm32"
  local obj=$deps/obj/simdjson
  rm -rf "$obj" && mkdir -p "$obj" "$deps/lib" "$deps/include"
  # shellcheck disable=SC2086
  em++ -std=c++17 $simdjson_flags -c "$deps_src/simdjson/singleheader/simdjson.cpp" \
    -I "$deps_src/simdjson/singleheader" -o "$obj/simdjson.o"
  rm -f "$deps/lib/libsimdjson.a"
  emar rcs "$deps/lib/libsimdjson.a" "$obj/simdjson.o"
  {
    printf '// Added by scripts/build-wasm.sh: this copy of simdjson is built for wasm32.\n'
    printf '#ifndef SIMDJSON_NO_PORTABILITY_WARNING\n# define SIMDJSON_NO_PORTABILITY_WARNING 1\n#endif\n'
    cat "$deps_src/simdjson/singleheader/simdjson.h"
  } >"$deps/include/simdjson.h"
  echo "$want" >"$stamp"
}

# --- Crypto++ ----------------------------------------------------------------------------------
# The whole library (as upstream's GNUmakefile lists it with CRYPTOPP_DISABLE_ASM: no test
# programs, no SIMD/assembly files), so whatever the verifier calls later is there; the linker
# keeps only what Laurel uses, so the unused parts cost build time once, not module size.
cryptopp_sources() {
  local file name
  for file in "$deps_src/cryptopp"/*.cpp; do
    name=$(basename "$file")
    case $name in
      # upstream's TESTSRCS, plus pch.cpp and simple.cpp which its SRCS leaves out
      adhoc.cpp | test.cpp | bench[0-9].cpp | datatest.cpp | dlltest.cpp | fipsalgt.cpp) continue ;;
      validat[0-9].cpp | validat[0-9][0-9].cpp | regtest[0-9].cpp | pch.cpp | simple.cpp) continue ;;
      # CPU-specific files, which upstream drops when CRYPTOPP_DISABLE_ASM is set
      arm_* | ppc_* | neon_* | sse_* | *_sse.cpp | *_avx.cpp | *_ppc.cpp | *_simd.cpp) continue ;;
    esac
    echo "$name"
  done
}

build_cryptopp() {
  local src=$deps_src/cryptopp
  local stamp=$deps/lib/libcryptopp.stamp
  local want
  want="$(source_version cryptopp)|$(flags_id "$compiler_id" "$cryptopp_flags")"
  if is_current "$stamp" "$want" "$deps/lib/libcryptopp.a"; then return; fi
  local obj=$deps/obj/cryptopp
  # Objects from other sources or flags are stale: start over. Otherwise keep the objects that
  # exist, so an interrupted build resumes where it stopped.
  if [[ ! -f $obj/flags || $(cat "$obj/flags") != "$want" ]]; then
    rm -rf "$obj"
    mkdir -p "$obj"
    echo "$want" >"$obj/flags"
  fi
  local sources
  sources=$(cryptopp_sources)
  local todo=()
  local name
  for name in $sources; do
    [[ -f $obj/${name%.cpp}.o ]] || todo+=("$name")
  done
  log "compiling Crypto++ for wasm32: ${#todo[@]} of $(wc -w <<<"$sources") files to go (-j$jobs)"
  if ((${#todo[@]})); then
    # Each object is written under a temporary name and renamed, so a killed build leaves no
    # truncated object behind.
    # shellcheck disable=SC2016,SC2086
    printf '%s\n' "${todo[@]}" | xargs -P "$jobs" -I{} sh -c \
      'o="$2/$(basename "$1" .cpp)"; em++ -std=c++17 $3 -Wno-deprecated-declarations \
         -c "$4/$1" -o "$o.tmp.o" && mv "$o.tmp.o" "$o.o"' _ {} "$obj" "$cryptopp_flags" "$src"
  fi
  mkdir -p "$deps/lib"
  rm -f "$deps/lib/libcryptopp.a"
  # shellcheck disable=SC2046
  emar rcs "$deps/lib/libcryptopp.a" $(for name in $sources; do echo "$obj/${name%.cpp}.o"; done)

  # Headers as <cryptopp/...> (upstream's spelling, which Laurel uses), with the ASM switch baked
  # into the installed config so every consumer sees the same class layouts as the library.
  rm -rf "$deps/include/cryptopp"
  mkdir -p "$deps/include/cryptopp"
  cp "$src"/*.h "$deps/include/cryptopp/"
  {
    printf '// Added by scripts/build-wasm.sh: this copy of Crypto++ is built for wasm32.\n'
    printf '#ifndef CRYPTOPP_DISABLE_ASM\n# define CRYPTOPP_DISABLE_ASM 1\n#endif\n'
    cat "$src/config_asm.h"
  } >"$deps/include/cryptopp/config_asm.h"
  echo "$want" >"$stamp"
}

# --- zlib --------------------------------------------------------------------------------------
# GZIP for the W3C Bitstring Status List (core/src/detail/gzip.cpp): the library's C sources as
# its own Makefile lists them (OBJZ + OBJG), into libz.a with zlib.h and zconf.h beside it.
zlib_flags="$common_flags -DHAVE_UNISTD_H"
build_zlib() {
  local src=$deps_src/zlib
  local stamp=$deps/lib/libz.stamp
  local want
  want="$(source_version zlib)|$(flags_id "$compiler_id" "$zlib_flags")"
  if is_current "$stamp" "$want" "$deps/lib/libz.a"; then return; fi
  log "compiling zlib for wasm32"
  local obj=$deps/obj/zlib
  rm -rf "$obj" && mkdir -p "$obj" "$deps/lib" "$deps/include"
  local name
  for name in adler32 crc32 deflate infback inffast inflate inftrees trees zutil compress \
    uncompr; do
    # shellcheck disable=SC2086
    emcc $zlib_flags -c "$src/$name.c" -o "$obj/$name.o"
  done
  rm -f "$deps/lib/libz.a"
  emar rcs "$deps/lib/libz.a" "$obj"/*.o
  cp "$src/zlib.h" "$src/zconf.h" "$deps/include/"
  echo "$want" >"$stamp"
}

# --- Laurel ------------------------------------------------------------------------------------
build_laurel() {
  local out=$build/wasm
  log "building the portable core and bindings/wasm in $out"
  mkdir -p "$out"
  # emcmake echoes its command line on stderr: keep the output for when configuring fails.
  if ! emcmake cmake -S "$root" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLAUREL_WASM=ON -DLAUREL_TESTS=OFF -DLAUREL_WASM_DEPS="$deps" \
    -DCMAKE_CXX_FLAGS="-fexceptions" >"$out/configure.log" 2>&1; then
    cat "$out/configure.log" >&2
    exit 1
  fi
  cmake --build "$out" -j "$jobs"
}

ensure_deb_src
fetch_source simdjson simdjson
fetch_source libcrypto++ cryptopp
fetch_source zlib zlib
build_simdjson
build_cryptopp
build_zlib
deps_done=$(seconds)
build_laurel

dist=$root/bindings/wasm/dist/laurel.mjs
[[ -f $dist ]] || { echo "error: the build did not produce $dist" >&2; exit 1; }
# The widget imports its own copy, so web-demo/ can be served (or deployed) on its own.
mkdir -p "$root/web-demo/laurel"
cp "$dist" "$root/web-demo/laurel/laurel.mjs"
cp "$root/bindings/wasm/fetch-badge.mjs" "$root/web-demo/laurel/fetch-badge.mjs"
log "dependencies $((deps_done - started)) s, laurel $(($(seconds) - deps_done)) s"
log "built $dist ($(stat -c %s "$dist") bytes)"
