#!/usr/bin/env python3
"""The scoring job in pandas + NumPy: read the CSV, key the ECR-R items, prorated means with the same
minimum-answered rule, write the scores. Prints seconds for read+score and for the write.

Usage: /usr/bin/python3 bench/peer_numpy.py DATA.csv OUT.csv
"""
import sys
import time

import numpy as np
import pandas as pd

REVERSED = [9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36]

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
x = df[[f"Q{i}" for i in range(1, 37)]].to_numpy(dtype=np.float64)
rev = np.array([i in REVERSED for i in range(1, 37)])
x[:, rev] = 8.0 - x[:, rev]
scores = {}
for name, cols in (("anxiety", slice(0, 18)), ("avoidance", slice(18, 36))):
    block = x[:, cols]
    answered = np.sum(~np.isnan(block), axis=1)
    mean = np.nansum(block, axis=1) / np.maximum(answered, 1)
    mean[answered < 15] = np.nan
    scores[name] = mean
out = pd.DataFrame({"id": df["id"], **scores})
t1 = time.perf_counter()
out.to_csv(sys.argv[2], index=False, float_format="%.6f")
t2 = time.perf_counter()
print(f"numpy read+score {t1 - t0:.3f} s, write {t2 - t1:.3f} s")
