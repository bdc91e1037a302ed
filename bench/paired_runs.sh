#!/usr/bin/env bash
# Paired, alternating runs of two attune binaries on the same command (before/after a change, issue 19):
# pair i runs BEFORE then AFTER when i is odd, AFTER then BEFORE when even, so drift in the machine's
# load falls on both. Prints each run (side, wall s, user+sys s, max RSS kB), then per measure the
# medians and the median and geometric mean of the per-pair ratios after/before. On a shared machine
# trust the CPU-time ratio more than the wall-time one. Keep an optimisation only at >= 5% end to end.
#
# Usage: bench/paired_runs.sh BEFORE_BIN AFTER_BIN PAIRS ARGS...
#   e.g. bench/paired_runs.sh build-before/attune build/attune 12 score -i ecr-r --map 'Q{n}' \
#          bench/data/ecr-r-1000000.csv -o /tmp/out.csv -q
set -euo pipefail
if [ $# -lt 4 ]; then sed -n '2,11p' "$0" >&2; exit 2; fi
BEFORE=$1 AFTER=$2 PAIRS=$3
shift 3
runs=$(mktemp)
t=$(mktemp)
trap 'rm -f "$runs" "$t"' EXIT
for i in $(seq 1 "$PAIRS"); do
  if [ $((i % 2)) = 1 ]; then order="B A"; else order="A B"; fi
  for side in $order; do
    bin=$BEFORE
    [ "$side" = A ] && bin=$AFTER
    /usr/bin/time -f "%e %U %S %M" -o "$t" "$bin" "$@" >/dev/null 2>&1 || true
    read -r wall user sys rss < <(tail -n 1 "$t")  # after a "Command exited with non-zero status" line
    echo "$side $wall $(echo "$user + $sys" | bc) $rss" | tee -a "$runs"
  done
done
/usr/bin/python3 - "$runs" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
for k, name in ((1, "wall"), (2, "cpu")):
    ratios = []
    for i in range(0, len(rows) - 1, 2):
        d = {rows[i][0]: float(rows[i][k]), rows[i + 1][0]: float(rows[i + 1][k])}
        if d["B"] > 0 and d["A"] > 0:  # a run too short for time's resolution has no ratio
            ratios.append(d["A"] / d["B"])
    b = statistics.median(float(r[k]) for r in rows if r[0] == "B")
    a = statistics.median(float(r[k]) for r in rows if r[0] == "A")
    if not ratios:
        print(f"{name}: before median {b:.3f} s, after median {a:.3f} s (too short for ratios)")
        continue
    print(f"{name}: before median {b:.3f} s, after median {a:.3f} s; after/before per pair: "
          f"median {statistics.median(ratios):.3f}, geometric mean {statistics.geometric_mean(ratios):.3f} ({len(ratios)} pairs)")
mb = statistics.median(int(r[3]) for r in rows if r[0] == "B") / 1024
ma = statistics.median(int(r[3]) for r in rows if r[0] == "A") / 1024
print(f"max RSS median: before {mb:.1f} MB, after {ma:.1f} MB")
EOF
