#!/usr/bin/env bash
# Shared by scripts/build-wasm.sh and scripts/build-static-deps.sh (sourced, not run): fetching
# the third-party libraries' Debian *source* packages (apt-get source) into build/deps-src/, and
# the stamp helpers both builds use to cache what they compiled from them.
#
# Debian's source packages are the versions the dev build links as shared libraries, so the
# wasm module, the portable wheel and the dev build all run the same library code.
#
# Expects: $root (the clone), $build (its build/ folder) and a log() function.

deps_src=$build/deps-src

# ensure_deb_src: adds a deb-src entry (a copy of the deb entries) when apt has none.
ensure_deb_src() {
  local listing
  listing=$(apt-cache showsrc simdjson 2>/dev/null || true)
  if [[ $listing == *$'\n'Package:* || $listing == Package:* ]]; then return; fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: no deb-src entry for apt; run once as root (it copies the deb entry)" >&2
    exit 1
  fi
  log "adding a deb-src entry (copy of the existing apt sources) and running apt-get update"
  local made=0
  for sources in /etc/apt/sources.list.d/*.sources; do
    [[ -e $sources ]] || continue
    [[ $sources == *-src.sources ]] && continue
    grep -q '^Types:.*\bdeb\b' "$sources" || continue
    sed -E 's/^Types:.*$/Types: deb-src/' "$sources" \
      >"/etc/apt/sources.list.d/$(basename "$sources" .sources)-src.sources"
    made=1
  done
  if ((made == 0)) && [[ -f /etc/apt/sources.list ]]; then
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >/etc/apt/sources.list.d/laurel-src.list
  fi
  apt-get update -qq
}

# fetch_source PACKAGE DIR: unpacks the Debian source package PACKAGE (patches applied) into
# $deps_src/DIR, unless the version there is already the one apt offers.
fetch_source() {
  local package=$1 dir=$2
  local version
  version=$(apt-cache showsrc "$package" | sed -n 's/^Version: //p')
  version=${version%%$'\n'*}
  [[ -n $version ]] || { echo "error: apt knows no source package $package" >&2; exit 1; }
  local stamp=$deps_src/$dir.stamp
  if [[ -f $stamp && $(cat "$stamp") == "$version" && -d $deps_src/$dir ]]; then return; fi
  log "fetching source package $package $version"
  mkdir -p "$deps_src"
  rm -rf "${deps_src:?}/$dir" "$deps_src/download-$dir"
  mkdir -p "$deps_src/download-$dir"
  (cd "$deps_src/download-$dir" && apt-get source -qq --download-only "$package=$version" \
    2>&1 | grep -v 'unsandboxed as root' || true)
  local dsc
  dsc=$(ls "$deps_src/download-$dir"/*.dsc)
  dpkg-source --no-check -x "$dsc" "$deps_src/$dir" >/dev/null
  rm -rf "$deps_src/download-$dir"
  echo "$version" >"$stamp"
}

# source_version DIR: the Debian version of the unpacked source in $deps_src/DIR.
source_version() { cat "$deps_src/$1.stamp"; }

# flags_id COMPILER_ID FLAGS: a short digest of what a cached library was built with; a change of
# compiler or flags rebuilds that library.
flags_id() { printf '%s|%s' "$1" "$2" | sha256sum | cut -c1-16; }

# is_current STAMP WANT FILE: true when FILE exists and STAMP records WANT.
is_current() { [[ -f $1 && $(cat "$1") == "$2" && -f $3 ]]; }
