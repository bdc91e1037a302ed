#!/usr/bin/env bash
# End-to-end checks of issue 18 ("never a silent wrong result"): norms files (duplicate keys,
# impossible values, whose alpha), --response-scale bounds, `score --json` refusing batch-only
# options, the exit code of an unknown answer item, plan dates past 9999, `take` escaping wording,
# and the report's plane, quality table and help.
# Usage: test_guards_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
DATA=$SRC/examples/data/ecr-r-synthetic.csv
ONE=$SRC/examples/data/ecr-r-one.json
PACK=$SRC/examples/text-packs/ecr-r.example.json

# --- norms files ---------------------------------------------------------------------------------
printf '{"anxiety": {"mean": 3, "sd": 1, "sd": 0.000001}, "avoidance": {"mean": 3, "sd": 1}}' > "$TMP/dup.json"
"$BIN" score -i ecr-r --json "$ONE" --norms "$TMP/dup.json" > /dev/null 2> "$TMP/dup.err"
check "norms: duplicate key -> exit 2" test $? -eq 2
check "norms: duplicate key named with file and path" grep -q "dup.json, at /anxiety/sd.*duplicate key 'sd'" "$TMP/dup.err"
for bad in '"sd": 1e-300' '"sd": 1, "alpha": 1.5' '"sd": 1, "alpha": 0' '"sd": 1, "apha": 0.9'; do
  printf '{"anxiety": {"mean": 3, %s}, "avoidance": {"mean": 3, "sd": 1}}' "$bad" > "$TMP/bad.json"
  "$BIN" score -i ecr-r --json "$ONE" --norms "$TMP/bad.json" > "$TMP/bad.out" 2> /dev/null
  check "norms: $bad -> exit 2, nothing written" test $? -eq 2 -a ! -s "$TMP/bad.out"
done
# ECR publishes alpha .91 for anxiety: it wins over the file's .5 unless --norms-alpha, and says so.
printf '{"anxiety": {"mean": 3.5, "sd": 1.1, "alpha": 0.5}, "avoidance": {"mean": 2.9, "sd": 1.2}}' > "$TMP/alpha.json"
{ printf '{"1": 4'; for i in $(seq 2 36); do printf ', "%d": 4' "$i"; done; printf '}'; } > "$TMP/ecr-all4.json"
"$BIN" score -i ecr --json "$TMP/ecr-all4.json" --norms "$TMP/alpha.json" > "$TMP/alpha-default.json" 2>&1
check "norms alpha: default exit 0" test $? -eq 0
check "norms alpha: the instrument's alpha is said to be used" grep -q "published alpha for anxiety, not the alpha given with the norms" "$TMP/alpha-default.json"
"$BIN" score -i ecr --json "$TMP/ecr-all4.json" --norms "$TMP/alpha.json" --norms-alpha > "$TMP/alpha-file.json" 2>&1
check "norms alpha: --norms-alpha exit 0" test $? -eq 0
check "norms alpha: --norms-alpha uses the file's alpha" grep -q 'SEM = sd x sqrt(1 - 0.5)' "$TMP/alpha-file.json"

# --- --response-scale bounds (min + max overflowed an int) -----------------------------------------
for scale in 1..2147483647 -2147483647..5 1..1001; do
  "$BIN" score -i ecr-r --json "$ONE" --response-scale "$scale" > /dev/null 2> "$TMP/scale.err"
  check "--response-scale $scale -> exit 2" test $? -eq 2
done
check "--response-scale: the bound is named" grep -q -- '-1000..1000' "$TMP/scale.err"

# --- score --json refuses what it would ignore ----------------------------------------------------
for opt in "--keep id" "--errors $TMP/e.csv" "--quality" "--format jsonl" "--skip-rows 2" "--missing 0" "--map Q{n}" \
           "--reliability $TMP/r.json" "--decimals 2" "-o $TMP/one.sav" "$DATA"; do
  # shellcheck disable=SC2086
  "$BIN" score -i ecr-r --json "$ONE" $opt > "$TMP/json-opt.out" 2> "$TMP/json-opt.err"
  code=$?
  check "--json with $opt -> exit 2" test "$code" -eq 2
  check "--json with $opt: nothing on standard output" test ! -s "$TMP/json-opt.out"
done
"$BIN" score -i ecr-r --json "$ONE" -o "$TMP/one.sav" > /dev/null 2> "$TMP/sav.err"
check "--json -o one.sav: no file and the reason" test ! -e "$TMP/one.sav" -a "$(grep -c 'not a .sav file' "$TMP/sav.err")" -eq 1
"$BIN" score -i ecr-r --json "$ONE" --keep id > /dev/null 2> "$TMP/keep.err"
check "--json --keep: message names --keep" grep -q -- "--keep does not apply to --json" "$TMP/keep.err"
"$BIN" score -i ecr-r --json "$ONE" --response-scale 1..7 -q > /dev/null
check "--json with options that apply still works" test $? -eq 0

# --- unknown item in one person's answers: bad data, exit 4 (docs/cli.md) --------------------------
printf '{"q1": 3, "zz": 4}' > "$TMP/unknown.json"
"$BIN" score -i ecr-r --json "$TMP/unknown.json" > /dev/null 2> "$TMP/unknown.err"
check "unknown item in --json -> exit 4" test $? -eq 4
check "unknown item: JSON path named" grep -q "at /zz" "$TMP/unknown.err"

# --- plan dates past 9999 ---------------------------------------------------------------------------
"$BIN" plan -i ecr-r --json "$ONE" --start 9999-12-31 --ics "$TMP/late.ics" > /dev/null 2> "$TMP/late.err"
check "plan --start 9999-12-31 -> exit 2" test $? -eq 2
check "plan --start 9999-12-31: no .ics written" test ! -e "$TMP/late.ics"
"$BIN" plan -i ecr-r --json "$ONE" --start 9999-11-30 --ics "$TMP/last.ics" > /dev/null 2>&1
check "plan --start 9999-11-30 -> exit 0" test $? -eq 0
check "the last DTEND is 9999-12-31" grep -q 'DTEND;VALUE=DATE:99991231' "$TMP/last.ics"

# --- take shows pack wording with control characters escaped -----------------------------------------
sed 's/"Example statement 1"/"Example \\u001b[31mstatement\\r 1"/' "$PACK" > "$TMP/esc-pack.json"
for i in $(seq 36); do echo 4; done | "$BIN" take ecr-r --text-pack "$TMP/esc-pack.json" > /dev/null 2> "$TMP/take.err"
check "take with an escape in the pack -> exit 0" test $? -eq 0
check "take: no raw ESC reaches the terminal" test "$(grep -c $'\x1b' "$TMP/take.err")" -eq 0
check "take: the escape is shown escaped" grep -qF 'Example \x1b[31mstatement\r 1' "$TMP/take.err"

# --- report -------------------------------------------------------------------------------------------
"$BIN" report --help > "$TMP/report-help.txt"
check "report --help does not offer standard input" test "$(grep -c "'-' for standard input" "$TMP/report-help.txt")" -eq 0
"$BIN" report -i ecr-r --map 'Q{n}' "$DATA" -o "$TMP/quad.html" -q 2>/dev/null
# ECR's items are ECR-R's positions on the same 1..7 scale, so the synthetic file serves for both.
"$BIN" report -i ecr --map 'Q{n}' "$DATA" --profile-method brennan1998 -o "$TMP/brennan.html" -q 2>/dev/null
check "report quadrant: corners carry shares" grep -qE '>secure [0-9.]+%</text>' "$TMP/quad.html"
check "report brennan1998: no midpoint shares in the corners" test "$(grep -cE '>secure [0-9.]+%</text>' "$TMP/brennan.html")" -eq 0
check "report brennan1998: says the lines are only axes" grep -q 'brennan1998 assigns the patterns by its own rule' "$TMP/brennan.html"
# ECR-R has two item scales: even-odd consistency cannot be computed, so no "0 / 0.0%".
check "report: even_odd not computed, not 0" grep -q 'data-key="flag_even_odd" data-value="NaN">not computed' "$TMP/quad.html"
# --irt (issue 23, 5): the IRT section from a calibration of the instrument and scale; another's is refused.
awk -F, 'BEGIN { OFS = "," } NR > 1 { for (i = 3; i <= NF; i++) if ($i == "6" || $i == "7") $i = "5" } { print }' "$DATA" > "$TMP/ecr15.csv"
"$BIN" report -i ecr --map 'Q{n}' --response-scale 1..5 --irt ecr-openpsychometrics-1to5 "$TMP/ecr15.csv" -o "$TMP/irt.html" -q 2>/dev/null
check "report --irt: the IRT section and its tables" grep -q 'id="irt-information"' "$TMP/irt.html"
check "report --irt: Samejima in the references" grep -q '<li>Samejima, F. (1969)' "$TMP/irt.html"
code=0; "$BIN" report -i ecr-r --map 'Q{n}' --irt ecr-openpsychometrics-1to5 "$DATA" -o "$TMP/irt-other.html" -q 2>"$TMP/irt-other.err" || code=$?
check "report --irt: another instrument's calibration -> exit 2" test "$code" -eq 2
check "report --irt: the refusal names the calibration's instrument" grep -q "for instrument 'ecr', not 'ecr-r'" "$TMP/irt-other.err"
check "report --irt: nothing written over" test ! -e "$TMP/irt-other.html"
check "report: a CSV link for every table" test "$(grep -c '<table' "$TMP/quad.html")" -eq "$(grep -c 'class="csv-download"' "$TMP/quad.html")"

echo "$pass passed, $fail failed"
test "$fail" -eq 0
