#!/usr/bin/env bash
# End-to-end: norm columns for files (`attune score FILE --norm-group gender=COLUMN,age=COLUMN`):
# each row's cell from its own gender and age values, unknown or empty values falling back to the
# whole sample and saying so in norm_cell. Expected values come from Python reading the shipped table
# (NumPy interpolation, reverse keys by hand) and from the one-person `score --json --norm-group`.
# Usage: test_norms_file_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
NORMS=$SRC/instruments/norms/ecr-openpsychometrics-1to5.json
PY=/usr/bin/python3

# Rows: id, sex, age, q1..q36 on 1..5. Genders and ages in every form a cell reads (female/f/woman,
# Male/m/man, padded, "30.0"), unknown ones (other, empty, "fem,ale" quoted), ages outside every cell
# or not numbers, one row with a scale below its minimum answered and one with an answer off the scale.
$PY - "$TMP/data.csv" "$TMP/data7.csv" <<'EOF'
import csv, random, sys
random.seed(20)
ctx = [("female", "30"), ("Male", "70"), ("m", "24"), ("woman", "45"), ("other", "30"), ("", ""),
       ("female", ""), ("female", "15"), ("f", "30.0"), (" F ", " 52 "), ("fem,ale", "40"), ("man", "thirty"),
       ("MALE", "40"), ("female", "1997"), ("male", "60"), ("female", "22")]
rows = []
for k, (g, a) in enumerate(ctx):
    ans = [random.randint(1, 5) for _ in range(36)]
    if k == 6: ans[0:6] = [0] * 6        # q1..q6 not answered (0 = missing): both scales lose some
    if k == 12: ans[1:37:2] = [0] * 18   # every even item missing: one scale below its minimum
    if k == 14: ans[3] = 9               # off the scale: the row is reported, its norm columns empty
    rows.append([f"p{k}", g, a] + ans)
head = ["id", "sex", "age"] + [f"q{i}" for i in range(1, 37)]
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f); w.writerow(head); w.writerows(rows)
with open(sys.argv[2], "w", newline="") as f:  # the same on 1..7 (x -> x + 1), for the conversion
    w = csv.writer(f); w.writerow(head)
    w.writerows([r[:3] + [v + 1 if 0 < v <= 5 else v for v in r[3:]] for r in rows])
EOF

"$BIN" score -i ecr --response-scale 1..5 --missing 0 --decimals 9 "$TMP/data.csv" --norm-group gender=sex,age=age \
  -o "$TMP/out.csv" 2> "$TMP/out.err"
check "file with --norm-group: exit 1 (one row reported as an error)" test $? -eq 1
check "the summary names the norm set, its source and the columns" grep -q "norms: ecr-openpsychometrics-1to5 (Open Psychometrics.*columns 'sex' and 'age'" "$TMP/out.err"

# expect OUT DATA FROM TO: every row's norm_cell, z and percentile as Python finds them in the table.
expect() {
  $PY - "$1" "$2" "$NORMS" "$SRC/instruments/ecr.json" "$3" "$4" <<'EOF'
import csv, json, math, sys
import numpy as np
out, data, norms, ins, lo, hi = sys.argv[1:]
lo, hi = int(lo), int(hi)
n = json.load(open(norms)); inst = json.load(open(ins))
cells = {c["id"]: c for c in n["cells"]}
got = list(csv.DictReader(open(out)))
want = list(csv.DictReader(open(data)))
assert len(got) == len(want) == 16, len(got)
def gender(t):
    t = t.strip().lower()
    return "female" if t in ("female", "f", "woman") else "male" if t in ("male", "m", "man") else None
def age(t):
    t = t.strip()
    if t.endswith(".0"): t = t[:-2]
    return int(t) if t.isdigit() else None
bands = [(18, 24), (25, 34), (35, 44), (45, 54), (55, 99)]
for k, (g, w) in enumerate(zip(got, want)):
    assert g["id"] == w["id"] and g["sex"] == w["sex"] and g["age"] == w["age"], (g, w)  # the two columns are kept
    if k == 14:
        assert g["norm_cell"] == "" and g["avoidance_norm_pct"] == "" and g["notes"].startswith("error"), g
        continue
    sex, years = gender(w["sex"]), age(w["age"])
    cell = None
    if sex and years is not None:
        cell = next((f"{sex}-{a}-{b}" for a, b in bands if a <= years <= b), None)
    why = ("all: gender and age not recognised" if not sex and years is None else "all: gender not recognised" if not sex
           else "all: age not recognised" if years is None else "all: age outside every cell")
    assert g["norm_cell"] == (cell or why), (k, g["norm_cell"], cell, why)
    d_cell = cells[cell or "all"]
    for s in inst["scales"]:
        answered = [i for i in s["items"] if 0 < int(w[i])]
        vals = [lo + hi - int(w[i]) if i in s["reverse"] else int(w[i]) for i in answered]
        if len(vals) < s["min_answered"]:
            assert g[s["id"] + "_norm_z"] == "" and g[s["id"] + "_norm_pct"] == "", (k, s["id"], g)
            continue
        m = sum(vals) / len(vals)
        m = 1 + (m - lo) * 4 / (hi - lo)
        d = d_cell["scales"][s["id"]]["mean_score"]
        t = np.array(d["table"])
        z, pct = float(g[s["id"] + "_norm_z"]), float(g[s["id"] + "_norm_pct"])
        assert abs(z - (m - d["mean"]) / d["sd"]) < 2e-9, (k, s["id"], z)
        assert abs(pct - np.interp(m, t[:, 0], t[:, 1])) < 2e-9, (k, s["id"], pct, np.interp(m, t[:, 0], t[:, 1]))
print("ok")
EOF
}
check "each row's cell, z and percentile: the shipped table interpolated by NumPy, cell from the row's own values" \
  expect "$TMP/out.csv" "$TMP/data.csv" 1 5
check "columns: kept id, sex, age; norm_cell and <scale>_norm_z, <scale>_norm_pct after the profile" \
  sh -c "head -1 '$TMP/out.csv' | grep -q '^id,sex,age,avoidance,.*,method,norm_cell,avoidance_norm_z,avoidance_norm_pct,anxiety_norm_z,anxiety_norm_pct,notes$'"

# Each row against the one-person result for the same answers and context.
check "each row's percentile and z equal 'score --json --norm-group' for the same answers and context" $PY - <<EOF
import csv, json, subprocess
rows = list(csv.DictReader(open("$TMP/data.csv")))
out = list(csv.DictReader(open("$TMP/out.csv")))
for k in (0, 1, 2, 3, 8, 9, 12, 15):
    w = rows[k]
    ans = {f"q{i}": (int(w[f"q{i}"]) or None) for i in range(1, 37)}
    json.dump(ans, open("$TMP/one.json", "w"))
    group = "gender=%s,age=%d" % (w["sex"].strip().lower(), int(float(w["age"])))
    r = json.loads(subprocess.run(["$BIN", "score", "-i", "ecr", "--response-scale", "1..5", "--json", "$TMP/one.json",
                                   "--norm-group", group], capture_output=True, text=True, check=True).stdout)["norms"]
    assert r["cell"]["id"] == out[k]["norm_cell"], (k, r["cell"], out[k]["norm_cell"])
    for s, v in r["scales"].items():
        if v["percentile"] is None:
            assert out[k][s + "_norm_pct"] == "" and out[k][s + "_norm_z"] == "", (k, s, out[k])
            continue
        assert abs(v["percentile"] - float(out[k][s + "_norm_pct"])) < 1e-9, (k, s, v, out[k])
        assert abs(v["z"] - float(out[k][s + "_norm_z"])) < 1e-9, (k, s, v, out[k])
EOF

"$BIN" score -i ecr --response-scale 1..5 --missing 0 --decimals 9 "$TMP/data.csv" --norm-group gender=sex,age=age \
  --format jsonl -o "$TMP/out.jsonl" 2> /dev/null
check "JSON Lines: the same cells and numbers as CSV (null where CSV is empty)" $PY - <<EOF
import csv, json
c = list(csv.DictReader(open("$TMP/out.csv")))
j = [json.loads(l) for l in open("$TMP/out.jsonl")]
assert len(c) == len(j)
for a, b in zip(c, j):
    assert list(a) == list(b), (list(a), list(b))
    for k in ("sex", "age", "norm_cell", "avoidance_norm_z", "avoidance_norm_pct", "anxiety_norm_pct"):
        v = b[k]
        assert (a[k] == "" and v in (None, "")) or (a[k] == v if isinstance(v, str) else abs(float(a[k]) - v) < 1e-12), (k, a[k], v)
EOF

"$BIN" score -i ecr --response-scale 1..5 --missing 0 --decimals 9 "$TMP/data.csv" --norm-group gender=sex,age=age \
  --quality --threads 2 -o "$TMP/quality.csv" 2> /dev/null
check "with --quality (rows kept from the first reading): the same norm columns" $PY - <<EOF
import csv
a = list(csv.DictReader(open("$TMP/out.csv"))); b = list(csv.DictReader(open("$TMP/quality.csv")))
cols = ["sex", "age", "norm_cell", "avoidance_norm_z", "avoidance_norm_pct", "anxiety_norm_z", "anxiety_norm_pct"]
assert [[r[c] for c in cols] for r in a] == [[r[c] for c in cols] for r in b]
assert "longstring" in b[0] and list(b[0]).index("anxiety_norm_pct") < list(b[0]).index("longstring")
EOF

"$BIN" score -i ecr --response-scale 1..5 --missing 0 "$TMP/data.csv" --keep id,age --norm-group gender=sex,age=age -o "$TMP/keep.csv" 2> /dev/null
check "--keep naming one of the columns: kept once, the other added after" sh -c "head -1 '$TMP/keep.csv' | grep -q '^id,age,sex,avoidance,'"

"$BIN" score -i ecr --response-scale 1..5 --missing 0 "$TMP/data.csv" -o "$TMP/plain.csv" 2> /dev/null
check "without --norm-group: no norm columns, sex and age not kept" sh -c "head -1 '$TMP/plain.csv' | grep -q '^id,avoidance,' && ! grep -q norm_ '$TMP/plain.csv'"

"$BIN" score -i ecr --response-scale 1..5 --missing 0 "$TMP/data.csv" --norm-group gender=gender,age=age -o "$TMP/x.csv" 2> "$TMP/nocol.err"
check "a column not in the file: data exit 4, naming it and --norm-group" sh -c "test $? -eq 4 && grep -q -- \"--norm-group.*gender\\|gender.*--norm-group\" '$TMP/nocol.err'"
"$BIN" score -i ecr --response-scale 1..5 --missing 0 "$TMP/data.csv" --norm-group gender=sex -o "$TMP/x.csv" 2> "$TMP/half.err"
check "--norm-group on a file without age: usage exit 2, asking for both" sh -c "test $? -eq 2 && grep -q 'gender=COLUMN,age=COLUMN' '$TMP/half.err'"
"$BIN" score -i ecr --response-scale 1..5 --missing 0 "$TMP/data.csv" --norm-set ecr-openpsychometrics-1to5 -o "$TMP/x.csv" 2> /dev/null
check "--norm-set on a file without --norm-group: usage exit 2" test $? -eq 2
"$BIN" score -i ecr --missing 0 "$TMP/data7.csv" --norm-group gender=sex,age=age -o "$TMP/x.csv" 2> "$TMP/seven.err"
check "1..7 data with the 1..5 norms: refused, usage exit 2, naming the conversion" sh -c "test $? -eq 2 && grep -q -- '--convert-response-scale linear' '$TMP/seven.err'"
"$BIN" score -i ecr --missing 0 --decimals 9 "$TMP/data7.csv" --norm-group gender=sex,age=age --convert-response-scale linear -o "$TMP/conv.csv" 2> /dev/null
check "1..7 data with --convert-response-scale linear: scores moved as 1 + (x - 1) x 4/6, then looked up" expect "$TMP/conv.csv" "$TMP/data7.csv" 1 7

"$BIN" score -i ecr --response-scale 1..5 --missing 0 "$TMP/data.csv" --norm-group gender=sex,age=age -o "$TMP/out.sav" 2> /dev/null
check ".sav output: exit 1 (one row reported)" test $? -eq 1
check ".sav output: norm variables labelled with their norm set" $PY -c "
b = open('$TMP/out.sav', 'rb').read()
assert b'NORM_CELL' in b.upper() and b'avoidance: percentile in the norm set ecr-openpsychometrics-1to5' in b, 'labels'"
check "help: --norm-group names the file form and its columns" sh -c "'$BIN' score --help | grep -q 'gender=COLUMN,age=COLUMN'"
echo "norm columns for files: $pass passed, $fail failed"
test "$fail" -eq 0
