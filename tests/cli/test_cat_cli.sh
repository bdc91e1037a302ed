#!/usr/bin/env bash
# End-to-end: `attune cat simulate` and `attune take --adaptive` against the NumPy reference's
# adaptive-test sequences (tools/irt/cat_reference.py -> tests/reference/cat_sequences.json): its nine
# answer vectors as a data file, the summary computed from the reference's own items, thetas and
# full-length thetas; the piped adaptive take asking the reference's items in order; the refusals.
# Usage: test_cat_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
FIX=$SRC/tests/reference/cat_sequences.json
CAL=$SRC/instruments/calibrations/ecr-openpsychometrics-1to5.json

/usr/bin/python3 - "$FIX" "$TMP/data.csv" <<'PY'
import json, sys
cases = json.load(open(sys.argv[1]))["cases"]
seen, rows = set(), []
for c in cases:
    name = c["name"].split(" / ")[0]
    if name in seen:
        continue
    seen.add(name)
    rows.append(",".join(str(c["answers"]["q%d" % q] or 0) for q in range(1, 37)))
open(sys.argv[2], "w").write(",".join("Q%d" % q for q in range(1, 37)) + "\n" + "\n".join(rows) + "\n")
PY

# The summary the reference's cases imply for one rule set (a row's skipped items count as asked).
expect() {  # expect RULESET_NAME REPORT.json
  /usr/bin/python3 - "$FIX" "$1" "$2" <<'PY'
import json, math, sys
cases = [c for c in json.load(open(sys.argv[1]))["cases"] if c["name"].split(" / ")[1] == sys.argv[2]]
got = json.load(open(sys.argv[3]))
assert got["rows"] == len(cases) == 9, got["rows"]
def near(a, b, what):
    assert abs(a - b) < 1e-6, (what, a, b)
for sid in ("avoidance", "anxiety"):
    asked = sorted(c["scales"][sid]["asked"] for c in cases)
    x = [c["scales"][sid]["theta"] for c in cases]
    y = [c["full_theta"][sid] for c in cases]
    n = len(x); mx = sum(x) / n; my = sum(y) / n
    r = sum((a - mx) * (b - my) for a, b in zip(x, y)) / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y))
    s = got["scales"][sid]
    near(s["mean_items"], sum(asked) / n, sid + " mean items")
    near(s["median_items"], asked[n // 2], sid + " median items")
    near(s["share_reached_se"], sum(c["scales"][sid]["se"] < c["rules"]["se_target"] for c in cases) / n, sid + " reached")
    near(s["r_full"], r, sid + " r")
    near(s["rmse"], math.sqrt(sum((a - b) ** 2 for a, b in zip(x, y)) / n), sid + " rmse")
same = sum(all((c["scales"][s]["theta"] >= 0) == (c["full_theta"][s] >= 0) for s in ("avoidance", "anxiety")) for c in cases)
near(got["category_agreement"], same / 9, "category agreement")
PY
}

SIM=(cat simulate --calibration "$CAL" -i ecr --map 'Q{n}' --missing 0 --response-scale 1..5)
"$BIN" "${SIM[@]}" --format json "$TMP/data.csv" > "$TMP/promis.json"
check "simulate exit 0" test $? -eq 0
check "simulate: the preset's summary is the reference's" expect promis "$TMP/promis.json"
"$BIN" "${SIM[@]}" --format json --randomesque 3 --seed 42 "$TMP/data.csv" > "$TMP/rand.json"
check "simulate: randomesque 3, seed 42 as the reference" expect "randomesque 3 seed 42" "$TMP/rand.json"
"$BIN" "${SIM[@]}" --format json --se-target 0.25 --max-items 18 --min-se-change 0.02 "$TMP/data.csv" > "$TMP/change.json"
check "simulate: SE target, max items and SE change reach the engine" expect "se 0.25, se change 0.02, max 18" "$TMP/change.json"
"$BIN" "${SIM[@]}" "$TMP/data.csv" > "$TMP/text.txt"
check "simulate: text table" grep -q '^avoidance .* 0\.' "$TMP/text.txt"
"$BIN" "${SIM[@]}" --max-items 2 "$TMP/data.csv" > /dev/null 2> "$TMP/err.txt"
check "max items below min items: exit 2" test $? -eq 2
check "the refusal names the rule" grep -q "max_items" "$TMP/err.txt"
"$BIN" cat simulate --calibration "$CAL" -i ecr --map 'Q{n}' --missing 0 "$TMP/data.csv" > /dev/null 2>&1
check "answers on 1..7 with a 1..5 calibration: exit 2" test $? -eq 2
"$BIN" cat simulate --calibration "$CAL" -i ecr-r --map 'Q{n}' --missing 0 --response-scale 1..5 "$TMP/data.csv" > /dev/null 2>&1
check "a calibration of another instrument: exit 2" test $? -eq 2

# take --adaptive, piped: the reference's answers in the order its CAT asks for them.
answers_for() {  # answers_for CASE_INDEX -> one answer per line (s = skipped)
  /usr/bin/python3 -c "
import json; c = json.load(open('$FIX'))['cases'][$1]
print('\n'.join('s' if c['answers'][i] is None else str(c['answers'][i]) for i in c['items']))"
}
theta_is() {  # theta_is CASE_INDEX OUTPUT.json
  /usr/bin/python3 -c "
import json; c = json.load(open('$FIX'))['cases'][$1]; o = json.load(open('$2'))['adaptive']
assert [a['item'] for a in o['answers']] == c['items'], o['answers']
assert o['reason'] == c['reason']
for s, ref in c['scales'].items():
    assert abs(o['scales'][s]['theta'] - ref['theta']) < 1e-6 and abs(o['scales'][s]['theta_se'] - ref['se']) < 1e-6, s"
}
answers_for 40 | "$BIN" take ecr --adaptive --calibration "$CAL" --format json > "$TMP/take.json" 2> "$TMP/take_err.txt"
check "take --adaptive exit 0" test $? -eq 0
check "take --adaptive asks the reference's items, skips included, same theta" theta_is 40 "$TMP/take.json"
check "take --adaptive says the answers are on the bank's 1..5 scale" grep -q "Answers go from 1 to 5 here" "$TMP/take_err.txt"
{ echo 5; echo b; answers_for 0; } | "$BIN" take ecr --adaptive --format json > "$TMP/back.json" 2> /dev/null
check "b drops the last answer (default bank for ecr)" theta_is 0 "$TMP/back.json"
answers_for 0 | "$BIN" take ecr --adaptive > "$TMP/take.txt" 2> /dev/null
check "take --adaptive text: theta, SE and the disclaimer" grep -q "not a diagnosis" "$TMP/take.txt"
check "take --adaptive text: the scales' labels" grep -q "Attachment-related anxiety: theta" "$TMP/take.txt"
printf '3\nq\n' | "$BIN" take ecr --adaptive > /dev/null 2>&1
check "q quits: exit 8" test $? -eq 8
printf '3\n9\n' | "$BIN" take ecr --adaptive > /dev/null 2>&1
check "an answer off the bank's scale: exit 4" test $? -eq 4
"$BIN" take ecr-r --adaptive < /dev/null > /dev/null 2>&1
check "no bank for ecr-r: exit 2" test $? -eq 2
"$BIN" take ecr --adaptive --save "$TMP/s.json" < /dev/null > /dev/null 2>&1
check "--save with --adaptive: exit 2" test $? -eq 2
echo "cat CLI: $pass passed, $fail failed"
test "$fail" -eq 0
