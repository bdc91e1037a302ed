#!/usr/bin/env bash
# Builds the consumers with nothing but pkg-config against an installed attune and runs them:
# the C program with `cc $(pkg-config --cflags --libs attune_c)`, the C++ one with attune.pc.
# Usage: tests/consumer/pkg-config.sh PREFIX OUT_DIR   (PREFIX: what `cmake --install --prefix` got)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=$1 out=$2
mkdir -p "$out"
pcdir=$(dirname "$(find "$prefix" -name attune_c.pc -print -quit)")
[ -f "$pcdir/attune.pc" ] || { echo "pkg-config consumer: no attune.pc / attune_c.pc under $prefix"; exit 1; }
export PKG_CONFIG_PATH="$pcdir"
pkg-config --validate attune attune_c
pkg-config --exists --print-errors "attune_c >= 0.1" "attune >= 0.1"
# The installed prefix, not the source or build tree: the flags must point into it.
for p in attune attune_c; do
  case "$(pkg-config --variable=libdir $p)" in "$prefix"/*|"$pcdir"/*) ;; *)
    echo "pkg-config consumer: $p libdir $(pkg-config --variable=libdir $p) is outside $prefix"; exit 1;; esac
done
instruments=$(pkg-config --variable=instrumentdir attune_c)
[ -f "$instruments/ecr-s.json" ] || { echo "pkg-config consumer: no ecr-s.json in $instruments"; exit 1; }

# shellcheck disable=SC2046  # word splitting of the flags is the point
cc -std=c99 -Wall -Wextra -Werror "$here/consumer_c.c" -o "$out/consumer_c" $(pkg-config --cflags --libs attune_c) -lm
# shellcheck disable=SC2046
c++ -std=c++17 -Wall -Wextra -Werror "$here/main.cpp" -o "$out/consumer_cpp" $(pkg-config --cflags --libs attune)
LD_LIBRARY_PATH="$(pkg-config --variable=libdir attune_c)" ATTUNE_INSTRUMENT_PATH="$instruments" "$out/consumer_c"
ATTUNE_INSTRUMENT_PATH="$instruments" "$out/consumer_cpp"
echo "pkg-config consumer: attune $(pkg-config --modversion attune), C and C++ programs pass"
