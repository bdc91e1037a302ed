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


def _old_result(result: "attune.Result") -> dict:
    """A result as attune saved it before norm sets carried an SD and alpha: its "norms" names the set
    and the cell, without norm_sd and norm_alpha."""
    d = json.loads(result.to_json())
    for v in d["norms"]["scales"].values():
        v.pop("norm_sd"), v.pop("norm_alpha")
    return d


ECR_REV = {3, 15, 19, 22, 25, 27, 29, 31, 33, 35}


def ecr_answers(anx, avo):
    """ECR answers on 1..5 (anxiety the even items, avoidance the odd ones) with means anx and avo."""
    return {str(i): (6 - k if i in ECR_REV else k) for i, k in
            ((i, anx if i % 2 == 0 else avo) for i in range(1, 37))}


def test_compare_looks_up_the_set_an_old_result_names(cli, tmp_path):
    # The same pair as tests/cli/test_compare_cli.sh: anxiety 4 -> 3, the shipped set's whole sample.
    # SEM = SD x sqrt(1 - alpha) = 0.8033620197792566 x sqrt(1 - 0.9160061675346849) = 0.2328278859...
    # (tools/norms/ecr_norms.py, NumPy), S_diff = sqrt(2) x SEM, RCI = -1 / S_diff = -3.0370364719...
    before = _old_result(attune.score(ecr_answers(4, 4), "ecr", data_scale=(1, 5)))
    after = _old_result(attune.score(ecr_answers(3, 4), "ecr", data_scale=(1, 5)))
    mine = attune.compare(before, after)
    anx = {s["id"]: s for s in mine["scales"]}["anxiety"]
    assert math.isclose(anx["rci"], -1 / (math.sqrt(2) * 0.8033620197792566 * math.sqrt(1 - 0.9160061675346849)),
                        rel_tol=1e-12)
    assert anx["verdict"] == "reliable_down"
    assert "looked up in the set" in anx["basis"] and "N = 46610" in anx["basis"]
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(before))
    b.write_text(json.dumps(after))
    out = subprocess.run([cli, "compare", str(a), str(b), "--format", "json"], check=True, capture_output=True,
                         text=True).stdout
    cli_doc = json.loads(out)
    for doc in (mine, cli_doc):
        doc.pop("before"), doc.pop("after")
    assert mine == cli_doc


def test_compare_norm_set_and_conversion_as_the_cli(cli, tmp_path):
    # The ECR on its own 1..7 names no set: unknown without options, judged from the 1..5 set with
    # convert_response_scale="linear" (SD x 6/4), as `attune compare --convert-response-scale linear`.
    seven = [attune.score({str(i): k for i in range(1, 37)}, "ecr") for k in (6, 4)]
    plain = attune.compare(*seven)
    assert {s["id"]: s for s in plain["scales"]}["anxiety"]["rci"] is None
    with pytest.raises(attune.UsageError):
        attune.compare(*seven, convert_response_scale="quadratic")
    files = []
    for n, r in enumerate(seven):
        files.append(tmp_path / f"r{n}.json")
        files[-1].write_text(r.to_json())
    for opts, args in (({"convert_response_scale": "linear"}, ["--convert-response-scale", "linear"]),
                       ({"convert_response_scale": "linear", "norm_set": "ecr-openpsychometrics-1to5"},
                        ["--convert-response-scale", "linear", "--norm-set", "ecr-openpsychometrics-1to5"])):
        mine = attune.compare(*seven, **opts)
        assert {s["id"]: s for s in mine["scales"]}["anxiety"]["rci"] is not None
        out = subprocess.run([cli, "compare", str(files[0]), str(files[1]), "--format", "json"] + args, check=True,
                             capture_output=True, text=True).stdout
        cli_doc = json.loads(out)
        for doc in (mine, cli_doc):
            doc.pop("before"), doc.pop("after")
        assert mine == cli_doc
