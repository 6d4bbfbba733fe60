#!/usr/bin/env bash
# Runs every benchmark: the native ones built in build/native/bench, then bench/*.py with the
# project's venv. Each prints its numbers beside a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
for bench in build/native/bench/*_bench; do
  echo "== ${bench##*/}"
  case ${bench##*/} in
    # The growth bench writes ~500 bytes per award: 2 million by default here; the issue's
    # 20 million with LAUREL_SCALE_TOTAL=20000000 (about 15 minutes, ~10 GB; bench/README.md).
    store_scale_bench) "$bench" "${LAUREL_SCALE_TOTAL:-2000000}" 500000 build/scale-store ;;
    # Bulk award over PostgreSQL: the private durable server of scripts/pg-cluster.sh.
    pg_award_bench) "$bench" "$(bash scripts/pg-cluster.sh start bench)" 50000 3 ;;
    # The export bench keeps its store (1 million by default, ~0.5 GB) for the next run; the
    # issue's 10 million with LAUREL_EXPORT_TOTAL=10000000 (bench/README.md).
    store_export_bench) "$bench" "${LAUREL_EXPORT_TOTAL:-1000000}" build/export-store ;;
    *) "$bench" ;;
  esac
done
for bench in bench/*_bench.py; do
  echo "== ${bench##*/}"
  .venv/bin/python "$bench"
done
for bench in bench/*_bench.sh; do
  echo "== ${bench##*/}"
  bash "$bench"
done
