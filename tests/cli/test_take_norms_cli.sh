#!/usr/bin/env bash
# End-to-end: `attune take` with the shipped norms. ECR answered on 1..5 (--response-scale 1..5, the
# scale the shipped set ecr-openpsychometrics-1to5 was made on) shows percentiles with the norm set
# named, in the group chosen by --norm-group; on 1..7, or for an instrument without norms, it says
# plainly that no percentile is shown and why, and never advises an option take does not have.
# Usage: test_take_norms_cli.sh ATTUNE_BINARY SOURCE_DIR
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
NORMS="$SRC/instruments/norms/ecr-openpsychometrics-1to5.json"

answers() {  # answers N VALUE: N lines of VALUE
  for _ in $(seq 1 "$1"); do echo "$2"; done
}
# The expected percentile, computed here with NumPy's linear interpolation over the set's table
# (independent of attune's lookup). Every ECR item answered 4 on 1..5, by hand:
#   avoidance: 9 of 18 items reversed (6 - 4 = 2): (9 x 4 + 9 x 2) / 18 = 3.0
#   anxiety:   1 of 18 reversed (q22):              (17 x 4 + 2) / 18 = 70/18 = 3.8889
expected() {  # expected CELL SCALE MEAN -> the percentile
  /usr/bin/python3 -c "
import json, sys, numpy as np
d = json.load(open(sys.argv[1]))
cell = next(c for c in d['cells'] if c['id'] == sys.argv[2])
t = np.array(cell['scales'][sys.argv[3]]['mean_score']['table'])
print(repr(float(np.interp(float(sys.argv[4]), t[:, 0], t[:, 1]))))" "$NORMS" "$@"
}
close_to() {  # close_to JSON PYTHON-PATH EXPECTED
  /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v=eval('d'+sys.argv[2]); sys.exit(0 if abs(v-float(sys.argv[3]))<1e-9 else 1)" "$@"
}

# --- 1..5: percentiles from the whole sample ------------------------------------------------------
answers 36 4 | "$BIN" take ecr --response-scale 1..5 --start 2025-03-01 > "$TMP/t15.txt" 2> "$TMP/t15.err"
check "take ecr 1..5: exit 0" test $? -eq 0
check "take ecr 1..5: asks on 1 to 5" grep -q '36 items, answers 1 to 5' "$TMP/t15.err"
check "take ecr 1..5: the ends and the middle keep their anchors" \
  bash -c "grep -q '^  1 = disagree strongly' '$TMP/t15.err' && grep -q '^  3 = neutral / mixed' '$TMP/t15.err' && grep -q '^  5 = agree strongly' '$TMP/t15.err' && ! grep -q '^  [24] = ' '$TMP/t15.err'"
pa=$(expected all anxiety 3.888888888888889)
pv=$(expected all avoidance 3.0)
printf -v pa0 '%.0f' "$pa"
printf -v pv0 '%.0f' "$pv"
check "take ecr 1..5: anxiety 3.89 at percentile $pa0" grep -q "^  Attachment-related anxiety    3.89  (18 of 18 items answered); percentile $pa0\$" "$TMP/t15.txt"
check "take ecr 1..5: avoidance 3.00 at percentile $pv0" grep -q "^  Attachment-related avoidance  3.00  (18 of 18 items answered); percentile $pv0\$" "$TMP/t15.txt"
check "take ecr 1..5: the norm set and its group named" grep -q 'norm sample ecr-openpsychometrics-1to5 (whole sample, N = 46610)' "$TMP/t15.txt"
check "take ecr 1..5: the source named" grep -q 'Source: Open Psychometrics (2018)' "$TMP/t15.txt"
check "take ecr 1..5: not a diagnosis" grep -q 'not a diagnosis' "$TMP/t15.txt"
check "take ecr 1..5: the confidence line does not say there are no norms" test "$(grep -c 'no norms for this questionnaire' "$TMP/t15.txt")" -eq 0
answers 36 4 | "$BIN" take ecr --response-scale 1..5 --format json -o "$TMP/t15.json" 2>/dev/null
check "take ecr 1..5 json: exit 0" test $? -eq 0
check "take ecr 1..5 json: anxiety percentile (NumPy)" close_to "$TMP/t15.json" "['result']['norms']['scales']['anxiety']['percentile']" "$pa"
check "take ecr 1..5 json: avoidance percentile (NumPy)" close_to "$TMP/t15.json" "['result']['norms']['scales']['avoidance']['percentile']" "$pv"
check "take ecr 1..5 json: norm source" grep -q '"norm_source": "ecr-openpsychometrics-1to5, whole sample (N = 46610)"' "$TMP/t15.json"
# take's JSON with its norms is still a saved result for plan and compare.
"$BIN" plan --json "$TMP/t15.json" > /dev/null 2>&1
check "take ecr 1..5 json: accepted by plan" test $? -eq 0
answers 36 3 | "$BIN" take ecr --response-scale 1..5 --format json -o "$TMP/t15b.json" 2>/dev/null
"$BIN" compare "$TMP/t15.json" "$TMP/t15b.json" --format json > "$TMP/cmp.json" 2>/dev/null
check "take ecr 1..5 json: accepted by compare" test $? -eq 0

# --- --norm-group: the gender x age group ---------------------------------------------------------
answers 36 4 | "$BIN" take ecr --response-scale 1..5 --norm-group gender=female,age=30 --format json -o "$TMP/tf.json" 2>/dev/null
check "take --norm-group: exit 0" test $? -eq 0
check "take --norm-group: anxiety in female 25-34 (NumPy)" close_to "$TMP/tf.json" "['result']['norms']['scales']['anxiety']['percentile']" "$(expected female-25-34 anxiety 3.888888888888889)"
check "take --norm-group: the cell" close_to "$TMP/tf.json" "['result']['norms']['cell']['n']" \
  "$(/usr/bin/python3 -c "import json,sys; print(next(c['n'] for c in json.load(open(sys.argv[1]))['cells'] if c['id']=='female-25-34'))" "$NORMS")"
answers 36 4 | "$BIN" take ecr --response-scale 1..5 --norm-group age=30 > "$TMP/tp.txt" 2>/dev/null
check "take --norm-group age only: the whole sample, said so" grep -q 'whole sample, N = 46610; the gender and age given fit none' "$TMP/tp.txt"
"$BIN" take ecr --response-scale 1..5 --norm-group colour=blue < /dev/null > /dev/null 2> "$TMP/bad.err"
check "take --norm-group unknown key: exit 2 before any item" test $? -eq 2

# --- no norms apply: said plainly, with no advice take cannot follow ------------------------------
answers 36 4 | "$BIN" take ecr > "$TMP/t17.txt" 2>/dev/null
check "take ecr 1..7: exit 0" test $? -eq 0
check "take ecr 1..7: no percentile, and why" grep -q 'No percentile is shown: the norms attune has for .* were made on answers from 1 to 5, and these answers were on 1 to 7' "$TMP/t17.txt"
check "take ecr 1..7: no percentile on the score lines" test "$(grep -c 'percentile [0-9]' "$TMP/t17.txt")" -eq 0
answers 36 4 | "$BIN" take ecr-r > "$TMP/tr.txt" 2>/dev/null
check "take ecr-r: no norms, said plainly" grep -q 'No percentile is shown: attune has no norms for ' "$TMP/tr.txt"
check "take: no advice of options take lacks" test "$(cat "$TMP/t17.txt" "$TMP/tr.txt" | grep -c -e '--norms' -e '--norm-set' -e '--convert-response-scale')" -eq 0
"$BIN" take ecr --norm-group gender=female < /dev/null > /dev/null 2> "$TMP/g17.err"
check "take ecr 1..7 --norm-group: exit 2 before any item" test $? -eq 2
check "take ecr 1..7 --norm-group: says why" grep -q 'no norms apply here' "$TMP/g17.err"
"$BIN" take ecr-r --norm-group gender=female < /dev/null > /dev/null 2>&1
check "take ecr-r --norm-group: exit 2" test $? -eq 2
"$BIN" take ecr --adaptive --response-scale 1..5 < /dev/null > /dev/null 2>&1
check "take --adaptive --response-scale: exit 2" test $? -eq 2
echo 6 | "$BIN" take ecr --response-scale 1..5 > /dev/null 2>&1
check "take ecr 1..5: 6 is not an answer -> exit 4" test $? -eq 4

# --- how sure: each area's probability from the calibration named by the norm set ----------------
# The expected percentages come from tools/irt/classification_reference.py (NumPy/SciPy, written from
# the papers, not from attune): tests/reference/irt/ecr_classification.json, "people" (answers to
# q1..q36 on 1..5 and the four quadrant probabilities at the midpoint cuts), rounded as take shows them.
REF="$SRC/tests/reference/irt/ecr_classification.json"
for k in 0 1 2; do
  /usr/bin/python3 -c "import json,sys; print('\n'.join(str(a) for a in json.load(open(sys.argv[1]))['people'][int(sys.argv[2])]['answers']))" "$REF" "$k" |
    "$BIN" take ecr --response-scale 1..5 > "$TMP/sure$k.txt" 2>/dev/null
  want=$(/usr/bin/python3 -c "
import json, sys
q = json.load(open(sys.argv[1]))['people'][int(sys.argv[2])]['quadrants']
pc = lambda p: 'under 1%' if p < 0.005 else '%.0f%%' % (100 * p)
print('secure %s, anxious %s, avoidant %s, fearful-avoidant %s' % tuple(pc(q[c]) for c in ('secure', 'anxious', 'avoidant', 'fearful')))" "$REF" "$k")
  check "take ecr 1..5: how sure, person $k of the NumPy reference ($want)" grep -q "each area of the map is $want (" "$TMP/sure$k.txt"
done
check "take ecr 1..5: how sure says the lines are attune's convention" grep -q "^How sure: .*attune's own convention, not a published rule" "$TMP/sure0.txt"
answers 36 4 | "$BIN" take ecr > "$TMP/sure17.txt" 2>/dev/null
check "take ecr 1..7 (no norms): how sure is not worked out, said plainly" grep -q '^How sure: not worked out: there are no norms for this questionnaire' "$TMP/sure17.txt"
check "take ecr: no option names or library wording in the profile" test "$(sed -n '/^Profile/,/^Your plan/p' "$TMP/sure17.txt" "$TMP/sure0.txt" | grep -c -E -- ' --[a-z]|unit = half|not computed')" -eq 0

echo "take_norms: $pass passed, $fail failed"
test "$fail" -eq 0
