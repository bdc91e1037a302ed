#!/usr/bin/env bash
# Installs everything attune needs on a fresh Debian 12 machine, from Debian's packages only.
# Usage: tools/install-deps.sh            build + test dependencies
#        tools/install-deps.sh --peers    also R (psych, data.table) for the reference scripts and benches,
#                                         and Rcpp + testthat for the R package (bindings/r)
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# Build and core tests.
PACKAGES=(
  build-essential cmake pkg-config
  libeigen3-dev nlohmann-json3-dev libboost-dev catch2 libcli11-dev libreadstat-dev
)
# Bindings and their tests (the C ABI needs nothing more): Python (pybind11, NumPy, pandas, pytest,
# Dask with distributed), WebAssembly (Emscripten) and the browser test (Chromium; Node.js and npm
# come with the machine or from Debian's nodejs/npm).
PACKAGES+=(
  python3 python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pandas python3-pytest
  python3-dask python3-distributed emscripten chromium
)
# The developer loop: ccache (rebuilds of unchanged files are instant; CMakeLists.txt uses it when
# present) and pmccabe (tools/check_budgets.py measures function size and complexity with it).
PACKAGES+=(ccache pmccabe)
# pip install ./bindings/python offline (docs/install.md): Debian's pip, venv and build backend.
PACKAGES+=(python3-pip python3-venv python3-setuptools python3-wheel)
# Fuzzing (tools/fuzz.sh, tests/fuzz): clang with libFuzzer and the sanitizer runtimes.
PACKAGES+=(clang libclang-rt-14-dev)
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)
# Peers for reference values (tools/r: JSON through jsonlite; psych::omega needs GPArotation) and benchmarks.
if [ "${1:-}" = "--peers" ]; then
  PACKAGES+=(r-base-core r-cran-psych r-cran-data.table r-cran-jsonlite r-cran-gparotation python3-scipy)
  # The R package (bindings/r) and its tests.
  PACKAGES+=(r-cran-rcpp r-cran-testthat)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "attune: dependencies present (${#PACKAGES[@]} packages)"
