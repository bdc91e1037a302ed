# Shared by the bench scripts: makes the data file once, builds attune if needed, a scratch folder,
# and best() (best wall time of 3 runs). Source it after setting ROWS; it sets DATA and OUT.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA=bench/data/ecr-r-${ROWS}.csv
mkdir -p bench/data
[ -f "$DATA" ] || /usr/bin/python3 bench/make_data.py "$ROWS" "$DATA"
[ -x build/attune ] || { cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null && cmake --build build -j2 >/dev/null; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

best() {  # best wall seconds of 3 runs of a command, with that run's max RSS in KB
  local best_t=999 best_m=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$OUT/t" "$@" > /dev/null 2>&1 || true
    read -r t m < "$OUT/t"
    if awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; best_m=$m; fi
  done
  echo "$best_t $best_m"
}
