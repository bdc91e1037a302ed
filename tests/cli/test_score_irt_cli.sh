#!/usr/bin/env bash
# End-to-end: `attune score FILE --irt` adds <scale>_theta and <scale>_theta_se per calibrated scale to
# CSV, JSON Lines and .sav output; the values equal the NumPy reference (tools/irt/grm_reference.py's
# EAP over the shipped calibration's parameters) and the one-person path (score --json --irt); rows
# that could not be scored and scales a row answered none of stay empty; the same refusals as one person.
# Usage: test_score_irt_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
CAL=ecr-openpsychometrics-1to5

# 200 rows on 1..5, about 10 % of answers missing; row 7 answers no anxiety item, row 12 has a 9 (an error).
/usr/bin/python3 - "$TMP/data.csv" <<'EOF'
import random, sys
random.seed(20)
with open(sys.argv[1], "w") as f:
    f.write("id," + ",".join("q%d" % i for i in range(1, 37)) + "\n")
    for r in range(1, 201):
        lean = random.choice([-1, 0, 1])
        row = []
        for i in range(1, 37):
            v = min(5, max(1, random.randint(1, 5) + (lean if i % 2 else -lean)))
            row.append("" if random.random() < 0.1 else str(v))
        if r == 7:
            row = [("" if i % 2 == 0 else x) for i, x in enumerate(row, 1)]  # the even items are anxiety
        if r == 12:
            row[3] = "9"
        f.write("p%d," % r + ",".join(row) + "\n")
EOF

"$BIN" score -i ecr --response-scale 1..5 --irt $CAL --decimals 9 "$TMP/data.csv" -o "$TMP/out.csv" --errors "$TMP/err.csv" 2> "$TMP/stderr.txt"
check "file --irt: exit 1 (one row reported)" test $? -eq 1
check "file --irt: the columns after the profile, before notes" sh -c "head -1 '$TMP/out.csv' | grep -q ',method,avoidance_theta,avoidance_theta_se,anxiety_theta,anxiety_theta_se,notes$'"
check "file --irt: theta and SE equal the NumPy reference EAP on the shipped calibration (1e-6)" /usr/bin/python3 -c "
import csv, json, math, sys
sys.path.insert(0, '$SRC/tools/irt')
import numpy as np, grm_reference as ref
cal = json.load(open('$SRC/instruments/calibrations/$CAL.json'))
rows = {r['id']: r for r in csv.DictReader(open('$TMP/data.csv'))}
n = 0
for out in csv.DictReader(open('$TMP/out.csv')):
    raw = rows[out['id']]
    for scale, s in cal['scales'].items():
        t, se = out[scale + '_theta'], out[scale + '_theta_se']
        vals = [raw[it['id']] for it in s['items']]
        if out['id'] == 'p12' or all(v == '' for v in vals):
            assert t == '' and se == '', (out['id'], scale, t, se)
            continue
        ref.REVERSED = [it['reversed'] for it in s['items']]
        rt, rse = ref.eap([(it['a'], np.array(it['b'])) for it in s['items']], [np.nan if v == '' else float(v) for v in vals])
        assert abs(float(t) - rt) < 1e-6 and abs(float(se) - rse) < 1e-6, (out['id'], scale, t, se, rt, rse)
        n += 1
assert n == 2 * 199 - 1, n
"

# The one-person path on the same answers gives the same numbers.
/usr/bin/python3 -c "
import csv, json
for r in csv.DictReader(open('$TMP/data.csv')):
    if r['id'] in ('p1', 'p2', 'p3', 'p50', 'p199'):
        json.dump({k: (None if v == '' else int(v)) for k, v in r.items() if k != 'id'}, open('$TMP/' + r['id'] + '.json', 'w'))"
for p in p1 p2 p3 p50 p199; do
  "$BIN" score -i ecr --response-scale 1..5 --json "$TMP/$p.json" --irt $CAL > "$TMP/$p.out.json" 2> /dev/null
done
check "file --irt: the same theta and SE as one person (score --json --irt)" /usr/bin/python3 -c "
import csv, json
out = {r['id']: r for r in csv.DictReader(open('$TMP/out.csv'))}
for p in ('p1', 'p2', 'p3', 'p50', 'p199'):
    one = json.load(open('$TMP/' + p + '.out.json'))['irt']
    for k in ('avoidance_theta', 'avoidance_theta_se', 'anxiety_theta', 'anxiety_theta_se'):
        assert abs(float(out[p][k]) - one[k]) < 1e-8, (p, k, out[p][k], one[k])
"

"$BIN" score -i ecr --response-scale 1..5 --irt $CAL --decimals 9 --format jsonl "$TMP/data.csv" -o "$TMP/out.jsonl" 2> /dev/null
check "JSON Lines --irt: the same numbers as the CSV, null where empty" /usr/bin/python3 -c "
import csv, json
a = list(csv.DictReader(open('$TMP/out.csv'))); b = [json.loads(l) for l in open('$TMP/out.jsonl')]
assert len(a) == len(b) == 200
for x, y in zip(a, b):
    for k in ('avoidance_theta', 'avoidance_theta_se', 'anxiety_theta', 'anxiety_theta_se'):
        assert (x[k] == '' and y[k] is None) or float(x[k]) == y[k], (x['id'], k)
assert b[11]['anxiety_theta'] is None and b[6]['anxiety_theta'] is None and b[6]['avoidance_theta'] is not None
"

"$BIN" score -i ecr --response-scale 1..5 --irt $CAL "$TMP/data.csv" -o "$TMP/out.sav" 2> /dev/null
check ".sav --irt: exit 1 (one row reported)" test $? -eq 1
check ".sav --irt: theta variables with their labels" /usr/bin/python3 -c "
b = open('$TMP/out.sav', 'rb').read()
assert b'anxiety_theta_se' in b and b'anxiety: theta, posterior mean (EAP)' in b and b'anxiety: standard error of theta' in b"

"$BIN" score -i ecr --response-scale 1..5 --irt $CAL --irt-map --decimals 9 "$TMP/data.csv" -o "$TMP/map.csv" 2> /dev/null
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/p50.json" --irt $CAL --irt-map > "$TMP/p50.map.json" 2> /dev/null
check "--irt-map on a file: the one-person MAP" /usr/bin/python3 -c "
import csv, json
r = [x for x in csv.DictReader(open('$TMP/map.csv')) if x['id'] == 'p50'][0]
one = json.load(open('$TMP/p50.map.json'))['irt']
e = [x for x in csv.DictReader(open('$TMP/out.csv')) if x['id'] == 'p50'][0]
assert abs(float(r['anxiety_theta']) - one['anxiety_theta']) < 1e-8 and abs(float(r['anxiety_theta_se']) - one['anxiety_theta_se']) < 1e-8
assert r['anxiety_theta'] != e['anxiety_theta']"

"$BIN" score -i ecr --response-scale 1..5 --decimals 9 "$TMP/data.csv" -o "$TMP/plain.csv" 2> /dev/null
check "without --irt: no theta columns, the rest identical" /usr/bin/python3 -c "
import csv
a = list(csv.DictReader(open('$TMP/plain.csv'))); b = list(csv.DictReader(open('$TMP/out.csv')))
assert not any('theta' in k for k in a[0]) and len(a) == len(b) == 200
assert all(x == {k: y[k] for k in x} for x, y in zip(a, b))
"

# With --quality the scoring reading takes its rows from the first reading's memory (ParsedRows):
# the same theta columns.
"$BIN" score -i ecr --response-scale 1..5 --irt $CAL --decimals 9 --quality "$TMP/data.csv" -o "$TMP/quality.csv" 2> /dev/null
check "--irt with --quality (rows kept from the first reading): the same theta and SE" /usr/bin/python3 -c "
import csv
a = list(csv.DictReader(open('$TMP/out.csv'))); b = list(csv.DictReader(open('$TMP/quality.csv')))
ks = ('avoidance_theta', 'avoidance_theta_se', 'anxiety_theta', 'anxiety_theta_se')
assert len(a) == len(b) == 200 and all(x[k] == y[k] for x, y in zip(a, b) for k in ks) and 'quality_flags' in b[0]
"

# Refusals, as for one person: answers on 1..7 with the 1..5 calibration; another instrument's calibration.
"$BIN" score -i ecr --irt $CAL "$TMP/data.csv" -o "$TMP/x.csv" 2> "$TMP/scale.err"
check "file --irt: 1..7 answers with the 1..5 calibration refused, usage exit 2" test $? -eq 2
check "file --irt: the refusal names both scales" grep -q 'answers from 1 to 5, but these answers are on 1..7' "$TMP/scale.err"
check "file --irt: nothing written on a refusal" test ! -e "$TMP/x.csv"
"$BIN" score -i ecr-r --response-scale 1..5 --irt $CAL "$TMP/data.csv" -o "$TMP/y.csv" 2> "$TMP/ins.err"
check "file --irt: another instrument's calibration, usage exit 2" test $? -eq 2
check "file --irt: the refusal names the instrument" grep -q "the calibration is for instrument 'ecr'" "$TMP/ins.err"

echo "score --irt (files) CLI: $pass passed, $fail failed"
test "$fail" -eq 0
