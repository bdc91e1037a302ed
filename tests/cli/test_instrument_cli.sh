#!/usr/bin/env bash
# End-to-end: any questionnaire, any column names (issue 18). An instrument without a profile
# (psych's bfi), zero-padded --map patterns, an item mapped twice, unique output column names for
# the RQ and RSQ, and a --keep column that collides with an output column.
# Usage: test_instrument_cli.sh ATTUNE_BINARY SOURCE_DIR
set -uo pipefail
BIN=$1
SRC=$2
source "$(dirname "$0")/lib.sh"
BFI=$SRC/examples/instruments/bfi.json

"$BIN" score -i "$BFI" "$SRC/tests/reference/bfi_first500.csv" -o "$TMP/bfi.csv" 2> "$TMP/bfi.txt"
check "bfi scores, every row -> exit 0" test $? -eq 0
check "bfi: scales only, no profile columns" test "$(head -1 "$TMP/bfi.csv" 2>/dev/null)" = \
  "id,agree,agree_z,agree_pct,conscientious,conscientious_z,conscientious_pct,extraversion,extraversion_z,extraversion_pct,neuroticism,neuroticism_z,neuroticism_pct,openness,openness_z,openness_pct,notes"
# Row 1 by hand (psych's bfi, first person): A1 = 2 reversed to 7 - 2 = 5; (5 + 4 + 3 + 4 + 4) / 5 = 4.
check "bfi: first person's agreeableness" grep -q '^1,4,,,' "$TMP/bfi.csv"
"$BIN" score -i "$BFI" "$SRC/tests/reference/bfi_first500.csv" --format jsonl -o "$TMP/bfi.jsonl" 2>/dev/null
check "bfi JSON Lines: no profile keys" test "$(grep -c '"category"\|"secure"\|"method"' "$TMP/bfi.jsonl")" -eq 0
echo '{"A1": 2, "A2": 4, "A3": 3, "A4": 4, "A5": 4}' | "$BIN" score -i "$BFI" --json - > "$TMP/bfi-one.json" 2>/dev/null
check "bfi --json: no profile object" test "$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("profile" in d, float(d["scales"][0]["raw"]), "diagnosis" in d["disclaimer"], "ttachment" in d["disclaimer"])' "$TMP/bfi-one.json")" = "False 4.0 True False"
"$BIN" score -i "$BFI" "$SRC/tests/reference/bfi_first500.csv" --profile-method quadrant -o "$TMP/bfi-method.csv" 2>/dev/null
check "bfi --profile-method -> exit 2" test $? -eq 2

# Zero-padded columns: ECR_01..ECR_36 with one pattern, the same scores as Q1..Q36.
/usr/bin/python3 - "$SRC/examples/data/ecr-r-synthetic.csv" "$TMP/padded.csv" <<'PY'
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
rows[0] = [re.sub(r"^Q(\d+)$", lambda m: "ECR_%02d" % int(m.group(1)), h) for h in rows[0]]
csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n").writerows(rows)
PY
"$BIN" score -i ecr-r --map 'ECR_{n:02}' "$TMP/padded.csv" -o "$TMP/padded-out.csv" 2>/dev/null
"$BIN" score -i ecr-r --map 'Q{n}' "$SRC/examples/data/ecr-r-synthetic.csv" -o "$TMP/plain-out.csv" 2>/dev/null
# (the three bad rows' notes name their columns, ECR_05 against Q5: compared without them)
check "--map 'ECR_{n:02}' scores as 'Q{n}' on Q columns" cmp -s <(grep -v 'error:' "$TMP/padded-out.csv") <(grep -v 'error:' "$TMP/plain-out.csv")
check "--map 'ECR_{n:02}': all 500 rows" test "$(wc -l < "$TMP/padded-out.csv")" -eq 501
"$BIN" score -i ecr-r --map 'Q{x}' "$SRC/examples/data/ecr-r-synthetic.csv" -o "$TMP/x.csv" 2> "$TMP/x.txt"
check "unknown placeholder -> exit 2" test $? -eq 2
check "unknown placeholder named" grep -q "unknown placeholder '{x}'" "$TMP/x.txt"

printf 'id,A,B,C,D\np1,7,1,1,1\n' > "$TMP/rq.csv"
"$BIN" score -i rq --map 'secure=A,fearful=B,secure=C,preoccupied=C,dismissing=D' "$TMP/rq.csv" -o "$TMP/twice.csv" 2> "$TMP/twice.txt"
check "an item mapped twice -> exit 2" test $? -eq 2
check "an item mapped twice is named" grep -q "names item 'secure' twice" "$TMP/twice.txt"

for ins in rq rsq; do
  if [ $ins = rq ]; then printf 'id,secure,fearful,preoccupied,dismissing\np1,,7,1,4\n' > "$TMP/$ins.csv"
  else { printf 'id'; seq -f ',q%g' 1 30 | tr -d '\n'; printf '\np1'; yes ',3' | head -30 | tr -d '\n'; echo; } > "$TMP/$ins.csv"; fi
  "$BIN" score -i $ins "$TMP/$ins.csv" -o "$TMP/$ins-out.csv" 2>/dev/null
  check "$ins: every CSV column name once" test -z "$(head -1 "$TMP/$ins-out.csv" | tr ',' '\n' | sort | uniq -d)"
  check "$ins: dimension columns prefixed" grep -q ',profile_secure,profile_anxious,profile_avoidant,profile_fearful,category,' <(head -1 "$TMP/$ins-out.csv")
  "$BIN" score -i $ins "$TMP/$ins.csv" --format jsonl -o "$TMP/$ins-out.jsonl" 2>/dev/null
  check "$ins: JSON Lines keys once each" /usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    pairs = json.loads(line, object_pairs_hook=lambda p: p)
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)) and "profile_secure" in keys, keys' "$TMP/$ins-out.jsonl"
done
# RQ with secure (the first prototype) not answered: the other three dimensions are still there,
# (x - 4) / 3 in the order secure, anxious (preoccupied 1), avoidant (dismissing 4), fearful (7).
check "rq: dimensions after a missing rating" grep -q '^p1,.*,,-1,0,1,,,highest,' "$TMP/rq-out.csv"

printf 'id,category,secure,fearful,preoccupied,dismissing\np1,x,7,1,1,1\n' > "$TMP/rq-keep.csv"
# .sav: the rating keeps its scale label, the dimension gets its own (before, the dimension's label
# was given to both columns named secure).
"$BIN" score -i rq "$TMP/rq-keep.csv" --keep id -o "$TMP/rq.sav" 2>/dev/null
check "rq .sav: the rating secure keeps its scale label" grep -q "secure (Secure prototype (paragraph A)): mean of keyed items" <(strings "$TMP/rq.sav")
check "rq .sav: profile_secure labelled as the dimension" test "$(strings "$TMP/rq.sav" | grep -c 'profile dimension: secure')" -eq 1
"$BIN" score -i rq --keep id,category "$TMP/rq-keep.csv" -o "$TMP/keep.csv" 2> "$TMP/keep.txt"
check "--keep a column named like an output column -> exit 2" test $? -eq 2
check "--keep collision named" grep -q "kept column 'category' has the name of an output column" "$TMP/keep.txt"
check "--keep collision leaves no output" test ! -e "$TMP/keep.csv"

# The report of an instrument without a profile: no plane, no pattern table, and a sentence saying why
# (it showed an empty "pattern ()" table).
"$BIN" report -i "$BFI" "$SRC/tests/reference/bfi_first500.csv" -o "$TMP/bfi.html" 2>/dev/null
check "bfi report -> exit 0" test $? -eq 0
check "bfi report: no pattern table" test "$(grep -c 'id="categories"' "$TMP/bfi.html")" -eq 0
check "bfi report: says it has no profile" grep -q "defines no profile" "$TMP/bfi.html"

echo "$pass passed, $fail failed"
test "$fail" -eq 0
