#!/usr/bin/env python3
"""Reference for the HTML report's scale histograms on the real ECR data, in exact rational arithmetic.

Each scale score is the mean of the answered keyed items (reversed: 6 - x on the data's 1..5 scale;
0 = not answered), left empty below the instrument's min_answered. The report draws 24 equal bins over
[1, 5]: bin k holds [1 + k/6, 1 + (k+1)/6), the last one also 5. With Fractions a score on an edge
(4/3, 13/6, 2) is exactly on it, which is the point: floating point put 13/6 in the bar at 2.0.
Writes OUT_DIR/ecr_openpsychometrics_report_bins.csv (scale,bin,count), a build folder: made at test
time by tools/r/make_row_references.sh, never committed; the data are read from the shared folder.
Usage: tools/reference_report_bins.py ../shared/data/ecr-openpsychometrics/data.csv [OUT_DIR]
"""
import csv
import json
import pathlib
import sys
from fractions import Fraction

ROOT = pathlib.Path(__file__).resolve().parents[1]
BINS, LO, HI = 24, 1, 5


def main(data_path: str, out_dir: str) -> None:
    ins = json.loads((ROOT / "instruments" / "ecr.json").read_text())
    position = {item["id"]: item["position"] for item in ins["items"]}
    scales = [s for s in ins["scales"] if "items" in s]
    counts = {s["id"]: [0] * BINS for s in scales}
    with open(data_path, newline="") as f:
        for row in csv.DictReader(f):
            cells = {i: row[f"Q{p}"].strip() for i, p in position.items()}
            values = {i: int(c) if c else 0 for i, c in cells.items()}  # every cell here is a whole number
            if any(v < 0 or v > HI for v in values.values()):
                raise SystemExit("an answer outside 0..5: the reference assumes none (attune reports none)")
            for s in scales:
                rev = set(s.get("reverse", []))
                keyed = [(LO + HI - values[i]) if i in rev else values[i] for i in s["items"] if values[i] != 0]
                if len(keyed) < s["min_answered"]:
                    continue
                score = Fraction(sum(keyed), len(keyed))
                k = int((score - LO) * BINS / (HI - LO))  # floor of an exact rational
                counts[s["id"]][min(k, BINS - 1)] += 1
    out = pathlib.Path(out_dir) / "ecr_openpsychometrics_report_bins.csv"
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["scale", "bin", "count"])
        for s in scales:
            for k, n in enumerate(counts[s["id"]]):
                w.writerow([s["id"], k, n])
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared" / "data" / "ecr-openpsychometrics" / "data.csv"),
         sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "build" / "reference-rows"))
