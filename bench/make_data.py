#!/usr/bin/env python3
"""Make benchmark data: N rows x 36 ECR-R answers (1..7) with an id column, about 78 MB per million.

Model: two latent traits per person (standard normal); an item answer is round(4 + 1.5 * trait +
noise) clipped to 1..7, with reverse-keyed items flipped, and 1% of cells left empty. Only the shape
and size matter for timing; the values are plausible so every code path (prorating, all four
quadrants) is exercised.

With --scale 1..5 the answers are on 1..5 instead (round(3 + t + 0.7 * noise), flipped as 6 - x), the
scale of the shipped ECR calibration (bench/bench_irt_file.sh); the 1..7 file is unchanged.

Usage: /usr/bin/python3 bench/make_data.py ROWS OUT.csv [--scale 1..5]   (deterministic: seed 7)
"""
import random
import sys

REVERSED = {9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36}


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    five = sys.argv[3:5] == ["--scale", "1..5"]
    rng = random.Random(7)
    # Precompute a pool of rows: generating 36 million Gaussian draws in Python takes too long, and
    # resampling a pool of 20,000 distinct rows keeps the data varied enough for parsing and scoring.
    pool = []
    for _ in range(20000):
        anx, avo = rng.gauss(0, 1), rng.gauss(0, 1)
        cells = []
        for i in range(1, 37):
            t = anx if i <= 18 else avo
            if five:
                x = min(5, max(1, round(3 + t + 0.7 * rng.gauss(0, 1))))
                x = 6 - x if i in REVERSED else x
            else:
                x = min(7, max(1, round(4 + 1.5 * t + rng.gauss(0, 1))))
                if i in REVERSED:
                    x = 8 - x
            cells.append("" if rng.random() < 0.01 else str(x))
        pool.append(",".join(cells))
    with open(out, "w", newline="") as f:
        f.write("id," + ",".join(f"Q{i}" for i in range(1, 37)) + "\n")
        buf = []
        for r in range(rows):
            buf.append(f"{r + 1},{pool[rng.randrange(len(pool))]}\n")
            if len(buf) == 10000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))


if __name__ == "__main__":
    main()
