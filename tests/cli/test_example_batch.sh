#!/usr/bin/env bash
# examples/cpp/score_file_with_quality does through the library what
# `attune score --quality --reliability` does: the same scores, quality columns and reliability JSON.
# Usage: test_example_batch.sh ATTUNE_CLI EXAMPLE_BINARY SOURCE_DIR
set -euo pipefail
CLI=$1 EXAMPLE=$2 SRC=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DATA="$SRC/examples/data/ecr-r-synthetic.csv"
"$EXAMPLE" "$DATA" "$T/example.csv" "$T/example.json" > "$T/summary.txt" 2> "$T/errors.txt"
"$CLI" score -i ecr-r --map 'Q{n}' --quality --reliability "$T/cli.json" "$DATA" -o "$T/cli.csv" -q 2>/dev/null || [ $? -eq 1 ]
cmp "$T/example.csv" "$T/cli.csv"
cmp "$T/example.json" "$T/cli.json"
grep -q "^500 rows: 497 scored, 3 reported" "$T/summary.txt"
[ "$(wc -l < "$T/errors.txt")" -eq 3 ]
head -1 "$T/example.csv" | grep -q ",mahalanobis_p,"
echo "1 passed, 0 failed"
