#!/bin/sh
# Builds the attune core + C ABI to WebAssembly with Debian's Emscripten (3.1.6):
#   dist/attune_wasm.js        one file (the .wasm embedded, -sSINGLE_FILE=1), for Node 20 and browsers
#   dist/attune_wasm.wasm      the same module as a separate file (size check, CDN use)
# The English guidance pack (guidance/en) is embedded in the .wasm's data (--embed-file), so the
# module fetches nothing. What is compiled, and how, is in CMakeLists.txt beside this script: the build
# is incremental (each object's header dependencies are tracked; ccache when installed), so a rebuild
# after no change takes about a second and after one changed file one compile and one link.
# Usage: bindings/wasm/build.sh [BUILD_DIR]   (default: build-wasm; JOBS compilers at a time, default 2)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-wasm}
command -v emcmake >/dev/null || { echo "build.sh: emcmake not found (sudo apt-get install -y emscripten)" >&2; exit 1; }
# Debian's emscripten needs its node modules.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
# Configured once; CMake configures itself again when CMakeLists.txt, attune.h or the source list changes.
if [ ! -f "$build/CMakeCache.txt" ]; then
  generator=""
  if command -v ninja >/dev/null; then generator="-GNinja"; fi
  # shellcheck disable=SC2086
  emcmake cmake -S "$here" -B "$build" $generator -DCMAKE_BUILD_TYPE= >/dev/null
fi
cmake --build "$build" -j"${JOBS:-2}"
ls -l "$here/dist"
