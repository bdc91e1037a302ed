#!/usr/bin/env bash
# Bad inputs end to end (docs/robustness.md): exit codes, no half-written files, rows accounting.
# Usage: test_robustness_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
PY=/usr/bin/python3
source "$(dirname "$0")/lib.sh"
no_tmp_files() { test -z "$(ls -A "$1" | grep 'tmp-')"; }
DATA=$SRC/examples/data/ecr-r-synthetic.csv
RQ="secure,fearful,preoccupied,dismissing"

# Empty file and header only
: > "$TMP/empty.csv"
"$BIN" score --instrument rq "$TMP/empty.csv" -o "$TMP/empty.out" 2> "$TMP/empty.txt"
check "empty file -> exit 4" test $? -eq 4
check "empty file says so" grep -q "empty file" "$TMP/empty.txt"
check "empty file leaves no output" test ! -e "$TMP/empty.out"
echo "$RQ" > "$TMP/header.csv"
"$BIN" score --instrument rq "$TMP/header.csv" -o "$TMP/header.out" 2> "$TMP/header.txt"
check "header only -> exit 0" test $? -eq 0
check "header only -> header line only" test "$(wc -l < "$TMP/header.out")" -eq 1
check "header only summary" grep -q "0 rows in" "$TMP/header.txt"

# Disk full while writing: a 4 KiB file size limit. SIGXFSZ is ignored (as a shell may do) so the
# write fails with EFBIG, as it would with ENOSPC on a full disk.
mkdir "$TMP/full"
(trap '' XFSZ; ulimit -f 4; "$BIN" score --instrument ecr-r --map 'Q{n}' "$DATA" -o "$TMP/full/out.csv" -q) 2> "$TMP/full.txt"
code=$?
check "disk full -> exit 5" test "$code" -eq 5
check "disk full names the output file" grep -q "io error: $TMP/full/out.csv: write failed: File too large" "$TMP/full.txt"
check "disk full leaves no file under the final name" test ! -e "$TMP/full/out.csv"
check "disk full leaves no temporary file" no_tmp_files "$TMP/full"
(trap '' XFSZ; ulimit -f 4; "$BIN" score --instrument ecr-r --map 'Q{n}' "$DATA" -o - -q > "$TMP/full/stdout.csv") 2> "$TMP/full2.txt"
check "disk full on stdout -> exit 5" test $? -eq 5
check "disk full on stdout names <stdout>" grep -q "io error: <stdout>: write failed: File too large" "$TMP/full2.txt"
rm -f "$TMP/full/stdout.csv"
# The same for every other output: each error names its file, and nothing is left behind.
# (The plan is about 15 KB, its .ics 17 KB, the report and reliability JSON larger than 4 KiB.)
ONE=$SRC/examples/data/ecr-r-one.json
full_run() {  # full_run NAME FILE-NAMED COMMAND...: exit 5 and "FILE: write failed"
  local name=$1 file=$2; shift 2
  (trap '' XFSZ; ulimit -f 4; "$@" > /dev/null) 2> "$TMP/full-$name.txt"
  local code=$?
  check "disk full, $name -> exit 5" test "$code" -eq 5
  check "disk full, $name names $file" grep -q "io error: $file: write failed: File too large" "$TMP/full-$name.txt"
  check "disk full, $name leaves no file" test -z "$(ls -A "$TMP/full")"
}
full_run reliability "$TMP/full/rel.json" "$BIN" reliability -i ecr-r --map 'Q{n}' "$DATA" -o "$TMP/full/rel.json" -q
full_run report "$TMP/full/report.html" "$BIN" report -i ecr-r --map 'Q{n}' "$DATA" -o "$TMP/full/report.html" -q
full_run plan "$TMP/full/plan.txt" "$BIN" plan -i ecr-r --json "$ONE" -o "$TMP/full/plan.txt" --ics "$TMP/full/plan.ics"
full_run ics "$TMP/full/plan.ics" "$BIN" plan -i ecr-r --json "$ONE" -o - --ics "$TMP/full/plan.ics"
{ echo "$RQ"; for i in $(seq 300); do echo "9,1,1,1"; done; } > "$TMP/bad300.csv"
full_run "--errors file" "$TMP/full/err.csv" "$BIN" score -i rq "$TMP/bad300.csv" -o - --errors "$TMP/full/err.csv" -q

# Unwritable output: a directory where the file should go
mkdir "$TMP/adir"
"$BIN" score --instrument ecr-r --map 'Q{n}' "$DATA" -o "$TMP/adir/" -q 2> /dev/null
check "output path is a directory -> exit 5" test $? -eq 5

# stdin closed, and stdin cut off in the middle of a row
"$BIN" score --instrument rq - -o "$TMP/closed.out" <&- 2> "$TMP/closed.txt"
check "closed stdin -> exit 5" test $? -eq 5
check "closed stdin leaves no output" test ! -e "$TMP/closed.out"
head -c 2000 "$DATA" | "$BIN" score --instrument ecr-r --map 'Q{n}' - -o "$TMP/cut.csv" 2> "$TMP/cut.txt"
check "stdin cut mid-row -> exit 1 (the cut row is reported)" test $? -eq 1
rows=$(($(wc -l < "$TMP/cut.csv") - 1))
check "stdin cut: summary accounts for every row" grep -q "^attune: $rows rows in: $((rows - 1)) scored, 1 reported" "$TMP/cut.txt"

# A 100 MB line: limit error, exit 7, no output file
{ echo "$RQ"; head -c 100000000 /dev/zero | tr '\0' 1; } | "$BIN" score --instrument rq - -o "$TMP/long.out" 2> "$TMP/long.txt"
check "100 MB line -> exit 7" test $? -eq 7
check "100 MB line names the limit" grep -q "limit error" "$TMP/long.txt"
check "100 MB line leaves no output" test ! -e "$TMP/long.out"

# Invalid UTF-8 and a NUL byte: JSON Lines stays valid JSON, the error file stays valid CSV
printf 'id,%s\n\xff\xfeA,1,2,3,4\nB\xc3,7,1,1,1\nC,1\0,1,1,1\n' "$RQ" > "$TMP/bytes.csv"
"$BIN" score --instrument rq --format jsonl "$TMP/bytes.csv" -o "$TMP/bytes.jsonl" --errors "$TMP/bytes.err" -q
check "bad bytes -> exit 1" test $? -eq 1
check "JSON Lines output parses" $PY -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], 'rb')]
assert len(rows) == 3 and rows[0]['id'] == '\ufffd\ufffdA' and rows[1]['id'] == 'B\ufffd', rows" "$TMP/bytes.jsonl"
check "error file with a NUL value has 9 fields" $PY -c "
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
assert len(rows) == 2 and len(rows[1]) == 9 and rows[1][6] == '1\x00', rows" "$TMP/bytes.err"

# A NUL byte and an escape sequence in the offending value, --on-error stop: the message shows them
# escaped (\0, \x1b) and is whole (its "(expected ...)" tail is there).
printf '%s\n1,2\0\033[31m,3,4\n' "$RQ" > "$TMP/nulstop.csv"
"$BIN" score --instrument rq --on-error stop "$TMP/nulstop.csv" -o "$TMP/nulstop.out" 2> "$TMP/nulstop.txt"
check "NUL in stop mode -> exit 4" test $? -eq 4
check "NUL in stop mode: value escaped, message whole" grep -qF "value '2\0\x1b[31m': not a number (expected a whole number" "$TMP/nulstop.txt"
check "NUL in stop mode: no raw NUL or ESC on stderr" test "$(tr -d '\000\033' < "$TMP/nulstop.txt" | wc -c)" -eq "$(wc -c < "$TMP/nulstop.txt")"

# Error records on a terminal (no --errors) are read by a person: control characters escaped. The
# terminal comes from util-linux `script`; skipped where it is missing.
if command -v script > /dev/null; then
  script -qec "'$BIN' score --instrument rq '$TMP/nulstop.csv' -o '$TMP/tty.out'" /dev/null > "$TMP/tty.txt"
  check "error record on a terminal: value escaped" grep -qF '"fearful","fearful","2\0\x1b[31m","not a number"' "$TMP/tty.txt"
fi

# Unterminated quote: one reported row, no invented row
printf '%s\n"1,2,3,4\n' "$RQ" > "$TMP/quote.csv"
"$BIN" score --instrument rq "$TMP/quote.csv" -o "$TMP/quote.out" 2> "$TMP/quote.txt"
check "unterminated quote -> exit 1" test $? -eq 1
check "unterminated quote: 1 row in, 1 reported" grep -q "1 rows in: 0 scored, 1 reported" "$TMP/quote.txt"

# Lone CR line endings: refused in the header with a hint
printf '%s\r1,2,3,4\r' "$RQ" > "$TMP/cr.csv"
"$BIN" score --instrument rq "$TMP/cr.csv" -o "$TMP/cr.out" 2> "$TMP/cr.txt"
check "lone CR header -> exit 4" test $? -eq 4
check "lone CR message" grep -q "lone CR" "$TMP/cr.txt"

# Instrument JSON nested too deep -> exit 7 (limit)
printf '%s' "$(printf '[%.0s' $(seq 10000))" > "$TMP/deep.json"
"$BIN" validate "$TMP/deep.json" > /dev/null 2> "$TMP/deep.txt"
code=$?
check "10,000-deep instrument JSON -> exit 7 (limit)" test "$code" -eq 7

# JSON documents over 16 MiB (docs/robustness.md, Limits): exit 7 naming the file, the limit and the
# size, decided from the size before reading (a 10 GiB sparse file returns at once) or, for a pipe,
# after reading the limit plus one byte.
truncate -s 10G "$TMP/huge.json"
"$BIN" validate "$TMP/huge.json" > /dev/null 2> "$TMP/huge.txt"
check "10 GiB instrument file -> exit 7" test $? -eq 7
check "10 GiB instrument: file, size and limit named" grep -q "limit error: $TMP/huge.json: instrument file is 10737418240 bytes, over the limit of 16777216 bytes" "$TMP/huge.txt"
"$BIN" score -i ecr-r --json "$TMP/huge.json" 2> "$TMP/huge2.txt"
check "10 GiB answers file -> exit 7" test $? -eq 7
check "10 GiB answers file named" grep -q "$TMP/huge.json: answers file is 10737418240 bytes" "$TMP/huge2.txt"
"$BIN" plan -i ecr-r --json "$TMP/huge.json" 2> /dev/null
check "10 GiB saved result for plan -> exit 7" test $? -eq 7
"$BIN" score -i rq --norms "$TMP/huge.json" "$TMP/header.csv" -o - 2> /dev/null
check "10 GiB norms file -> exit 7" test $? -eq 7
"$BIN" take rq --text-pack "$TMP/huge.json" < /dev/null > /dev/null 2> "$TMP/huge3.txt"
check "10 GiB text pack -> exit 7" test $? -eq 7
{ printf '{"q1": 1'; head -c 17000000 /dev/zero | tr '\0' ' '; printf '}'; } > "$TMP/big.json"
cat "$TMP/big.json" | "$BIN" score -i ecr-r --json - 2> "$TMP/big.txt"
check "17 MB answers through a pipe -> exit 7" test $? -eq 7
check "17 MB answers through a pipe: stops after the limit" grep -q "<stdin>: answers file is over the limit of 16777216 bytes (16 MiB): reading stopped at 16777217 bytes" "$TMP/big.txt"
rm -f "$TMP/big.json" "$TMP/huge.json"

# A JSON Lines line over the 64 MiB record limit: exit 7 naming file and line, memory bounded.
{ echo '{"secure": 1, "fearful": 1, "preoccupied": 1, "dismissing": 1}'; printf '{"secure": "'; head -c 70000000 /dev/zero | tr '\0' 1; echo '"}'; } > "$TMP/long.jsonl"
"$BIN" score -i rq "$TMP/long.jsonl" -o "$TMP/long.out" 2> "$TMP/longl.txt"
check "70 MB JSON line -> exit 7" test $? -eq 7
check "70 MB JSON line: file and line named" grep -q "limit error: $TMP/long.jsonl, line 2: line longer than 67108864 bytes" "$TMP/longl.txt"
check "70 MB JSON line leaves no output" test ! -e "$TMP/long.out"
rm -f "$TMP/long.jsonl"

echo "$pass passed, $fail failed"
test "$fail" -eq 0
