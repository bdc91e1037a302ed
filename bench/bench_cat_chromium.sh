#!/bin/sh
# One adaptive-test step in WebAssembly in headless Chromium (bench/bench_cat_wasm.html); prints the
# page's CATBENCH line. Needs bindings/wasm/build.sh first. Usage: bench/bench_cat_chromium.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
chromium --headless=new --no-sandbox --disable-gpu --allow-file-access-from-files --user-data-dir="$work/profile" \
  --enable-logging=stderr --v=0 "file://$here/bench_cat_wasm.html" > "$work/log" 2>&1 &
pid=$!
i=0
while [ $i -lt 240 ] && ! grep -q 'CATBENCH' "$work/log" 2>/dev/null; do sleep 0.5; i=$((i + 1)); done
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
grep -m1 -o 'CATBENCH[^"]*' "$work/log" || echo "CATBENCH: no result within 120 s"
rm -rf "$work"
