#!/usr/bin/python3
"""ECR norms from the Open Psychometrics open data, independent of attune's C++.

Writes instruments/norms/ecr-openpsychometrics-1to5.json (format: docs/norms.md): aggregates only,
never a row of the data. Per cell (the whole sample, then female and male x 18-24, 25-34, 35-44,
45-54, 55+) and per scale: N, mean and SD (n - 1) of the scale mean score and of theta (EAP from the
shipped calibration, computed here by tools/irt/grm_reference.py, not by attune), and an empirical
percentile table; per cell and scale, Cronbach's alpha of the scale's keyed items over the cell's rows
(the reliability that `attune compare` pairs with the cell's SD: SEM = SD x sqrt(1 - alpha)).

Alpha is checked before anything is written: the same alpha() over all rows with pairwise covariances
(0 = not answered left out) must equal psych::scoreItems' raw_alpha in
psych's ecr_openpsychometrics_summary.json (tools/r/make_row_references.sh, a build folder) within 1e-9.

Rows used: the complete rows (all 36 answers 1..5; 0 = not answered, as the data's README says).
Cells: gender 2 = female, 1 = male (README); age as typed, used only when it is a whole number from
18 to 99 (the column is free text: values like 1997 or 99999 are not ages). The whole-sample cell is
every complete row, whatever its age or gender.

Percentile (mid-rank): 100 x (number below x + half the number equal to x) / N, listed at every
mean score a complete row can have (k / 18, k = 18..90) and at theta = -4, -3.9, ..., 4. Between
listed values attune interpolates linearly; beyond the ends it keeps the end's value.

Also writes tests/reference/norms/ecr_norms_cases.json: a few people's expected cell, z and percentile\ncomputed from the rows themselves, for tests/test_norms.cpp.\n\nRun: /usr/bin/python3 tools/norms/ecr_norms.py [DATA.csv] [--check]   (--check: print, write nothing)
"""
import hashlib
import json
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(HERE, "..", "irt"))
import grm_reference as ref  # noqa: E402

DATA = os.path.join(ROOT, "..", "shared", "data", "ecr-openpsychometrics", "data.csv")
CALIBRATION = "ecr-openpsychometrics-1to5"
OUT = os.path.join(ROOT, "instruments", "norms", "ecr-openpsychometrics-1to5.json")
BANDS = [(18, 24), (25, 34), (35, 44), (45, 54), (55, 99)]
GENDERS = [("female", 2), ("male", 1)]
THETA_POINTS = np.round(np.arange(-40, 41) / 10.0, 1)
MIN_CELL = 600


def mid_rank(values, points):
    v = np.sort(values)
    below = np.searchsorted(v, points, side="left")
    upto = np.searchsorted(v, points, side="right")
    return 100.0 * (below + 0.5 * (upto - below)) / len(v)


def summary(values, points, exact):
    out = {"mean": float(values.mean()), "sd": float(values.std(ddof=1))}
    pct = mid_rank(values, points)
    out["table"] = [[float(p) if not exact else p, float(q)] for p, q in zip(points, pct)]
    return out


def read(path):
    import pandas as pd
    df = pd.read_csv(path, dtype={"age": str}, keep_default_na=False)
    items = ["Q%d" % i for i in range(1, 37)]
    answers = df[items].to_numpy(dtype=int)
    complete = (answers >= 1).all(axis=1) & (answers <= 5).all(axis=1)
    age = df["age"].where(df["age"].str.fullmatch(r"\d{1,3}"), "-1").astype(int).to_numpy()
    return len(df), answers[complete], age[complete], df["gender"].to_numpy()[complete]


def alpha(keyed):
    """Cronbach's alpha, k / (k - 1) x (1 - sum of item variances / variance of the sum), from the
    covariance matrix (n - 1); NaN answers are left out pair by pair (pandas' pairwise covariance)."""
    import pandas as pd
    cov = pd.DataFrame(keyed).cov().to_numpy()
    k = cov.shape[0]
    return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def check_alpha(path, cal):
    """alpha() over every row (pairwise) against psych's raw_alpha: the code that makes the norm
    set's alphas reproduces an independent implementation before its values are trusted."""
    import pandas as pd
    # psych's summary of the same data, made from the shared folder into a build folder, never
    # committed (tools/r/make_row_references.sh build/reference-rows).
    ref_dir = os.environ.get("ATTUNE_TEST_ROW_REFERENCE") or os.path.join(ROOT, "build", "reference-rows")
    ref_path = os.path.join(ref_dir, "ecr_openpsychometrics_summary.json")
    if not os.path.exists(ref_path):
        raise SystemExit("psych's summary %s is missing: run tools/r/make_row_references.sh %s first" % (ref_path, ref_dir))
    ref_scales = json.load(open(ref_path))["scales"]
    df = pd.read_csv(path, dtype={"age": str}, keep_default_na=False)
    out = {}
    for scale, s in cal["scales"].items():
        raw = df[["Q" + it["id"][1:] for it in s["items"]]].to_numpy(dtype=float)
        raw[raw == 0] = np.nan
        rev = np.array([it["reversed"] for it in s["items"]])
        a = alpha(np.where(rev, 6 - raw, raw))
        if abs(a - ref_scales[scale]["raw_alpha"]) > 1e-9:
            sys.exit("alpha of %s over all rows is %.12f, psych says %.12f" % (scale, a, ref_scales[scale]["raw_alpha"]))
        out[scale] = a
    return out


def scale_values(cal, answers):
    """Mean score (after reverse keys), EAP and the keyed answers per scale, for each complete row."""
    out = {}
    for scale, s in cal["scales"].items():
        cols = [int(it["id"][1:]) - 1 for it in s["items"]]
        raw = answers[:, cols].astype(float)
        rev = np.array([it["reversed"] for it in s["items"]])
        ref.REVERSED = list(rev)
        params = [(it["a"], np.array(it["b"])) for it in s["items"]]
        post = ref.posterior(params, ref.keyed(raw))
        mean_score = np.where(rev, 6 - raw, raw).sum(axis=1) / len(cols)
        out[scale] = (mean_score, post @ ref.NODES, len(cols), np.where(rev, 6 - raw, raw))
    return out


def cell(cell_id, label, mask, values, gender=None, band=None):
    c = {"id": cell_id, "label": label, "n": int(mask.sum())}
    if gender:
        c["gender"] = gender
    if band:
        c["age"] = {"min": band[0], "max": band[1]}
    c["scales"] = {}
    for scale, (score, theta, items, keyed) in values.items():
        score_points = [k / items for k in range(items, 5 * items + 1)]
        c["scales"][scale] = {"alpha": alpha(keyed[mask]),
                              "mean_score": summary(score[mask], np.array(score_points), False),
                              "theta": summary(theta[mask], THETA_POINTS, False)}
    return c


CASES = [  # gender, age, avoidance mean score, anxiety mean score, avoidance theta, anxiety theta
    ("female", 30, 2.5, 3.0, 0.0, -0.25), ("male", 19, 1.0, 5.0, -2.05, 2.37), ("male", 60, 3.3333333333333335, 1.7, 1.234, -1.5),
    (None, None, 2.0, 4.25, -4.5, 4.2), ("female", 17, 4.9, 2.2, 0.51, 0.0), ("male", 54, 2.7777777777777777, 3.1, 0.05, 0.95),
    (None, 40, 3.5, 3.5, 1.0, 1.0), ("female", 100, 1.5, 1.5, -1.0, -1.0),
]


def reference_cases(values, age, gender):
    """Expected cell, z and percentile for CASES, from the rows themselves (mid-rank at the two listed
    values around x, then linear between them), not from the written file."""
    out = []
    for g, a, *xs in CASES:
        mask = np.ones(len(age), dtype=bool)
        cell_id = "all"
        if g is not None and a is not None:
            for lo, hi in BANDS:
                if lo <= a <= hi:
                    mask = (gender == dict(GENDERS)[g]) & (age >= lo) & (age <= hi)
                    cell_id = "%s-%d-%d" % (g, lo, hi)
        case = {"gender": g, "age": a, "cell": cell_id, "scales": {}}
        for (scale, (score, theta, items, _)), x_score, x_theta in zip(values.items(), xs[:2], xs[2:]):
            res = {}
            for kind, v, x, points in (("mean_score", score, x_score, np.arange(items, 5 * items + 1) / items),
                                       ("theta", theta, x_theta, THETA_POINTS)):
                v = v[mask]
                res[kind] = {"x": x, "z": (x - v.mean()) / v.std(ddof=1),
                             "percentile": float(np.interp(x, points, mid_rank(v, points)))}
            case["scales"][scale] = res
        out.append(case)
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0] if args else DATA
    cal = json.load(open(os.path.join(ROOT, "instruments", "calibrations", CALIBRATION + ".json")))
    rows_in, answers, age, gender = read(path)
    pairwise = check_alpha(path, cal)
    values = scale_values(cal, answers)
    cells = [cell("all", "whole sample", np.ones(len(age), dtype=bool), values)]
    for name, code in GENDERS:
        for lo, hi in BANDS:
            mask = (gender == code) & (age >= lo) & (age <= hi)
            label = "%s, %d-%d" % (name, lo, hi) if hi < 99 else "%s, %d and over" % (name, lo)
            c = cell("%s-%d-%d" % (name, lo, hi), label, mask, values, name, (lo, hi))
            if c["n"] < MIN_CELL:
                sys.exit("cell %s has %d rows, fewer than %d" % (c["id"], c["n"], MIN_CELL))
            cells.append(c)
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    out = {
        "format": "attune-norms/1",
        "id": "ecr-openpsychometrics-1to5",
        "name": "the open ECR norm sample",
        "instrument": "ecr",
        "response_scale": {"min": 1, "max": 5},
        "sample": {
            "description": "Open Psychometrics online ECR, 2018 release: anonymous volunteers who took the ECR on "
                           "openpsychometrics.org and confirmed their answers were accurate, answering on a 1..5 scale "
                           "(the published ECR uses 1..7). A convenience sample of online volunteers: not a "
                           "representative, clinical or couples sample.",
            "rows_in": rows_in,
            "n": int(len(age)),
            "selection": "rows that answered all 36 items (1..5; 0 = not answered). Cells: gender 2 = female, "
                         "1 = male; age as typed, used in a cell only when a whole number from 18 to 99 "
                         "(55+ means 55 to 99). The whole sample is every complete row, whatever its age or gender.",
        },
        "source": {
            "citation": "Open Psychometrics (2018). Experiences in Close Relationships Scale: raw data "
                        "(ECR-data-1March2018.zip). https://openpsychometrics.org/_rawdata/. Instrument: Brennan, "
                        "K. A., Clark, C. L., & Shaver, P. R. (1998).",
            "terms": "Used under the terms stated on the raw-data page of openpsychometrics.org (released for "
                     "research use). Only aggregates (N, means, SDs, percentile tables) are derived and shipped "
                     "here, never the answers.",
            "input": "data.csv",
            "input_sha256": digest,
        },
        "date": "2026-12-03",
        "made_with": "tools/norms/ecr_norms.py (NumPy; theta by tools/irt/grm_reference.py)",
        "calibration": {"id": CALIBRATION, "date": cal["provenance"]["date"],
                        "input_sha256": cal["provenance"]["input_sha256"]},
        "reliability": "alpha: Cronbach's alpha of the scale's 18 keyed items over the cell's complete rows (NumPy, "
                       "tools/norms/ecr_norms.py). Checked: the same code over all %d rows with pairwise covariances "
                       "gives %s, equal within 1e-9 to psych::scoreItems' raw_alpha (tests/reference/"
                       "ecr_openpsychometrics_summary.json)." % (rows_in, ", ".join(
                           "%s %.6f" % (k, v) for k, v in sorted(pairwise.items()))),
        "percentile": "mid-rank: 100 x (N below + N equal / 2) / N at each listed value; linear between them",
        "cells": cells,
    }
    for c in cells:
        print(c["id"], c["n"], {s: round(v["mean_score"]["mean"], 4) for s, v in c["scales"].items()})
    if "--check" in sys.argv:
        return
    ref_dir = os.path.join(ROOT, "tests", "reference", "norms")
    os.makedirs(ref_dir, exist_ok=True)
    with open(os.path.join(ref_dir, "ecr_norms_cases.json"), "w") as f:
        json.dump({"about": "written by tools/norms/ecr_norms.py from the open data's rows (NumPy), for "
                            "tests/test_norms.cpp", "cases": reference_cases(values, age, gender)}, f, indent=1)
        f.write("\n")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        # One [value, percentile] pair per line keeps the file readable and its diffs small.
        text = json.dumps(out, indent=1)
        f.write(re.sub(r"\[\s+(\S+),\s+(\S+)\s+\]", r"[\1, \2]", text) + "\n")


if __name__ == "__main__":
    main()
