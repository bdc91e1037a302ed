#!/usr/bin/env python3
"""Inputs for tools/check_same_bytes.sh: for each shipped instrument, a synthetic CSV (an id, the items
in plan order, an age column after them) with empty cells, a few invalid answers (a word, out of range,
a decimal), one blank line and one ragged row, so the fast paths and the error paths both run; then the
same data as JSON Lines, with ';' as delimiter, with CRLF line ends and quoted ids (the general
RFC 4180 parser), and with the items in reverse column order. Only the shapes matter; the values are
random (seeded), never reference values.

Usage: /usr/bin/python3 tools/same_bytes_data.py INSTRUMENTS_DIR OUT_DIR [ROWS]   (default 600 rows)
"""
import glob
import json
import os
import random
import sys


def rows_for(inst, n, rng):
    lo, hi = inst["response_scale"]["min"], inst["response_scale"]["max"]
    items = [i["id"] for i in inst["items"]]
    out = []
    for r in range(n):
        cells = []
        lean = rng.uniform(lo, hi)
        for _ in items:
            u = rng.random()
            if u < 0.04:
                cells.append("")
            else:
                cells.append(str(min(hi, max(lo, round(lean + rng.gauss(0, 1.3))))))
        if r % 97 == 13:
            cells[rng.randrange(len(cells))] = rng.choice(["x", str(hi + 2), "2.5", " 3 ", "-1"])
        if r % 41 == 7:  # most items empty: a scale below its minimum answered
            for k in range(len(cells) - 1):
                cells[k] = ""
        out.append([f"p{r + 1}"] + cells + [str(18 + r % 60)])
    return ["id"] + items + ["age"], out


def write_csv(path, header, rows, delim=",", eol="\n", quote_ids=False):
    with open(path, "w", newline="") as f:
        f.write(delim.join(header) + eol)
        for k, row in enumerate(rows):
            if k == len(rows) // 2:
                f.write(eol)  # a blank line, which is not a row
            if k == len(rows) // 3:
                f.write(delim.join(row[:-2]) + eol)  # a ragged row
                continue
            cells = list(row)
            if quote_ids:
                cells[0] = '"' + cells[0] + ', "" q"'
            f.write(delim.join(cells) + eol)


def write_jsonl(path, header, rows):
    with open(path, "w") as f:
        for row in rows:
            obj = {}
            for name, cell in zip(header, row):
                if name == "id":
                    obj[name] = cell
                elif cell == "":
                    obj[name] = None
                else:
                    try:
                        obj[name] = int(cell)
                    except ValueError:
                        try:
                            obj[name] = float(cell)
                        except ValueError:
                            obj[name] = cell
            f.write(json.dumps(obj) + "\n")


def main():
    inst_dir, out_dir = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 600
    os.makedirs(out_dir, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(inst_dir, "*.json"))):
        inst = json.load(open(path))
        iid = inst["id"]
        rng = random.Random(iid)
        header, rows = rows_for(inst, n, rng)
        write_csv(os.path.join(out_dir, f"{iid}.csv"), header, rows)
        write_csv(os.path.join(out_dir, f"{iid}-semicolon.csv"), header, rows, delim=";")
        write_csv(os.path.join(out_dir, f"{iid}-crlf-quoted.csv"), header, rows, eol="\r\n", quote_ids=True)
        rev = [0] + list(range(len(header) - 2, 0, -1)) + [len(header) - 1]
        write_csv(os.path.join(out_dir, f"{iid}-reversed.csv"), [header[k] for k in rev],
                  [[row[k] for k in rev] for row in rows])
        write_jsonl(os.path.join(out_dir, f"{iid}.jsonl"), header, rows)
        # A clean copy (no invalid cells, no ragged row) for the .sav input, whose writer wants numbers.
        clean = [[c if c in ("",) or c.lstrip("-").isdigit() else "" for c in row[1:]] for row in rows]
        with open(os.path.join(out_dir, f"{iid}-clean.csv"), "w") as f:
            f.write(",".join(["n"] + header[1:]) + "\n")
            for k, row in enumerate(clean):
                f.write(",".join([str(k + 1)] + row) + "\n")
    print(out_dir)


if __name__ == "__main__":
    main()
