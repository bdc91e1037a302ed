#!/usr/bin/python3
"""Independent reference for the quadrant probabilities and classification consistency (docs/irt.md),
from the shipped ECR calibration, written from the definitions, not from attune's C++:

  cut on theta: the theta where the test characteristic curve (expected mean score after reverse
      keys, min + mean_j sum_k P(X_j >= k)) equals the score cut (scipy brentq);
  P(theta > cut | answers): the posterior on the grid (grm_reference.posterior), each node's mass
      spread evenly over [point - h/2, point + h/2];
  quadrants: products of the two scales' P(above) and P(below) (posteriors independent given the answers);
  Rudner (2001) / Lee (2010): with p(theta) = 1 - Phi((cut - theta) * sqrt(I(theta))), over the N(0, 1)
      grid weights, accuracy = E[p if theta > cut else 1 - p], consistency = E[p^2 + (1 - p)^2];
      the pair's (four quadrants) = product of the two scales' (independent traits and errors).

Run: /usr/bin/python3 tools/irt/classification_reference.py  (writes tests/reference/irt/ecr_classification.json)
"""
import json
import os
import sys

import numpy as np
from scipy.optimize import brentq
from scipy.stats import norm

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import grm_reference as ref  # noqa: E402

ROOT = os.path.join(HERE, "..", "..")
OUT = os.path.join(ROOT, "tests", "reference", "irt", "ecr_classification.json")
SCORE_CUT = 3.0  # the ECR quadrant's cut on 1..5 answers: the scale midpoint (4 on 1..7), attune's convention

# Answers to q1..q36 on 1..5 (None = not answered).
PEOPLE = [
    [3] * 36,
    [2 if i % 2 else 4 for i in range(1, 37)],
    [5 if i % 2 else 1 for i in range(1, 37)],
    [1, 5, 5, 4, 2, 5, 1, 4, 2, 5, 1, 3, 2, 4, 5, 5, 1, 4, 4, 5, 2, 1, 1, 5, 5, 4, 5, 4, 4, 5, 5, 5, 5, 4, 4, 5],
    [3, 3, 3, 2, None, 3, 4, 3, 3, None, 3, 3, 2, 3, 3, 3, 4, 3, 3, 3, 3, 3, 3, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 3, 3],
    [None] * 36,
]


def params_of(scale):
    return [(it["a"], np.array(it["b"])) for it in scale["items"]]


def expected_mean(scale, theta):
    total = 0.0
    for a, b in params_of(scale):
        total += (1 / (1 + np.exp(-a * (theta - b)))).sum()
    return 1 + total / len(scale["items"])


def share_above(post, cut):
    h = ref.NODES[1] - ref.NODES[0]
    return float((post * np.clip((ref.NODES + h / 2 - cut) / h, 0, 1)).sum())


def agreement(scale, cut):
    se = 1 / np.sqrt(ref.information(params_of(scale), ref.NODES))
    p = 1 - norm.cdf((cut - ref.NODES) * (1 / se))
    acc = (ref.PRIOR * np.where(ref.NODES > cut, p, 1 - p)).sum()
    cons = (ref.PRIOR * (p ** 2 + (1 - p) ** 2)).sum()
    return float(acc), float(cons)


def main():
    cal = json.load(open(os.path.join(ROOT, "instruments", "calibrations", "ecr-openpsychometrics-1to5.json")))
    out = {"about": "written by tools/irt/classification_reference.py (NumPy/SciPy) from the shipped calibration",
           "score_cut": SCORE_CUT, "cuts": {}, "agreement": {}, "people": []}
    for name, s in cal["scales"].items():
        cut = brentq(lambda t: expected_mean(s, t) - SCORE_CUT, -20, 20, xtol=1e-14)
        out["cuts"][name] = cut
        acc, cons = agreement(s, cut)
        out["agreement"][name] = {"accuracy": acc, "consistency": cons}
    out["agreement"]["pair"] = {k: out["agreement"]["anxiety"][k] * out["agreement"]["avoidance"][k]
                                for k in ("accuracy", "consistency")}
    for answers in PEOPLE:
        above = {}
        for name, s in cal["scales"].items():
            ref.REVERSED = [it["reversed"] for it in s["items"]]
            row = [np.nan if answers[int(it["id"][1:]) - 1] is None else answers[int(it["id"][1:]) - 1] for it in s["items"]]
            post = ref.posterior(params_of(s), ref.keyed(np.array([row], dtype=float)))[0]
            above[name] = share_above(post, out["cuts"][name])
        x, v = above["anxiety"], above["avoidance"]
        out["people"].append({"answers": answers, "p_above": above,
                              "quadrants": {"secure": (1 - x) * (1 - v), "anxious": x * (1 - v),
                                            "avoidant": (1 - x) * v, "fearful": x * v}})
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(json.dumps(out["cuts"]), json.dumps(out["agreement"]))


if __name__ == "__main__":
    main()
