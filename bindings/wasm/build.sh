#!/bin/sh
# Builds the attune core + C ABI to WebAssembly with Debian's Emscripten (3.1.6):
#   dist/attune_wasm.js        one file (the .wasm embedded, -sSINGLE_FILE=1), for Node 20 and browsers
#   dist/attune_wasm.wasm      the same module as a separate file (size check, CDN use)
# The English guidance pack (guidance/en) is embedded in the .wasm's data (--embed-file), so the
# module fetches nothing.
# Usage: bindings/wasm/build.sh [BUILD_DIR]   (default: build-wasm; objects are reused between runs;
#        JOBS compilers at a time, default 2)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-wasm}
mkdir -p "$build/obj" "$build/include" "$here/dist"
# Debian's emscripten needs its node modules; it has its own sysroot, so header-only dependencies
# come in through a folder of symlinks (never -I/usr/include, which would mix glibc headers in).
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
ln -sfn /usr/include/nlohmann "$build/include/nlohmann"
ln -sfn /usr/include/boost "$build/include/boost"

# -D_LIBCPP_DISABLE_EXTERN_TEMPLATE: std::string's members are compiled here, at -O2, and inlined;
# otherwise every push_back and append calls into Debian's prebuilt libc++, which made building the
# result and plan JSON about 5 times slower (bindings/wasm/README.md, "Speed").
CXXFLAGS="-std=c++17 -O2 -fwasm-exceptions -D_LIBCPP_DISABLE_EXTERN_TEMPLATE -Wall -Wextra -Wpedantic -DATTUNE_STATIC -DATTUNE_BUILDING
  -DATTUNE_VERSION_STRING=\"0.1.0\" -DATTUNE_SOURCE_INSTRUMENTS=\"/instruments\" -DATTUNE_INSTALLED_INSTRUMENTS=\"/instruments\"
  -DATTUNE_SOURCE_GUIDANCE=\"/guidance\" -DATTUNE_INSTALLED_GUIDANCE=\"/guidance\"
  -I$root/include -I$root/src -I$root/bindings/c/include -isystem $build/include -isystem /usr/include/eigen3"

# The core minus what a browser cannot use or does not need: the CLI, CSV streaming with threads
# (src/io) and statistics over files (src/stats).
# The guidance module (src/guidance) is in: the plan is part of the JS API. Its English pack is
# embedded in the module's virtual filesystem at /guidance/en, where Guidance::load("en") looks.
# src/text (escaping, number texts) is in: the result JSON needs it.
sources="$(ls "$root"/src/*.cpp) $(ls "$root"/src/text/*.cpp) $(ls "$root"/src/guidance/*.cpp)"
sources="$sources $root/bindings/c/attune_c.cpp $root/bindings/c/attune_c_theta.cpp"
# Item response theory (theta for one person, the adaptive test): calibrations come in as JSON text.
sources="$sources $(ls "$root"/src/irt/*.cpp)"
# Retakes and two partners (attune_compare_json, attune_couple_json): the reliable change arithmetic.
sources="$sources $root/src/stats/change.cpp"
objs=""
stale=""
# Objects compiled with other flags are out of date too.
if [ "$(cat "$build/obj/flags" 2>/dev/null)" != "$CXXFLAGS" ]; then rm -f "$build"/obj/*.o; fi
printf '%s' "$CXXFLAGS" > "$build/obj/flags"
for s in $sources; do
  o="$build/obj/$(basename "$s" .cpp).o"
  if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ -n "$(find "$root/include" "$root/src" "$root/bindings/c/include" -name '*.h*' -newer "$o" | head -1)" ]; then
    stale="$stale $s"
  fi
  objs="$objs $o"
done
# The out-of-date objects, JOBS compilers at a time (default 2; xargs fails if any of them fails).
if [ -n "$stale" ]; then
  export CXXFLAGS
  # shellcheck disable=SC2086
  printf '%s\n' $stale | xargs -P "${JOBS:-2}" -I{} sh -c \
    'o="$1/obj/$(basename "$2" .cpp).o"; echo "em++ $(basename "$2")"; em++ $CXXFLAGS -c "$2" -o "$o"' sh "$build" {}
fi

# The pack is embedded without its indentation (the same JSON, about 17 KB less), so the .wasm stays
# under 1 MB (issue 21).
rm -rf "$build/guidance" && mkdir -p "$build/guidance/en"
node -e 'const fs = require("fs"), [from, to] = process.argv.slice(1);
  for (const f of fs.readdirSync(from)) fs.writeFileSync(to + "/" + f, JSON.stringify(JSON.parse(fs.readFileSync(from + "/" + f, "utf8"))));' \
  "$root/guidance/en" "$build/guidance/en"
# attune_result_norms_json and the norm-set reader stay out of the module (attune_c.cpp: not under
# __EMSCRIPTEN__): with them the .wasm was 1,076,460 bytes, over its 1 MiB budget.
exports=$(grep -o 'ATTUNE_EXTERN([^)]*) *attune_[a-z0-9_]*' "$root/bindings/c/include/attune.h" | grep -v attune_result_norms_json |
  sed 's/.* \(attune_[a-z0-9_]*\)$/"_\1"/' | tr '\n' ',')
# FS (the module's in-memory files) is exported so that index.js can keep each instrument loaded with
# loadInstrument() at /instruments/ID.json, where the registry looks: couple (attune_couple_json)
# loads the results' instrument by id. Embedding instruments/*.json instead would add about 50 KB
# and take the .wasm over 1 MiB.
# -Os at link (wasm-opt for size): the .wasm under 1 MiB (issue 21) at the same speed as -O2 in
# bindings/wasm/bench.js (score 22.7 vs 21.6 us CPU, plan 0.79 vs 0.75 ms, same load); objects stay -O2.
LDFLAGS="-Os -fwasm-exceptions -sMODULARIZE=1 -sEXPORT_NAME=createAttuneModule -sALLOW_MEMORY_GROWTH=1
  -sENVIRONMENT=web,node --embed-file $build/guidance/en@/guidance/en -sEXPORTED_FUNCTIONS=[${exports}\"_malloc\",\"_free\"]
  -sEXPORTED_RUNTIME_METHODS=[\"cwrap\",\"UTF8ToString\",\"stringToUTF8\",\"lengthBytesUTF8\",\"getValue\",\"setValue\",\"FS\"]"
# The two links at the same time (each mostly one core).
# shellcheck disable=SC2086
em++ $objs $LDFLAGS -o "$build/attune_wasm.js" &
separate=$!
# shellcheck disable=SC2086
em++ $objs $LDFLAGS -sSINGLE_FILE=1 -o "$here/dist/attune_wasm.js" &
single=$!
wait "$separate"
wait "$single"
cp "$build/attune_wasm.wasm" "$here/dist/attune_wasm.wasm"
ls -l "$here/dist"
