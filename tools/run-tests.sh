#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, builds with warnings as errors, runs
# the whole suite (C++, CLI, C ABI, Python with a two-process Dask cluster), runs the C++ suite again
# under AddressSanitizer + UndefinedBehaviorSanitizer and the batch tests under ThreadSanitizer,
# checks find_package(attune) from an outside project, builds the WebAssembly package and tests it
# in Node and in headless Chromium.
# Usage: tools/run-tests.sh [--quick]   (--quick: skip the sanitizer and WebAssembly steps)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
QUICK=${1:-}
START=$(date +%s)

tools/install-deps.sh

step() { printf '\n== %s (%ds)\n' "$*" "$(( $(date +%s) - START ))"; }

step "build (Release, -Werror, with the Python module)"
cmake -S . -B build-ci -DCMAKE_BUILD_TYPE=Release -DATTUNE_WERROR=ON -DATTUNE_BUILD_PYTHON=ON >/dev/null
cmake --build build-ci -j"$JOBS"

step "tests: C++, CLI, C ABI, Python + Dask"
ctest --test-dir build-ci --no-tests=error --output-on-failure -j"$JOBS"

step "find_package(attune) from an outside project"
rm -rf build-ci/prefix build-ci/consumer
cmake --install build-ci --prefix "$ROOT/build-ci/prefix" >/dev/null
cmake -S tests/consumer -B build-ci/consumer -DCMAKE_PREFIX_PATH="$ROOT/build-ci/prefix" >/dev/null
cmake --build build-ci/consumer -j"$JOBS" >/dev/null
ATTUNE_INSTRUMENT_PATH= build-ci/consumer/consumer

if [ "$QUICK" != "--quick" ]; then
  step "C++ tests under AddressSanitizer + UndefinedBehaviorSanitizer"
  # -O1 with line tables only: sanitizer reports keep file:line, and the build takes half the time
  # of -O2 -g (the build, not the tests, is most of this step).
  SAN_FLAGS=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
  cmake -S . -B build-asan "${SAN_FLAGS[@]}" -DATTUNE_WERROR=ON -DATTUNE_SANITIZE=ON \
        -DATTUNE_BUILD_BENCH=OFF -DATTUNE_BUILD_EXAMPLES=OFF -DATTUNE_BUILD_C_ABI=OFF >/dev/null
  cmake --build build-asan -j"$JOBS"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --no-tests=error --output-on-failure -j"$JOBS"

  # The parallel batch code (reader thread, worker pool, in-order writer) under ThreadSanitizer:
  # only the tests that run score_csv/accumulate_csv on several threads, to keep the step short.
  step "batch tests under ThreadSanitizer"
  cmake -S . -B build-tsan "${SAN_FLAGS[@]}" -DATTUNE_WERROR=ON \
        -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
        -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread -DATTUNE_BUILD_CLI=OFF -DATTUNE_BUILD_BENCH=OFF \
        -DATTUNE_BUILD_EXAMPLES=OFF -DATTUNE_BUILD_C_ABI=OFF >/dev/null
  cmake --build build-tsan -j"$JOBS" --target attune_tests
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    ctest --test-dir build-tsan --no-tests=error --output-on-failure -j"$JOBS" -R "chunk|thread|CSV|example data|JSON Lines|robustness|quality columns|sav in|one-character|blank lines|rows kept"

  step "fuzzing: each parser's libFuzzer target for ${FUZZ_SECONDS:-60}s (docs/robustness.md)"
  tools/fuzz.sh "${FUZZ_SECONDS:-60}"

  step "WebAssembly: build, Node test, browser end to end"
  bindings/wasm/build.sh "$ROOT/build-wasm"
  ATTUNE_CLI="$ROOT/build-ci/attune" node bindings/wasm/test/node.test.js
  (cd tests/web && npm ci --no-audit --no-fund --silent)
  ATTUNE_CLI="$ROOT/build-ci/attune" SCREENSHOT="$ROOT/build-ci/web-demo.png" node tests/web/e2e.test.js
fi
step "done"
echo "attune: all test steps passed"
