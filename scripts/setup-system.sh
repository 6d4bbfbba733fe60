#!/usr/bin/env bash
# Installs the Debian packages Laurel needs, only those missing; safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates ccache
  liblmdb-dev lmdb-utils libsimdjson-dev libcrypto++-dev zlib1g-dev googletest libgtest-dev
  python3 python3-venv python3-dev
  emscripten chromium
  wrk
  clang libclang-rt-14-dev
  zsh  # tests/python/test_cli_consistency.py loads `laurel completion zsh` in zsh
  dpkg-dev
  postgresql libpq-dev  # scripts/pg-cluster.sh: the PostgreSQL backend's test server, libpq
)

# The machine image may ship Node.js with its own npm; Debian's npm would conflict with it.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  [[ $(dpkg-query -W -f='${Status}' "$package" 2>/dev/null) == "install ok installed" ]] \
    || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: installing packages needs root (run as root, or install: ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
