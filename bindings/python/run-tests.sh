#!/bin/sh
# Builds attune._core (and the CLI the tests compare against) in BUILD_DIR and runs the pytest suite.
#   bindings/python/run-tests.sh [BUILD_DIR]      (default: build-python)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-python}
cmake -S "$root" -B "$build" -DATTUNE_BUILD_PYTHON=ON -DATTUNE_BUILD_BENCH=OFF -DATTUNE_WERROR=ON >/dev/null
cmake --build "$build" -j2 --target attune_python_core attune_cli
export PYTHONPATH="$build/bindings/python" ATTUNE_CLI="$build/attune" ATTUNE_SOURCE_DIR="$root"
/usr/bin/python3 -m pytest -q -p no:cacheprovider "$here/tests"
/usr/bin/python3 "$here/examples/score_example.py" >/dev/null
echo "python bindings: tests and example OK"
