#!/usr/bin/env bash
# The C ABI's one-person norms (attune_result_norms_json) equal the "norms" member of
# `attune score --json` for the same answers, norm set, group and conversion; refusals agree.
# Usage: test_norms_c.sh TEST_NORMS_C ATTUNE_CLI SOURCE_DIR
set -uo pipefail
C=$1
BIN=$2
SRC=$3
source "$SRC/tests/cli/lib.sh"
PY=/usr/bin/python3
$PY -c "import json; print(json.dumps({'q%d'%i: (5 if i%3==0 else 2) for i in range(1,37)} | {'q7': None}))" > "$TMP/one5.json"
$PY -c "import json; print(json.dumps({'q%d'%i: (6 if i%3==0 else 3) for i in range(1,37)}))" > "$TMP/one7.json"

# same LABEL ANSWERS MIN MAX SET GROUP CONVERT: the C ABI's object equals the CLI's member.
same() {
  local label=$1 answers=$2 lo=$3 hi=$4 set=$5 group=$6 conv=$7
  local args=(score -i ecr --json "$answers")
  [ "$lo..$hi" != "1..7" ] && args+=(--response-scale "$lo..$hi")
  [ "$set" != - ] && args+=(--norm-set "$set")
  [ "$group" != - ] && args+=(--norm-group "$group")
  [ "$conv" = 1 ] && args+=(--convert-response-scale linear)
  "$BIN" "${args[@]}" > "$TMP/cli.json" || return 1
  "$C" "$(cat "$answers")" "$lo" "$hi" "$set" "$group" "$conv" > "$TMP/c.json" || return 1
  $PY -c "
import json, sys
cli = json.load(open('$TMP/cli.json')).get('norms')
c = json.load(open('$TMP/c.json'))
assert c == cli, (c, cli)
assert '$label' != 'has norms' or (c and c['scales']['anxiety']['percentile'] is not None)"
}
check "1..5, no group: the whole sample, as the CLI" same "has norms" "$TMP/one5.json" 1 5 - - 0
check "1..5, gender=female,age=30: the female 25-34 cell, as the CLI" same "has norms" "$TMP/one5.json" 1 5 - gender=female,age=30 0
check "1..5, age=70 alone: the whole sample, said so, as the CLI" same "has norms" "$TMP/one5.json" 1 5 - age=70 0
check "1..7 without conversion: no set applies (null), as the CLI has no member" same none "$TMP/one7.json" 1 7 - - 0
check "1..7 converted linearly, male 40: as the CLI" same "has norms" "$TMP/one7.json" 1 7 ecr-openpsychometrics-1to5 gender=male,age=40 1
check "--norm-set none: null" same none "$TMP/one5.json" 1 5 none - 0
"$C" "$(cat "$TMP/one7.json")" 1 7 ecr-openpsychometrics-1to5 - 0 > /dev/null 2> "$TMP/refused.err"
check "1..7 with the 1..5 set named: ATTUNE_EUSAGE naming the conversion" sh -c "grep -q 'USAGE\|usage' '$TMP/refused.err' && grep -q 'convert-response-scale linear' '$TMP/refused.err'"
"$C" "$(cat "$TMP/one5.json")" 1 5 - gender=other 0 > /dev/null 2>&1
check "gender=other: refused" test $? -ne 0
echo "C ABI norms: $pass passed, $fail failed"
test "$fail" -eq 0
