#!/usr/bin/env bash
# Same bytes before and after a change to the batch path (issue 19): runs two attune binaries over the
# same inputs with the same options and compares every output byte (the output file, standard output,
# standard error, the exit code, and the --reliability and --errors files). A .sav output is compared
# byte for byte except its header's creation date and time (ReadStat stamps the clock there).
#
# Inputs: a 1M-row file (bench/make_data.py, made once under the work folder, never in the repo), the
# shared real data when present, all seven instruments (tools/same_bytes_data.py: clean, messy,
# ';'-delimited, CRLF + quoted, reversed columns, JSON Lines, .sav), and the messy files of the fuzz
# corpus; outputs in CSV, JSON Lines and .sav, with --quality, --reliability, --norms sample, every
# profile method, --plan-columns, --row-numbers, --decimals, --keep, --skip-rows, --on-error stop.
#
# Usage: tools/check_same_bytes.sh BEFORE_BIN AFTER_BIN [--quick]
#   --quick: no 1M-row file (seconds instead of a minute).
# Env: SAME_BYTES_DIR (default /tmp/attune-same-bytes), MAKE_SAV (attune_make_sav, for .sav inputs;
#   default build/tests/attune_make_sav when present), ATTUNE_SHARED_DATA (the real data CSV).
# Exit: 0 all identical, 1 a difference (listed), 2 usage.
set -uo pipefail
if [ $# -lt 2 ]; then
  sed -n '2,17p' "$0" >&2
  exit 2
fi
BEFORE=$(readlink -f "$1")
AFTER=$(readlink -f "$2")
QUICK=${3:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${SAME_BYTES_DIR:-/tmp/attune-same-bytes}
REAL=${ATTUNE_SHARED_DATA:-/work/shared/data/ecr-openpsychometrics/data.csv}
MAKE_SAV=${MAKE_SAV:-$ROOT/build/tests/attune_make_sav}
IN=$WORK/in
mkdir -p "$IN" "$WORK/b" "$WORK/a"

/usr/bin/python3 "$ROOT/tools/same_bytes_data.py" "$ROOT/instruments" "$IN" >/dev/null || exit 2
if [ "$QUICK" != "--quick" ] && [ ! -s "$IN/bench-1m.csv" ]; then
  /usr/bin/python3 "$ROOT/bench/make_data.py" 1000000 "$IN/bench-1m.csv" || exit 2
fi
HAVE_SAV=0
if [ -x "$MAKE_SAV" ]; then
  HAVE_SAV=1
  for f in "$IN"/*-clean.csv; do
    "$MAKE_SAV" "$f" "${f%-clean.csv}.sav" >/dev/null 2>&1 || HAVE_SAV=0
  done
fi

cases=0
diffs=0
# A .sav file with its creation date and time (header bytes 92..108) blanked.
sav_body() { /usr/bin/python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[92:109]=b" "*17; sys.stdout.buffer.write(b)' "$1"; }
same_file() {
  local x=$1 y=$2
  [ -e "$x" ] || [ -e "$y" ] || return 0
  [ -e "$x" ] && [ -e "$y" ] || return 1
  case "$x" in
    *.sav) cmp -s <(sav_body "$x") <(sav_body "$y") ;;
    *) cmp -s "$x" "$y" ;;
  esac
}
# run NAME OUT-EXTENSION ARGS...: both binaries, in folders of their own (so every path in a message
# is the same), output written to out.EXT.
run() {
  local name=$1 ext=$2
  shift 2
  cases=$((cases + 1))
  local side bin
  for side in b a; do
    bin=$BEFORE
    [ $side = a ] && bin=$AFTER
    rm -rf "$WORK/$side/run"
    mkdir -p "$WORK/$side/run"
    (cd "$WORK/$side/run" && "$bin" "$@" -o "out.$ext" >stdout 2>stderr; echo $? >rc)
    sed -i "s#$bin#ATTUNE#g" "$WORK/$side/run/stderr" "$WORK/$side/run/stdout"
  done
  local bad=""
  for f in out.$ext stdout stderr rc rel.json rel.txt errors.csv; do
    same_file "$WORK/b/run/$f" "$WORK/a/run/$f" || bad="$bad $f"
  done
  # A usage error (exit 2) is a mistake in this script's command line, not a case: comparing two
  # identical refusals would pass while checking nothing.
  if [ "$(cat "$WORK/a/run/rc")" = 2 ]; then
    diffs=$((diffs + 1))
    echo "USAGE ERROR (fix the case): $name: $(head -c 300 "$WORK/a/run/stderr")   (attune $*)"
  fi
  if [ -n "$bad" ]; then
    diffs=$((diffs + 1))
    echo "DIFFERENT: $name:$bad   (attune $*)"
    mkdir -p "$WORK/diff/$name"
    cp -r "$WORK/b/run" "$WORK/diff/$name/before"
    cp -r "$WORK/a/run" "$WORK/diff/$name/after"
  fi
}

methods_of() {
  /usr/bin/python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1])).get("profile",{}).get("methods",{})))' "$1"
}

# All seven instruments, every shape of input and output.
for inst_file in "$ROOT"/instruments/*.json; do
  id=$(basename "$inst_file" .json)
  d=$IN/$id
  run "$id-csv" csv score -i "$id" "$d.csv" -q
  run "$id-csv-threads1" csv score -i "$id" "$d.csv" -q --threads 1
  run "$id-summary" csv score -i "$id" "$d.csv" --errors errors.csv
  run "$id-quality-rel" csv score -i "$id" "$d.csv" -q --quality --reliability rel.json
  run "$id-quality-rel-txt" csv score -i "$id" "$d.csv" -q --quality --reliability rel.txt --norms sample
  run "$id-jsonl" jsonl score -i "$id" "$d.csv" -q --quality --norms sample --format jsonl
  run "$id-jsonl-rownum" jsonl score -i "$id" "$d.csv" -q --row-numbers --keep id,age --format jsonl
  run "$id-sav" sav score -i "$id" "$d.csv" -q --quality --keep id,age
  run "$id-sav-norms" sav score -i "$id" "$d.csv" -q --norms sample --decimals 2
  run "$id-decimals" csv score -i "$id" "$d.csv" -q --decimals 3 --row-numbers --keep age,id
  run "$id-decimals0" csv score -i "$id" "$d.csv" -q --decimals 0 --quality
  run "$id-midpoint" csv score -i "$id" "$d.csv" -q --norms midpoint --missing 1
  run "$id-semicolon" csv score -i "$id" "$IN/$id-semicolon.csv" -q --delimiter ';' --quality
  run "$id-crlf-quoted" csv score -i "$id" "$IN/$id-crlf-quoted.csv" -q --quality --reliability rel.json
  run "$id-crlf-jsonl" jsonl score -i "$id" "$IN/$id-crlf-quoted.csv" -q --format jsonl
  run "$id-reversed" csv score -i "$id" "$IN/$id-reversed.csv" -q --quality
  run "$id-skip" csv score -i "$id" "$d.csv" -q --skip-rows 3
  run "$id-stop" csv score -i "$id" "$d.csv" -q --on-error stop
  run "$id-jsonl-in" csv score -i "$id" "$d.jsonl" -q --quality --reliability rel.json
  run "$id-jsonl-in-jsonl" jsonl score -i "$id" "$d.jsonl" -q --format jsonl --norms sample
  if [ $HAVE_SAV = 1 ]; then
    run "$id-sav-in" csv score -i "$id" "$d.sav" -q --quality --keep n
    run "$id-sav-in-sav" sav score -i "$id" "$d.sav" -q --norms sample
  fi
  for m in $(methods_of "$inst_file"); do
    run "$id-method-$m" csv score -i "$id" "$d.csv" -q --profile-method "$m"
    run "$id-method-$m-jsonl" jsonl score -i "$id" "$d.csv" -q --profile-method "$m" --format jsonl
  done
done
run "ecr-r-plan-columns" csv score -i ecr-r "$IN/ecr-r.csv" -q --plan-columns 3 --stage dating
run "ecr-r-plan-columns-jsonl" jsonl score -i ecr-r "$IN/ecr-r.csv" -q --plan-columns 2 --format jsonl
run "ecr-r-reliability-cmd" txt reliability -i ecr-r "$IN/ecr-r.csv"
run "ecr-r-example" csv score -i ecr-r "$ROOT/examples/data/ecr-r-synthetic.csv" -q --quality --reliability rel.json

# The messy files of the fuzz corpus (named after their instrument).
for f in "$ROOT"/tests/fuzz/corpus/fuzz_csv/*.csv; do
  b=$(basename "$f" .csv)
  case "$b" in rq_*) id=rq ;; ecr_r_*) id=ecr-r ;; *) id=rq ;; esac
  run "fuzz-$b" csv score -i "$id" "$f" -q --quality
  run "fuzz-$b-jsonl" jsonl score -i "$id" "$f" -q --format jsonl
  run "fuzz-$b-map" jsonl score -i ecr-r --map 'Q{n}' "$f" -q --format jsonl
done
for f in "$ROOT"/tests/fuzz/corpus/fuzz_jsonl/*.jsonl; do
  run "fuzz-jsonl-$(basename "$f" .jsonl)" csv score -i rq "$f" -q --quality
done
for f in "$ROOT"/tests/fuzz/corpus/fuzz_sav/*.sav "$ROOT"/tests/fuzz/crashes/*.sav; do
  run "fuzz-sav-$(basename "$f" .sav)" csv score -i rq "$f" -q
done

# The shared real data (51,491 rows), when present.
if [ -f "$REAL" ]; then
  for args in "" "--quality --reliability rel.json" "--quality --norms sample --reliability rel.txt" \
              "--profile-method brennan1998" "--keep age,gender --row-numbers --decimals 4"; do
    run "real-csv${args:+-$(echo "$args" | tr -c 'a-z0-9' '-')}" csv score -i ecr --map 'Q{n}' --missing 0 "$REAL" -q $args
  done
  run "real-jsonl" jsonl score -i ecr --map 'Q{n}' --missing 0 "$REAL" -q --quality --format jsonl
  run "real-jsonl-fisher" jsonl score -i ecr --map 'Q{n}' --missing 0 "$REAL" -q --profile-method brennan1998 --format jsonl
  run "real-sav" sav score -i ecr --map 'Q{n}' --missing 0 "$REAL" -q --quality --keep age,gender
else
  echo "skipped: the shared real data ($REAL is absent)"
fi

# The 1M-row bench file.
if [ "$QUICK" != "--quick" ]; then
  B=$IN/bench-1m.csv
  run "1m-csv" csv score -i ecr-r --map 'Q{n}' "$B" -q
  run "1m-quality-rel" csv score -i ecr-r --map 'Q{n}' "$B" -q --quality --reliability rel.json
  run "1m-norms-jsonl" jsonl score -i ecr-r --map 'Q{n}' "$B" -q --quality --norms sample --format jsonl
  run "1m-decimals-rownum" csv score -i ecr-r --map 'Q{n}' "$B" -q --decimals 3 --row-numbers
  run "1m-sav" sav score -i ecr-r --map 'Q{n}' "$B" -q --quality
fi
rm -rf "$WORK/b/run" "$WORK/a/run"
echo "same bytes: $((cases - diffs)) of $cases cases identical (before $BEFORE, after $AFTER)"
[ $diffs -eq 0 ]
