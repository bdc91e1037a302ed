#!/usr/bin/env bash
# End-to-end: `attune compare` on two saved results (text, JSON, refusals and their exit codes) and
# on a long file (--long), with the expected numbers computed by hand in the comments.
# Usage: test_compare_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
ONE=$SRC/examples/data/ecr-r-one.json
has() { grep -qF -- "$2" "$1"; }

# --- two results --------------------------------------------------------------------------------
# Answers with every keyed anxiety and avoidance answer 5, then 4 (reverse-keyed items answered
# 8 - keyed): both scale means are exactly 5, then 4, a difference of -1.
keyed() {  # keyed VALUE FILE
  python3 - "$1" "$2" <<'PY'
import sys
k = int(sys.argv[1])
rev = {9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36}
open(sys.argv[2], "w").write("{" + ", ".join('"q%d": %d' % (i, 8 - k if i in rev else k) for i in range(1, 37)) + "}")
PY
}
keyed 5 "$TMP/five.json"
keyed 4 "$TMP/lower.json"
"$BIN" score -i ecr-r --json "$TMP/five.json" > "$TMP/a.json"
"$BIN" score -i ecr-r --json "$TMP/lower.json" > "$TMP/b.json"
# SD 1, r .9: SEM = 0.316228, S_diff = 0.447214, RCI = -1 / 0.447214 = -2.236068 (reliable), MDC95 = 0.876539.
"$BIN" compare "$TMP/a.json" "$TMP/b.json" --sd anxiety=1 --reliability anxiety=0.9 --format json -o "$TMP/c.json"
check "compare exit 0" test $? -eq 0
# Options before the two files: --sd and --reliability take one value each time, never the files.
"$BIN" compare --sd anxiety=1 --reliability anxiety=0.9 "$TMP/a.json" "$TMP/b.json" --format json -o "$TMP/c2.json"
check "options before the files" cmp -s "$TMP/c.json" "$TMP/c2.json"
python3 - "$TMP/c.json" <<'PY' || { fail=$((fail + 1)); echo "FAILED: compare JSON contract"; }
import json, sys
c = json.load(open(sys.argv[1]))
s = {x["id"]: x for x in c["scales"]}
a = s["anxiety"]
assert abs(a["difference"] + 1) < 1e-12, a
assert abs(a["rci"] + 2.2360679774997898) < 1e-9, a
assert abs(a["mdc95"] - 0.87653864717991747) < 1e-9, a
assert a["reliable"] is True and a["verdict"] == "reliable_down", a
assert s["avoidance"]["rci"] is None and s["avoidance"]["reliable"] is None, s["avoidance"]
assert c["days_apart"] is None and "unknown" in c["interval_warning"]
PY
"$BIN" compare "$TMP/a.json" "$TMP/b.json" --before-date 2026-03-01 --after-date 2026-03-08 -o "$TMP/c.txt"
check "short interval warned" has "$TMP/c.txt" "7 days apart"
check "text says not a diagnosis" has "$TMP/c.txt" "not a diagnosis"
"$BIN" compare "$TMP/a.json" "$TMP/b.json" --format md -o "$TMP/c.md"
check "markdown heading" has "$TMP/c.md" "## Then and now"

# Refusals: another questionnaire (usage, 2), --sd without --reliability (2), a broken result (4).
echo '{"1": 3}' > "$TMP/ecr-answers.json"
"$BIN" score -i ecr --json "$TMP/ecr-answers.json" > "$TMP/ecr.json"
"$BIN" compare "$TMP/a.json" "$TMP/ecr.json" 2> "$TMP/err.txt"
check "different instruments refused with 2" test $? -eq 2
check "different instruments said" has "$TMP/err.txt" "different questionnaires"
"$BIN" compare "$TMP/a.json" "$TMP/b.json" --sd anxiety=1 2> "$TMP/err.txt"
check "--sd alone refused with 2" test $? -eq 2
echo '{"scales": 3}' > "$TMP/broken.json"
"$BIN" compare "$TMP/a.json" "$TMP/broken.json" 2> "$TMP/err.txt"
check "broken result refused with 4" test $? -eq 4

# --- two takes: take's JSON records the day, so compare knows the interval --------------------------
for k in 1 2; do for _ in $(seq 1 36); do echo 4; done | "$BIN" take ecr-r --format json -o "$TMP/take$k.json" 2> /dev/null; done
check "take records the day taken" has "$TMP/take1.json" "\"taken\": \"$(date +%F)\""
"$BIN" compare "$TMP/take1.json" "$TMP/take2.json" --format json -o "$TMP/takes.json"
check "two takes compared as they are" test $? -eq 0
check "two takes the same day: 0 days, warned" has "$TMP/takes.json" "\"days_apart\": 0"

# --- IRT: both results scored with the shipped ECR calibration compare on theta, S_diff from the SEs
python3 -c 'import json; json.dump({str(i): (4 if i % 2 else 2) for i in range(1, 37)}, open("'"$TMP"'/e1.json", "w")); json.dump({str(i): (2 if i % 2 else 1) for i in range(1, 37)}, open("'"$TMP"'/e2.json", "w"))'
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/e1.json" --irt ecr-openpsychometrics-1to5 > "$TMP/i1.json"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/e2.json" --irt ecr-openpsychometrics-1to5 > "$TMP/i2.json"
"$BIN" compare "$TMP/i1.json" "$TMP/i2.json" --format json -o "$TMP/irt.json"
python3 - "$TMP/i1.json" "$TMP/i2.json" "$TMP/irt.json" <<'PY' || { fail=$((fail + 1)); echo "FAILED: IRT compare on theta"; }
import json, math, sys
a, b, c = (json.load(open(p)) for p in sys.argv[1:4])
for s in c["scales"]:
    t1, t2 = a["irt"][s["id"] + "_theta"], b["irt"][s["id"] + "_theta"]
    e1, e2 = a["irt"][s["id"] + "_theta_se"], b["irt"][s["id"] + "_theta_se"]
    assert s["metric"] == "theta", s
    assert abs(s["rci"] - (t2 - t1) / math.sqrt(e1 * e1 + e2 * e2)) < 1e-9, s
    assert abs(s["mdc95"] - 1.96 * math.sqrt(e1 * e1 + e2 * e2)) < 1e-9, s
PY

# --- ECR on 1..5 with the shipped norm set: its SD and alpha give the verdict -----------------------
# Before: every keyed answer 4 (reverse-keyed 6 - 4); after: anxiety keyed 3, avoidance keyed 4 but
# items 1, 5 and 7 keyed 3: means 4 and 4 -> 3 and 69/18 = 3.833333. No --norm-group: the whole
# sample cell of ecr-openpsychometrics-1to5 (N = 46610), written with 12 digits in each result:
# anxiety SD 0.803362019779, alpha 0.916006167535 (NumPy, tools/norms/ecr_norms.py):
#   SEM = 0.803362019779 x sqrt(0.083993832465) = 0.232827885908, S_diff = sqrt(2) SEM = 0.329268353950,
#   RCI = -1 / 0.329268353950 = -3.037036471935 (reliable), MDC95 = 1.96 S_diff = 0.645365973742;
# avoidance SD 0.839644559966, alpha 0.9382448454:
#   SEM = 0.839644559966 x sqrt(0.0617551546) = 0.208656580200, S_diff = 0.295084965597,
#   RCI = -0.166667 / 0.295084965597 = -0.564809075683 (within), MDC95 = 0.578366532570.
python3 - "$TMP" <<'PY'
import json, sys
rev = {3, 15, 19, 22, 25, 27, 29, 31, 33, 35}
def answers(anx, avo, lower=()):
    keyed = {i: (anx if i % 2 == 0 else (3 if i in lower else avo)) for i in range(1, 37)}
    return {str(i): (6 - k if i in rev else k) for i, k in keyed.items()}
json.dump(answers(4, 4), open(sys.argv[1] + "/n1.json", "w"))
json.dump(answers(3, 4, (1, 5, 7)), open(sys.argv[1] + "/n2.json", "w"))
PY
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/n1.json" > "$TMP/r1.json"
"$BIN" score -i ecr --response-scale 1..5 --json "$TMP/n2.json" > "$TMP/r2.json"
"$BIN" compare "$TMP/r1.json" "$TMP/r2.json" --format json -o "$TMP/norm.json"
check "compare with the norm set's SD and alpha exit 0" test $? -eq 0
python3 - "$TMP/norm.json" <<'PY' || { fail=$((fail + 1)); echo "FAILED: compare with the norm set's SD and alpha"; }
import json, sys
s = {x["id"]: x for x in json.load(open(sys.argv[1]))["scales"]}
a, v = s["anxiety"], s["avoidance"]
assert abs(a["difference"] + 1) < 1e-12 and abs(a["se_before"] - 0.23282788590813805) < 1e-12, a
assert abs(a["rci"] + 3.037036471935048) < 1e-9 and abs(a["mdc95"] - 0.6453659737418912) < 1e-9, a
assert a["reliable"] is True and a["verdict"] == "reliable_down", a
assert abs(v["rci"] + 0.5648090756830526) < 1e-9 and abs(v["mdc95"] - 0.5783665325696327) < 1e-9, v
assert v["reliable"] is False and v["verdict"] == "within", v
for x in (a, v):
    assert "the SD and alpha of the open ECR norm sample" in x["basis"] and "N = 46610" in x["basis"], x["basis"]
PY
# Results saved before the norm set carried alphas (no norm_sd / norm_alpha) name the set and cell:
# the shipped set's own whole-sample SD and alpha give the same numbers as above (the set's full
# doubles, equal to the 12 saved digits within 1e-12), and the basis says they were looked up. A set
# attune does not ship stays "cannot tell", and says why.
python3 - "$TMP/r1.json" "$TMP/r2.json" <<'PY'
import json, sys
for p in sys.argv[1:]:
    d = json.load(open(p))
    for v in d["norms"]["scales"].values():
        v.pop("norm_sd"), v.pop("norm_alpha")
    json.dump(d, open(p + ".old", "w"))
    d["norms"]["set"] = "a-set-attune-does-not-ship"
    json.dump(d, open(p + ".elsewhere", "w"))
    del d["norms"]
    json.dump(d, open(p + ".nonorms", "w"))
PY
"$BIN" compare "$TMP/r1.json.old" "$TMP/r2.json.old" --format json -o "$TMP/old.json"
check "results without the norm SD and alpha: exit 0" test $? -eq 0
python3 - "$TMP/old.json" <<'PY' || { fail=$((fail + 1)); echo "FAILED: results without the norm SD and alpha: the set's cell"; }
import json, sys
s = {x["id"]: x for x in json.load(open(sys.argv[1]))["scales"]}
a, v = s["anxiety"], s["avoidance"]
assert abs(a["rci"] + 3.037036471935048) < 1e-9 and abs(a["mdc95"] - 0.6453659737418912) < 1e-9, a
assert a["verdict"] == "reliable_down" and v["verdict"] == "within", (a, v)
assert abs(v["rci"] + 0.5648090756830526) < 1e-9, v
for x in (a, v):
    assert "whole sample, N = 46610" in x["basis"] and "looked up in the set" in x["basis"], x["basis"]
PY
# Results that name no set (scored with --norm-set none): --norm-set gives one, the same whole sample.
"$BIN" compare "$TMP/r1.json.nonorms" "$TMP/r2.json.nonorms" --format json -o "$TMP/nonorms.json"
check "results naming no set: unknown without --norm-set" has "$TMP/nonorms.json" '"verdict": "unknown"'
"$BIN" compare "$TMP/r1.json.nonorms" "$TMP/r2.json.nonorms" --norm-set ecr-openpsychometrics-1to5 --format json -o "$TMP/given.json"
python3 - "$TMP/given.json" <<'PY' || { fail=$((fail + 1)); echo "FAILED: results naming no set: --norm-set"; }
import json, sys
a = {x["id"]: x for x in json.load(open(sys.argv[1]))["scales"]}["anxiety"]
assert abs(a["rci"] + 3.037036471935048) < 1e-9 and "names no norm set" in a["basis"], a
PY
# The plan after a retake judges the same way: anxiety 4 -> 3 moved (RCI -3.04, as above).
"$BIN" plan --json "$TMP/r2.json.old" --before "$TMP/r1.json.old" -o "$TMP/old-plan.txt"
check "plan --before, results without the norm SD and alpha: anxiety moved" has "$TMP/old-plan.txt" "Attachment-related anxiety moved from 4.00 to 3.00"
"$BIN" compare "$TMP/r1.json.elsewhere" "$TMP/r2.json.elsewhere" --format json -o "$TMP/elsewhere.json"
check "a set attune does not ship: unknown" has "$TMP/elsewhere.json" '"verdict": "unknown"'
check "a set attune does not ship: said" has "$TMP/elsewhere.json" "names the norm set 'a-set-attune-does-not-ship', which attune does not have here"

# --- the ECR on its own 1..7: only with --convert-response-scale linear, SD x 6/4 --------------------
# Every item answered 5 (keyed 5 on both scales: reverse-keyed items 8 - 5 = 3), then anxiety items
# keyed 4: anxiety 5 -> 4, avoidance 5 -> 5. The set's whole sample, anxiety: SD 0.8033620197792566
# x 6/4 = 1.205043029668885, alpha 0.9160061675346849: SEM = 1.205043 x sqrt(0.0839938) = 0.349241828862974,
# S_diff = sqrt(2) SEM = 0.493902530926001, RCI = -1 / 0.493903 = -2.02469098128559 (reliable),
# MDC95 = 1.96 S_diff = 0.968048960614962.
python3 - "$TMP" <<'PY'
import json, sys
rev = {3, 15, 19, 22, 25, 27, 29, 31, 33, 35}
def answers(anx):
    keyed = {i: (anx if i % 2 == 0 else 5) for i in range(1, 37)}
    return {str(i): (8 - k if i in rev else k) for i, k in keyed.items()}
json.dump(answers(5), open(sys.argv[1] + "/s1.json", "w"))
json.dump(answers(4), open(sys.argv[1] + "/s2.json", "w"))
PY
"$BIN" score -i ecr --json "$TMP/s1.json" > "$TMP/seven1.json"
"$BIN" score -i ecr --json "$TMP/s2.json" > "$TMP/seven2.json"
"$BIN" compare "$TMP/seven1.json" "$TMP/seven2.json" --format json -o "$TMP/seven.json"
check "ECR 1..7 without the conversion: unknown" has "$TMP/seven.json" '"verdict": "unknown"'
"$BIN" compare "$TMP/seven1.json" "$TMP/seven2.json" --convert-response-scale linear --format json -o "$TMP/seven-conv.json"
check "ECR 1..7 converted: exit 0" test $? -eq 0
python3 - "$TMP/seven-conv.json" <<'PY' || { fail=$((fail + 1)); echo "FAILED: ECR 1..7 converted"; }
import json, sys
a = {x["id"]: x for x in json.load(open(sys.argv[1]))["scales"]}["anxiety"]
assert abs(a["difference"] + 1) < 1e-12 and abs(a["se_before"] - 0.3492418288629737) < 1e-12, a
assert abs(a["rci"] + 2.0246909812855877) < 1e-9 and abs(a["mdc95"] - 0.9680489606149617) < 1e-9, a
assert a["verdict"] == "reliable_down", a
assert "times 6/4 for 1..7" in a["basis"] and "converted: an approximation" in a["basis"], a["basis"]
PY
"$BIN" compare "$TMP/seven1.json" "$TMP/seven2.json" --norm-set ecr-openpsychometrics-1to5 2> "$TMP/err.txt"
check "a 1..5 set for 1..7 results without the conversion refused with 2" test $? -eq 2
# ECR-R has neither norms nor a published reliability: null, said in the person's words, and the
# words the web shows (verdict_text) name no option.
python3 - "$TMP/c.json" <<'PY' || { fail=$((fail + 1)); echo "FAILED: ECR-R unknown said kindly, without options"; }
import json, sys
v = {x["id"]: x for x in json.load(open(sys.argv[1]))["scales"]}["avoidance"]
assert v["rci"] is None and v["verdict"] == "unknown", v
assert "--" not in v["verdict_text"] and "no published figure for how precise" in v["verdict_text"], v["verdict_text"]
PY

# --- the plan after a retake ------------------------------------------------------------------------
"$BIN" plan --json "$TMP/b.json" --before "$TMP/a.json" --format md -o "$TMP/plan.md"
check "plan --before exit 0" test $? -eq 0
check "plan --before section" has "$TMP/plan.md" "## Since last time"
check "plan --before kind closing" has "$TMP/plan.md" "not a measure of effort or worth"
# With an SEM for anxiety (SD 1, r .9): 5 -> 4 is RCI -2.24, a reliable change, said as moved.
"$BIN" plan --json "$TMP/b.json" --before "$TMP/a.json" --sd anxiety=1 --reliability anxiety=0.9 -o "$TMP/plan.txt"
check "plan --before with an SEM: moved" has "$TMP/plan.txt" "anxiety moved from 5.00 to 4.00"
"$BIN" plan --json "$TMP/b.json" --sd anxiety=1 --reliability anxiety=0.9 2> "$TMP/err.txt"
check "plan --sd without --before refused with 2" test $? -eq 2
"$BIN" plan --json "$TMP/b.json" --before "$TMP/ecr.json" 2> "$TMP/err.txt"
check "plan --before another questionnaire refused with 2" test $? -eq 2

# --- long file ----------------------------------------------------------------------------------
printf 'id,wave,anxiety,avoidance\np1,2026-01-01,5.0,3.0\np2,2026-01-01,3.0,2.0\np1,2026-03-01,3.5,3.1\np2,2026-02-01,3.2,\np1,2026-02-01,4.0,3.0\np3,2026-01-05,4.0,4.0\n' > "$TMP/long.csv"
# ECR, --sd baseline: first occasions' anxiety 5, 3, 4 -> SD 1; published alpha .91 -> SEM 0.3,
# S_diff = 0.424264, p1 5 -> 4: RCI = -2.357023 (reliable), MDC95 = 0.831558. Avoidance 3, 2, 4 -> SD 1,
# alpha .94 -> SEM 0.244949, S_diff 0.346410, MDC95 0.678964. p3 has one occasion: no row.
"$BIN" compare --long "$TMP/long.csv" --time wave -i ecr --sd baseline -o "$TMP/long.out" 2> "$TMP/long.err"
check "long exit 0" test $? -eq 0
# The CSV has no room for a sentence per row: where each scale's SEM came from goes to standard error.
check "long basis of avoidance named" has "$TMP/long.err" "attune compare --long: avoidance: SEM = SD"
check "long basis says baseline SD" has "$TMP/long.err" "first occasion in the file (--sd baseline), the instrument's published reliability"
check "long rows" test "$(wc -l < "$TMP/long.out")" -eq 4
check "long p1 first interval" has "$TMP/long.out" "p1,2026-01-01,2026-02-01,31,3.000000,3.000000,0.000000,0.000000,0.678964,0,5.000000,4.000000,-1.000000,-2.357023,0.831558,1"
check "long missing score left empty" has "$TMP/long.out" "p2,2026-01-01,2026-02-01,31,2.000000,,,,0.678964,,3.000000"
# The same resolution as two results (one place): --convert-response-scale linear on 1..7 scores gives
# anxiety the SEM 0.349241828862974 above: p1 5 -> 4, RCI -2.024691, MDC95 0.968049; avoidance (SD
# 0.8396445599658849 x 6/4 = 1.259466839948827, alpha 0.9382448453995267): SEM = 1.259467 x
# sqrt(0.0617551546) = 0.312984870299, MDC95 = 1.96 sqrt(2) SEM = 0.867549798854.
"$BIN" compare --long "$TMP/long.csv" --time wave -i ecr --convert-response-scale linear -o "$TMP/long-conv.out" 2> "$TMP/long-conv.err"
check "long converted exit 0" test $? -eq 0
check "long converted basis names the norm set" has "$TMP/long-conv.err" "anxiety: SEM = SD x sqrt(1 - alpha), with the SD and alpha of"
check "long converted p1" has "$TMP/long-conv.out" "p1,2026-01-01,2026-02-01,31,3.000000,3.000000,0.000000,0.000000,0.867550,0,5.000000,4.000000,-1.000000,-2.024691,0.968049,1"
"$BIN" compare --long "$TMP/long.csv" --time when -i ecr 2> "$TMP/err.txt"
check "long missing column refused with 4" test $? -eq 4
printf 'id,wave,anxiety\np1,1,4\np1,1,5\n' > "$TMP/dup.csv"
"$BIN" compare --long "$TMP/dup.csv" --time wave -i ecr 2> "$TMP/err.txt"
check "long duplicate occasion refused" has "$TMP/err.txt" "same person and time"
# Times compare as numbers when they are not all dates (2 before 10; 1 and 1.0 are one time), and
# a time that is neither is refused, never sorted as text or as NaN.
printf 'id,wave,anxiety\np2,10,3\np2,2,4\n' > "$TMP/num.csv"
"$BIN" compare --long "$TMP/num.csv" --time wave -i ecr --sd anxiety=1 --reliability anxiety=0.9 -o "$TMP/num.out"
check "numeric times in numeric order" has "$TMP/num.out" "p2,2,10,,4.000000,3.000000,-1.000000,-2.236068,0.876539,1"
printf 'id,wave,anxiety\np1,1,4\np1,1.0,5\n' > "$TMP/same.csv"
"$BIN" compare --long "$TMP/same.csv" --time wave -i ecr 2> "$TMP/err.txt"
check "1 and 1.0 are the same time" has "$TMP/err.txt" "same person and time"
printf 'id,wave,anxiety\np1,x,4\np1,,5\n' > "$TMP/badtime.csv"
"$BIN" compare --long "$TMP/badtime.csv" --time wave -i ecr 2> "$TMP/err.txt"
check "a time neither date nor number refused" has "$TMP/err.txt" "neither a date nor a number"

# The same answers twice: the verdict is "the same score as before", not "a change within
# measurement error: it may be real", whatever the error model (here SD 1, r .9 for anxiety, none
# for avoidance on the ECR-R).
cp "$TMP/a.json" "$TMP/a-again.json"
"$BIN" compare "$TMP/a.json" "$TMP/a-again.json" --sd anxiety=1 --reliability anxiety=0.9 --format json -o "$TMP/same.json"
python3 - "$TMP/same.json" <<'PY' || { fail=$((fail + 1)); echo "FAILED: identical scores are the same"; }
import json, sys
s = {x["id"]: x for x in json.load(open(sys.argv[1]))["scales"]}
for k in ("anxiety", "avoidance"):
    assert s[k]["verdict"] == "same" and s[k]["verdict_text"] == "the same score as before", s[k]
assert s["anxiety"]["reliable"] is False, s["anxiety"]
PY

echo "compare CLI: $pass passed, $fail failed"
test "$fail" -eq 0
