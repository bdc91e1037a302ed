#!/usr/bin/env python3
"""The dependency direction of attune's library (issue 19; HACKING.md): a file may include files of its
own layer and of the layers below it, never above.

    0 base     src/simd/, src/text/ and the small helpers at the top of src/ (json, numbers, limits)
    1 core     instruments, the scoring plan, scoring one person, profiles, results
    2 stats    src/stats/ (reliability, quality, audit), src/irt/ (graded response model, adaptive test)
               include/attune/{reliability,quality,audit,irt,cat,irt_json,norms,person_norms}.hpp
    3 batch    src/io/, src/batch/ (readers, writers, the research job)   include/attune/{batch,formats}.hpp
    4 guidance src/guidance/ (plans, text packs, retakes, couples)
               include/attune/{guidance,text_pack,plan_columns,retake,couple}.hpp
    5 report   src/report/   include/attune/report.hpp
    6 front    src/cli/, bindings/ (the program and the bindings use everything)

Performance internals stay out of the public headers (issue 19): the names in INTERNAL_NAMES may not
appear in include/attune/ (they live in src/: stats/byte_accumulator.hpp, batch/job/parsed_rows.hpp,
batch/tuning.hpp, stats/reliability_accumulator.hpp, stats/quality_impl.hpp).

Known exceptions, to be removed as the batch path is reshaped, are listed in tools/layer-exceptions.txt
("FILE -> INCLUDED"); a listed exception that no longer occurs is reported so the list shrinks.
Usage: tools/check_layers.py
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXCEPTIONS = os.path.join(ROOT, "tools", "layer-exceptions.txt")
NAMES = ["base", "core", "stats", "batch", "guidance", "report", "front"]
PUBLIC = {
    "export": 0, "error": 0, "limits": 0, "version": 0,
    "instrument": 1, "scoring_plan": 1, "responses": 1, "result": 1, "score": 1,
    "reliability": 2, "quality": 2, "audit": 2, "irt": 2, "norms": 2, "person_norms": 2, "change": 2, "cat": 2, "irt_json": 2,
    "batch": 3, "formats": 3, "job": 3, "research_job": 3,
    "guidance": 4, "text_pack": 4, "plan_columns": 4, "retake": 4, "couple": 4,
    "report": 5, "attune": 6,
}
BASE_FILES = {"charconv_compat", "json_escape", "json_parse", "json_walk", "limits", "error", "number_format",
              "number_texts", "data_dirs"}
INTERNAL_NAMES = ["kNotAnsweredByte", "add_bytes", "reads_scores", "reads_bytes", "ParsedRows", "chunk_bytes",
                  "rows_buf_", "byte_rows_buf_", "side_rows_", "side_byte_rows_", "complete_", "linv_", "syn_first_",
                  "syn_second_", "halves_"]
FOLDERS = {"simd": 0, "text": 0, "stats": 2, "irt": 2, "io": 3, "batch": 3, "guidance": 4, "report": 5, "cli": 6}


def layer_of(path):
    """Layer of a repository path, or None for files outside the library (tests, tools)."""
    parts = path.split("/")
    stem = os.path.splitext(parts[-1])[0]
    if parts[0] == "include" and len(parts) == 3:
        return PUBLIC.get(stem, 1)
    if parts[0] == "bindings":
        return 6
    if parts[0] != "src":
        return None
    if len(parts) == 2:
        return 0 if stem in BASE_FILES else 1
    return FOLDERS.get(parts[1], 1)


def includes(path):
    """Repository paths that PATH includes (quoted includes relative to it, <attune/...> public headers)."""
    out = []
    with open(os.path.join(ROOT, path), encoding="utf-8", errors="replace") as fh:
        for line in fh:
            m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
            if not m:
                continue
            name = m.group(2)
            if m.group(1) == "<" and name.startswith("attune/"):
                out.append("include/" + name)
            elif m.group(1) == '"':
                out.append(os.path.normpath(os.path.join(os.path.dirname(path), name)))
    return out


def internal_names_in_public(files):
    """Lines of the public headers that name a performance internal."""
    found = []
    pattern = re.compile(r"\b(" + "|".join(INTERNAL_NAMES) + r")\b")
    for f in files:
        if not f.startswith("include/attune/") or not os.path.exists(os.path.join(ROOT, f)):
            continue
        with open(os.path.join(ROOT, f), encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                m = pattern.search(line)
                if m:
                    found.append(f"{f}:{n}: {m.group(1)}")
    return found


def main():
    files = subprocess.run(["git", "ls-files", "src", "include"], cwd=ROOT, check=True, capture_output=True,
                           text=True).stdout.split()
    allowed = set()
    if os.path.exists(EXCEPTIONS):
        for line in open(EXCEPTIONS):
            line = line.split("#", 1)[0].strip()
            if line:
                allowed.add(line)
    seen, bad = set(), []
    for f in files:
        if not f.endswith((".cpp", ".hpp", ".h")) or not os.path.exists(os.path.join(ROOT, f)):
            continue
        lf = layer_of(f)
        if lf is None:
            continue
        for inc in includes(f):
            li = layer_of(inc)
            if li is None or li <= lf:
                continue
            edge = f"{f} -> {inc}"
            if edge in allowed:
                seen.add(edge)
            else:
                bad.append(f"{edge}  ({NAMES[lf]} includes {NAMES[li]})")
    for b in bad:
        print("layers: upward include: " + b)
    stale = sorted(allowed - seen)
    for s in stale:
        print("layers: exception no longer needed (remove it from tools/layer-exceptions.txt): " + s)
    internal = internal_names_in_public(files)
    for i in internal:
        print("layers: a performance internal in a public header (keep it under src/): " + i)
    print(f"layers: {len(files)} files checked, {len(bad)} upward includes, {len(seen)} known exceptions, "
          f"{len(internal)} internals in public headers")
    return 1 if bad or stale or internal else 0


if __name__ == "__main__":
    sys.exit(main())
