#!/usr/bin/env bash
# Classical scoring against scoring with theta (EAP and its posterior SD per scale, --irt) on the same
# 1,000,000-row x 36-item ECR file on the 1..5 scale (bench/make_data.py --scale 1..5), in one run,
# alternating the two so the machine's drift hits both alike. Reports the best wall time and the least
# CPU time (user + system) of each over RUNS pairs, and their ratios (issue 20 target: <= 3x).
# THREADS, when given, is passed to both as --threads (1: the steadier figure on a loaded machine, where
# a second worker's time depends on what else runs); without it both take the default, one per core.
# Usage: bench/bench_irt_file.sh [ROWS] [RUNS] [THREADS]   (default 1,000,000 rows, 3 pairs)
set -euo pipefail
ROWS=${1:-1000000}
RUNS=${2:-3}
THREADS=${3:-}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA=bench/data/ecr-1to5-${ROWS}.csv
mkdir -p bench/data
[ -f "$DATA" ] || /usr/bin/python3 bench/make_data.py "$ROWS" "$DATA" --scale 1..5
[ -x build/attune ] || { cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null && cmake --build build -j2 --target attune_cli >/dev/null; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $DATA ($(du -m "$DATA" | cut -f1) MB, $ROWS rows x 36 items, 1..5)"
cat "$DATA" > /dev/null  # both read from the page cache

COMMON=(score -i ecr --response-scale 1..5 --map 'Q{n}' "$DATA" -q)
[ -z "$THREADS" ] || COMMON+=(--threads "$THREADS")
echo "threads: ${THREADS:-default (one per core: $(nproc))} for both"
run() {  # run NAME ARGS...: wall and CPU seconds, appended to $OUT/NAME
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$OUT/t" build/attune "${COMMON[@]}" "$@" > /dev/null 2>&1
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$OUT/t" >> "$OUT/$name"
}
for _ in $(seq "$RUNS"); do
  run classical -o "$OUT/classical.csv"
  run irt --irt ecr-openpsychometrics-1to5 -o "$OUT/irt.csv"
done
best() { sort -n -k"$2" "$OUT/$1" | head -1 | awk -v k="$2" '{print $k}'; }
CW=$(best classical 1); CC=$(best classical 2); IW=$(best irt 1); IC=$(best irt 2)
echo "classical (scores + profile, CSV written): wall ${CW} s, CPU ${CC} s (best of $RUNS)"
echo "--irt (the same + theta and SE on both scales): wall ${IW} s, CPU ${IC} s (best of $RUNS)"
awk -v cw="$CW" -v cc="$CC" -v iw="$IW" -v ic="$IC" 'BEGIN{printf "ratio --irt / classical: wall %.2fx, CPU %.2fx (target <= 3x)\n", iw/cw, ic/cc}'
# Per round (each --irt run against the classical run just before it): the spread the best figures hide.
paste "$OUT/classical" "$OUT/irt" | awk '{r = $4 / $2; s = s sprintf(" %.2f", r); if (NR == 1 || r < lo) lo = r; if (NR == 1 || r > hi) hi = r}
  END {printf "CPU ratio per round:%s (%.2f-%.2fx)\n", s, lo, hi}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
