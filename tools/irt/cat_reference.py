#!/usr/bin/python3
"""Independent reference for attune's adaptive test (CAT), written from the papers, not from attune's C++.

- Graded response model (Samejima 1969): P(X >= k | theta) = 1 / (1 + exp(-a (theta - b_k))).
- Item information (Samejima 1969): I(theta) = a^2 sum_k (W_k - W_{k+1})^2 / P_k, W_k = P*_k (1 - P*_k).
- EAP and posterior SD (Bock & Mislevy 1982) on the calibration's grid with N(0, 1) weights.
- Next item: maximum information at the current EAP; randomesque (Kingsbury & Zara 1989): one of the
  k most informative, drawn with splitmix64 (Steele, Lea & Flood 2014) from the seed.
- Rules as docs/cat.md states them: per dimension min/max items, SE target, smallest SE change,
  max_total; the next item goes to the dimension whose SE is furthest above the target.

Writes tests/reference/cat_sequences.json: answer vectors (simulated from the model with a fixed
NumPy seed, plus extreme and skipped patterns), the rules, and the sequence of items the CAT asks
with the final theta and SE per scale, and the full-length theta (EAP from every answer) for the
simulation's comparison (tests/cli/test_cat_cli.sh). Every binding replays these (tests/test_cat.cpp, the C, Python
and Node tests). Usage: tools/irt/cat_reference.py [CALIBRATION] [OUTPUT]
"""
import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
MASK = (1 << 64) - 1


def splitmix64_at(seed, n):
    """The n-th output (n = 0, 1, ...) of splitmix64 started from seed."""
    z = (seed + (n + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class Bank:
    def __init__(self, cal):
        g = cal["grid"]
        self.theta = np.linspace(g["lo"], g["hi"], g["nodes"])
        prior = np.exp(-0.5 * self.theta ** 2)
        self.prior = prior / prior.sum()
        self.lo, self.hi = cal["response_scale"]["min"], cal["response_scale"]["max"]
        self.scales = list(cal["scales"].keys())
        self.items = []  # (id, scale index, a, b array, reversed)
        for s, sid in enumerate(self.scales):
            for it in cal["scales"][sid]["items"]:
                self.items.append((it["id"], s, it["a"], np.array(it["b"], float), it["reversed"]))
        self.index = {it[0]: i for i, it in enumerate(self.items)}

    def probs(self, j, theta):
        _, _, a, b, _ = self.items[j]
        theta = np.atleast_1d(theta)
        star = 1 / (1 + np.exp(-a * (theta[:, None] - b[None, :])))
        full = np.hstack([np.ones((len(theta), 1)), star, np.zeros((len(theta), 1))])
        return full[:, :-1] - full[:, 1:], full

    def info(self, j, theta):
        a = self.items[j][2]
        p, full = self.probs(j, np.array([theta]))
        w = full * (1 - full)
        dp = w[0, :-1] - w[0, 1:]
        return float(a * a * np.sum(dp ** 2 / p[0]))

    def category(self, j, v):
        return self.hi - int(v) if self.items[j][4] else int(v) - self.lo

    def eap(self, s, answers, skip=None):
        logpost = np.log(self.prior).copy()
        asked = answered = 0
        for i, (j, v) in enumerate(answers):
            if self.items[j][1] != s or i == skip:
                continue
            asked += 1
            if v is None:
                continue
            answered += 1
            p, _ = self.probs(j, self.theta)
            logpost += np.log(p[:, self.category(j, v)])
        w = np.exp(logpost - logpost.max())
        w /= w.sum()
        m = float(np.sum(w * self.theta))
        sd = math.sqrt(max(float(np.sum(w * (self.theta - m) ** 2)), 0.0))
        return m, sd, asked, answered


def dimension_state(bank, s, answers, rules):
    theta, se, asked, answered = bank.eap(s, answers)
    n_items = sum(1 for it in bank.items if it[1] == s)
    stopped = None
    if asked >= n_items:
        stopped = "bank_exhausted"
    if asked >= rules["max_items"]:
        stopped = "max_items"
    if stopped is None and asked >= rules["min_items"] and asked > 0:
        if se < rules["se_target"]:
            stopped = "se_target"
        elif rules["min_se_change"] > 0:
            last = max(i for i, (j, _) in enumerate(answers) if bank.items[j][1] == s)
            se_before = bank.eap(s, answers, skip=last)[1]
            if se_before - se < rules["min_se_change"]:
                stopped = "se_change"
    return {"theta": theta, "se": se, "asked": asked, "answered": answered, "stopped": stopped}


def step(bank, answers, rules):
    dims = [dimension_state(bank, s, answers, rules) for s in range(len(bank.scales))]
    open_dims = [s for s in range(len(dims)) if dims[s]["stopped"] is None]
    if not open_dims:
        reasons = [d["stopped"] for d in dims if d["stopped"] != "se_target"]
        return dims, None, reasons[0] if reasons else "se_target"
    if rules["max_total"] > 0 and len(answers) >= rules["max_total"]:
        return dims, None, "max_total"
    # furthest above the target; the first dimension on a tie
    s = max(open_dims, key=lambda d: (dims[d]["se"] - rules["se_target"], -d))
    asked = {j for j, _ in answers}
    cands = [(bank.info(j, dims[s]["theta"]), j) for j, it in enumerate(bank.items) if it[1] == s and j not in asked]
    cands.sort(key=lambda c: (-c[0], c[1]))
    top = cands[: rules["randomesque"]]
    pick = 0 if len(top) == 1 else splitmix64_at(rules["seed"], len(answers)) % len(top)
    return dims, top[pick][1], None


def run(bank, full, rules):
    answers, items = [], []
    while True:
        dims, nxt, reason = step(bank, answers, rules)
        if nxt is None:
            break
        items.append(bank.items[nxt][0])
        answers.append((nxt, full[bank.items[nxt][0]]))
    everything = [(bank.index[i], v) for i, v in full.items() if v is not None]
    full_theta = {sid: bank.eap(s, everything)[0] for s, sid in enumerate(bank.scales)}
    return {"items": items, "reason": reason,
            "scales": {bank.scales[s]: d for s, d in enumerate(dims)}, "full_theta": full_theta}


def simulate_answers(bank, rng, thetas):
    out = {}
    for j, (iid, s, a, b, rev) in enumerate(bank.items):
        p, _ = bank.probs(j, np.array([thetas[s]]))
        x = int(rng.choice(len(p[0]), p=p[0]))
        out[iid] = bank.hi - x if rev else bank.lo + x
    return out


PROMIS = {"se_target": 0.3, "min_items": 4, "max_items": 12, "max_total": 0, "min_se_change": 0.0,
          "randomesque": 1, "seed": 0}


def main():
    cal_path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "instruments/calibrations/ecr-openpsychometrics-1to5.json"
    out_path = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "tests/reference/cat_sequences.json"
    bank = Bank(json.loads(cal_path.read_text()))
    rng = np.random.default_rng(20261203)
    vectors = []
    for t in [(0.0, 0.0), (1.5, -1.0), (-2.0, 2.2), (0.7, 0.3), (-0.5, -1.5), (2.5, 2.5)]:
        vectors.append(("simulated theta " + str(t), simulate_answers(bank, rng, t)))
    ids = [it[0] for it in bank.items]
    vectors.append(("all lowest", {i: bank.lo for i in ids}))
    vectors.append(("all highest", {i: bank.hi for i in ids}))
    skipped = dict(vectors[0][1])
    for i in ids[::3]:
        skipped[i] = None
    vectors.append(("every third item skipped", skipped))
    rule_sets = [
        ("promis", dict(PROMIS)),
        ("randomesque 3 seed 42", dict(PROMIS, randomesque=3, seed=42)),
        ("randomesque 5 seed 2^53-1", dict(PROMIS, randomesque=5, seed=(1 << 53) - 1)),
        ("se 0.25, se change 0.02, max 18", dict(PROMIS, se_target=0.25, max_items=18, min_se_change=0.02)),
        ("max total 9, min 2", dict(PROMIS, min_items=2, max_total=9)),
    ]
    cases = []
    for vname, full in vectors:
        for rname, rules in rule_sets:
            r = run(bank, full, rules)
            cases.append({"name": vname + " / " + rname, "rules": rules, "answers": full, **r})
    doc = {"generator": "tools/irt/cat_reference.py (NumPy, from the papers)",
           "calibration": "ecr-openpsychometrics-1to5", "cases": cases}
    out_path.write_text(json.dumps(doc, indent=1) + "\n")
    write_flat(bank, cases, out_path.with_suffix(".txt"))
    print(f"{len(cases)} cases -> {out_path} and {out_path.with_suffix('.txt')}")


REASON_CODES = {"se_target": 1, "max_items": 2, "se_change": 3, "bank_exhausted": 4, "max_total": 5}


def write_flat(bank, cases, path):
    """The same cases for C's fscanf, one per line: the rules (se_target min_items max_items max_total
    min_se_change randomesque seed), the number of bank items and each one's answer in bank order
    (0 = not answered), the number of items asked and their bank indices, the reason code
    (attune_cat_stop), then theta and SE per scale in bank order."""
    lines = []
    for c in cases:
        r = c["rules"]
        f = [repr(r["se_target"]), str(r["min_items"]), str(r["max_items"]), str(r["max_total"]),
             repr(r["min_se_change"]), str(r["randomesque"]), str(r["seed"]), str(len(bank.items))]
        f += [str(c["answers"][it[0]] or 0) for it in bank.items]
        f += [str(len(c["items"]))] + [str(bank.index[i]) for i in c["items"]]
        f.append(str(REASON_CODES[c["reason"]]))
        for sid in bank.scales:
            f += [repr(c["scales"][sid]["theta"]), repr(c["scales"][sid]["se"])]
        lines.append(" ".join(f))
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
