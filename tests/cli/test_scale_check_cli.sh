#!/usr/bin/env bash
# End-to-end: answers that do not fit the declared response scale (issue 18, section 1): exit 9,
# the warning, the summary line, --response-scale-confirmed, the JSON fields; and `attune audit`.
# Usage: test_scale_check_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"

# RQ (4 items, 1..7) answered on 1..5: 250 rows cycling through 1..5, so both ends of 1..5 are used
# and nothing is ever above 5. One file a row short of the 200 the rule needs.
awk 'BEGIN { print "id,secure,fearful,preoccupied,dismissing";
             for (i = 0; i < 250; i++) printf "P%d,%d,%d,%d,%d\n", i, i % 5 + 1, (i + 1) % 5 + 1, (i + 2) % 5 + 1, (i + 3) % 5 + 1 }' > "$TMP/rq15.csv"
head -200 "$TMP/rq15.csv" > "$TMP/rq15_small.csv"  # header + 199 rows
# The same with one bad answer (row 3): reported as an error row.
sed '4s/^P2,[0-9]/P2,x/' "$TMP/rq15.csv" > "$TMP/rq15_bad.csv"

"$BIN" score -i rq "$TMP/rq15.csv" -o "$TMP/out.csv" 2> "$TMP/err.txt"
code=$?
check "1..5 answers on the declared 1..7 -> exit 9" test "$code" -eq 9
check "scores are still written" test "$(wc -l < "$TMP/out.csv")" -eq 251
check "summary line says the scale is not confirmed" grep -q "^attune: 250 rows in: 250 scored, 0 reported as errors; response scale 1..7 not confirmed by the answers (see the warning)$" "$TMP/err.txt"
check "warning names the evidence" grep -q "^attune: warning: the answers do not look like the response scale 1..7: over 250 rows no item has an answer at 7 (its top); they run 1..5\. " "$TMP/err.txt"
check "warning names the fix" grep -q "add --response-scale 1..5 (reverse-keyed items are then scored as 6 - x, not 8 - x).*add --response-scale-confirmed\. (exit code 9)$" "$TMP/err.txt"

"$BIN" score -i rq "$TMP/rq15.csv" -o "$TMP/out_q.csv" -q 2> "$TMP/err_q.txt"
code=$?
check "--quiet: still exit 9" test "$code" -eq 9
check "--quiet: the warning still shows, the summary does not" test "$(grep -c '^attune: warning: ' "$TMP/err_q.txt")" -eq 1 -a "$(grep -c 'rows in' "$TMP/err_q.txt")" -eq 0

"$BIN" score -i rq "$TMP/rq15.csv" -o "$TMP/out_c.csv" --response-scale-confirmed 2> "$TMP/err_c.txt"
code=$?
check "--response-scale-confirmed -> exit 0" test "$code" -eq 0
check "--response-scale-confirmed: no warning" test "$(grep -c 'warning' "$TMP/err_c.txt")" -eq 0
check "--response-scale-confirmed: scores identical" cmp -s "$TMP/out.csv" "$TMP/out_c.csv"

"$BIN" score -i rq "$TMP/rq15.csv" -o "$TMP/out_5.csv" --response-scale 1..5 --reliability "$TMP/rel5.json" 2> "$TMP/err_5.txt"
code=$?
check "--response-scale 1..5 -> exit 0" test "$code" -eq 0
check "rescaling said once" test "$(grep -c "^attune: note: answers rescaled from 1..5 to the instrument's 1..7 for norms and classifiers" "$TMP/err_5.txt")" -eq 1
check "--reliability JSON: rescaled, checked, fits" /usr/bin/python3 -c "
import json, sys; r = json.load(open(sys.argv[1]))['response_scale']
assert r['declared'] == '1..5' and r['instrument'] == '1..7' and r['rescaled'] and r['checked'] and r['fits'], r
assert 'rescaled from 1..5' in r['rescale_note'], r" "$TMP/rel5.json"

"$BIN" score -i rq "$TMP/rq15.csv" -o "$TMP/out_r.csv" --reliability "$TMP/rel7.json" 2>/dev/null
check "--reliability JSON: the failed check with its evidence" /usr/bin/python3 -c "
import json, sys; r = json.load(open(sys.argv[1]))['response_scale']
assert r['checked'] and r['judged'] and not r['fits'] and r['observed'] == '1..5' and r['rows'] == 250, r
assert 'no item has an answer at 7' in r['warning'], r" "$TMP/rel7.json"

"$BIN" score -i rq "$TMP/rq15_small.csv" -o "$TMP/out_s.csv" 2> "$TMP/err_s.txt"
code=$?
check "199 rows: too few to judge -> exit 0, no warning" test "$code" -eq 0 -a "$(grep -c warning "$TMP/err_s.txt")" -eq 0

"$BIN" score -i rq "$TMP/rq15_bad.csv" -o "$TMP/out_b.csv" --errors "$TMP/rows_b.csv" 2> "$TMP/err_b.txt"
code=$?
check "rows reported and the scale unconfirmed -> exit 9 (before 1)" test "$code" -eq 9
check "the summary still counts the reported row" grep -q "250 rows in: 249 scored, 1 reported as errors" "$TMP/err_b.txt"

echo '{"secure": 5, "fearful": 1, "preoccupied": 2, "dismissing": 3}' > "$TMP/one.json"
"$BIN" score -i rq --json "$TMP/one.json" --response-scale 1..5 -o "$TMP/one_out.json"
check "one person JSON: the rescaling note" /usr/bin/python3 -c "
import json, sys; r = json.load(open(sys.argv[1]))['response_scale']
assert r['rescaled_to'] == {'min': 1, 'max': 7} and 'rescaled from 1..5' in r['note'], r" "$TMP/one_out.json"

"$BIN" reliability -i rq "$TMP/rq15.csv" -o "$TMP/rel_cmd.json" 2> "$TMP/err_rel.txt"
code=$?
check "attune reliability: exit 9 and the warning" test "$code" -eq 9 -a "$(grep -c '^attune: warning: the answers do not look like' "$TMP/err_rel.txt")" -eq 1
"$BIN" reliability -i rq "$TMP/rq15.csv" -o "$TMP/rel_cmd_c.json" --response-scale-confirmed 2>/dev/null
check "attune reliability --response-scale-confirmed: exit 0" test $? -eq 0

"$BIN" report -i rq "$TMP/rq15.csv" -o "$TMP/report.html" 2> "$TMP/err_rep.txt"
code=$?
check "attune report: exit 9" test "$code" -eq 9
check "attune report: the warning in the HTML, before the disclaimer" grep -q '<div class="note warn" id="response-scale"><b>The answers may not be on the declared response scale</b><p>the answers do not look like the response scale 1..7' "$TMP/report.html"
check "attune report: the summary line" grep -q "wrote $TMP/report.html; response scale 1..7 not confirmed by the answers (see the warning)$" "$TMP/err_rep.txt"
"$BIN" report -i rq "$TMP/rq15.csv" -o "$TMP/report_c.html" --response-scale-confirmed 2>/dev/null
check "attune report --response-scale-confirmed: exit 0, no warning in the HTML" test $? -eq 0 -a "$(grep -c 'id="response-scale"' "$TMP/report_c.html")" -eq 0

# The real ECR data (answers 1..5), skipped when absent.
REAL=$SRC/../shared/data/ecr-openpsychometrics/data.csv
if [ -f "$REAL" ]; then
  "$BIN" score -i ecr --map 'Q{n}' --missing 0 "$REAL" -o "$TMP/real.csv" 2> "$TMP/err_real.txt"
  code=$?
  check "real data without --response-scale -> exit 9" test "$code" -eq 9
  check "real data: the warning suggests 1..5" grep -q "over 51,227 rows no item has an answer at 7 (its top); they run 1..5\. If the data were collected on 1..5, add --response-scale 1..5" "$TMP/err_real.txt"
  "$BIN" score -i ecr --map 'Q{n}' --missing 0 --response-scale 1..5 "$REAL" -o "$TMP/real5.csv" 2> "$TMP/err_real5.txt"
  check "real data with --response-scale 1..5 -> exit 0" test $? -eq 0
  # attune audit with an ECR whose reverse keys are all gone: it must suggest exactly the ten.
  /usr/bin/python3 -c "
import json, sys; d = json.load(open(sys.argv[1]))
for s in d['scales']: s.pop('reverse', None)
d['id'] = 'ecr-nokeys'; json.dump(d, open(sys.argv[2], 'w'))" "$SRC/instruments/ecr.json" "$TMP/ecr-nokeys.json"
  "$BIN" audit -i "$TMP/ecr-nokeys.json" --map 'Q{n}' --missing 0 --response-scale 1..5 "$REAL" --format json -o "$TMP/audit.json" 2> "$TMP/err_audit.txt"
  check "audit: exit 0" test $? -eq 0
  check "audit: suggests exactly the ECR's reverse keys" /usr/bin/python3 -c "
import json, sys; a = json.load(open(sys.argv[1]))
got = sorted(int(i['id'][1:]) for s in a['scales'].values() for i in s['items'] if i['suggested_reverse'])
assert got == [3, 15, 19, 22, 25, 27, 29, 31, 33, 35], got
assert all(i['miskeyed'] == i['suggested_reverse'] and not i['reverse'] for s in a['scales'].values() for i in s['items'])
assert all(i['item_rest_r'] < 0 for s in a['scales'].values() for i in s['items'] if i['id'] == 'q22')" "$TMP/audit.json"
  check "audit: the summary counts the items" grep -q "10 item(s) look miskeyed" "$TMP/err_audit.txt"
else
  echo "skipped: shared real data absent"
fi

echo "$pass passed, $fail failed"
test "$fail" -eq 0
