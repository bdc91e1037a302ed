#!/bin/sh
# The npm package as a user gets it (issue 23, part 4): `npm pack` in bindings/wasm, then
# `npm install ./attune-wasm-X.tgz` offline into a scratch project, where it must run in Node
# (require + score + plan) and in a plain browser page served from that project (headless Chromium,
# playwright-core from tests/web: run `npm ci` there first).
# Usage: bindings/wasm/test/pack-test.sh   (after bindings/wasm/build.sh; PACK_TEST_BROWSER=0: Node only,
#        as the fast test command runs it; the full one adds the page in Chromium)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
[ -f "$here/dist/attune_wasm.js" ] || { echo "pack-test: build first (bindings/wasm/build.sh)" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

tarball=$(cd "$here" && npm pack --silent --pack-destination "$scratch")
echo "pack-test: $tarball ($(wc -c < "$scratch/$tarball") bytes)"
# The package holds what a user needs and nothing of the build.
contents=$(tar tzf "$scratch/$tarball" | sort | tr '\n' ' ')
for f in package/package.json package/index.js package/index.d.ts package/dist/attune_wasm.js package/README.md; do
  case " $contents " in *" $f "*) ;; *) echo "pack-test: $f is missing from $tarball ($contents)" >&2; exit 1 ;; esac
done
case "$contents" in *test/*|*build.sh*|*bench*) echo "pack-test: build or test files in $tarball: $contents" >&2; exit 1 ;; esac

mkdir "$scratch/app"
cd "$scratch/app"
printf '{ "name": "scratch-app", "version": "1.0.0", "private": true }\n' > package.json
npm install --offline --no-audit --no-fund --silent "../$tarball"
cp "$root/instruments/ecr-r.json" .
# Node: the installed package, from outside the repository. Hand values: q1 = 7, q9 = 3, q11 = 1,
# q2..q18 otherwise 5, q19..q36 2 gives anxiety 94/18 and avoidance 84/18 (tests/c/test_c_abi.c).
cat > node-check.js <<'JS'
const assert = require('assert');
const attune = require('attune-wasm');
assert(require.resolve('attune-wasm').includes('node_modules'), 'the installed copy, not the repository');
(async () => {
  const a = await attune.load();
  const ins = a.loadInstrument(require('fs').readFileSync('ecr-r.json', 'utf8'), 'ecr-r.json');
  const ans = {};
  for (let q = 1; q <= 36; ++q) ans['q' + q] = q === 1 ? 7 : q === 9 ? 3 : q === 11 ? 1 : q <= 18 ? 5 : 2;
  const r = ins.score(ans);
  assert(Math.abs(r.scales.find((s) => s.id === 'anxiety').raw - 94 / 18) < 1e-12);
  assert(Math.abs(r.scales.find((s) => s.id === 'avoidance').raw - 84 / 18) < 1e-12);
  assert(/not a diagnosis/.test(ins.plan(ans).disclaimer));
  console.log('pack-test: node OK');
})().catch((e) => { console.error(e); process.exit(1); });
JS
node node-check.js
if [ "${PACK_TEST_BROWSER:-1}" = 0 ]; then echo "pack-test: OK (Node only: PACK_TEST_BROWSER=0)"; exit 0; fi
# A plain page that loads the package's two scripts from node_modules, as an app without a bundler would.
cat > index.html <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>scratch app</title></head>
<body>
<p id="out">loading</p>
<script src="node_modules/attune-wasm/dist/attune_wasm.js"></script>
<script src="node_modules/attune-wasm/index.js"></script>
<script>
(async () => {
  const a = await attune.load();
  const ins = a.loadInstrument(await (await fetch('ecr-r.json')).text(), 'ecr-r.json');
  const ans = {};
  for (let q = 1; q <= 36; ++q) ans['q' + q] = q === 1 ? 7 : q === 9 ? 3 : q === 11 ? 1 : q <= 18 ? 5 : 2;
  const r = ins.score(ans);
  document.getElementById('out').textContent = JSON.stringify({ anxiety: r.scales[0].raw, avoidance: r.scales[1].raw, category: r.profile.category });
})().catch((e) => { document.getElementById('out').textContent = 'error: ' + e; });
</script>
</body></html>
HTML
NODE_PATH="$root/tests/web/node_modules" node "$here/test/pack-browser.js" "$scratch/app"
echo "pack-test: OK"
