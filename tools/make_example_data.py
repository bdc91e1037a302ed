#!/usr/bin/python3
"""Write the synthetic ECR-R example data used by attune's examples and tests.

Run from anywhere (standard library only, deterministic, fixed seed):

    /usr/bin/python3 tools/make_example_data.py

Outputs (paths relative to the repository root):

  examples/data/ecr-r-synthetic.csv   500 rows: id, age, Q1..Q36
  examples/data/ecr-r-one.json        one person's answers {"q1": 5, ..., "q36": 2}, one item null

The data are SYNTHETIC. Nobody answered them; they only look like ECR-R answers.

Generating model (seed SEED = 20240917, Python's random.Random; normals by Box-Muller from
rng.random() so the stream does not depend on the Python version's gauss implementation):

  * ECR-R key (Fraley, Waller & Brennan, 2000): anxiety = items 1-18, avoidance = items 19-36;
    reverse-keyed items 9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36; 1..7 scale,
    reversed = 8 - x.
  * For each person two latent traits (anxiety, avoidance) ~ bivariate standard normal with
    correlation r = 0.2:  anx = z1,  avo = 0.2*z1 + sqrt(1 - 0.2^2)*z2.
  * Each item has a fixed loading drawn once, uniform on [0.55, 0.90] (item loadings are drawn first,
    in item order 1..36, before any person).
  * Keyed answer of item j for a person with trait t (the item's scale):
        k = floor(4 + loading_j * t * 1.5 + e + 0.5),  e ~ N(0, 1),  clipped to 1..7
    (floor(v + 0.5) = round half up).
  * Recorded answer: k for forward items, 8 - k for reverse-keyed items, so scoring with the key
    (reverse = 8 - x) gives back k.
  * age: integer uniform on 18..70, passed through (not scored).
  * Missing cells: each of the 500 x 36 answer cells independently left empty with probability 0.02
    (so about 360 cells; the exact count is printed).
  * Three deliberately bad rows for error-path demos, at fixed 1-based data-row positions
    (ids match the row number):
        row 100 (P0100): Q5  = "9"    (out of range for 1..7)
        row 200 (P0200): Q23 = "3.5"  (not an integer)
        row 300 (P0300): Q30 = "x"    (not a number)
    These rows are otherwise generated like all others; the bad value overwrites the cell (even if
    it had been left empty).

ecr-r-one.json: the answers of row 1 (P0001) of the model above, with q17 set to null
(missing). Any other cell that happened to be empty in row 1 would be filled with the generated
(recorded) answer, so that exactly one item (q17) is null; with this seed P0001 has no empty cell,
so the JSON equals P0001's CSV row except q17 (the script prints this).
"""

import csv
import json
import math
import os
import random
import sys

SEED = 20240917
N_ROWS = 500
N_ITEMS = 36
R_TRAITS = 0.2
P_MISSING = 0.02
ANXIETY_ITEMS = list(range(1, 19))
AVOIDANCE_ITEMS = list(range(19, 37))
REVERSE = {9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36}
BAD_ROWS = {100: (5, "9"), 200: (23, "3.5"), 300: (30, "x")}
ONE_JSON_NULL_ITEM = 17

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "examples", "data")


class Normal:
    """Standard normals by the Box-Muller transform from rng.random() (version-stable)."""

    def __init__(self, rng):
        self.rng = rng
        self.spare = None

    def draw(self):
        if self.spare is not None:
            z, self.spare = self.spare, None
            return z
        u1 = self.rng.random()
        while u1 <= 0.0:
            u1 = self.rng.random()
        u2 = self.rng.random()
        rad = math.sqrt(-2.0 * math.log(u1))
        self.spare = rad * math.sin(2.0 * math.pi * u2)
        return rad * math.cos(2.0 * math.pi * u2)


def main():
    rng = random.Random(SEED)
    normal = Normal(rng)

    loadings = [0.55 + 0.35 * rng.random() for _ in range(N_ITEMS)]

    rows = []
    answer_rows = []
    for i in range(1, N_ROWS + 1):
        z1 = normal.draw()
        z2 = normal.draw()
        anx = z1
        avo = R_TRAITS * z1 + math.sqrt(1.0 - R_TRAITS ** 2) * z2
        age = rng.randint(18, 70)
        keyed = []
        answers = []
        for j in range(1, N_ITEMS + 1):
            t = anx if j <= 18 else avo
            v = 4.0 + loadings[j - 1] * t * 1.5 + normal.draw()
            k = int(math.floor(v + 0.5))
            k = min(7, max(1, k))
            keyed.append(k)
            answers.append(8 - k if j in REVERSE else k)
        cells = []
        for j in range(1, N_ITEMS + 1):
            missing = rng.random() < P_MISSING
            cells.append("" if missing else str(answers[j - 1]))
        if i in BAD_ROWS:
            item, bad = BAD_ROWS[i]
            cells[item - 1] = bad
        rows.append(["P%04d" % i, str(age)] + cells)
        answer_rows.append(answers)

    os.makedirs(OUT_DIR, exist_ok=True)
    csv_path = os.path.join(OUT_DIR, "ecr-r-synthetic.csv")
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "age"] + ["Q%d" % j for j in range(1, N_ITEMS + 1)])
        w.writerows(rows)

    n_empty = sum(1 for r in rows for c in r[2:] if c == "")
    print("wrote %s: %d rows, %d empty answer cells (%.2f%%)"
          % (os.path.relpath(csv_path, ROOT), len(rows), n_empty,
             100.0 * n_empty / (N_ROWS * N_ITEMS)))

    # One person's answers (row 1), exactly one item (q17) null.
    one = {}
    row1 = rows[0]
    differs = []
    for j in range(1, N_ITEMS + 1):
        if j == ONE_JSON_NULL_ITEM:
            one["q%d" % j] = None
        else:
            one["q%d" % j] = answer_rows[0][j - 1]
            if row1[1 + j] != str(answer_rows[0][j - 1]):
                differs.append("q%d" % j)
    json_path = os.path.join(OUT_DIR, "ecr-r-one.json")
    with open(json_path, "w") as f:
        f.write("{\n")
        items = list(one.items())
        for n, (k, v) in enumerate(items):
            f.write('  "%s": %s%s\n' % (k, json.dumps(v), "," if n + 1 < len(items) else ""))
        f.write("}\n")
    print("wrote %s: P0001 with q%d null; filled where P0001's CSV cell is empty: %s"
          % (os.path.relpath(json_path, ROOT), ONE_JSON_NULL_ITEM,
             ", ".join(differs) if differs else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
