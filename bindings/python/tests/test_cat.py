"""The adaptive test and one person's theta from Python, replayed from the NumPy reference's
sequences (tools/irt/cat_reference.py -> tests/reference/cat_sequences.json): the same items in the
same order, reason, theta and SE as the reference, and so as the C ABI and Node tests."""
import json
import math
from pathlib import Path

import pytest

import attune

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = json.loads((ROOT / "tests/reference/cat_sequences.json").read_text())
CALIBRATION = str(ROOT / "instruments/calibrations/ecr-openpsychometrics-1to5.json")


@pytest.mark.parametrize("case", FIXTURE["cases"], ids=lambda c: c["name"])
def test_cat_replays_the_reference(case):
    cat = attune.Cat(CALIBRATION, rules=case["rules"])
    last = cat.run(lambda item: case["answers"][item])
    assert [item for item, _ in last["answers"]] == case["items"]
    assert last["reason"] == case["reason"]
    for sid, ref in case["scales"].items():
        assert last["scales"][sid]["theta"] == pytest.approx(ref["theta"], abs=1e-6)
        assert last["scales"][sid]["se"] == pytest.approx(ref["se"], abs=1e-6)
        assert last["scales"][sid]["stopped"] == ref["stopped"]


def test_theta_for_one_person_matches_the_cat_estimate():
    case = FIXTURE["cases"][0]
    asked = {item: case["answers"][item] for item in case["items"]}
    t = attune.theta(asked, CALIBRATION)
    for sid, ref in case["scales"].items():
        assert t[sid]["theta"] == pytest.approx(ref["theta"], abs=1e-6)
        assert t[sid]["se"] == pytest.approx(ref["se"], abs=1e-6)
    assert attune.theta({}, CALIBRATION)["anxiety"]["answered"] == 0
    assert math.isfinite(attune.theta({"q2": 5, "q4": float("nan")}, CALIBRATION, method="map")["anxiety"]["theta"])


def test_numpy_answers_from_a_data_frame_row():
    import numpy as np
    answers = {"q1": np.int64(4), "q2": np.float64(2.0), "q3": np.nan}
    t = attune.theta(answers, CALIBRATION)
    assert t == attune.theta({"q1": 4, "q2": 2}, CALIBRATION)
    assert t["avoidance"]["answered"] == 1 and t["anxiety"]["answered"] == 1
    assert attune.cat_step([("q1", np.int64(4))], CALIBRATION)["asked"] == 1


def test_errors_name_the_item():
    with pytest.raises(attune.AnswerError) as e:
        attune.theta({"q1": 7}, CALIBRATION)
    assert e.value.item == "q1"
    with pytest.raises(attune.UsageError):
        attune.cat_step([("q1", 3), ("q1", 4)], CALIBRATION)
    with pytest.raises(attune.DataError):
        attune.cat_step([], CALIBRATION, rules={"se": 0.3})



@pytest.mark.parametrize("method", ["eap", "map"])
def test_theta_is_the_clis_score_irt(cli, method):
    """The same answers through `attune score --json --irt` (printed to 9 significant digits)."""
    import subprocess
    answers = {"q1": 4, "q2": 2, "q3": 5, "q10": 1, "q22": 3, "q35": None}
    args = [cli, "score", "-i", "ecr", "--response-scale", "1..5", "--json", "-", "--irt", "ecr-openpsychometrics-1to5"]
    out = subprocess.run(args + (["--irt-map"] if method == "map" else []), input=json.dumps(answers),
                         capture_output=True, text=True, check=True)
    irt = json.loads(out.stdout)["irt"]
    mine = attune.theta(answers, method=method)
    for sid in ("anxiety", "avoidance"):
        assert mine[sid]["theta"] == pytest.approx(irt[sid + "_theta"], abs=1e-8)
        assert mine[sid]["se"] == pytest.approx(irt[sid + "_theta_se"], abs=1e-8)
        assert mine[sid]["answered"] == irt[sid + "_answered"]
