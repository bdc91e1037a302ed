#!/usr/bin/env python3
"""Size budgets for attune's C++ (issue 19): no source file over 600 lines, no function over 80 lines
or cyclomatic complexity 20. pmccabe (Debian) measures the functions. Prints the worst offenders;
fails when a file or function not in tools/budget-baseline.txt breaks a budget, or when one that is
listed there grew by more than a tenth (smaller growth is printed as a warning: a fix to a listed
function should not have to split it first). The baseline lists what was over budget when the budgets
were set, so that it can only shrink: after you split a function, run with --update and commit the
shorter list.

Usage: tools/check_budgets.py [--update] [--worst N]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80
MAX_COMPLEXITY = 20
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "tools", "budget-baseline.txt")
PATTERNS = ["src/*.cpp", "src/*.hpp", "include/*.hpp", "bindings/*.cpp", "bindings/*.hpp"]


def sources():
    out = subprocess.run(["git", "ls-files", *PATTERNS], cwd=ROOT, check=True, capture_output=True, text=True)
    return [f for f in out.stdout.split() if os.path.exists(os.path.join(ROOT, f))]


def measure(files):
    """{key: (kind, value)}: 'file PATH' -> lines; 'complexity PATH FUNCTION' and 'lines PATH FUNCTION'."""
    found = {}
    for f in files:
        with open(os.path.join(ROOT, f), "rb") as fh:
            n = fh.read().count(b"\n")
        if n > MAX_FILE_LINES:
            found[f"file {f}"] = n
    # pmccabe: modified McCabe, traditional McCabe, statements, first line, lines, "file(line): name".
    # It warns about C++ it cannot parse (lambdas) on stderr and still measures the functions.
    # pmccabe does not understand C++17's nested namespace definition (`namespace attune::irt {`): it
    # reports no function of such a file. Measure copies in which `a::b` reads `a__b` (one brace, the
    # same lines), so every function is seen; paths are the same relative paths.
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            with open(os.path.join(ROOT, f), encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            text = re.sub(r"^(\s*namespace\s+)([A-Za-z_][\w:]*::[\w:]*)(\s*\{)",
                          lambda m: m.group(1) + m.group(2).replace("::", "__") + m.group(3), text, flags=re.M)
            os.makedirs(os.path.dirname(os.path.join(tmp, f)), exist_ok=True)
            with open(os.path.join(tmp, f), "w", encoding="utf-8") as fh:
                fh.write(text)
        out = subprocess.run(["pmccabe", *files], cwd=tmp, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        m = re.match(r"(\d+)\t(\d+)\t(\d+)\t(\d+)\t(\d+)\t(.+?)\(\d+\): (.+)$", line)
        if not m:
            continue
        cc, lines, path, fn = int(m.group(2)), int(m.group(5)), m.group(6), m.group(7).strip()
        # Overloads share a name: keep the worst figure of each.
        if cc > MAX_COMPLEXITY:
            key = f"complexity {path} {fn}"
            found[key] = max(found.get(key, 0), cc)
        if lines > MAX_FUNCTION_LINES:
            key = f"lines {path} {fn}"
            found[key] = max(found.get(key, 0), lines)
    return found


def read_baseline():
    base = {}
    if os.path.exists(BASELINE):
        for line in open(BASELINE):
            line = line.strip()
            if line and not line.startswith("#"):
                value, key = line.split(" ", 1)
                base[key] = int(value)
    return base


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--update", action="store_true", help="write the current offenders as the baseline")
    ap.add_argument("--worst", type=int, default=10, help="offenders to print (default 10)")
    args = ap.parse_args()
    found = measure(sources())
    if args.update:
        # A listed offender keeps the smaller of its listed and measured values: the list may only
        # shrink, so growth within the tenth the check forgives is not written into it.
        old = read_baseline()
        with open(BASELINE, "w") as fh:
            fh.write("# Over budget when the budgets were set (tools/check_budgets.py): value, then what.\n")
            fh.write("# This list may only shrink; split the code and run tools/check_budgets.py --update.\n")
            for key in sorted(found):
                fh.write(f"{min(found[key], old.get(key, found[key]))} {key}\n")
        print(f"budgets: baseline written ({len(found)} entries)")
        return 0
    base = read_baseline()
    limit = {"file": MAX_FILE_LINES, "lines": MAX_FUNCTION_LINES, "complexity": MAX_COMPLEXITY}
    ranked = sorted(found.items(), key=lambda kv: kv[1] / limit[kv[0].split(" ")[0]], reverse=True)
    print(f"budgets: files <= {MAX_FILE_LINES} lines, functions <= {MAX_FUNCTION_LINES} lines and complexity <= {MAX_COMPLEXITY}; "
          f"{len(found)} over ({len(base)} in the baseline). Worst:")
    for key, value in ranked[: args.worst]:
        print(f"  {value:5d}  {key}")
    new = [(k, v) for k, v in found.items() if k not in base]
    worse = [(k, v, base[k]) for k, v in found.items() if k in base and v > base[k]]
    grown = [(k, v, b) for k, v, b in worse if v > b * 1.1]
    for k, v in new:
        print(f"budgets: NEW over budget: {k} = {v}")
    for k, v, b in worse:
        level = "GREW more than a tenth" if v > b * 1.1 else "warning: grew"
        print(f"budgets: {level} over the baseline: {k} = {v} (was {b})")
    gone = [k for k in base if k not in found]
    if gone:
        print(f"budgets: {len(gone)} baseline entries now within budget: run tools/check_budgets.py --update to drop them")
    return 1 if new or grown else 0


if __name__ == "__main__":
    sys.exit(main())
