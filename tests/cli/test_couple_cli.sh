#!/usr/bin/env bash
# End-to-end: `attune couple` (text, Markdown, JSON, refusals) and the dyad export (pairwise and long,
# from two results and from a file of couples), read by the APIM script in tools/r/ when R is here.
# Usage: test_couple_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
has() { grep -qF -- "$2" "$1"; }
keyed() {  # keyed ANXIETY AVOIDANCE FILE: ECR-R answers whose scale means are exactly those values
  python3 - "$1" "$2" "$3" <<'PY'
import sys
anx, avo = int(sys.argv[1]), int(sys.argv[2])
rev = {9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36}
def raw(i):
    k = anx if i <= 18 else avo
    return 8 - k if i in rev else k
open(sys.argv[3], "w").write("{" + ", ".join('"q%d": %d' % (i, raw(i)) for i in range(1, 37)) + "}")
PY
}
keyed 6 2 "$TMP/a-answers.json"
keyed 3 5 "$TMP/b-answers.json"
"$BIN" score -i ecr-r --json "$TMP/a-answers.json" > "$TMP/a.json"
"$BIN" score -i ecr-r --json "$TMP/b-answers.json" > "$TMP/b.json"

"$BIN" couple --names Sam,Alex --sd anxiety=1 --reliability anxiety=0.9 "$TMP/a.json" "$TMP/b.json" -o "$TMP/c.txt"
check "couple exit 0" test $? -eq 0
check "never a compatibility score" has "$TMP/c.txt" "never a compatibility score and never a prediction"
check "not a diagnosis" has "$TMP/c.txt" "not a diagnosis"
# 6 vs 3 with SEM sqrt(0.1): |RCI| = 3 / 0.447214 = 6.71, reliable; Sam's is the higher score.
check "reliable difference named" has "$TMP/c.txt" "Sam scores higher here"
check "shared repair habits" has "$TMP/c.txt" "Build habits for making up"
check "weekly sharing ritual" has "$TMP/c.txt" "A weekly ten-minute share"
"$BIN" couple "$TMP/a.json" "$TMP/b.json" --format json -o "$TMP/c.json"
python3 - "$TMP/c.json" <<'PY' || { fail=$((fail + 1)); echo "FAILED: couple JSON"; }
import json, sys
c = json.load(open(sys.argv[1]))
assert [p["anxiety"]["score"] for p in c["people"]] == [6.0, 3.0]
assert [p["avoidance"]["score"] for p in c["people"]] == [2.0, 5.0]
assert all(p["why"] for p in c["practices"]) and len(c["practices"]) == 6
assert "compatibility" not in json.dumps({k: v for k, v in c.items() if k != "not_a_score"})
PY
"$BIN" couple "$TMP/a.json" "$TMP/b.json" --format md -o "$TMP/c.md"
check "markdown title" has "$TMP/c.md" "# The two of you"
echo '{"1": 3}' > "$TMP/ecr-answers.json"
"$BIN" score -i ecr --json "$TMP/ecr-answers.json" > "$TMP/ecr.json"
"$BIN" couple "$TMP/a.json" "$TMP/ecr.json" 2> "$TMP/err.txt"
check "different instruments refused with 2" test $? -eq 2
echo '{"1": 3, "2": 4, "3": 2, "4": 5}' > "$TMP/rq-answers.json"
"$BIN" score -i rq --json "$TMP/rq-answers.json" > "$TMP/rq.json"
"$BIN" couple "$TMP/rq.json" "$TMP/rq.json" 2> "$TMP/err.txt"
check "prototype questionnaire refused with 2" test $? -eq 2

# --- dyad export ------------------------------------------------------------------------------------
"$BIN" couple "$TMP/a.json" "$TMP/b.json" --export pairwise -o "$TMP/two.csv"
check "pairwise from two results" test "$(cat "$TMP/two.csv")" = "$(printf 'couple,person,anxiety_actor,anxiety_partner,avoidance_actor,avoidance_partner\n1,A,6.000000,3.000000,2.000000,5.000000\n1,B,3.000000,6.000000,5.000000,2.000000')"
"$BIN" couple "$TMP/a.json" "$TMP/b.json" --export long -o "$TMP/two-long.csv"
check "long from two results" test "$(cat "$TMP/two-long.csv")" = "$(printf 'couple,person,anxiety,avoidance\n1,A,6.000000,2.000000\n1,B,3.000000,5.000000')"
# A file of 40 scored couples whose anxiety is exactly 1 + 0.5 x own avoidance + 0.25 x partner's:
# the APIM must find actor 0.5 and partner 0.25 (it reads the export as it is).
python3 - "$TMP/couples.csv" <<'PY'
import random, sys
random.seed(7)
rows = ["person,couple,avoidance,anxiety,satisfaction"]
for c in range(1, 41):
    v = [round(random.uniform(1, 7), 3), round(random.uniform(1, 7), 3)]
    for k in (0, 1):
        rows.append("p%d%s,c%d,%s,%r,%d" % (c, "ab"[k], c, v[k], 1 + 0.5 * v[k] + 0.25 * v[1 - k], random.randint(1, 5)))
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
"$BIN" couple --export pairwise --couples "$TMP/couples.csv" -i ecr-r --keep satisfaction -o "$TMP/pairwise.csv"
check "pairwise from couples exit 0" test $? -eq 0
check "pairwise rows" test "$(wc -l < "$TMP/pairwise.csv")" -eq 81
check "pairwise header" test "$(head -1 "$TMP/pairwise.csv")" = "couple,person,anxiety_actor,anxiety_partner,avoidance_actor,avoidance_partner,satisfaction_actor,satisfaction_partner"
if command -v Rscript > /dev/null; then
  Rscript "$SRC/tools/r/apim_example.R" "$TMP/pairwise.csv" > "$TMP/apim.txt" 2>&1
  check "APIM script runs" test $? -eq 0
  check "APIM actor and partner effects" has "$TMP/apim.txt" "lm actor 0.500000000 partner 0.250000000"
fi
printf 'couple,person,anxiety\nc1,x,3\nc1,y,4\nc1,z,5\n' > "$TMP/three.csv"
"$BIN" couple --export long --couples "$TMP/three.csv" -i ecr-r 2> "$TMP/err.txt"
check "a couple of three refused with 4" test $? -eq 4
check "a couple of three named" has "$TMP/err.txt" "couple 'c1' has 3 members"

echo "couple CLI: $pass passed, $fail failed"
test "$fail" -eq 0
