#!/usr/bin/env bash
# Installs the R package against an installed attune and runs its testthat tests (and, with
# --check, R CMD build + R CMD check --no-manual).
# Usage: bindings/r/check.sh PREFIX [--check]
#   PREFIX: what `cmake --install build --prefix PREFIX` got. ATTUNE_CLI (the built attune) and the
#   shared real data (../shared/data, or ATTUNE_TEST_SHARED_DATA) are used when present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export ATTUNE_PREFIX
ATTUNE_PREFIX=$(cd "$1" && pwd)
work=$(mktemp -d /tmp/attune-r.XXXXXX)
trap 'rm -rf "$work"' EXIT
export ATTUNE_SOURCE_DIR="$root" R_LIBS="$work/lib${R_LIBS:+:$R_LIBS}"
mkdir -p "$work/lib"
# A copy, so configure's generated files never land in the source tree.
cp -R "$here" "$work/attune"
R CMD INSTALL --no-test-load -l "$work/lib" "$work/attune" >"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
(cd "$here/tests" && Rscript testthat.R)
(cd /tmp && Rscript "$here/examples/score_example.R" >/dev/null && Rscript "$here/examples/irt_example.R" >/dev/null)
if [ "${2:-}" = "--check" ]; then
  (cd "$work" && R CMD build --no-build-vignettes attune >/dev/null && _R_CHECK_FORCE_SUGGESTS_=false \
     R CMD check --no-manual attune_*.tar.gz) | tee "$work/check.log"
  if grep -qE '^Status: .*(ERROR|WARNING)' "$work/check.log"; then echo "attune: R CMD check found errors or warnings"; exit 1; fi
fi
echo "R package: installed against $ATTUNE_PREFIX, tests pass"
