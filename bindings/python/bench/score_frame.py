"""Benchmark (not a test): score_frame on a 1,000,000-row DataFrame vs `attune score` on the same rows as CSV.

    PYTHONPATH=build/bindings/python /usr/bin/python3 bindings/python/bench/score_frame.py build/attune [ROWS]
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

import attune

cli = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rng = np.random.default_rng(1)
df = pd.DataFrame(rng.integers(1, 8, size=(rows, 36)), columns=[f"Q{i}" for i in range(1, 37)])
df.insert(0, "id", np.arange(rows))

best = float("inf")
for _ in range(3):
    t = time.perf_counter()
    out = attune.score_frame(df, "ecr-r", columns="Q{n}")
    best = min(best, time.perf_counter() - t)
print(f"python score_frame: {rows} rows in {best:.3f} s (best of 3)")

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "data.csv")
    df.to_csv(path, index=False)
    cli_best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([cli, "score", "-i", "ecr-r", "--map", "Q{n}", path, "-o", os.path.join(d, "out.csv"), "-q"],
                       check=True)
        cli_best = min(cli_best, time.perf_counter() - t)
print(f"C++ CLI attune score (CSV in, CSV out): {cli_best:.3f} s (best of 3); ratio python/C++ = {best / cli_best:.2f}")
