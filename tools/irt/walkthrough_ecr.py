#!/usr/bin/python3
"""Numbers for docs/irt.md's walk-through, from the shipped ECR calibration and the shared open data,
with the independent reference code (grm_reference.py), not attune's.

Run: /usr/bin/python3 tools/irt/walkthrough_ecr.py [DATA.csv]
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grm_reference as ref  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "ecr-openpsychometrics", "data.csv")


def main():
    cal = json.load(open(os.path.join(ROOT, "instruments", "calibrations", "ecr-openpsychometrics-1to5.json")))
    import pandas as pd
    df = pd.read_csv(DATA)
    for scale, s in cal["scales"].items():
        cols = ["Q" + it["id"][1:] for it in s["items"]]
        raw = df[cols].to_numpy(dtype=float)
        raw = raw[(raw > 0).all(axis=1)]
        rev = np.array([it["reversed"] for it in s["items"]])
        ref.REVERSED = list(rev)
        params = [(it["a"], np.array(it["b"])) for it in s["items"]]
        x = ref.keyed(raw)
        post = ref.posterior(params, x)
        eap = post @ ref.NODES
        psd = np.sqrt(post @ ref.NODES ** 2 - eap ** 2)
        mean_score = np.where(rev, 6 - raw, raw).mean(axis=1)
        grid = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
        info = ref.information(params, grid)
        print(scale, "rows", len(raw))
        print("  marginal reliability (prior)", round(1 / (1 + (ref.PRIOR / ref.information(params, ref.NODES)).sum()), 3))
        print("  information at", list(grid), [round(v, 1) for v in info], "SE", [round(1 / np.sqrt(v), 3) for v in info])
        print("  r(EAP, mean score)", round(np.corrcoef(eap, mean_score)[0, 1], 4))
        print("  posterior SD: median", round(np.median(psd), 3), "5%", round(np.quantile(psd, 0.05), 3),
              "95%", round(np.quantile(psd, 0.95), 3))
        for m in [1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5]:
            near = np.abs(mean_score - m) < 0.03
            print("  mean score %.1f (n=%d): EAP median %.2f, range %.2f..%.2f" %
                  (m, near.sum(), np.median(eap[near]), eap[near].min(), eap[near].max()))


if __name__ == "__main__":
    main()
