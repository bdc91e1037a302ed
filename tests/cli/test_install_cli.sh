#!/usr/bin/env bash
# An installed attune finds its own instruments and guidance relative to its prefix, also after the
# prefix was moved, and with the source tree out of reach (it used to print an empty instrument
# list with exit 0, and could not load ecr-r). With none to be found, `instruments` is an error.
# Usage: test_install_cli.sh BUILD_DIR SOURCE_DIR
# The source tree is hidden with a private mount namespace (unshare -m, as root); without one the
# relocation is still checked but the test cannot prove the source tree was not used.
set -uo pipefail
BUILD=$1
SRC=$2
source "$(dirname "$0")/lib.sh"

if ! cmake --install "$BUILD" --prefix "$TMP/prefix" > "$TMP/install.log" 2>&1; then
  cat "$TMP/install.log"
  echo "FAILED: cmake --install (build every installed target first)"
  exit 1
fi
mv "$TMP/prefix" "$TMP/moved"  # relocated: nothing under the prefix compiled in, nor the install prefix
cp "$SRC/examples/data/ecr-r-one.json" "$TMP/one.json"
BIN=$TMP/moved/bin/attune
mkdir -p "$TMP/empty"

hidden() {  # hidden CMD...: CMD with the source tree's instruments and guidance folders empty
  unshare -m sh -c 'mount --bind "$1" "$2/instruments" && mount --bind "$1" "$2/guidance" && shift 2 && exec "$@"' \
    sh "$TMP/empty" "$SRC" "$@"
}
if hidden true 2> /dev/null; then
  run=hidden
else
  echo "note: no private mount namespace here; the source tree stays visible"
  run=
fi
[ -n "$run" ] && check "the source tree's instruments are hidden" $run sh -c 'test -z "$(ls "$1/instruments")"' sh "$SRC"

$run env -u ATTUNE_INSTRUMENT_PATH -u ATTUNE_GUIDANCE_PATH "$BIN" instruments > "$TMP/list.txt" 2> "$TMP/list.err"
check "relocated: instruments exit 0" test $? -eq 0
check "relocated: lists the seven instruments" test "$(grep -cE '^(ecr|ecr-r|ecr-s|ecr-rs|rq|rsq|raas) ' "$TMP/list.txt")" -eq 7
$run env -u ATTUNE_INSTRUMENT_PATH -u ATTUNE_GUIDANCE_PATH "$BIN" score -i ecr-r --json "$TMP/one.json" > "$TMP/one.out" 2> "$TMP/one.err"
check "relocated: scores with ecr-r" test $? -eq 0 -a -s "$TMP/one.out"
$run env -u ATTUNE_INSTRUMENT_PATH -u ATTUNE_GUIDANCE_PATH "$BIN" plan -i ecr-r --json "$TMP/one.json" --start 2025-03-01 > "$TMP/plan.out" 2> "$TMP/plan.err"
check "relocated: finds the guidance pack" test $? -eq 0 -a -s "$TMP/plan.out"

# The C ABI finds the data from libattune_c.so's own folder (lib/../share/attune).
if command -v cc > /dev/null && [ -e "$TMP/moved/lib/libattune_c.so" ]; then
  cat > "$TMP/load.c" <<'C'
#include "attune.h"
#include <stdio.h>
int main(void) {
  attune_instrument* ins = NULL;
  if (attune_instrument_load(&ins, "ecr-r") != ATTUNE_OK) { printf("%s\n", attune_error_message()); return 1; }
  attune_instrument_free(ins);
  return 0;
}
C
  cc -I "$TMP/moved/include" "$TMP/load.c" -L "$TMP/moved/lib" -lattune_c -o "$TMP/load"
  $run env -u ATTUNE_INSTRUMENT_PATH LD_LIBRARY_PATH="$TMP/moved/lib" "$TMP/load"
  check "relocated: the C ABI loads ecr-r" test $? -eq 0
fi

# Nothing to find: an error naming where instruments belong, not an empty list.
mv "$TMP/moved/share/attune/instruments" "$TMP/instruments-away"
$run env -u ATTUNE_INSTRUMENT_PATH "$BIN" instruments > "$TMP/none.txt" 2> "$TMP/none.err"
code=$?
if [ -n "$run" ]; then
  check "no instruments anywhere -> exit 5" test "$code" -eq 5
  check "no instruments: says where they belong" grep -q "share/attune/instruments" "$TMP/none.err"
  check "no instruments: no list header printed" test ! -s "$TMP/none.txt"
fi

echo "$pass passed, $fail failed"
test "$fail" -eq 0
