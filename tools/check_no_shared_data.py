#!/usr/bin/env python3
"""Fails when a tracked file holds rows of the shared real data (../shared/data: its README forbids
copying it into the project; tests and tools read it from there, and references made from its rows
go into a build folder, tests/reference/README.md).

A row is caught when a line of a tracked text file carries a respondent's 36 answers in order
(separated by commas, spaces, semicolons or tabs, with anything around them), or the data's whole
line. Answering every item alike (all 1s, all 3s, ...) is left out: the synthetic data and the tests
use such patterns, and they identify no one.

Run: python3 tools/check_no_shared_data.py [DATA.csv]   (default: ../shared/data/ecr-openpsychometrics/
data.csv beside the repository, or $ATTUNE_SHARED_DATA). Exits 0, with a message, when the data are not
there; 1 naming each file and line that holds a row.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ITEMS = 36
DIGIT = re.compile(r"(?<![\d.])\d(?![\d.])")


def shared_rows(path):
    whole, answers = set(), set()
    with open(path, encoding="utf-8", errors="replace") as f:
        next(f, None)
        for line in f:
            line = line.strip()
            cells = line.split(",")
            if len(cells) < ITEMS:
                continue
            whole.add(line)
            if len(set(cells[:ITEMS])) > 1:
                answers.add(tuple(cells[:ITEMS]))
    return whole, answers


def holds_row(line, whole, answers):
    if line.strip() in whole:
        return True
    digits = DIGIT.findall(line)
    return any(tuple(digits[k:k + ITEMS]) in answers for k in range(len(digits) - ITEMS + 1))


def main():
    default = os.environ.get("ATTUNE_SHARED_DATA") or os.path.join(ROOT, "..", "shared", "data",
                                                                     "ecr-openpsychometrics", "data.csv")
    data = sys.argv[1] if len(sys.argv) > 1 else default
    if not os.path.isfile(data):
        print(f"shared data: {data} is not there: not checked")
        return 0
    whole, answers = shared_rows(data)
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    found = 0
    for name in (f.decode() for f in files if f):
        path = os.path.join(ROOT, name)
        if not os.path.isfile(path) or os.path.islink(path):
            continue
        with open(path, "rb") as f:
            raw = f.read()
        if b"\0" in raw[:4096]:
            continue  # binary
        for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
            if holds_row(line, whole, answers):
                print(f"shared data: {name}:{number} holds a row of {data}")
                found += 1
    print(f"shared data: {len(files) - 1} tracked files checked against {len(whole)} distinct rows, {found} found")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
