#!/usr/bin/env bash
# Runs attune and its peers (R psych, pandas + NumPy) on the same 1,000,000 x 36 file in one run and
# prints the ratios. Needs tools/install-deps.sh --peers. Usage: bench/run_peers.sh [ROWS]
set -euo pipefail
ROWS=${1:-1000000}
source "$(dirname "$0")/lib.sh"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "data: $DATA ($(du -m "$DATA" | cut -f1) MB, $ROWS rows x 36 items)"

read -r A_T A_M < <(best build/attune score -i ecr-r --map 'Q{n}' "$DATA" -o "$OUT/attune.csv" -q)
echo "attune score (read + score + profile + write): ${A_T} s, max RSS $((A_M / 1024)) MB"
cat "$DATA" > /dev/null
read -r C_T _ < <(best cat "$DATA")
echo "cat (reading the file): ${C_T} s"
if /usr/bin/python3 -c "import pandas" 2>/dev/null; then
  P=$(/usr/bin/python3 bench/peer_numpy.py "$DATA" "$OUT/numpy.csv")
  echo "pandas + NumPy: $P"
  P_T=$(echo "$P" | sed -E 's/.*read\+score ([0-9.]+) s.*/\1/')
  awk -v a="$A_T" -v p="$P_T" 'BEGIN{printf "ratio pandas+NumPy (read+score only) / attune (whole job): %.1fx\n", p/a}'
fi
if command -v Rscript >/dev/null && Rscript -e 'library(psych); library(data.table)' >/dev/null 2>&1; then
  R=$(Rscript bench/peer_r.R "$DATA" "$OUT/r.csv")
  echo "R: $R"
  R_T=$(echo "$R" | sed -E 's/.*read\+score ([0-9.]+) s.*/\1/')
  awk -v a="$A_T" -v r="$R_T" 'BEGIN{printf "ratio R fread+scoreItems (read+score only) / attune (whole job): %.1fx\n", r/a}'
fi
