#!/usr/bin/python3
"""How often the audit rule of `attune audit` finds one flipped key, and how often it flags a right one.

The rule, as docs/audit.md states it (reimplemented here from the docs, not from attune's code):
per scale, the first principal component of the keyed items' Pearson correlations, turned so that
the keyed loadings sum to a positive number; an item whose keyed loading is -0.10 or below looks
miskeyed (the data suggest the other key).

The model: one scale of k items answered on 1..7 by n people. Person level t ~ N(0, 1); item j's
latent answer is l_j t + sqrt(1 - l_j^2) e (e ~ N(0, 1)), cut at six thresholds spread over
-1.5..1.5 with a per-item shift drawn from U(-0.5, 0.5) (graded responses, some items more agreed
with than others). A share of the items is worded in reverse and recorded reversed (8 - x). The
instrument keys every item right except one, whose reverse flag is flipped.

Prints a Markdown table: per scenario and sample size, the share of replications in which the
flipped item is flagged (detection), the share of the right-keyed items flagged (false flags per
item), and the share of replications with at least one right item flagged; and the same with no
key flipped. Deterministic (seed 18).

    /usr/bin/python3 tools/audit_simulation.py [REPLICATIONS]
"""
import sys

import numpy as np

MIN_LOADING = 0.10


def simulate(rng, n, loadings, reversed_items):
    k = len(loadings)
    t = rng.standard_normal(n)
    e = rng.standard_normal((n, k))
    y = t[:, None] * loadings[None, :] + e * np.sqrt(1 - loadings ** 2)[None, :]
    cuts = np.linspace(-1.5, 1.5, 6)[None, :] + rng.uniform(-0.5, 0.5, k)[:, None]
    x = 1 + (y[:, :, None] > cuts[None, :, :]).sum(axis=2)
    x[:, reversed_items] = 8 - x[:, reversed_items]
    return x.astype(float)


def audit_flags(x, key_reversed):
    keyed = np.where(key_reversed[None, :], 8 - x, x)
    sd = keyed.std(axis=0)
    if np.any(sd == 0):
        return np.zeros(x.shape[1], dtype=bool)
    r = np.corrcoef(keyed, rowvar=False)
    w, v = np.linalg.eigh(r)
    loading = v[:, -1] * np.sqrt(max(w[-1], 0))
    if loading.sum() < 0:
        loading = -loading
    return loading <= -MIN_LOADING


def run(scenario, loadings, reversed_items, sizes, reps, rng):
    k = len(loadings)
    rows = []
    for n in sizes:
        found = false_items = false_reps = clean_any = 0
        for _ in range(reps):
            x = simulate(rng, n, loadings, reversed_items)
            truth = np.zeros(k, dtype=bool)
            truth[reversed_items] = True
            flip = rng.integers(k)
            key = truth.copy()
            key[flip] = ~key[flip]
            flags = audit_flags(x, key)
            found += flags[flip]
            others = np.delete(flags, flip)
            false_items += others.sum()
            false_reps += others.any()
            clean_any += audit_flags(x, truth).any()
        rows.append((scenario, n, found / reps, false_items / (reps * (k - 1)), false_reps / reps, clean_any / reps))
    return rows


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rng = np.random.default_rng(18)
    sizes = (100, 300, 1000)
    out = []
    # ECR-like: 18 items, loadings 0.6-0.8, half of them reverse-worded (the ECR's avoidance scale).
    out += run("18 items, loadings 0.6-0.8, 9 reversed", np.linspace(0.6, 0.8, 18), np.arange(1, 18, 2), sizes, reps, rng)
    # A short scale with modest loadings.
    out += run("6 items, loadings 0.4-0.6, 2 reversed", np.linspace(0.4, 0.6, 6), np.array([1, 4]), sizes, reps, rng)
    # Weak items: the hard case.
    out += run("10 items, loadings 0.2-0.4, 3 reversed", np.linspace(0.2, 0.4, 10), np.array([2, 5, 8]), sizes, reps, rng)
    print(f"Replications per row: {reps}; seed 18; flag when the keyed loading <= -{MIN_LOADING:.2f}.\n")
    print("| scale | n | flipped key found | right keys flagged (per item) | runs with a right key flagged | "
          "runs with a right key flagged, no key flipped |")
    print("| --- | --- | --- | --- | --- | --- |")
    for scenario, n, found, per_item, any_false, clean in out:
        print(f"| {scenario} | {n} | {found:.3f} | {per_item:.4f} | {any_false:.3f} | {clean:.3f} |")


if __name__ == "__main__":
    main()
