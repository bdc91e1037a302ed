#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang in build-fuzz and runs each for SECONDS
# (default 60) from its seed corpus, JOBS targets at a time, then prints the executions per target. A crash prints
# libFuzzer's report, saves the input as build-fuzz/crash-* and makes the script fail at the end.
# Usage: tools/fuzz.sh [SECONDS]        (BUILD_DIR, JOBS and CXX override the defaults)
# A BUILD_DIR already configured with -DATTUNE_BUILD_FUZZERS=ON keeps its configuration: tools/run-tests.sh
# passes build-asan, which holds the ASan + UBSan tests and the fuzz targets on one sanitized library.
# Needs Debian clang and libclang-rt-dev (tools/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_EACH=${1:-60}
BUILD=${BUILD_DIR:-$ROOT/build-fuzz}
JOBS=${JOBS:-2}
CXX_BIN=${CXX:-clang++}

if [ -z "${BUILD_DIR:-}" ] || ! grep -qx 'ATTUNE_BUILD_FUZZERS:BOOL=ON' "$BUILD/CMakeCache.txt" 2>/dev/null; then
  cmake -S . -B "$BUILD" -DCMAKE_CXX_COMPILER="$CXX_BIN" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DATTUNE_BUILD_FUZZERS=ON -DATTUNE_BUILD_TESTS=OFF -DATTUNE_BUILD_CLI=OFF -DATTUNE_BUILD_BENCH=OFF \
        -DATTUNE_BUILD_EXAMPLES=OFF -DATTUNE_BUILD_C_ABI=OFF >/dev/null
fi
TARGETS=(fuzz_csv fuzz_instrument fuzz_answers fuzz_text_pack fuzz_sav fuzz_jsonl fuzz_column_map fuzz_c_abi_json fuzz_options fuzz_cat_step)
cmake --build "$BUILD" -j"$JOBS" --target "${TARGETS[@]}"

# -max_len per target: CSV needs room for a header and a few rows of 36 items; the JSON inputs are
# smaller. Longer inputs are covered by the unit tests (the 100 MB line, deep nesting).
declare -A MAXLEN=([fuzz_csv]=4096 [fuzz_instrument]=8192 [fuzz_answers]=2048 [fuzz_text_pack]=2048
                   [fuzz_sav]=8192 [fuzz_jsonl]=4096 [fuzz_column_map]=2048 [fuzz_c_abi_json]=2048 [fuzz_options]=512 [fuzz_cat_step]=2048)
# Targets run JOBS at a time (each is single-threaded), so CI gives each a full SECONDS.
run_target() {
  local t=$1 work="$BUILD/corpus-$1" log="$BUILD/$1.log"   # new inputs go to work, never into the seeds
  mkdir -p "$work"
  if (cd "$BUILD" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "$BUILD/tests/fuzz/$t" "$work" "$ROOT/tests/fuzz/corpus/$t" -max_len="${MAXLEN[$t]}" \
        -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1) >"$log" 2>&1; then
    echo "$t: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') executions, no crash" > "$BUILD/$t.result"
  else
    echo "$t: CRASH, see $log (input saved in $BUILD as crash-*/timeout-*/oom-*)" > "$BUILD/$t.result"
  fi
}
echo "== ${#TARGETS[@]} targets, ${SECONDS_EACH}s each, $JOBS at a time"
for t in "${TARGETS[@]}"; do
  rm -f "$BUILD/$t.result"
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  run_target "$t" &
done
wait
failed=0
summary=""
for t in "${TARGETS[@]}"; do
  line=$(cat "$BUILD/$t.result" 2>/dev/null || echo "$t: no result")
  summary+="$line"$'\n'
  case $line in
    *"no crash") ;;
    *) failed=1; grep -B2 -A30 -m1 'ERROR\|runtime error\|fuzz invariant' "$BUILD/$t.log" || tail -40 "$BUILD/$t.log" ;;
  esac
done
printf '\n%s' "$summary"
exit "$failed"
