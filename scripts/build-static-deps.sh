#!/usr/bin/env bash
# Builds LMDB, simdjson, Crypto++ and zlib from Debian's source packages as static, position-
# independent libraries in build/static-deps/{lib,include} (or $1), for the portable wheel: linked
# into the Python extension, they leave it needing only glibc and libstdc++ (docs/packaging.md).
#
# Cached with stamp files holding the source version, the compiler and the flags, so a second run
# does nothing. Crypto++ takes minutes the first time (ccache, when installed, keeps its objects
# across clones and rebuilds). JOBS caps parallelism (at most 2: the build machine is shared).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build
prefix=${1:-$build/static-deps}
jobs=${JOBS:-2}
((jobs > 2)) && jobs=2

log() { printf '[static-deps] %s\n' "$*"; }
# shellcheck source=scripts/deps.sh
source "$root/scripts/deps.sh"

cc=${CC:-gcc}
cxx=${CXX:-g++}
launcher=""
command -v ccache >/dev/null && launcher=ccache
# The whole output is read and cut here: `| head` could kill the compiler with SIGPIPE.
compiler_id=$($cxx --version)
compiler_id=${compiler_id%%$'\n'*}
# -fPIC: the libraries end up inside a shared object (the extension module).
# -fvisibility=hidden: their symbols stay private to the extension, so they cannot clash with
# another copy of the same library that some other module in the process loaded.
common_flags="-O2 -g0 -DNDEBUG -fPIC -fvisibility=hidden"
lmdb_flags="$common_flags -pthread"
simdjson_flags="$common_flags -std=c++17"
cryptopp_flags="$common_flags -fvisibility-inlines-hidden"

# --- LMDB and simdjson --------------------------------------------------------------------------
# build_archive NAME DIR COMPILER FLAGS HEADER SOURCE...: lib$NAME.a from the SOURCEs of the
# unpacked source package in $deps_src/DIR, and HEADER copied into include/.
build_archive() {
  local name=$1 dir=$2 compiler=$3 flags=$4 header=$5
  shift 5
  local want
  want="$(source_version "$dir")|$(flags_id "$compiler_id" "$flags")"
  if is_current "$prefix/lib/lib$name.stamp" "$want" "$prefix/lib/lib$name.a"; then return; fi
  log "compiling $name $(source_version "$dir")"
  local obj=$prefix/obj/$name source object objects=()
  rm -rf "$obj" && mkdir -p "$obj" "$prefix/lib" "$prefix/include"
  for source in "$@"; do
    object=$obj/$(basename "${source%.*}").o
    # shellcheck disable=SC2086
    $launcher $compiler $flags -I "$(dirname "$deps_src/$dir/$source")" \
      -c "$deps_src/$dir/$source" -o "$object"
    objects+=("$object")
  done
  rm -f "$prefix/lib/lib$name.a"
  ar rcs "$prefix/lib/lib$name.a" "${objects[@]}"
  cp "$deps_src/$dir/$header" "$prefix/include/"
  echo "$want" >"$prefix/lib/lib$name.stamp"
}

# --- Crypto++ ------------------------------------------------------------------------------------
# Upstream's GNUmakefile, which knows which files need which instruction-set flags (SSE, AES-NI,
# SHA-NI, ...); the library picks the code path at run time from the CPU's features. Built in a
# copy of the source, so the shared source tree stays clean for the wasm build.
build_cryptopp() {
  local want
  want="$(source_version cryptopp)|$(flags_id "$compiler_id" "$cryptopp_flags")"
  if is_current "$prefix/lib/libcryptopp.stamp" "$want" "$prefix/lib/libcryptopp.a"; then return; fi
  local obj=$prefix/obj/cryptopp
  # A copy from other sources or flags is stale: start over. Otherwise make resumes.
  if [[ ! -f $obj/.laurel-flags || $(cat "$obj/.laurel-flags") != "$want" ]]; then
    rm -rf "$obj" && mkdir -p "$obj"
    cp -a "$deps_src/cryptopp/." "$obj/"
    echo "$want" >"$obj/.laurel-flags"
  fi
  log "compiling Crypto++ $(source_version cryptopp) (-j$jobs; minutes the first time)"
  make -C "$obj" -f GNUmakefile -j "$jobs" static \
    CXX="${launcher:+$launcher }$cxx" CXXFLAGS="$cryptopp_flags" >"$obj/build.log" 2>&1 \
    || { tail -n 40 "$obj/build.log" >&2; exit 1; }
  mkdir -p "$prefix/lib"
  local lib
  for lib in "$obj/libcryptopp.a" "$obj/libcrypto++.a"; do
    [[ -f $lib ]] && cp "$lib" "$prefix/lib/libcryptopp.a"
  done
  # Headers as <cryptopp/...>, upstream's spelling, which Laurel uses.
  rm -rf "$prefix/include/cryptopp" && mkdir -p "$prefix/include/cryptopp"
  cp "$obj"/*.h "$prefix/include/cryptopp/"
  echo "$want" >"$prefix/lib/libcryptopp.stamp"
}

started=$(date +%s)
ensure_deb_src
fetch_source lmdb lmdb
fetch_source simdjson simdjson
fetch_source libcrypto++ cryptopp
fetch_source zlib zlib
build_archive lmdb lmdb "$cc" "$lmdb_flags" libraries/liblmdb/lmdb.h \
  libraries/liblmdb/mdb.c libraries/liblmdb/midl.c
# simdjson: the single-file amalgamation, with its run-time choice of kernel (haswell, westmere,
# fallback): the wheel runs on any x86-64 and still uses AVX2 where the CPU has it.
build_archive simdjson simdjson "$cxx" "$simdjson_flags" singleheader/simdjson.h \
  singleheader/simdjson.cpp
build_cryptopp
# zlib: GZIP for the Bitstring Status Lists (core/src/detail/gzip.cpp); zconf.h goes beside zlib.h.
# HAVE_UNISTD_H stands in for zlib's ./configure, so gz*.c see the real lseek/read/close (64-bit
# off_t) instead of implicit int declarations.
build_archive z zlib "$cc" "$common_flags -DHAVE_UNISTD_H" zlib.h adler32.c compress.c crc32.c \
  deflate.c gzclose.c gzlib.c gzread.c gzwrite.c infback.c inffast.c inflate.c inftrees.c \
  trees.c uncompr.c zutil.c
cp "$deps_src/zlib/zconf.h" "$prefix/include/"
log "ready in $prefix ($(($(date +%s) - started)) s)"
