"""attune.compare and attune.couple (docs/change.md): the CLI's JSON, hand-computed numbers, refusals."""
import datetime
import json
import math
import subprocess

import pytest

import attune

REVERSED = {9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36}


def keyed(anx, avo):
    """ECR-R answers whose anxiety and avoidance means are exactly anx and avo."""
    def raw(i):
        k = anx if i <= 18 else avo
        return 8 - k if i in REVERSED else k
    return {f"q{i}": raw(i) for i in range(1, 37)}


def test_compare_by_hand():
    before, after = attune.score(keyed(6, 3), "ecr-r"), attune.score(keyed(4, 3), "ecr-r")
    c = attune.compare(before, after, sd={"anxiety": 1.0}, reliability={"anxiety": 0.9},
                       before_date=datetime.date(2026, 1, 1), after_date="2026-01-08")
    anx = {s["id"]: s for s in c["scales"]}["anxiety"]
    # SEM = sqrt(0.1); S_diff = sqrt(0.2) = 0.4472135954999579; RCI = -2 / S_diff; MDC95 = 1.96 x S_diff.
    assert anx["difference"] == -2.0
    assert math.isclose(anx["rci"], -2 / math.sqrt(0.2), rel_tol=1e-12)
    assert math.isclose(anx["mdc95"], 1.96 * math.sqrt(0.2), rel_tol=1e-12)
    assert anx["reliable"] is True
    assert c["days_apart"] == 7 and "7 days apart" in c["interval_warning"]
    assert {s["id"]: s for s in c["scales"]}["avoidance"]["reliable"] is None


def test_compare_equals_cli(cli, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(attune.score(keyed(5, 2), "ecr-r").to_json())
    b.write_text(attune.score(keyed(3, 2), "ecr-r").to_json())
    out = subprocess.run([cli, "compare", str(a), str(b), "--format", "json", "--sd", "anxiety=1.2",
                          "--reliability", "anxiety=0.85"], check=True, capture_output=True, text=True).stdout
    mine = attune.compare(a.read_text(), b.read_text(), sd={"anxiety": 1.2}, reliability={"anxiety": 0.85})
    cli_doc = json.loads(out)
    for doc in (mine, cli_doc):
        doc.pop("before"), doc.pop("after")  # the sources are file names in the CLI
    assert mine == cli_doc


def test_couple_and_refusals():
    v = attune.couple(attune.score(keyed(6, 2), "ecr-r"), attune.score(keyed(3, 5), "ecr-r"), names=["Sam", "Alex"])
    assert [p["name"] for p in v["people"]] == ["Sam", "Alex"]
    assert "never a compatibility score" in v["not_a_score"]
    assert len(v["practices"]) == 6 and all(p["why"] for p in v["practices"])
    ecr = attune.score({"1": 3}, "ecr")
    with pytest.raises(attune.UsageError):
        attune.compare(attune.score(keyed(4, 4), "ecr-r"), ecr)
    with pytest.raises(attune.UsageError):
        attune.compare(ecr, ecr, sd={"anxiety": 1.0})  # no reliability for it
