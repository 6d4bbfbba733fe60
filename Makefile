# Laurel's front door. Every target sets up what it needs from nothing (idempotently), so a fresh
# Debian bookworm machine needs only `make demo` or `make test`. Thin calls to cmake, pip and npm.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

BUILD      ?= build
VENV       ?= .venv
PY         := $(VENV)/bin/python
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja
# The compiler cache lives with the other build products; paths are taken relative to the clone.
export CCACHE_DIR ?= $(abspath $(BUILD))/ccache
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

.PHONY: help setup system venv native asan test test-core test-python test-wasm test-e2e test-interop \
        test-dist demo bench fuzz wasm dist python clean format

help:
	@echo "make demo   set up from nothing and run the main job (issue, bulk-award, revoke, summary)"
	@echo "make test   set up from nothing and run every test suite"
	@echo "make bench  run the benchmarks (numbers and ratios against in-run baselines)"
	@echo "make wasm   build bindings/wasm/dist/laurel.mjs"
	@echo "make fuzz   run each libFuzzer target FUZZ_SECONDS (default 60), growing fuzz/corpus/"
	@echo "make dist   write the manylinux wheel, the sdist and the npm tarball into dist/"

# --- set-up ---------------------------------------------------------------------------------
system: $(BUILD)/.system-ok
$(BUILD)/.system-ok: scripts/setup-system.sh
	bash scripts/setup-system.sh
	@mkdir -p $(BUILD) && touch $@

# The editable install is re-run every time: scikit-build-core rebuilds the extension
# incrementally in build/python when the core or the bindings changed (seconds when nothing did).
venv: $(BUILD)/.system-ok
	test -x $(PY) || python3 -m venv $(VENV)
	test -f $(VENV)/.pip-upgraded || { $(PY) -m pip install --quiet --upgrade pip && touch $(VENV)/.pip-upgraded; }
	@# the distribution was called `laurel` before it became `laurel-badges`: drop the old one
	if $(PY) -m pip show --quiet laurel >/dev/null 2>&1; then \
	  $(PY) -m pip uninstall --quiet -y laurel; fi
	$(PY) -m pip install --quiet -e '.[dev]'

setup: system venv

# --- native build ---------------------------------------------------------------------------
native: system
	cmake -S . -B $(BUILD)/native $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DLAUREL_TESTS=OFF -DLAUREL_BENCH=ON
	cmake --build $(BUILD)/native -j $(JOBS)

asan: system
	cmake -S . -B $(BUILD)/asan $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DLAUREL_TESTS=ON \
	  -DLAUREL_SANITIZE=ON -DLAUREL_WERROR=ON -DLAUREL_FUZZ=ON
	cmake --build $(BUILD)/asan -j $(JOBS)

# --- tests ----------------------------------------------------------------------------------
test: test-core test-python test-wasm test-e2e test-interop test-dist
	@echo "All Laurel test suites passed."

test-core: asan
	cd $(BUILD)/asan && ctest --output-on-failure -j $(JOBS)

test-python: venv
	$(PY) -m pytest tests/python

test-wasm: wasm
	bash scripts/test-wasm.sh

test-e2e: wasm venv
	bash scripts/test-e2e.sh

# Data Integrity proofs against Digital Bazaar's JavaScript stack (npm, test-only).
test-interop: wasm venv
	bash scripts/test-interop.sh

# The wheel from `make dist`, installed into a fresh venv with Debian's libraries hidden.
test-dist: dist
	$(PY) -m pytest tests/dist

# --- main job, benchmarks, faces -------------------------------------------------------------
demo: venv
	bash scripts/demo.sh

bench: native venv
	bash scripts/bench.sh

fuzz: system
	bash scripts/fuzz.sh

wasm: system
	bash scripts/build-wasm.sh

# dist/: the sdist, the manylinux wheel built from it (LMDB, simdjson and Crypto++ static, from
# Debian's source packages, cached in build/static-deps) and the npm tarball of the verifier.
dist: wasm venv
	bash scripts/dist.sh

clean:
	rm -rf $(BUILD) dist bindings/wasm/dist web-demo/laurel

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')
