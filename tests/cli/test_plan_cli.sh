#!/usr/bin/env bash
# End-to-end: `attune plan` (answers, a saved result, stdin, .ics), `attune take` driven by piped
# input (answers, back, skip, quit, invalid answers and early end of input, with their exit codes),
# and `attune score --plan-columns` checked row by row against `attune plan`.
# Usage: test_plan_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
ONE=$SRC/examples/data/ecr-r-one.json
PACK=$SRC/examples/text-packs/ecr-r.example.json
answers() {  # answers N VALUE: N lines of VALUE
  for _ in $(seq 1 "$1"); do echo "$2"; done
}

# --- plan ---------------------------------------------------------------------------------------
"$BIN" plan -i ecr-r --json "$ONE" --start 2025-03-01 --format json -o "$TMP/plan.json" --ics "$TMP/plan.ics"
check "plan exit 0" test $? -eq 0
check "plan JSON has focus, more_help null, disclaimer" /usr/bin/python3 -c "
import json,sys; j=json.load(open('$TMP/plan.json'))
assert j['focus'] and all(k in j['focus'][0] for k in ('id','title','why','source'))
assert j['more_help'] is None and 'not a diagnosis' in j['disclaimer']
assert len(j['schedule']['days'])==30 and j['schedule']['days'][29]['date']=='2025-03-30'"
check "ics has 30 days and the retake reminder" test "$(grep -c '^BEGIN:VEVENT' "$TMP/plan.ics")" -eq 31
check "ics lines end in CRLF" test "$(grep -c $'\r$' "$TMP/plan.ics")" -eq "$(wc -l < "$TMP/plan.ics")"

# A saved result from `attune score --json`, piped: the same plan as from the answers.
"$BIN" score -i ecr-r --json "$ONE" | "$BIN" plan --json - --start 2025-03-01 --format json -o "$TMP/plan2.json"
check "plan from a saved result, exit 0" test $? -eq 0
check "same focus from a saved result" test "$(/usr/bin/python3 -c "import json;print([f['id'] for f in json.load(open('$TMP/plan.json'))['focus']])")" = \
  "$(/usr/bin/python3 -c "import json;print([f['id'] for f in json.load(open('$TMP/plan2.json'))['focus']])")"
"$BIN" plan --json "$ONE" > /dev/null 2> "$TMP/err.txt"
check "answers without --instrument: usage exit 2" test $? -eq 2
"$BIN" plan -i ecr-r --json "$ONE" --start 2025-02-30 > /dev/null 2>&1
check "an impossible start date: usage exit 2" test $? -eq 2
"$BIN" plan -i ecr-r --json "$ONE" --format md --stage parenting --parent > "$TMP/plan.md"
check "markdown plan" grep -q '^## Where to start' "$TMP/plan.md"
check "parenting habits shown for a parent" grep -q 'habits that help children' "$TMP/plan.md"

# --- take ---------------------------------------------------------------------------------------
# 36 answers of 7: anxiety 6.33 (reversed items 9 and 11 count as 1), above the care point 5.5.
answers 36 7 | "$BIN" take ecr-r --start 2025-03-01 > "$TMP/take.txt" 2> "$TMP/take.err"
check "take exit 0" test $? -eq 0
check "take shows scores by their labels" grep -q '^  Attachment-related anxiety    6.33  (18 of 18 items answered)' "$TMP/take.txt"
printf '5\n3\n2\n6\n' | "$BIN" take rq > "$TMP/take-rq.txt" 2>/dev/null
check "take rq: labels, not internal ids" grep -q '^  Model of self (S + D) - (P + F)  ' "$TMP/take-rq.txt"
check "take rq: no internal id shown" test "$(grep -c 'model_of_self' "$TMP/take-rq.txt")" -eq 0
# take --save: the answers are kept as they are given; the same command goes on where input stopped,
# and the file is answers JSON that `attune score --json` reads. Ten answers of 4 and a skip, input
# ends (exit 4); then 25 more: anxiety = items 1-18 with q11 skipped -> 17 answers of 4 (q9 is
# reverse-keyed: 8 - 4 = 4) = 4.
{ answers 10 4; echo s; } | "$BIN" take ecr-r --save "$TMP/saved.json" > /dev/null 2>&1
check "take --save: input ends early -> exit 4" test $? -eq 4
check "take --save: 11 items kept, the skip as null" /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d)==11 and d['q11'] is None and d['q10']==4 else 1)" "$TMP/saved.json"
answers 25 4 | "$BIN" take ecr-r --save "$TMP/saved.json" --format json -o "$TMP/resumed.json" 2> "$TMP/resumed.err"
check "take --save again -> exit 0" test $? -eq 0
check "take --save again: goes on from item 12" grep -q "11 of 36 items already asked" "$TMP/resumed.err"
check "take --save: the resumed result (anxiety 4 from 17 answers)" /usr/bin/python3 -c "import json,sys; s={x['id']:x for x in json.load(open(sys.argv[1]))['result']['scales']}; sys.exit(0 if s['anxiety']['answered']==17 and abs(s['anxiety']['raw']-4)<1e-12 and s['avoidance']['answered']==18 else 1)" "$TMP/resumed.json"
"$BIN" score -i ecr-r --json "$TMP/saved.json" -o "$TMP/saved-scored.json" 2>/dev/null
check "take --save: the file is answers JSON for score --json" grep -q '"answered": 17' "$TMP/saved-scored.json"

# take's JSON is accepted by `attune plan` as it is (its "result" is a saved result).
answers 36 4 | "$BIN" take ecr-r --format json -o "$TMP/take.json" 2>/dev/null
"$BIN" plan --json "$TMP/take.json" --format json -o "$TMP/plan-from-take.json" 2> "$TMP/plan-from-take.err"
check "plan --json take's output -> exit 0" test $? -eq 0
check "plan from take's output: the same plan take wrote" /usr/bin/python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['plan']; b=json.load(open(sys.argv[2])); sys.exit(0 if a['focus']==b['focus'] and a['headline']==b['headline'] else 1)" "$TMP/take.json" "$TMP/plan-from-take.json"
check "take shows how sure the pattern is" grep -q '^How sure:' "$TMP/take.txt"
check "take gives no advice for options it does not have" test "$(grep -c -- '--norms' "$TMP/take.txt")" -eq 0
check "take shows the plan" grep -q '^Where to start' "$TMP/take.txt"
check "care plan leads with support" test "$(grep -n 'You deserve support with this' "$TMP/take.txt" | cut -d: -f1)" -lt "$(grep -n '^Where to start' "$TMP/take.txt" | cut -d: -f1)"
check "take says not a diagnosis" grep -q 'not a diagnosis' "$TMP/take.txt"
check "no pack: notice on stderr" grep -q 'no text pack given' "$TMP/take.err"
check "no pack: our labels" grep -q "anticipated loss of a partner's love" "$TMP/take.err"

# With the fake pack: its wording, and no notice. b goes back, s skips.
{ echo 4; echo b; echo 5; echo s; answers 34 4; } | "$BIN" take ecr-r --text-pack "$PACK" --format json > "$TMP/take.json" 2> "$TMP/take2.err"
check "take with pack exit 0" test $? -eq 0
check "pack wording shown" grep -q 'Example statement 36' "$TMP/take2.err"
check "no notice with a pack" test "$(grep -c 'no text pack given' "$TMP/take2.err")" -eq 0
check "back re-asks item 1, skip leaves q2 missing" /usr/bin/python3 -c "
import json; j=json.load(open('$TMP/take.json')); a=[s for s in j['result']['scales'] if s['id']=='anxiety'][0]
# q1 = 5 (answered 4, back, 5), q2 skipped, q3..q18 = 4 with q9, q11 reversed (8-4 = 4): (5 + 16*4)/17
assert a['answered']==17, a; assert abs(a['raw']-(5+16*4)/17)<1e-9, a
assert 'plan' in j and j['plan']['disclaimer']"

printf '4\n9\n' | "$BIN" take ecr-r > /dev/null 2> "$TMP/bad.err"
check "invalid piped answer: exit 4" test $? -eq 4
check "invalid answer named with line and item" grep -q "line 2, item q2, value '9'" "$TMP/bad.err"
printf '4\nq\n' | "$BIN" take ecr-r > "$TMP/q.txt" 2>/dev/null
check "quit: exit 8, nothing printed" test $? -eq 8 -a ! -s "$TMP/q.txt"
printf '4\n4\n' | "$BIN" take ecr-r > /dev/null 2> "$TMP/eof.err"
check "input ends early: exit 4" test $? -eq 4
check "early end explained" grep -q 'input ended after 2 of 36 items' "$TMP/eof.err"
echo '{"format": "attune-text-pack/1", "instrument": "ecr-r", "lang": "en", "anchors": {}, "items": {}}' > "$TMP/badpack.json"
answers 36 4 | "$BIN" take ecr-r --text-pack "$TMP/badpack.json" > /dev/null 2> "$TMP/pack.err"
check "bad text pack: exit 6" test $? -eq 6
check "bad text pack error names the path" grep -q 'at /anchors' "$TMP/pack.err"

# --- score --plan-columns -------------------------------------------------------------------------
# Each row's columns must equal the focus of `attune plan` for the same answers and context. Rows:
# all 7s (care), all 4s, the example person, mostly unanswered, a mix of levels, one bad answer.
/usr/bin/python3 - "$ONE" > "$TMP/many.csv" <<'PY'
import json, sys
one = json.load(open(sys.argv[1]))
rows = [["7"] * 36, ["4"] * 36, ["" if one["q%d" % i] is None else str(one["q%d" % i]) for i in range(1, 37)],
        ["5"] + [""] * 35, [str(1 + (i * 5) % 7) for i in range(36)], ["4"] * 35 + ["9"]]
print(",".join(["id"] + ["q%d" % i for i in range(1, 37)]))
for k, r in enumerate(rows):
    print(",".join(["p%d" % (k + 1)] + r))
PY
"$BIN" score -i ecr-r "$TMP/many.csv" --plan-columns 3 --stage dating -o "$TMP/cols.csv" 2> "$TMP/cols.err"
check "plan columns: exit 1 (one row reported)" test $? -eq 1
check "plan columns: 6 rows in, 5 scored, 1 reported" grep -q '6 rows in: 5 scored, 1 reported' "$TMP/cols.err"
/usr/bin/python3 - "$TMP/many.csv" "$TMP/cols.csv" > "$TMP/answers.list" <<'PY'
import csv, json, sys
src = list(csv.DictReader(open(sys.argv[1])))
for k, row in enumerate(src[:-1]):
    ans = {q: (int(v) if v else None) for q, v in row.items() if q != "id"}
    path = "%s.p%d.json" % (sys.argv[2], k + 1)
    json.dump(ans, open(path, "w"))
    print(path)
PY
while read -r f; do
  "$BIN" plan -i ecr-r --json "$f" --stage dating --format json -o "$f.plan"
done < "$TMP/answers.list"
check "plan columns equal 'attune plan' row by row; the bad row's plan cells are empty" /usr/bin/python3 -c "
import csv, json
rows = list(csv.DictReader(open('$TMP/cols.csv')))
assert list(rows[0].keys())[-6:] == ['plan_mode', 'plan_more_help', 'plan_1', 'plan_2', 'plan_3', 'notes'], list(rows[0].keys())
modes = set()
for k, row in enumerate(rows[:-1]):
    p = json.load(open('$TMP/cols.csv.p%d.json.plan' % (k + 1)))
    ids = [f['id'] for f in p['focus']][:3]
    assert [row['plan_1'], row['plan_2'], row['plan_3']] == ids, (k, row, ids)
    assert row['plan_more_help'] == ('1' if p['more_help'] is not None else '0'), (k, row)
    assert row['plan_mode'] == p['profile']['mode'], (k, row)
    modes.add(row['plan_mode'] + row['plan_more_help'])
assert rows[0]['plan_more_help'] == '1'                      # all 7s: anxiety 6.33 >= 5.5
assert {'unavailable0', 'pattern1'} <= modes, modes
bad = rows[-1]
assert bad['id'] == 'p6' and bad['notes'].startswith('error:')
assert all(bad[c] == '' for c in ('plan_mode', 'plan_more_help', 'plan_1', 'plan_2', 'plan_3')), bad
"
"$BIN" score -i ecr-r "$TMP/many.csv" --plan-columns 2 --format jsonl --threads 2 -q -o "$TMP/cols.jsonl" 2> /dev/null
check "plan columns in JSON Lines: a number for more help, null on the error row" /usr/bin/python3 -c "
import json
rows = [json.loads(l) for l in open('$TMP/cols.jsonl')]
assert len(rows) == 6 and rows[0]['plan_more_help'] == 1 and rows[1]['plan_more_help'] == 0, rows[:2]
assert isinstance(rows[0]['plan_1'], str) and 'plan_3' not in rows[0]
assert rows[5]['plan_mode'] is None and rows[5]['plan_more_help'] is None and rows[5]['plan_1'] is None"
"$BIN" score -i ecr-r "$TMP/many.csv" --stage dating > /dev/null 2> "$TMP/ctx.err"
check "--stage without --plan-columns: usage exit 2" test $? -eq 2
"$BIN" score -i ecr-r "$TMP/many.csv" --plan-columns 6 > /dev/null 2> "$TMP/six.err"
check "--plan-columns beyond the plan's 5 steps: usage exit 2, nothing written" test $? -eq 2
check "the limit is named" grep -q '1 to 5 focus steps' "$TMP/six.err"

echo "plan/take CLI: $pass passed, $fail failed"
test "$fail" -eq 0
