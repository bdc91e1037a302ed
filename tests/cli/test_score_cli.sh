#!/usr/bin/env bash
# End-to-end: the `attune` program on the shipped example data, its exit codes and its files.
# Usage: test_score_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
DATA=$SRC/examples/data/ecr-r-synthetic.csv

"$BIN" instruments > "$TMP/list.txt"
check "instruments lists seven" test "$(grep -cE '^(ecr|ecr-r|ecr-s|ecr-rs|rq|rsq|raas) ' "$TMP/list.txt")" -eq 7

"$BIN" score --instrument ecr-r --map 'Q{n}' "$DATA" -o "$TMP/out.csv" --errors "$TMP/err.csv" 2> "$TMP/stderr.txt"
code=$?
check "rows reported -> exit 1" test "$code" -eq 1
check "one output line per input row + header" test "$(wc -l < "$TMP/out.csv")" -eq 501
check "three error records + header" test "$(wc -l < "$TMP/err.csv")" -eq 4
check "summary counts every row" grep -q "500 rows in: 497 scored, 3 reported" "$TMP/stderr.txt"
check "error record names row, column, value" grep -q '"examples/data/ecr-r-synthetic.csv",100,101,7,"Q5","q5","9"' <(sed "s|$SRC/||" "$TMP/err.csv")
check "header has the contract columns" grep -q '^id,anxiety,anxiety_z,anxiety_pct,avoidance,avoidance_z,avoidance_pct,secure,anxious,avoidant,fearful,category,confidence,method,notes$' <(head -1 "$TMP/out.csv")
# P0001 by hand from the R reference (tests/reference/ecr_r_synthetic_scores.csv): 3.222222 and 4.555556
check "first row scores" grep -q '^P0001,3.222222,,,4.555556,' "$TMP/out.csv"

# Replacing an existing output (the names are swapped, then the old contents removed): the new
# contents under the name, nothing left beside it; a failed run leaves the old file as it was.
echo "old contents" > "$TMP/replace.csv"
"$BIN" score --instrument ecr-r --map 'Q{n}' "$DATA" -o "$TMP/replace.csv" --errors "$TMP/replace-err.csv" 2>/dev/null
check "an existing output is replaced" cmp -s "$TMP/replace.csv" "$TMP/out.csv"
check "replacing leaves no temporary file" test -z "$(ls "$TMP" | grep tmp-)"
# A large old file (over 8 MB) is released by a helper process after the command exits: the same
# visible result, and the command's output pipe is not held open by the helper.
head -c 9000000 /dev/zero > "$TMP/replace-big.csv"
summary=$("$BIN" score --instrument ecr-r --map 'Q{n}' "$DATA" -o "$TMP/replace-big.csv" --errors "$TMP/replace-big-err.csv" 2>&1)
check "a large existing output is replaced" cmp -s "$TMP/replace-big.csv" "$TMP/out.csv"
check "replacing a large file leaves no temporary file" test -z "$(ls "$TMP" | grep tmp-)"
check "replacing a large file: the summary is still printed" grep -q "497 scored" <<< "$summary"
"$BIN" score --instrument ecr-r --map 'Q{n}' --on-error stop "$DATA" -o "$TMP/replace.csv" 2>/dev/null
check "a failed run keeps the file it would have replaced" cmp -s "$TMP/replace.csv" "$TMP/out.csv"

"$BIN" score --instrument ecr-r --map 'Q{n}' --on-error stop "$DATA" -o "$TMP/stopped.csv" 2> "$TMP/stop.txt"
code=$?
check "stop mode -> exit 4" test "$code" -eq 4
check "stop mode leaves no output file" test ! -e "$TMP/stopped.csv"
check "stop mode leaves no temporary file" test -z "$(ls "$TMP" | grep tmp-)"
check "stop message names row and column" grep -q "row 100, line 101, column 7 'Q5', item q5, value '9'" "$TMP/stop.txt"

# --keep and --missing take one comma list each: an input file named after them is the input.
"$BIN" score --instrument ecr-r --map 'Q{n}' --keep id,age "$DATA" -o "$TMP/keep-before.csv" 2>/dev/null
check "--keep before the input file" test "$(head -1 "$TMP/keep-before.csv" | cut -d, -f1-3)" = "id,age,anxiety"
"$BIN" score --instrument ecr-r --map 'Q{n}' --keep id --keep age --missing 9 "$DATA" -o "$TMP/keep-twice.csv" 2>/dev/null
check "--keep twice, --missing before the input file" test "$(head -1 "$TMP/keep-twice.csv" | cut -d, -f1-3)" = "id,age,anxiety"

"$BIN" score --instrument ecr-r --json "$SRC/examples/data/ecr-r-one.json" > "$TMP/one.json"
check "one person exit 0" test $? -eq 0
check "one person JSON has the disclaimer" grep -q "not a diagnosis" "$TMP/one.json"
echo '{"q1": 8}' | "$BIN" score --instrument ecr-r --json - > /dev/null 2> "$TMP/bad.txt"
check "bad answer -> exit 4" test $? -eq 4
check "bad answer names item and value" grep -q "item q1, value '8'" "$TMP/bad.txt"

"$BIN" score --instrument ecr-r --no-such-option "$DATA" > /dev/null 2>&1
check "unknown option -> exit 2" test $? -eq 2
"$BIN" score --instrument nope "$DATA" > /dev/null 2>&1
check "unknown instrument -> exit 2" test $? -eq 2
echo '{"format": "attune-instrument/1"}' > "$TMP/broken.json"
"$BIN" validate "$TMP/broken.json" > /dev/null 2> "$TMP/broken.txt"
check "invalid instrument -> exit 3" test $? -eq 3
check "invalid instrument names the field" grep -q "missing field 'id'" "$TMP/broken.txt"
"$BIN" score --instrument ecr-r --map 'Q{n}' "$DATA" -o /nonexistent-dir/out.csv > /dev/null 2>&1
check "unwritable output -> exit 5" test $? -eq 5
# Columns Q1..Q36 match the items q1..q36 without --map (case ignored where one column matches).
"$BIN" score --instrument ecr-r "$DATA" -o "$TMP/nomap-q.csv" 2> /dev/null
check "Q columns without --map: matched ignoring case" cmp -s "$TMP/nomap-q.csv" "$TMP/out.csv"
"$BIN" score --instrument ecr-r "$SRC/tests/reference/bfi_first500.csv" > /dev/null 2> "$TMP/nomap.txt"
check "missing columns -> exit 4 with a --map hint" test $? -eq 4
check "missing column hint" grep -q -- "--map" "$TMP/nomap.txt"
for id in ecr ecr-r ecr-s ecr-rs rq rsq raas; do
  "$BIN" validate "$id" > /dev/null
  check "validate $id" test $? -eq 0
done

# stdin in, stdout out, JSON Lines
head -11 "$DATA" | "$BIN" score --instrument ecr-r --map 'Q{n}' --format jsonl - -q > "$TMP/out.jsonl"
check "stdin to JSON Lines: 10 objects" test "$(wc -l < "$TMP/out.jsonl")" -eq 10

# Scores, flags and reliability in one command: the reliability equals `attune reliability`'s.
"$BIN" reliability --instrument ecr-r --map 'Q{n}' -q "$DATA" -o "$TMP/rel_cmd.json" --errors "$TMP/rel_err.csv"
"$BIN" score --instrument ecr-r --map 'Q{n}' -q "$DATA" -o "$TMP/one_pass.csv" --errors "$TMP/one_err.csv" --reliability "$TMP/rel_score.json"
check "score --reliability equals attune reliability" cmp -s "$TMP/rel_cmd.json" "$TMP/rel_score.json"
"$BIN" score --instrument ecr-r --map 'Q{n}' -q --quality "$DATA" -o "$TMP/one_pass_q.csv" --errors "$TMP/one_err.csv" --reliability "$TMP/rel_score_q.json"
check "score --quality --reliability equals attune reliability" cmp -s "$TMP/rel_cmd.json" "$TMP/rel_score_q.json"
check "score --quality --reliability: scores and flags written" grep -q ',quality_flags,notes$' <(head -1 "$TMP/one_pass_q.csv")

# A pipe or device as the output is written as it is, never replaced by a renamed temporary.
mkfifo "$TMP/fifo"
# (The reader gives up after 20 s in case the program never opens the FIFO.)
timeout 20 cat "$TMP/fifo" > "$TMP/from_fifo.csv" &
reader=$!
"$BIN" score --instrument ecr-r --map 'Q{n}' -q "$DATA" -o "$TMP/fifo" --errors "$TMP/fifo_err.csv"
code=$?
wait $reader
check "FIFO output: exit 1 (rows reported)" test "$code" -eq 1
check "FIFO output: still a FIFO" test -p "$TMP/fifo"
check "FIFO output: every row came through it" test "$(wc -l < "$TMP/from_fifo.csv")" -eq 501

# The real ECR data, with the declared scale and missing code (skipped when absent)
REAL=$SRC/../shared/data/ecr-openpsychometrics/data.csv
if [ -f "$REAL" ]; then
  "$BIN" score --instrument ecr --map 'Q{n}' --missing 0 --response-scale 1..5 "$REAL" -o "$TMP/real.csv" -q
  check "real data exit 0" test $? -eq 0
  check "real data: one line per row" test "$(wc -l < "$TMP/real.csv")" -eq 51492
else
  echo "skipped: shared real data absent"
fi

echo "$pass passed, $fail failed"
test "$fail" -eq 0
