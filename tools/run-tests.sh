#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, builds with warnings as errors, runs
# the test suite, runs it again under AddressSanitizer + UndefinedBehaviorSanitizer, and checks that an
# installed attune works from an outside project via find_package.
# Usage: tools/run-tests.sh [--quick]   (--quick: skip the sanitizer build)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
QUICK=${1:-}

tools/install-deps.sh

step() { printf '\n== %s\n' "$*"; }

step "build (Release, -Werror)"
cmake -S . -B build-ci -DCMAKE_BUILD_TYPE=Release -DATTUNE_WERROR=ON >/dev/null
cmake --build build-ci -j"$JOBS"

step "tests"
ctest --test-dir build-ci --output-on-failure -j"$JOBS"

step "find_package(attune) from an outside project"
rm -rf build-ci/prefix build-ci/consumer
cmake --install build-ci --prefix "$ROOT/build-ci/prefix" >/dev/null
cmake -S tests/consumer -B build-ci/consumer -DCMAKE_PREFIX_PATH="$ROOT/build-ci/prefix" >/dev/null
cmake --build build-ci/consumer -j"$JOBS" >/dev/null
ATTUNE_INSTRUMENT_PATH= build-ci/consumer/consumer

if [ "$QUICK" != "--quick" ]; then
  step "tests under AddressSanitizer + UndefinedBehaviorSanitizer"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTUNE_WERROR=ON -DATTUNE_SANITIZE=ON \
        -DATTUNE_BUILD_BENCH=OFF >/dev/null
  cmake --build build-asan -j"$JOBS"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j"$JOBS"
fi
echo
echo "attune: all test steps passed"
