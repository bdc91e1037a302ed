#!/usr/bin/env python3
"""The research job in pandas + NumPy, as a careful analyst would write it: read the CSV, key the
ECR-R items, prorated scale means (at least 15 of 18 answered), Cronbach's alpha and corrected
item-total r per scale (pairwise-complete covariances, as psych), and per-row quality indices:
longstring, IRV, Mahalanobis D^2 with its chi-square p (pairwise covariance; rows with missing
answers grouped by their missing pattern), psychometric synonyms (pairs with r > .60), share
answered; then write scores + indices. Prints seconds for each part and the total.

Usage: /usr/bin/python3 bench/peer_numpy_full.py DATA.csv OUT.csv
"""
import sys
import time

import numpy as np
import pandas as pd
from scipy.stats import chi2

REVERSED = [9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36]

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
raw = df[[f"Q{i}" for i in range(1, 37)]].to_numpy(dtype=np.float64)
t_read = time.perf_counter()

x = raw.copy()
rev = np.array([i in REVERSED for i in range(1, 37)])
x[:, rev] = 8.0 - x[:, rev]
cols = {}
reliability = {}
for name, sl in (("anxiety", slice(0, 18)), ("avoidance", slice(18, 36))):
    block = x[:, sl]
    answered = np.sum(~np.isnan(block), axis=1)
    mean = np.nansum(block, axis=1) / np.maximum(answered, 1)
    mean[answered < 15] = np.nan
    cols[name] = mean
    cov = pd.DataFrame(block).cov().to_numpy()  # pairwise-complete
    k = block.shape[1]
    total_var = cov.sum()
    alpha = k / (k - 1) * (1 - np.trace(cov) / total_var)
    r_drop = []
    for i in range(k):
        rest = np.delete(np.arange(k), i)
        cov_i_rest = cov[i, rest].sum()
        var_rest = cov[np.ix_(rest, rest)].sum()
        r_drop.append(cov_i_rest / np.sqrt(cov[i, i] * var_rest))
    reliability[name] = (alpha, r_drop)
t_score = time.perf_counter()

# Quality indices on the unkeyed answers.
ok = ~np.isnan(raw)
n_ans = ok.sum(axis=1)
share = n_ans / raw.shape[1]
irv = np.nanstd(raw, axis=1, ddof=1)
# longstring: longest run of equal answers in item order; a missing answer ends a run
same = (raw[:, 1:] == raw[:, :-1])
run = np.ones(raw.shape[0])
best = np.where(n_ans > 0, 1.0, 0.0)
for j in range(same.shape[1]):
    run = np.where(same[:, j], run + 1, 1)
    run = np.where(ok[:, j + 1], run, 0)
    best = np.maximum(best, run)
# Mahalanobis
mu = np.nanmean(raw, axis=0)
S = pd.DataFrame(raw).cov().to_numpy()
d2 = np.full(raw.shape[0], np.nan)
full = n_ans == raw.shape[1]
dev = raw[full] - mu
d2[full] = np.einsum("ij,jk,ik->i", dev, np.linalg.inv(S), dev)
partial = np.where(~full & (n_ans > 0))[0]
if len(partial):
    patterns, inverse = np.unique(ok[partial], axis=0, return_inverse=True)
    for p in range(len(patterns)):
        rows = partial[inverse.ravel() == p]
        m = patterns[p]
        dv = raw[np.ix_(rows, np.where(m)[0])] - mu[m]
        d2[rows] = np.einsum("ij,jk,ik->i", dv, np.linalg.inv(S[np.ix_(m, m)]), dv)
p_maha = chi2.sf(d2, n_ans)
# Psychometric synonyms
R = pd.DataFrame(raw).corr().to_numpy()
iu = np.triu_indices(36, 1)
pairs = [(i, j) for i, j in zip(*iu) if R[i, j] > 0.60]
a = raw[:, [p[0] for p in pairs]]
b = raw[:, [p[1] for p in pairs]]
both = ~np.isnan(a) & ~np.isnan(b)
n = both.sum(axis=1)
a0 = np.where(both, a, 0.0)
b0 = np.where(both, b, 0.0)
sa, sb = a0.sum(axis=1), b0.sum(axis=1)
cov_ab = n * (a0 * b0).sum(axis=1) - sa * sb
va = n * (a0 * a0).sum(axis=1) - sa * sa
vb = n * (b0 * b0).sum(axis=1) - sb * sb
with np.errstate(invalid="ignore", divide="ignore"):
    syn = np.where((n >= 3) & (va > 0) & (vb > 0), cov_ab / np.sqrt(va * vb), np.nan)
t_flags = time.perf_counter()

out = pd.DataFrame({"id": df["id"], **cols, "longstring": best, "irv": irv, "synonyms": syn,
                    "mahalanobis": d2, "mahalanobis_p": p_maha, "share_answered": share})
out.to_csv(sys.argv[2], index=False, float_format="%.6f")
t_write = time.perf_counter()
print(f"numpy read {t_read - t0:.3f} s, score+reliability {t_score - t_read:.3f} s, flags {t_flags - t_score:.3f} s, "
      f"write {t_write - t_flags:.3f} s, total {t_write - t0:.3f} s "
      f"(alpha {reliability['anxiety'][0]:.4f} / {reliability['avoidance'][0]:.4f}, {len(pairs)} synonym pairs)")
