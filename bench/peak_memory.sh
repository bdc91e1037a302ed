#!/usr/bin/env bash
# Peak memory of the research job on a large file: memory must not grow with the file.
# Usage: bench/peak_memory.sh [ROWS]   (default 10,000,000: about 785 MB of CSV, made once in bench/data/)
set -euo pipefail
ROWS=${1:-10000000}
source "$(dirname "$0")/lib.sh"
echo "data: $DATA ($(du -m "$DATA" | cut -f1) MB, $ROWS rows)"
for args in "" "--quality" "--quality --norms sample"; do
  /usr/bin/time -f "%e %M" -o "$OUT/t" build/attune score -i ecr-r --map 'Q{n}' $args --reliability "$OUT/rel.json" "$DATA" -o "$OUT/out.csv" -q || true
  read -r t m < "$OUT/t"
  echo "attune score $args --reliability: ${t} s wall, max RSS $((m / 1024)) MB"
done
