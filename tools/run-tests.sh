#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, builds with warnings as errors, runs
# the whole suite (C++, CLI, C ABI, Python with a two-process Dask cluster), checks
# find_package(attune) and pkg-config from outside projects and the pip-installed Python package
# (docs/install.md), the R package (bindings/r) against the installed library when R with Rcpp is
# present, the WebAssembly module (incremental build, its size, the Node tests, the npm tarball
# installed offline and run in Node; skipped without Emscripten), then (without --quick):
#   - add_subdirectory(attune) from an outside project (it compiles the library once more);
#   - the batch tests (reader thread, worker pool, in-order writer) under ThreadSanitizer (GCC), on
#     a test binary of only the test files they live in, checked to be the same selection as
#     in the full suite;
#   - every C++ test and the CLI tests under AddressSanitizer + UndefinedBehaviorSanitizer (clang),
#     in one build that also holds the libFuzzer targets, so the library is compiled with the
#     sanitizers once for both;
#   - the WebAssembly demo and the npm package in headless Chromium;
#   - the portable build (ATTUNE_PORTABLE: no SSE2/AVX2 paths) with warnings as errors and its Catch2 tests;
#   - each parser's libFuzzer target for FUZZ_SECONDS (default 45) from its seed corpus.
# Both sanitizer test runs go to the background as soon as their build is done: each is mostly one
# single-threaded test (the 100 MB line: about 8 minutes under TSan, 1.5 under ASan), so the other
# core builds meanwhile. The fuzzers start once both have finished and have both cores. The sanitizer
# builds compile the CLI and the tests as unity translation units (ATTUNE_UNITY_BUILD); the -Werror
# build stays file by file.
# Usage: tools/run-tests.sh [--quick]   (--quick: skip the sanitizer, fuzzing and Chromium steps)
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

step "budgets, layers and no shared data (tools/check_budgets.py, tools/check_layers.py, tools/check_no_shared_data.py; HACKING.md)"
python3 tools/check_budgets.py
python3 tools/check_layers.py
python3 tools/check_no_shared_data.py

step "references of the real data (R and Python; made here from ../shared/data, never committed: tools/r/make_row_references.sh)"
tools/r/make_row_references.sh build-ci/reference-rows
export ATTUNE_TEST_ROW_REFERENCE="$ROOT/build-ci/reference-rows"

step "tests: C++, CLI, C ABI, Python + Dask"
ctest --test-dir build-ci --no-tests=error --output-on-failure -j"$JOBS"

step "find_package(attune) from an outside project"
rm -rf build-ci/prefix build-ci/consumer
cmake --install build-ci --prefix "$ROOT/build-ci/prefix" >/dev/null
cmake -S tests/consumer -B build-ci/consumer -DCMAKE_PREFIX_PATH="$ROOT/build-ci/prefix" >/dev/null
cmake --build build-ci/consumer -j"$JOBS" >/dev/null
ATTUNE_INSTRUMENT_PATH= build-ci/consumer/consumer
ATTUNE_INSTRUMENT_PATH= build-ci/consumer/consumer_c
step "pkg-config (attune, attune_c) from an outside project"
tests/consumer/pkg-config.sh "$ROOT/build-ci/prefix" "$ROOT/build-ci/consumer-pkgconfig"

step "Python: pip wheel, install into a virtual environment and a scratch system root, pytest on the installed package"
bindings/python/install-test.sh build-ci

# The R package (bindings/r) links the prefix installed above; needs tools/install-deps.sh --peers.
# In the fast command (issue 23: every layer's tests there): about 40 s.
if command -v Rscript >/dev/null && Rscript -e 'quit(status = !all(sapply(c("Rcpp", "testthat", "psych"), requireNamespace, quietly = TRUE)))' 2>/dev/null; then
  step "R package: R CMD INSTALL against the installed attune, testthat (psych on the real ECR data)"
  ATTUNE_CLI="$ROOT/build-ci/attune" bindings/r/check.sh "$ROOT/build-ci/prefix"
else
  step "R package: skipped (R with Rcpp, testthat and psych not installed: tools/install-deps.sh --peers)"
fi

# WebAssembly and the npm package (issue 23): the build is incremental (bindings/wasm/CMakeLists.txt,
# ccache), so after a first build this step takes well under a minute; the pages in Chromium are in the
# full run. Skipped, with a message, where Emscripten is not installed.
if command -v emcmake >/dev/null && command -v node >/dev/null; then
  step "WebAssembly: incremental build, size, Node tests (node --test), npm pack installed offline and run in Node"
  bindings/wasm/build.sh "$ROOT/build-wasm" >/dev/null
  WASM_BYTES=$(stat -c %s bindings/wasm/dist/attune_wasm.wasm)
  if [ "$WASM_BYTES" -gt 1000000 ]; then echo "attune: attune_wasm.wasm is $WASM_BYTES bytes, over 1 MB (issue 21)"; exit 1; fi
  echo "attune_wasm.wasm: $WASM_BYTES bytes (at most 1,000,000)"
  ATTUNE_CLI="$ROOT/build-ci/attune" node --test bindings/wasm/test/*.test.js
  PACK_TEST_BROWSER=0 bindings/wasm/test/pack-test.sh
else
  step "WebAssembly: skipped (Emscripten or Node not installed: sudo apt-get install -y emscripten nodejs)"
fi

if [ "$QUICK" != "--quick" ]; then
  # Two test runs go to the background (their own session, so a failing step ends them and their
  # test processes too) and are waited for before the fuzzers, which then have both cores.
  TSAN_PID="" ASAN_PID=""
  trap 'for p in $TSAN_PID $ASAN_PID; do kill -TERM -- "-$p" 2>/dev/null || true; done' EXIT
  background() { local log=$1; shift; setsid "$@" >"$log" 2>&1 & }
  await() {  # PID LOG WHAT: waits, prints the log, fails if the run failed
    local rc=0
    wait "$1" || rc=$?
    cat "$2"
    if [ "$rc" -ne 0 ]; then echo "attune: $3 failed (exit $rc)"; exit 1; fi
  }

  # -O1 with line tables only: sanitizer reports keep file:line, and the builds take half the time
  # of -O2 -g (the builds are most of these steps); OSS-Fuzz builds its fuzzers the same way.
  SAN_FLAGS=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" -DATTUNE_WERROR=ON
             -DATTUNE_UNITY_BUILD=ON -DATTUNE_BUILD_BENCH=OFF -DATTUNE_BUILD_EXAMPLES=OFF -DATTUNE_BUILD_C_ABI=OFF)

  # ThreadSanitizer (GCC) on the tests that run score_csv/accumulate_csv on several threads. Only the
  # test files that hold them are compiled (TSAN_FILES); the check below makes sure that the filter
  # selects exactly the tests it selects in the full suite, so a matching test added to another file
  # fails here until that file is listed.
  step "batch tests under ThreadSanitizer: build"
  TSAN_TESTS="chunk|thread|CSV|example data|JSON Lines|robustness|quality columns|sav in|one-character|blank lines|rows kept"
  TSAN_FILES="test_batch;test_output_table;test_report_paper;test_limits_messages;test_plan_columns;test_quality;test_readers;test_reliability;test_robustness;test_io_safety;test_irt;test_audit;test_json_guards"
  cmake -S . -B build-tsan "${SAN_FLAGS[@]}" -DATTUNE_UNITY_BATCH=4 -DATTUNE_TEST_FILES="$TSAN_FILES" \
        -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
        -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread -DATTUNE_BUILD_CLI=OFF >/dev/null
  cmake --build build-tsan -j"$JOBS" --target attune_tests
  tsan_list() { ctest --test-dir "$1" -N -R "$TSAN_TESTS" | sed -n 's/^ *Test *#[0-9]*: //p' | grep -v '^cli\.' | sort; }
  if ! diff <(tsan_list build-ci) <(tsan_list build-tsan) >build-tsan/selection.diff; then
    echo "attune: the ThreadSanitizer build selects other tests than the full suite (< only in build-ci):"
    cat build-tsan/selection.diff
    echo "attune: add the file of each missing test to TSAN_FILES in tools/run-tests.sh"
    exit 1
  fi
  step "batch tests under ThreadSanitizer: $(tsan_list build-tsan | wc -l) tests start in the background (build-tsan/ctest.log)"
  background build-tsan/ctest.log env TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    ctest --test-dir build-tsan --no-tests=error --output-on-failure -j"$JOBS" -R "$TSAN_TESTS"
  TSAN_PID=$!

  # ASan + UBSan (clang): the library, the CLI, every test file and the fuzz targets in one build. The
  # library also carries libFuzzer's coverage instrumentation (-fsanitize=fuzzer-no-link), which the
  # tests do not need but which costs them less time than compiling a second sanitized library.
  step "C++ and CLI tests under AddressSanitizer + UndefinedBehaviorSanitizer: build (with the fuzz targets)"
  cmake -S . -B build-asan "${SAN_FLAGS[@]}" -DCMAKE_CXX_COMPILER=clang++ -DATTUNE_SANITIZE=ON \
        -DATTUNE_BUILD_FUZZERS=ON >/dev/null
  cmake --build build-asan -j"$JOBS"
  step "C++ and CLI tests under AddressSanitizer + UndefinedBehaviorSanitizer: start in the background (build-asan/ctest.log)"
  background build-asan/ctest.log env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --no-tests=error --output-on-failure -j"$JOBS"
  ASAN_PID=$!


  # The module was built and tested in Node above (the fast steps); here the pages in Chromium. The
  # full run does not skip them: tools/install-deps.sh installs Emscripten and Chromium.
  step "WebAssembly in Chromium: the demo end to end, the npm package in a plain page"
  command -v emcmake >/dev/null || { echo "attune: the full run needs Emscripten (tools/install-deps.sh)"; exit 1; }
  (cd tests/web && npm ci --no-audit --no-fund --silent)
  ATTUNE_CLI="$ROOT/build-ci/attune" SCREENSHOT_DIR="$ROOT/build-ci" node tests/web/e2e.test.js
  bindings/wasm/test/pack-test.sh   # npm pack, installed offline into a scratch project, run in Node and Chromium

  # The portable build (no SSE2/AVX2 paths) compiles every kernel's plain twin, as an ARM build would,
  # with warnings as errors, and runs the Catch2 tests on it; the vector paths are tested above.
  step "portable build (ATTUNE_PORTABLE: every kernel's plain twin): build and Catch2 tests"
  cmake -S . -B build-portable -DCMAKE_BUILD_TYPE=Release -DATTUNE_WERROR=ON -DATTUNE_PORTABLE=ON -DATTUNE_UNITY_BUILD=ON \
        -DATTUNE_BUILD_BENCH=OFF -DATTUNE_BUILD_EXAMPLES=OFF -DATTUNE_BUILD_C_ABI=OFF -DATTUNE_BUILD_CLI=OFF >/dev/null
  cmake --build build-portable -j"$JOBS" --target attune_tests
  ctest --test-dir build-portable --no-tests=error --output-on-failure -j"$JOBS"

  # add_subdirectory compiles the library once more inside the consumer's build (kept between runs),
  # so it belongs to the full run, not the fast one.
  step "add_subdirectory(attune) from an outside project"
  cmake -S tests/consumer-subdir -B build-ci/consumer-subdir -DCMAKE_BUILD_TYPE=Release -DATTUNE_WERROR=ON >/dev/null
  cmake --build build-ci/consumer-subdir -j"$JOBS" >/dev/null
  ATTUNE_INSTRUMENT_PATH= build-ci/consumer-subdir/consumer
  build-ci/consumer-subdir/consumer_c

  step "C++ and CLI tests under AddressSanitizer + UndefinedBehaviorSanitizer: results"
  await "$ASAN_PID" build-asan/ctest.log "the ASan + UBSan tests"
  ASAN_PID=""
  step "batch tests under ThreadSanitizer: results"
  await "$TSAN_PID" build-tsan/ctest.log "the ThreadSanitizer tests"
  TSAN_PID=""

  step "fuzzing: each parser's libFuzzer target for ${FUZZ_SECONDS:-45}s (docs/robustness.md)"
  BUILD_DIR="$ROOT/build-asan" tools/fuzz.sh "${FUZZ_SECONDS:-45}"
fi
step "done"
echo "attune: all test steps passed"
