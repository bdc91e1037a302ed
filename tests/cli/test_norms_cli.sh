#!/usr/bin/env bash
# End-to-end: norms for one person (`score --json`: the shipped ECR norm set, --norm-group, --norm-set,
# refusals on another response scale, --convert-response-scale linear) and the irt member's theta
# percentiles and quadrant probabilities. Expected values come from Python reading the shipped
# tables and from the NumPy reference code (tools/irt/), not from attune.
# Usage: test_norms_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
NORMS=$SRC/instruments/norms/ecr-openpsychometrics-1to5.json
PY=/usr/bin/python3

# Answers on 1..5 (q7 not answered) and on 1..7.
$PY -c "import json; print(json.dumps({'q%d'%i: (5 if i%2==0 else 2) for i in range(1,37)} | {'q7': None}))" > "$TMP/one.json"
$PY -c "import json; print(json.dumps({'q%d'%i: (6 if i%2==0 else 3) for i in range(1,37)}))" > "$TMP/one7.json"

# expect_scores RESULT CELL SCALE_FROM SCALE_TO: each scale's mean score (reverse keys, answered items),
# converted linearly when the scales differ, then z and the interpolated percentile in CELL's table.
expect_scores() {
  $PY - "$1" "$2" "$3" "$4" "$NORMS" "$SRC/instruments/ecr.json" "$5" <<'EOF'
import json, sys
import numpy as np
out, cell_id, lo, hi, norms, ins, answers = sys.argv[1:]
lo, hi = int(lo), int(hi)
r = json.load(open(out))["norms"]; n = json.load(open(norms)); inst = json.load(open(ins))
ans = json.load(open(answers))
cell = [c for c in n["cells"] if c["id"] == cell_id][0]
assert r["cell"] == {"id": cell_id, "label": cell["label"], "n": cell["n"]}, r["cell"]
assert r["set"] == n["id"] and "openpsychometrics" in r["source"]
for s in inst["scales"]:
    vals = [(lo + hi - ans[i]) if i in s["reverse"] else ans[i] for i in s["items"] if ans[i] is not None]
    m = sum(vals) / len(vals)
    m = 1 + (m - lo) * 4 / (hi - lo)
    d = cell["scales"][s["id"]]["mean_score"]
    t = np.array(d["table"])
    got = r["scales"][s["id"]]
    assert abs(got["mean_score"] - m) < 1e-9, (got, m)
    assert abs(got["z"] - (m - d["mean"]) / d["sd"]) < 1e-9, (got, m)
    assert abs(got["percentile"] - np.interp(m, t[:, 0], t[:, 1])) < 1e-9, (got, np.interp(m, t[:, 0], t[:, 1]))
    assert got["percentile_basis"].startswith("empirical") and cell["label"] in got["norm_source"]
EOF
}

"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" > "$TMP/default.json"
check "1..5 ECR: exit 0" test $? -eq 0
check "1..5 ECR without context: the whole sample's norms, said so" $PY -c "
import json; r=json.load(open('$TMP/default.json'))['norms']
assert r['cell']['id']=='all' and 'whole sample' in r['context'] and 'not a diagnosis' in r['meaning']"
check "1..5 ECR: z and percentile as the shipped table gives them (whole sample)" expect_scores "$TMP/default.json" all 1 5 "$TMP/one.json"

"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" --norm-group gender=female,age=30 > "$TMP/f30.json"
check "--norm-group gender=female,age=30: the female 25-34 cell" expect_scores "$TMP/f30.json" female-25-34 1 5 "$TMP/one.json"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" --norm-group gender=male,age=70 > "$TMP/m70.json"
check "--norm-group gender=male,age=70: the male 55+ cell" expect_scores "$TMP/m70.json" male-55-99 1 5 "$TMP/one.json"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" --norm-group age=30 > "$TMP/a30.json"
check "--norm-group age=30 alone: the whole sample, said so" $PY -c "
import json; r=json.load(open('$TMP/a30.json'))['norms']; assert r['cell']['id']=='all' and 'fits no' in r['context']"

"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" --norm-set none > "$TMP/none.json"
check "--norm-set none: no norms member" $PY -c "import json; assert 'norms' not in json.load(open('$TMP/none.json'))"
check "the norms member changes nothing else" $PY -c "
import json; a=json.load(open('$TMP/default.json')); a.pop('norms'); assert a==json.load(open('$TMP/none.json'))"

"$BIN" score -i ecr --json "$TMP/one7.json" > "$TMP/seven.json"
check "1..7 ECR: the 1..5 default set does not apply (no norms member)" $PY -c "
import json; assert 'norms' not in json.load(open('$TMP/seven.json'))"
"$BIN" score -i ecr --json "$TMP/one7.json" --norm-set ecr-openpsychometrics-1to5 > /dev/null 2> "$TMP/refused.err"
check "1..7 answers with the 1..5 norm set: refused, usage exit 2" test $? -eq 2
check "the refusal names both scales and the conversion option" grep -q "made on answers from 1..5, but these answers are on 1..7.*--convert-response-scale linear" "$TMP/refused.err"
"$BIN" score -i ecr --json "$TMP/one7.json" --norm-group gender=male,age=40 > /dev/null 2>&1
check "1..7 answers with --norm-group (the default set): refused, exit 2" test $? -eq 2
"$BIN" score -i ecr --json "$TMP/one7.json" --norm-set ecr-openpsychometrics-1to5 --convert-response-scale linear \
  --norm-group gender=male,age=40 > "$TMP/conv.json"
check "--convert-response-scale linear: exit 0" test $? -eq 0
check "--convert-response-scale linear: scores moved to 1..5 as 1 + (x - 1) x 4/6, then looked up" \
  expect_scores "$TMP/conv.json" male-35-44 1 7 "$TMP/one7.json"
check "--convert-response-scale linear: the conversion and its caveat are said" $PY -c "
import json; r=json.load(open('$TMP/conv.json'))['norms']; assert 'converted linearly from 1..7' in r['conversion'] and 'approximate' in r['conversion']"

"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" --norm-group gender=other > /dev/null 2>&1
check "--norm-group gender=other: usage exit 2 (the set has female and male cells)" test $? -eq 2
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" --norm-set no-such-set > /dev/null 2>&1
check "unknown norm set: usage exit 2" test $? -eq 2
$PY -c "
import json; n=json.load(open('$NORMS')); n['cells'][0]['scales']['anxiety']['mean_score']['table'][3][1]=0.0
json.dump(n, open('$TMP/bad-norms.json','w'))"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" --norm-set "$TMP/bad-norms.json" > /dev/null 2> "$TMP/bad.err"
check "a norm-set file with a falling table: exit 3, naming the JSON path" sh -c "test $? -eq 3 && grep -q '/cells/0/scales/anxiety/mean_score/table/3/1' '$TMP/bad.err'"
printf 'q1\n3\n' > "$TMP/file.csv"
"$BIN" score -i ecr --response-scale 1..5 "$TMP/file.csv" --norm-group gender=female,age=30 > /dev/null 2>&1
check "--norm-group on a file names columns (none called female here): data exit 4" test $? -eq 4
check "help names --norm-group and --convert-response-scale" sh -c "'$BIN' score --help | grep -q -- '--norm-group' && '$BIN' score --help | grep -q -- '--convert-response-scale'"

# --- theta: percentiles from the set's theta tables, quadrant probabilities --------------------------
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" --irt ecr-openpsychometrics-1to5 --norm-group gender=female,age=30 > "$TMP/irt.json"
check "--irt with norms: exit 0" test $? -eq 0
check "--irt with norms: theta z and percentile from the cell's theta table, EAP by the NumPy reference" $PY -c "
import json,sys
sys.path.insert(0,'$SRC/tools/irt')
import numpy as np, grm_reference as ref
cal=json.load(open('$SRC/instruments/calibrations/ecr-openpsychometrics-1to5.json'))
n=json.load(open('$NORMS')); cell=[c for c in n['cells'] if c['id']=='female-25-34'][0]
ans=json.load(open('$TMP/one.json')); out=json.load(open('$TMP/irt.json'))['irt']
for scale,s in cal['scales'].items():
    ref.REVERSED=[it['reversed'] for it in s['items']]
    row=[np.nan if ans[it['id']] is None else ans[it['id']] for it in s['items']]
    t,se=ref.eap([(it['a'],np.array(it['b'])) for it in s['items']],row)
    d=cell['scales'][scale]['theta']; tab=np.array(d['table'])
    assert abs(out[scale+'_theta_z']-(t-d['mean'])/d['sd'])<1e-6, scale
    assert abs(out[scale+'_theta_percentile']-np.interp(t,tab[:,0],tab[:,1]))<1e-5, scale
assert 'female, 25-34' in out['theta_norm_source']"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" --irt ecr-openpsychometrics-1to5 --irt-map > "$TMP/map.json"
check "--irt-map: no theta percentiles (the tables hold EAPs)" $PY -c "
import json; out=json.load(open('$TMP/map.json'))['irt']; assert 'avoidance_theta_percentile' not in out and 'theta_norm_source' not in out"

check "quadrant probabilities, cuts and consistency as tools/irt/classification_reference.py computes them" $PY - <<EOF
import json, subprocess
ref = json.load(open("$SRC/tests/reference/irt/ecr_classification.json"))
for k, person in enumerate(ref["people"]):
    answers = {"q%d" % (i + 1): v for i, v in enumerate(person["answers"])}
    json.dump(answers, open("$TMP/p.json", "w"))
    out = json.loads(subprocess.run(["$BIN", "score", "-i", "ecr", "--response-scale", "1..5", "--json", "$TMP/p.json",
                                     "--irt", "ecr-openpsychometrics-1to5"], capture_output=True, check=True).stdout)
    q = out["irt"]["quadrants"]
    for name, p in person["quadrants"].items():
        assert abs(q["probabilities"][name] - p) < 1e-9, (k, name, q["probabilities"][name], p)
    assert abs(sum(q["probabilities"].values()) - 1) < 1e-9
    for scale in ("anxiety", "avoidance"):
        assert q["cut_mean_score"][scale] == ref["score_cut"]
        assert abs(q["cut_theta"][scale] - ref["cuts"][scale]) < 1e-9
        assert abs(q["classification_consistency"][scale] - ref["agreement"][scale]["consistency"]) < 1e-9
        assert abs(q["classification_accuracy"][scale] - ref["agreement"][scale]["accuracy"]) < 1e-9
    assert abs(q["classification_consistency"]["both"] - ref["agreement"]["pair"]["consistency"]) < 1e-9
    assert "attune's convention" in q["basis"] and "independent" in q["basis"]
EOF

# --- --irt on another response scale: refused, or converted when asked -------------------------------
"$BIN" score -i ecr --json "$TMP/one7.json" --irt ecr-openpsychometrics-1to5 --convert-response-scale linear > "$TMP/irt7.json"
check "--irt on 1..7 with --convert-response-scale linear: exit 0" test $? -eq 0
check "--irt converted: the EAP of the answers moved to 1..5 (1 2 3 4 5 6 7 -> 1 2 2 3 4 4 5), NumPy reference" $PY -c "
import json,sys
sys.path.insert(0,'$SRC/tools/irt')
import numpy as np, grm_reference as ref
move={1:1,2:2,3:2,4:3,5:4,6:4,7:5}
cal=json.load(open('$SRC/instruments/calibrations/ecr-openpsychometrics-1to5.json'))
ans=json.load(open('$TMP/one7.json')); out=json.load(open('$TMP/irt7.json'))['irt']
for scale,s in cal['scales'].items():
    ref.REVERSED=[it['reversed'] for it in s['items']]
    t,se=ref.eap([(it['a'],np.array(it['b'])) for it in s['items']],[move[ans[it['id']]] for it in s['items']])
    assert abs(out[scale+'_theta']-t)<1e-6 and abs(out[scale+'_theta_se']-se)<1e-6, scale
assert 'converted linearly from 1..7' in out['conversion'] and 'approximate' in out['conversion']"

# --- every uncited quadrant category says its cut is attune's convention ------------------------------
"$BIN" score -i ecr-r --json "$TMP/one7.json" > "$TMP/ecrr.json"
check "ECR-R: the category's explanation says the midpoint cut is attune's convention" $PY -c "
import json; e=json.load(open('$TMP/ecrr.json'))['profile']['explanation']
assert 'Where the cut lies (the scale midpoint) is attune\'s convention, not a published rule.' in e, e"

# --- the plan's care rule reads the norm set's percentiles ------------------------------------------
# Anxiety keyed mean exactly 4.0 on 1..5 (q22 is reverse-keyed), avoidance keyed 2.0: the coordinate rule
# fires at (4 - 3) / 2 = 0.5, but 4.0 is about the 86th percentile of anxiety in the shipped norms (< 95).
$PY -c "
import json
rev={3,15,19,22,25,27,29,31,33,35}
a={'q%d'%i: ((2 if i in rev else 4) if i%2==0 else (4 if i in rev else 2)) for i in range(1,37)}
json.dump(a, open('$TMP/anx4.json','w'))
b=dict(a); b.update({'q%d'%i: (1 if i in rev else 5) for i in range(2,37,2)}); json.dump(b, open('$TMP/anx5.json','w'))"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/anx4.json" > "$TMP/anx4-normed.json"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/anx4.json" --norm-set none > "$TMP/anx4-plain.json"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/anx5.json" > "$TMP/anx5-normed.json"
"$BIN" plan --json "$TMP/anx4-normed.json" --format json > "$TMP/plan4n.json"
"$BIN" plan --json "$TMP/anx4-plain.json" --format json > "$TMP/plan4p.json"
"$BIN" plan --json "$TMP/anx5-normed.json" --format json > "$TMP/plan5n.json"
check "plan: the care rule reads the norm set's percentiles (anxiety 4.0 on 1..5: 86th percentile, no care)" $PY -c "
import json
assert json.load(open('$TMP/anx4-normed.json'))['norms']['scales']['anxiety']['percentile'] < 95
assert json.load(open('$TMP/plan4p.json'))['profile']['care'] is True
assert json.load(open('$TMP/plan4n.json'))['profile']['care'] is False"
check "plan: anxiety all at the top is above the 95th percentile: care, said as a percentile" $PY -c "
import json
p=json.load(open('$TMP/plan5n.json')); assert p['profile']['care'] is True
t=p['more_help']['why']['triggers']; assert any(x['on']=='anxiety' and x['value'].startswith('percentile ') and x['value'].endswith('>= 95') for x in t), t"

# --norms sample on a file whose anxiety items do not hang together: NumPy's Cronbach alpha of these
# 8 rows (ECR-R keys, q9 and q11 reversed as 8 - x) is -3.046 for anxiety and 0.521 for avoidance.
# The run used to stop with a usage error ("norms for scale 'anxiety' have alpha -3.05"), as if the
# user had written an impossible norms file; now the scale just gets no alpha.
{ printf 'q%d,' $(seq 1 35); printf 'q36\n'; printf '%b\n' "6,1,2,2,2,6,7,5,1,1,3,4,5,4,2,2,5,6,1,1,4,3,7,4,3,4,5,5,2,6,6,7,6,2,3,5\n5,5,7,3,7,1,1,7,7,3,1,3,1,7,5,5,2,4,2,6,4,1,2,5,4,3,2,1,5,5,4,7,7,2,5,5\n2,3,4,6,3,6,5,2,3,6,6,5,1,5,2,6,7,4,7,6,3,7,3,1,5,6,5,3,7,4,3,2,2,5,6,3\n5,7,2,2,4,4,3,3,1,5,7,2,6,2,1,6,2,6,3,4,7,7,4,2,2,6,5,2,7,7,7,5,7,5,4,7\n5,6,3,6,7,1,4,3,1,1,2,2,6,2,5,7,4,1,1,3,3,4,3,6,4,7,7,5,1,2,6,4,7,5,6,1\n3,5,5,3,2,5,1,5,6,5,1,4,3,4,5,2,1,4,5,1,7,4,7,4,6,6,4,3,5,1,5,4,2,2,1,6\n5,3,7,3,3,7,1,3,1,3,6,3,4,4,1,1,3,4,1,7,6,4,6,6,1,7,1,6,6,6,1,6,7,6,5,2\n4,4,7,3,3,2,4,5,4,3,4,5,2,5,5,1,5,4,7,3,3,5,7,1,1,2,3,4,4,3,7,5,2,3,2,2"; } > "$TMP/negalpha.csv"
"$BIN" score -i ecr-r "$TMP/negalpha.csv" --norms sample -o "$TMP/negalpha.out" -q 2> "$TMP/negalpha.err"
check "--norms sample with a negative sample alpha: scored, exit 0" test $? -eq 0
check "--norms sample with a negative sample alpha: every row has a z" test "$(cut -d, -f2 "$TMP/negalpha.out" | grep -c '^-\?[0-9]')" -eq 8

echo "norms CLI: $pass passed, $fail failed"
test "$fail" -eq 0
