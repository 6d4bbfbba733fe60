#!/usr/bin/env bash
# Runs every benchmark: the native ones built in build/native/bench, then bench/*.py with the
# project's venv. Each prints its numbers beside a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
for bench in build/native/bench/*_bench; do
  echo "== ${bench##*/}"
  "$bench"
done
for bench in bench/*_bench.py; do
  echo "== ${bench##*/}"
  .venv/bin/python "$bench"
done
for bench in bench/*_bench.sh; do
  echo "== ${bench##*/}"
  bash "$bench"
done
