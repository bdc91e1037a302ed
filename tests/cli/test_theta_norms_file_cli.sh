#!/usr/bin/env bash
# End-to-end: theta norm columns for files (`attune score FILE --irt CAL --norm-group gender=COL,age=COL`):
# <scale>_theta_norm_z and <scale>_theta_norm_pct from the row's cell's theta table, under the rule
# of one person's result (EAP from the calibration the set was made from; otherwise left out).
# Expected values: NumPy's interpolation of the shipped table's theta table for the row's cell, from
# the theta the CLI wrote, and the one-person `score --json --irt --norm-group` for the same answers.
# Usage: test_theta_norms_file_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
NORMS=$SRC/instruments/norms/ecr-openpsychometrics-1to5.json
CAL=ecr-openpsychometrics-1to5
PY=/usr/bin/python3

# Rows: id, sex, age, q1..q36 on 1..5 (0 = not answered). Cells of both genders and every band, the
# fallbacks (unknown gender, no age, age outside every cell), one row with no avoidance item answered
# (its avoidance theta, and so its theta norms, empty) and one with an answer off the scale (reported).
$PY - "$TMP/data.csv" <<'EOF'
import csv, random, sys
random.seed(2020)
ctx = [("female", "19"), ("female", "30"), ("female", "40"), ("female", "50"), ("female", "70"),
       ("male", "20"), ("m", "28"), ("Man", "36"), ("male", "54"), ("M", "88"),
       ("other", "30"), ("female", ""), ("male", "15"), ("f", "33.0"), ("female", "41"), ("male", "25")]
rows = []
for k, (g, a) in enumerate(ctx):
    lean = random.choice([1, 2, 3, 4])
    ans = [min(5, max(1, lean + random.randint(-1, 2))) for _ in range(36)]
    if k == 3: ans[0:8] = [0] * 8                 # some items not answered: theta from the rest
    if k == 13: ans[0:36:2] = [0] * 18            # every odd item (the avoidance scale's) not answered
    if k == 14: ans[5] = 9                        # off the scale: the row is reported, its columns empty
    rows.append([f"p{k}", g, a] + ans)
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "sex", "age"] + [f"q{i}" for i in range(1, 37)])
    w.writerows(rows)
EOF
RUN=(-i ecr --response-scale 1..5 --missing 0 --decimals 9 "$TMP/data.csv" --irt "$CAL" --norm-group gender=sex,age=age)

"$BIN" score "${RUN[@]}" -o "$TMP/out.csv" 2> /dev/null
check "--irt with --norm-group: exit 1 (one row reported as an error)" test $? -eq 1
check "columns: <scale>_theta_norm_z and <scale>_theta_norm_pct after the mean score's norm columns" \
  sh -c "head -1 '$TMP/out.csv' | grep -q ',method,avoidance_theta,avoidance_theta_se,anxiety_theta,anxiety_theta_se,norm_cell,avoidance_norm_z,avoidance_norm_pct,anxiety_norm_z,anxiety_norm_pct,avoidance_theta_norm_z,avoidance_theta_norm_pct,anxiety_theta_norm_z,anxiety_theta_norm_pct,notes$'"

# The file writes theta with 9 decimals: the reference interpolates at that printed theta, so the
# tolerance is 1e-9 plus what half a unit of the 9th decimal of theta moves along the table's segment.
check "each row's theta z and percentile: NumPy's interpolation of its cell's theta table at the CLI's theta" $PY - "$TMP/out.csv" "$NORMS" <<'EOF'
import csv, json, sys
import numpy as np
out, norms = sys.argv[1:]
cells = {c["id"]: c for c in json.load(open(norms))["cells"]}
rows = list(csv.DictReader(open(out)))
assert len(rows) == 16
seen = set()
for k, r in enumerate(rows):
    cell = r["norm_cell"] if r["norm_cell"] in cells else "all"
    for s in ("avoidance", "anxiety"):
        if r[s + "_theta"] == "":
            assert r[s + "_theta_norm_z"] == "" and r[s + "_theta_norm_pct"] == "", (k, s, r)
            continue
        t = float(r[s + "_theta"])
        d = cells[cell]["scales"][s]["theta"]
        tab = np.array(d["table"])
        i = min(max(np.searchsorted(tab[:, 0], t), 1), len(tab) - 1)
        slope = abs((tab[i, 1] - tab[i - 1, 1]) / (tab[i, 0] - tab[i - 1, 0]))
        z, pct = float(r[s + "_theta_norm_z"]), float(r[s + "_theta_norm_pct"])
        assert abs(z - (t - d["mean"]) / d["sd"]) <= 1e-9 + 5e-10 / d["sd"], (k, s, z)
        assert abs(pct - np.interp(t, tab[:, 0], tab[:, 1])) <= 1e-9 + 5e-10 * slope, (k, s, pct, np.interp(t, tab[:, 0], tab[:, 1]))
        seen.add(cell)
assert rows[14]["notes"].startswith("error") and rows[14]["avoidance_theta_norm_pct"] == ""
assert rows[13]["avoidance_theta"] == "" and rows[13]["anxiety_theta_norm_pct"] != ""
assert len(seen) >= 9, seen  # both genders, every band and the whole sample
EOF

# Each row against one person's result: the same cell and numbers, to the one-person JSON's 9 significant digits.
check "each row's theta z and percentile equal 'score --json --irt --norm-group' for the same answers and context" $PY - <<EOF
import csv, json, subprocess
rows = list(csv.DictReader(open("$TMP/data.csv")))
out = list(csv.DictReader(open("$TMP/out.csv")))
compared = 0
for k in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 15):
    w = rows[k]
    json.dump({f"q{i}": (int(w[f"q{i}"]) or None) for i in range(1, 37)}, open("$TMP/one.json", "w"))
    group = "gender=%s,age=%d" % (w["sex"].strip().lower(), int(float(w["age"])))
    one = json.loads(subprocess.run(["$BIN", "score", "-i", "ecr", "--response-scale", "1..5", "--json", "$TMP/one.json",
                                     "--irt", "$CAL", "--norm-group", group], capture_output=True, text=True, check=True).stdout)
    irt = one["irt"]
    assert one["norms"]["cell"]["id"] == out[k]["norm_cell"], (k, one["norms"]["cell"], out[k]["norm_cell"])
    for s in ("avoidance", "anxiety"):
        if out[k][s + "_theta"] == "":  # no item of the scale answered: one person gets the prior, the file leaves it empty
            assert irt[s + "_answered"] == 0, (k, s)
            continue
        for col, key in (("_theta_norm_z", "_theta_z"), ("_theta_norm_pct", "_theta_percentile")):
            a, b = float(out[k][s + col]), irt[s + key]
            assert abs(a - b) <= 1e-9 + 1e-8 * abs(b), (k, s, col, a, b)
            compared += 1
assert compared == 46, compared
EOF

"$BIN" score "${RUN[@]}" --format jsonl -o "$TMP/out.jsonl" 2> /dev/null
check "JSON Lines: the same theta norm columns and numbers as CSV (null where CSV is empty)" $PY - <<EOF
import csv, json
c = list(csv.DictReader(open("$TMP/out.csv")))
j = [json.loads(l) for l in open("$TMP/out.jsonl")]
assert len(c) == len(j) == 16
for a, b in zip(c, j):
    assert list(a) == list(b), (list(a), list(b))
    for s in ("avoidance", "anxiety"):
        for k in (s + "_theta_norm_z", s + "_theta_norm_pct"):
            assert (a[k] == "" and b[k] is None) or abs(float(a[k]) - b[k]) < 1e-12, (k, a[k], b[k])
EOF

"$BIN" score "${RUN[@]}" -o "$TMP/out.sav" 2> /dev/null
check ".sav output: theta norm variables labelled with their norm set" $PY -c "
b = open('$TMP/out.sav', 'rb').read()
assert b'anxiety: percentile of theta in the norm set ecr-openpsychometrics-1to5' in b, 'label'"

"$BIN" score "${RUN[@]}" --quality --threads 2 -o "$TMP/quality.csv" 2> /dev/null
check "with --quality and two threads: the same theta norm columns, before the quality columns" $PY - <<EOF
import csv
a = list(csv.DictReader(open("$TMP/out.csv"))); b = list(csv.DictReader(open("$TMP/quality.csv")))
cols = [s + c for s in ("avoidance", "anxiety") for c in ("_theta_norm_z", "_theta_norm_pct")]
assert [[r[c] for c in cols] for r in a] == [[r[c] for c in cols] for r in b]
assert list(b[0]).index("anxiety_theta_norm_pct") < list(b[0]).index("longstring")
EOF

# Where one person's result leaves the theta percentiles out, the file leaves the columns out.
"$BIN" score "${RUN[@]}" --irt-map -o "$TMP/map.csv" 2> /dev/null
check "--irt-map: no theta norm columns (the tables hold EAPs), the mean score's norms kept" \
  sh -c "head -1 '$TMP/map.csv' | grep -q 'anxiety_theta_se,norm_cell,.*,anxiety_norm_pct,notes$'"
$PY - "$NORMS" "$TMP/other.json" <<'EOF'
import json, sys
n = json.load(open(sys.argv[1]))
n["calibration"]["date"] = "2026-01-01T00:00:00Z"  # as if made from another calibration
n["id"] = "ecr-other-calibration"
json.dump(n, open(sys.argv[2], "w"))
EOF
"$BIN" score "${RUN[@]}" --norm-set "$TMP/other.json" -o "$TMP/other.csv" 2> /dev/null
check "a set made from another calibration: no theta norm columns, as one person gets no theta percentiles" $PY - <<EOF
import csv, json, subprocess
head = open("$TMP/other.csv").readline().strip().split(",")
assert "anxiety_norm_pct" in head and not any("theta_norm" in h for h in head), head
one = json.loads(subprocess.run(["$BIN", "score", "-i", "ecr", "--response-scale", "1..5", "--json", "$TMP/one.json", "--irt", "$CAL",
                                 "--norm-set", "$TMP/other.json", "--norm-group", "gender=male,age=25"], capture_output=True, check=True).stdout)
assert "anxiety_theta_percentile" not in one["irt"] and "theta_norm_source" not in one["irt"], one["irt"]
EOF
"$BIN" score -i ecr --response-scale 1..5 --missing 0 --decimals 9 "$TMP/data.csv" --norm-group gender=sex,age=age -o "$TMP/plain.csv" 2> /dev/null
check "without --irt: the norm columns as before, no theta norm columns" sh -c "head -1 '$TMP/plain.csv' | grep -q 'method,norm_cell,.*,anxiety_norm_pct,notes$'"
check "help: --norm-group names the theta norm columns" sh -c "'$BIN' score --help | grep -q 'theta_norm'"
echo "theta norm columns for files: $pass passed, $fail failed"
test "$fail" -eq 0
