#!/usr/bin/env bash
# attune_theta_block (the C ABI's many-rows theta) against `attune score FILE --irt` (nine decimals):
# the same values, NaN where the CLI leaves a cell empty (an answer off the scale, a scale with none
# answered), EAP and MAP; a 1..7 plan refused.
# Usage: test_theta_block_c.sh TEST_THETA_BLOCK_C ATTUNE_CLI SOURCE_DIR
set -uo pipefail
C=$1
BIN=$2
SRC=$3
source "$SRC/tests/cli/lib.sh"
CAL=ecr-openpsychometrics-1to5
/usr/bin/python3 - "$TMP" <<'EOF'
import sys
import numpy as np
tmp = sys.argv[1]
rng = np.random.default_rng(21)
x = rng.integers(1, 6, size=(80, 36)).astype(float)
x[rng.random(x.shape) < 0.15] = np.nan
x[5, 2] = 9                 # off the scale: no theta (the CLI reports the row)
x[9, 1::2] = np.nan         # the even items (anxiety) all unanswered
np.savetxt(f"{tmp}/answers.txt", x, fmt="%g")
with open(f"{tmp}/data.csv", "w") as f:
    f.write(",".join(f"q{i}" for i in range(1, 37)) + "\n")
    for row in x:
        f.write(",".join("" if np.isnan(v) else str(int(v)) for v in row) + "\n")
EOF
for method in eap map; do
  extra=(); [ $method = map ] && extra=(--irt-map)
  "$BIN" score -i ecr --response-scale 1..5 --irt $CAL "${extra[@]}" --decimals 9 -q "$TMP/data.csv" -o "$TMP/cli.csv" 2> /dev/null
  "$C" $CAL $method < "$TMP/answers.txt" > "$TMP/c.csv"
  check "$method: attune_theta_block equals score FILE --irt (1e-9), NaN where the CLI is empty" /usr/bin/python3 - <<EOF
import pandas as pd, numpy as np
cli = pd.read_csv("$TMP/cli.csv"); c = pd.read_csv("$TMP/c.csv")
assert len(cli) == len(c) == 80
for col in c.columns:
    a, b = c[col].to_numpy(float), cli[col].to_numpy(float)
    assert np.array_equal(np.isnan(a), np.isnan(b)), col
    assert np.nanmax(np.abs(a - b)) < 1e-9, (col, np.nanmax(np.abs(a - b)))
assert np.isnan(c.loc[5]).all() and np.isnan(c.loc[9, "anxiety_theta"]) and not np.isnan(c.loc[9, "avoidance_theta"])
EOF
done
"$C" $CAL mode < "$TMP/answers.txt" > /dev/null 2> "$TMP/err.txt"
check "an unknown method: ATTUNE_EUSAGE" grep -q "USAGE\|usage" "$TMP/err.txt"
echo "C ABI theta block: $pass passed, $fail failed"
test "$fail" -eq 0
