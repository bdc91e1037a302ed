#!/usr/bin/env bash
# End-to-end: `attune score` (and reliability, report) on .sav and JSON Lines input, .sav output, the Qualtrics hint, and a
# truncated .sav. Every .sav is made here from the synthetic example data by attune_make_sav.
# Usage: test_readers_cli.sh ATTUNE_BINARY SOURCE_DIR MAKE_SAV_BINARY
set -uo pipefail
BIN=$1
SRC=$2
MAKE_SAV=$3
source "$(dirname "$0")/lib.sh"
DATA=$SRC/examples/data/ecr-r-synthetic.csv

# .sav in: the same scores as the CSV it was made from (ids are strings, age numeric with a label).
"$MAKE_SAV" "$DATA" "$TMP/in.sav" --labels age="34:thirty-four" --var-label Q1="item 1 (synthetic)"
check "fixture written" test -s "$TMP/in.sav"
"$BIN" score -i ecr-r --map 'Q{n}' "$DATA" --keep id,age -o "$TMP/from_csv.csv" 2> /dev/null
"$BIN" score -i ecr-r --map 'Q{n}' "$TMP/in.sav" --keep id,age -o "$TMP/from_sav.csv" --errors "$TMP/err.csv" 2> "$TMP/stderr.txt"
check ".sav in -> exit 1 (the example's three bad rows)" test $? -eq 1
check ".sav in: same output as CSV" cmp -s "$TMP/from_csv.csv" "$TMP/from_sav.csv"
check ".sav in: error record names the case and column" grep -q ',100,-1,7,"Q5","q5","9",' "$TMP/err.csv"
check ".sav in: summary" grep -q "500 rows in: 497 scored, 3 reported" "$TMP/stderr.txt"
"$BIN" score -i ecr-r --map 'Q{n}' "$TMP/in.sav" --keep id,age --value-labels -o "$TMP/labels.csv" 2> /dev/null
check "--value-labels writes the label" grep -q '^P0001,thirty-four,3.222222,' "$TMP/labels.csv"

# User-missing: declare 9 missing on every item; row 100's Q5 = 9 is then not an error.
args=()
for i in $(seq 1 36); do args+=(--missing "Q$i=9"); done
"$MAKE_SAV" "$DATA" "$TMP/um.sav" "${args[@]}"
"$BIN" score -i ecr-r --map 'Q{n}' "$TMP/um.sav" -o "$TMP/um.csv" --errors "$TMP/um_err.csv" 2> /dev/null
check "user-missing code is missing, not an error" test -z "$(grep ',100,' "$TMP/um_err.csv")"
check "two errors left" test "$(wc -l < "$TMP/um_err.csv")" -eq 3

# .sav out, to a file (by extension) and to standard output (--format sav): the same bytes.
"$BIN" score -i ecr-r --map 'Q{n}' "$DATA" --keep id,age -o "$TMP/out.sav" 2> /dev/null
check ".sav out written" test -s "$TMP/out.sav"
check ".sav out starts with the SPSS magic" test "$(head -c 4 "$TMP/out.sav")" = '$FL2'
"$BIN" score -i ecr-r --map 'Q{n}' "$DATA" --format sav --keep id,age 2> /dev/null > "$TMP/stdout.sav"
# The same bytes except the header's creation date and time (offsets 92-108), which differ when
# the two runs fall on either side of a second.
no_stamp() { head -c 92 "$1"; tail -c +110 "$1"; }
check "--format sav to stdout: same file" cmp -s <(no_stamp "$TMP/out.sav") <(no_stamp "$TMP/stdout.sav")
check ".sav out has the variable label" grep -q "mean of keyed items" "$TMP/out.sav"

# JSON Lines in: the same scores as the CSV; a broken line names the line and key.
/usr/bin/python3 - "$DATA" "$TMP/in.jsonl" <<'EOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
with open(sys.argv[2], "w") as f:
    for r in rows:
        o = {}
        for k, v in r.items():
            if k == "id" or not v.lstrip("-").isdigit():
                o[k] = None if v == "" else v
            else:
                o[k] = int(v)
        f.write(json.dumps(o) + "\n")
EOF
"$BIN" score -i ecr-r --map 'Q{n}' "$TMP/in.jsonl" --keep id,age -o "$TMP/from_jsonl.csv" 2> /dev/null
check "JSON Lines in: same output as CSV" cmp -s "$TMP/from_csv.csv" "$TMP/from_jsonl.csv"
cat "$TMP/in.jsonl" | "$BIN" score -i ecr-r --map 'Q{n}' - --input-format jsonl --keep id,age 2> /dev/null > "$TMP/stdin_jsonl.csv"
check "JSON Lines from stdin" cmp -s "$TMP/from_csv.csv" "$TMP/stdin_jsonl.csv"
sed '3s/"Q2": [0-9]/"Q2": [1]/' "$TMP/in.jsonl" > "$TMP/bad.jsonl"
"$BIN" score -i ecr-r --map 'Q{n}' "$TMP/bad.jsonl" -o "$TMP/bad.csv" 2> "$TMP/bad.txt"
check "broken JSON line -> exit 4" test $? -eq 4
check "broken JSON line: message names line and key" grep -q "line 3, column 'Q2'" "$TMP/bad.txt"
check "broken JSON line: no output file" test ! -e "$TMP/bad.csv"
# With --quality the file is read first for the quality model: a broken line is named there too (it was
# "empty file: no header row" when JSON Lines went through CSV text made on a thread).
"$BIN" score -i ecr-r --map 'Q{n}' "$TMP/bad.jsonl" --quality -o "$TMP/bad.csv" 2> "$TMP/badq.txt"
check "broken JSON line with --quality -> exit 4" test $? -eq 4
check "broken JSON line with --quality: message names line and key" grep -q "line 3, column 'Q2'" "$TMP/badq.txt"

# reliability and report read .sav and JSON Lines through the same layer: the same reliability JSON
# and the same report as from the CSV the files were made from (the CSV's numbers are checked against
# R psych in test_reliability.cpp), and error records in the original file's terms.
"$BIN" reliability -i ecr-r --map 'Q{n}' "$DATA" -o "$TMP/rel_csv.json" -q 2> /dev/null
for f in in.sav in.jsonl; do
  "$BIN" reliability -i ecr-r --map 'Q{n}' "$TMP/$f" -o "$TMP/rel_$f.json" --errors "$TMP/rel_err_$f.csv" 2> "$TMP/rel_$f.txt"
  check "reliability $f -> exit 1 (the three bad rows)" test $? -eq 1
  check "reliability $f: same JSON as the CSV" cmp -s "$TMP/rel_csv.json" "$TMP/rel_$f.json"
  check "reliability $f: summary" grep -q "500 rows in: 497 used, 3 reported" "$TMP/rel_$f.txt"
  "$BIN" report -i ecr-r --map 'Q{n}' "$TMP/$f" --title T -o "$TMP/rep_$f.html" -q 2> /dev/null
  check "report $f -> exit 1" test $? -eq 1
done
check "reliability .sav: error record names the case, no line" grep -q 'in.sav",100,-1,7,"Q5","q5","9",' "$TMP/rel_err_in.sav.csv"
check "reliability JSON Lines: error record names the .jsonl line" grep -q ',100,100,7,"Q5","q5","9",' "$TMP/rel_err_in.jsonl.csv"
"$BIN" report -i ecr-r --map 'Q{n}' "$DATA" --title T -o "$TMP/rep_csv.html" -q 2> /dev/null
check "report .sav: same HTML as the CSV" cmp -s "$TMP/rep_csv.html" "$TMP/rep_in.sav.html"
check "report JSON Lines: same HTML as the CSV" cmp -s "$TMP/rep_csv.html" "$TMP/rep_in.jsonl.html"
"$BIN" reliability -i ecr-r --map 'Q{n}' --input-format jsonl - < "$TMP/in.jsonl" > "$TMP/rel_stdin.json" 2> /dev/null
check "reliability --input-format jsonl from stdin: same JSON" cmp -s "$TMP/rel_csv.json" "$TMP/rel_stdin.json"
cp "$TMP/in.sav" "$TMP/sav_no_ext"
"$BIN" reliability -i ecr-r --map 'Q{n}' --input-format sav "$TMP/sav_no_ext" -o "$TMP/rel_noext.json" -q 2> /dev/null
check "reliability --input-format sav: same JSON" cmp -s "$TMP/rel_csv.json" "$TMP/rel_noext.json"

# Truncated .sav: a data error naming the file, no output, no crash.
size=$(stat -c %s "$TMP/in.sav")
head -c $((size / 2)) "$TMP/in.sav" > "$TMP/cut.sav"
"$BIN" score -i ecr-r --map 'Q{n}' "$TMP/cut.sav" -o "$TMP/cut.csv" 2> "$TMP/cut.txt"
check "truncated .sav -> exit 4" test $? -eq 4
check "truncated .sav: message names the file" grep -q "cut.sav" "$TMP/cut.txt"
check "truncated .sav: no output file" test ! -e "$TMP/cut.csv"
"$BIN" reliability -i ecr-r --map 'Q{n}' "$TMP/cut.sav" -o "$TMP/cut.json" 2> "$TMP/cut2.txt"
check "truncated .sav, reliability -> exit 4" test $? -eq 4
check "truncated .sav, reliability: no output file" test ! -e "$TMP/cut.json"

# Qualtrics-style export: fail early with the hint; --skip-rows 2 scores it.
/usr/bin/python3 - "$DATA" "$TMP/qualtrics.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
h = rows[0]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(h)
    w.writerow([("Question %s, in our words" % c) if c.startswith("Q") else c for c in h])
    w.writerow(['{"ImportId":"QID%s"}' % c[1:] if c.startswith("Q") else '{"ImportId":"%s"}' % c for c in h])
    w.writerows(rows[1:11])
EOF
"$BIN" score -i ecr-r --map 'Q{n}' "$TMP/qualtrics.csv" -o "$TMP/q.csv" 2> "$TMP/q.txt"
check "Qualtrics export -> exit 4" test $? -eq 4
check "Qualtrics hint" grep -q -- "--skip-rows 2" "$TMP/q.txt"
"$BIN" score -i ecr-r --map 'Q{n}' --skip-rows 2 "$TMP/qualtrics.csv" -o "$TMP/q.csv" 2> /dev/null
check "--skip-rows 2 scores it" test "$(wc -l < "$TMP/q.csv")" -eq 11

echo "readers CLI: $pass passed, $fail failed"
test "$fail" -eq 0
