#!/usr/bin/env bash
# The research job side by side, in one run, on the same file: attune's scores + response-quality
# flags + reliability (one command) against pandas + NumPy doing the same (bench/peer_numpy_full.py)
# and R doing fread + psych::scoreItems + psych::alpha (bench/peer_r_full.R, no flags: psych has
# none). Prints times, ratios and the machine. Needs tools/install-deps.sh --peers.
# Usage: bench/run_full_job.sh [ROWS]   (default 1,000,000)
set -euo pipefail
ROWS=${1:-1000000}
source "$(dirname "$0")/lib.sh"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $DATA ($(du -m "$DATA" | cut -f1) MB, $ROWS rows x 36 items)"
cat "$DATA" > /dev/null  # every contender reads from the page cache

read -r F_T F_M < <(best build/attune score -i ecr-r --map 'Q{n}' --quality --reliability "$OUT/rel.json" "$DATA" -o "$OUT/full.csv" -q)
echo "attune score --quality --reliability (scores + flags + reliability, written): ${F_T} s, max RSS $((F_M / 1024)) MB"
read -r S_T S_M < <(best build/attune score -i ecr-r --map 'Q{n}' --reliability "$OUT/rel2.json" "$DATA" -o "$OUT/scores.csv" -q)
echo "attune score --reliability (scores + reliability, one pass): ${S_T} s, max RSS $((S_M / 1024)) MB"
if /usr/bin/python3 -c "import pandas, scipy" 2>/dev/null; then
  P=$(/usr/bin/python3 bench/peer_numpy_full.py "$DATA" "$OUT/numpy.csv")
  echo "pandas + NumPy: $P"
  P_T=$(echo "$P" | sed -E 's/.*total ([0-9.]+) s.*/\1/')
  awk -v a="$F_T" -v p="$P_T" 'BEGIN{printf "ratio pandas + NumPy / attune, the same job: %.1fx\n", p/a}'
fi
if command -v Rscript >/dev/null && Rscript -e 'library(psych); library(data.table)' >/dev/null 2>&1; then
  R=$(Rscript bench/peer_r_full.R "$DATA" "$OUT/r.csv")
  echo "R: $R"
  R_T=$(echo "$R" | sed -E 's/.*total ([0-9.]+) s.*/\1/')
  awk -v a="$F_T" -v r="$R_T" 'BEGIN{printf "ratio R (fread + scoreItems + alpha, no flags) / attune (with flags): %.1fx\n", r/a}'
fi
