"""Score one person and the example file with the attune Python package.

    PYTHONPATH=build/bindings/python /usr/bin/python3 bindings/python/examples/score_example.py
"""
import pathlib

import pandas as pd

import attune

root = pathlib.Path(__file__).resolve().parents[3]

# One person: item id (or position number) -> answer; None = not answered.
answers = {f"q{i}": 4 for i in range(1, 37)}
answers.update({"q1": 6, "q2": 5, "q20": 2, "q17": None})
r = attune.score(answers, "ecr-r")
print(r)
print("dimensions:", {k: round(v, 3) for k, v in r.dimensions.items()})
print(r.disclaimer)

# The plan for that person: where to start, and why each step was chosen.
p = attune.plan(r, stage="dating")
for step in p["focus"]:
    print(f"- {step['title']}: {step['why']['text']}")
if p["more_help"]:
    print("consider more help:", [item["title"] for item in p["more_help"]["items"]])
print(p["disclaimer"])

# A whole file: same index, the same columns as `attune score` writes.
df = pd.read_csv(root / "examples" / "data" / "ecr-r-synthetic.csv")
scores = attune.score_frame(df, "ecr-r", columns="Q{n}")
print(scores.head())
print(scores["category"].value_counts(dropna=False))

# Reliability and item statistics as DataFrames.
rel = attune.reliability(df, "ecr-r", columns="Q{n}")
print(rel.scales[["n", "alpha", "std_alpha", "lambda6", "omega_total"]])
print(rel.items[["mean", "sd", "r_drop", "alpha_if_deleted"]].head())

try:
    attune.score({"q5": 8}, "ecr-r")
except attune.AnswerError as e:
    print(f"AnswerError: item={e.item} value={e.value} expected={e.expected!r}")
