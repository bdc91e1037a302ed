#!/usr/bin/env bash
# pip installs attune offline and runs the pytest suite against the installed package, from a folder
# where the source tree is not importable:
#   1. builds a wheel (pip wheel --no-deps --no-build-isolation) from bindings/python and one from the
#      repository root, and checks that they hold the same files with the same bytes;
#   2. installs the repository root (pip install ., as a user does) into a temporary virtual environment
#      that sees Debian's numpy and pandas (python3 -m venv --system-site-packages), runs the checks
#      below and pytest from the temp folder;
#   3. installs it the way the system Python takes it (--break-system-packages), into a scratch
#      --root rather than this machine's /usr/local, and imports it with Debian's /usr/bin/python3.
# Usage: bindings/python/install-test.sh [CMAKE_BUILD_DIR]
#   CMAKE_BUILD_DIR: a build configured with -DATTUNE_BUILD_PYTHON=ON; its _core is reused (seconds)
#   and its attune CLI is what the tests compare with. Without it pip compiles the core (minutes).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-}
work=$(mktemp -d /tmp/attune-pip.XXXXXX)
trap 'rm -rf "$work"' EXIT
# Offline: pip must not reach for an index, for the build backend or for numpy/pandas.
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore
if [ -n "$build" ]; then
  export ATTUNE_CMAKE_BUILD_DIR
  ATTUNE_CMAKE_BUILD_DIR=$(cd "$build" && pwd)
  [ -x "$ATTUNE_CMAKE_BUILD_DIR/attune" ] && export ATTUNE_CLI="$ATTUNE_CMAKE_BUILD_DIR/attune"
fi

# The root's pyproject.toml is a copy: pip reads one or the other depending on where it is started.
cmp "$root/pyproject.toml" "$here/pyproject.toml"
/usr/bin/python3 -m pip wheel -q --no-deps --no-build-isolation -w "$work/wheels" "$here"
wheel=$(ls "$work"/wheels/attune-*.whl)
/usr/bin/python3 -m pip wheel -q --no-deps --no-build-isolation -w "$work/wheels-root" "$root"
/usr/bin/python3 - "$wheel" "$work"/wheels-root/attune-*.whl <<'PY'
import sys, zipfile
def files(path):
    # RECORD lists hashes of the files compared here; the rest of dist-info is the metadata, compared too.
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if not n.endswith(".dist-info/RECORD")}
a, b = files(sys.argv[1]), files(sys.argv[2])
assert a.keys() == b.keys(), ("the root's wheel differs in its files", sorted(a.keys() ^ b.keys()))
diff = [n for n in a if a[n] != b[n]]
assert not diff, ("the root's wheel differs in", diff)
assert any(n.startswith("attune/_core") for n in a) and "attune/data/instruments/ecr-r.json" in a, sorted(a)
print(f"python install: the wheels from bindings/python and from the root hold the same {len(a)} files")
PY
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install -q --no-build-isolation "$root"   # pip install . from the repository root

cd "$work"  # nothing of the source tree on sys.path from here on
site=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# The built-in instruments must come from the package: an edit to the installed copy must show.
sed -i 's/"name": "Experiences in Close Relationships - Short Form"/"name": "ECR-S as installed"/' \
  "$site/attune/data/instruments/ecr-s.json"
"$py" - "$site" <<'PY'
import os, pathlib, sys
import attune
site = pathlib.Path(sys.argv[1]).resolve()
where = pathlib.Path(attune.__file__).resolve()
assert where.is_relative_to(site), f"attune imported from {where}, not from the installed {site}"
assert attune.load_instrument("ecr-s").name == "ECR-S as installed", "ecr-s.json was not read from the package"
for var, sub in (("ATTUNE_INSTRUMENT_PATH", "instruments"), ("ATTUNE_GUIDANCE_PATH", "guidance")):
    assert str(site / "attune" / "data" / sub) in os.environ[var].split(":"), (var, os.environ.get(var))
assert sorted(attune.list_instruments()) == sorted(p.stem for p in (site / "attune/data/instruments").glob("*.json"))
print(f"python install: attune {attune.version()} from {where.parent}")
PY
cp "$root/instruments/ecr-s.json" "$site/attune/data/instruments/ecr-s.json"
ATTUNE_SOURCE_DIR="$root" "$py" -m pytest -q -p no:cacheprovider "$here/tests"
"$py" "$here/examples/score_example.py" >/dev/null

# The system Python's way (PEP 668 asks for --break-system-packages), into a scratch root.
/usr/bin/python3 -m pip install -q --no-build-isolation --break-system-packages --no-warn-script-location \
  --root "$work/sysroot" "$wheel"
sys_site=$(find "$work/sysroot" -type d -name attune -path '*-packages/attune' -print -quit)
PYTHONPATH=$(dirname "$sys_site") /usr/bin/python3 -c \
  'import attune, sys; assert attune.__file__.startswith(sys.argv[1]); attune.score({"q1": 5}, "ecr-r")' "$work/sysroot"
echo "python install: wheel, virtual environment and system-Python installs pass"
