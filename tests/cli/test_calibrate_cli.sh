#!/usr/bin/env bash
# End-to-end: `attune calibrate` on the simulated reference data (tests/reference/irt/, written by
# tools/irt/grm_reference.py) against the NumPy reference, its provenance, the refusal of answers
# off the response scale, and the exit codes.
# Usage: test_calibrate_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
REF=$SRC/tests/reference/irt
INS=$REF/grm6.instrument.json

"$BIN" calibrate -i "$INS" "$REF/grm_sim.csv" -o "$TMP/cal.json" --tolerance 1e-7 --max-iterations 5000 \
  --description "simulated" --source "tools/irt/grm_reference.py" 2> "$TMP/err.txt"
check "calibrate exit 0" test $? -eq 0
check "summary names the scale and its reliability" grep -q 's: 6 items, 2000 rows, .* marginal reliability 0.826' "$TMP/err.txt"
check "parameters and SEs within 1e-3 of the NumPy reference" /usr/bin/python3 -c "
import json
c=json.load(open('$TMP/cal.json')); r=json.load(open('$REF/grm_reference.json'))
items=c['scales']['s']['items']
for it,f in zip(items,r['fitted']):
    assert abs(it['a']-f['a'])<1e-3 and abs(it['a_se']-f['a_se'])<1e-3, it['id']
    assert all(abs(x-y)<1e-3 for x,y in zip(it['b']+it['b_se'],f['b']+f['b_se'])), it['id']
assert [it['reversed'] for it in items]==r['reversed']
assert abs(c['scales']['s']['log_likelihood']-r['log_likelihood'])<1e-3"
check "provenance: SHA-256 of the input, rows, instrument, scale, description" /usr/bin/python3 -c "
import json,hashlib
c=json.load(open('$TMP/cal.json')); p=c['provenance']
assert p['input_sha256']==hashlib.sha256(open('$REF/grm_sim.csv','rb').read()).hexdigest()
assert p['rows_in']==2000 and p['rows_used']==2000 and p['instrument']=='grm6-test' and p['instrument_version']=='1.0.0'
assert p['description']=='simulated' and p['source'] and p['date'].endswith('Z') and p['attune_version']
assert c['response_scale']=={'min':1,'max':5} and c['grid']['nodes']==61 and not p['complete_only']"

# --complete-only keeps the rows with all six answers (the reference file has 5 % missing cells).
"$BIN" calibrate -i "$INS" "$REF/grm_sim.csv" -o "$TMP/complete.json" --complete-only -q
check "--complete-only exit 0" test $? -eq 0
check "--complete-only uses exactly the complete rows" test "$(/usr/bin/python3 -c "
import json,csv
n=sum(1 for r in csv.DictReader(open('$REF/grm_sim.csv')) if all(v!='' for v in r.values()))
print(json.load(open('$TMP/complete.json'))['provenance']['rows_used']==n)")" = True

# A row with an answer off the 1..5 scale is reported and left out (exit 1), never calibrated.
{ head -1 "$REF/grm_sim.csv"; echo "1,2,7,3,3,3"; tail -n +2 "$REF/grm_sim.csv"; } > "$TMP/bad.csv"
"$BIN" calibrate -i "$INS" "$TMP/bad.csv" -o "$TMP/bad.json" --errors "$TMP/bad-errors.csv" -q
check "off-scale answer: exit 1" test $? -eq 1
check "off-scale answer: its row reported, the rest used" /usr/bin/python3 -c "
import json
p=json.load(open('$TMP/bad.json'))['provenance']; assert p['rows_in']==2001 and p['rows_used']==2000"
check "off-scale answer: the error names item i3" grep -q 'i3' "$TMP/bad-errors.csv"

"$BIN" calibrate -i "$INS" "$REF/grm_sim.csv" 2> /dev/null
check "no -o: usage exit 2" test $? -eq 2
"$BIN" calibrate -i "$INS" "$TMP/nonexistent.csv" -o "$TMP/x.json" 2> /dev/null
check "missing input: I/O exit 5" test $? -eq 5
check "help names the model and docs/irt.md" sh -c "'$BIN' calibrate --help | grep -q 'docs/irt.md'"

# --- attune score --json --irt: one person's theta and SE --------------------------------------------
/usr/bin/python3 -c "import json; print(json.dumps({'q%d'%i: (5 if i%2==0 else 2) for i in range(1,37)} | {'q7': None}))" > "$TMP/one.json"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" > "$TMP/plain.json"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" --irt ecr-openpsychometrics-1to5 > "$TMP/irt.json"
check "score --irt exit 0" test $? -eq 0
check "score --irt: theta and SE as the NumPy reference computes them from the shipped file (1e-6)" /usr/bin/python3 -c "
import json,sys
sys.path.insert(0,'$SRC/tools/irt')
import numpy as np, grm_reference as ref
cal=json.load(open('$SRC/instruments/calibrations/ecr-openpsychometrics-1to5.json'))
ans=json.load(open('$TMP/one.json')); out=json.load(open('$TMP/irt.json'))['irt']
for scale,s in cal['scales'].items():
    ref.REVERSED=[it['reversed'] for it in s['items']]
    row=[np.nan if ans[it['id']] is None else ans[it['id']] for it in s['items']]
    t,se=ref.eap([(it['a'],np.array(it['b'])) for it in s['items']],row)
    assert abs(out[scale+'_theta']-t)<1e-6 and abs(out[scale+'_theta_se']-se)<1e-6,(scale,t,se,out)
assert out['avoidance_answered']==17 and out['anxiety_answered']==18 and 'not a diagnosis' in out['meaning']"
check "score --irt: the rest of the result is unchanged" /usr/bin/python3 -c "
import json
a=json.load(open('$TMP/plain.json')); b=json.load(open('$TMP/irt.json')); b.pop('irt'); assert a==b"
"$BIN" score -i ecr --json "$TMP/one.json" --irt ecr-openpsychometrics-1to5 > /dev/null 2> "$TMP/scale.err"
check "score --irt: 1..7 answers with the 1..5 calibration refused, usage exit 2" test $? -eq 2
check "score --irt: the refusal names both scales" grep -q 'answers from 1 to 5, but these answers are on 1..7' "$TMP/scale.err"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/one.json" --irt no-such-calibration > /dev/null 2>&1
check "score --irt: unknown calibration id, usage exit 2" test $? -eq 2
"$BIN" score -i ecr-r --json "$TMP/one.json" --irt ecr-openpsychometrics-1to5 > /dev/null 2>&1
check "score --irt: a calibration of another instrument, usage exit 2" test $? -eq 2
# score FILE --irt (theta columns for files): tests/cli/test_score_irt_cli.sh.

echo "calibrate CLI: $pass passed, $fail failed"
test "$fail" -eq 0
