#!/usr/bin/env bash
# Builds the fuzz targets with clang and libFuzzer (ASan + UBSan) in build/fuzz and runs each in
# turn, then merges what it found back into fuzz/corpus/<target>/, minimized and capped.
#   FUZZ_SECONDS   seconds per target (default 60)
#   FUZZ_RUNS      executions per target instead of a time (e.g. 10000000); 0: time only
#   FUZZ_TARGETS   space-separated target names (default: every fuzz/*_fuzz.cpp)
#   FUZZ_MAX_LEN   longest generated input in bytes (default 8192)
# A crash leaves its input as build/fuzz/artifacts/<target>/crash-* and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_RUNS=${FUZZ_RUNS:-0}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-8192}
# The committed corpus stays small: at most this many files per target after a merge (smallest
# new inputs first), none larger than FUZZ_CORPUS_MAX_BYTES.
CORPUS_CAP=${FUZZ_CORPUS_CAP:-100}
CORPUS_MAX_BYTES=${FUZZ_CORPUS_MAX_BYTES:-4096}
build=build/fuzz

clangxx=$(command -v clang++ || command -v clang++-14 || true)
if [[ -z $clangxx ]]; then
  echo "error: clang++ not found (scripts/setup-system.sh installs it)" >&2
  exit 1
fi

if [[ -n ${FUZZ_TARGETS:-} ]]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  targets=()
  for source in fuzz/*_fuzz.cpp; do
    name=${source##*/}
    targets+=("${name%.cpp}")
  done
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$clangxx" \
  -DLAUREL_TESTS=OFF -DLAUREL_FUZZ=ON -DLAUREL_LIBFUZZER=ON -DLAUREL_SANITIZE=ON >/dev/null
cmake --build "$build" -j "${JOBS:-$(nproc)}" --target "${targets[@]}"

for target in "${targets[@]}"; do
  corpus=fuzz/corpus/$target
  work=$build/corpus/$target
  artifacts=$build/artifacts/$target
  mkdir -p "$corpus" "$work" "$artifacts"
  limit=(-max_total_time="$FUZZ_SECONDS")
  ((FUZZ_RUNS > 0)) && limit=(-runs="$FUZZ_RUNS")
  echo "== $target (${limit[*]})"
  # New inputs go to the scratch corpus; the committed one is read as a seed only.
  "$build/fuzz/$target" "${limit[@]}" -max_len="$FUZZ_MAX_LEN" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$corpus"
  # Merge into a copy of the committed corpus: only scratch inputs that add coverage beyond it
  # land there (libFuzzer names them by content hash), and at most CORPUS_CAP files are kept.
  merged=$build/merged/$target
  rm -rf "$merged" && mkdir -p "${merged%/*}" && cp -a "$corpus" "$merged"
  "$build/fuzz/$target" -merge=1 -max_len="$FUZZ_MAX_LEN" "$merged" "$work" \
    >"$build/merge-$target.log" 2>&1
  added=0
  while read -r size file; do
    name=${file##*/}
    [[ -e $corpus/$name ]] && continue
    ((size <= CORPUS_MAX_BYTES)) || continue
    (($(find "$corpus" -type f | wc -l) < CORPUS_CAP)) || break
    cp "$file" "$corpus/$name"
    added=$((added + 1))
  done < <(find "$merged" -type f -printf '%s %p\n' | sort -n)
  echo "== $target: $added new corpus file(s) in $corpus"
done
