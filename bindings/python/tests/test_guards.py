"""Issue 18 in the Python binding: no silent guesses (booleans, repeated or duplicate columns, duplicate
JSON keys) and no crash or overflow from an indent or a data scale."""
import numpy as np
import pandas as pd
import pytest

import attune
from attune import _core

from test_score_one import ANSWERS

ROW = [ANSWERS[f"q{i}"] for i in range(1, 37)]
COLUMNS = [f"q{i}" for i in range(1, 37)]


@pytest.mark.parametrize("indent", [100000, 17, -2])
def test_core_refuses_an_indent_outside_minus_one_to_16(indent):
    plan = attune.scoring_plan("ecr-r")
    # 100000 read past nlohmann's indent buffer (ASan: heap-buffer-overflow) or crashed.
    with pytest.raises(attune.UsageError):
        _core.score_json(plan, '{"q1": 3}', indent)
    with pytest.raises(attune.UsageError):
        _core.score_answers(plan, {"q1": 3}, indent)
    assert _core.score_answers(plan, {"q1": 3}, 16).startswith("{\n" + " " * 16 + '"')


@pytest.mark.parametrize("scale", [(1, 2147483647), (-2147483647, 5), (1, 1001)])
def test_data_scale_beyond_1000_is_refused(scale):
    # min + max of (1, 2147483647) overflowed an int (UBSan).
    with pytest.raises(attune.UsageError):
        attune.scoring_plan("ecr-r", data_scale=scale)


@pytest.mark.parametrize("norm", [{"mean": 4, "sd": 1e-300}, {"mean": float("nan"), "sd": 1},
                                  {"mean": 4, "sd": 1, "alpha": 1.5}, {"mean": 4, "sd": 1, "alpha": 0}])
def test_impossible_norms_are_refused(norm):
    with pytest.raises(attune.UsageError):
        attune.scoring_plan("ecr-r", norms={"anxiety": norm, "avoidance": {"mean": 4, "sd": 1}})


def test_duplicate_json_keys_in_answers_are_refused():
    with pytest.raises(attune.AnswerError) as e:
        attune.score('{"q1": 3, "q1": 5}', "ecr-r")
    assert e.value.json_path == "/q1"
    assert "duplicate key 'q1'" in str(e.value)


def test_boolean_answers_are_not_scored_as_one_and_zero():
    answers = dict(ANSWERS)
    answers["q1"] = True
    with pytest.raises(attune.AnswerError) as e:
        attune.score(answers, "ecr-r")
    assert e.value.item == "q1"


def test_boolean_columns_are_refused():
    df = pd.DataFrame([ROW, ROW], columns=COLUMNS)
    df["q1"] = [True, False]
    with pytest.raises(attune.DataError) as e:
        attune.score_frame(df, "ecr-r")
    assert e.value.column_name == "q1"
    with pytest.raises(attune.DataError):
        attune.score_frame(np.ones((2, 36), dtype=bool), "ecr-r")


def test_boolean_cells_in_a_text_column_are_invalid_answers():
    df = pd.DataFrame([ROW, ROW], columns=COLUMNS)
    df["q1"] = pd.Series([True, "7"], dtype=object)
    out = attune.score_frame(df, "ecr-r")
    assert np.isnan(out["anxiety"].iloc[0])
    assert "value 'True'" in out["notes"].iloc[0]
    assert out["anxiety"].iloc[1] == pytest.approx(94 / 18, abs=1e-12)


def test_one_column_for_every_item_is_refused():
    df = pd.DataFrame([ROW], columns=COLUMNS)
    with pytest.raises(attune.UsageError) as e:
        attune.score_frame(df, "ecr-r", columns=["q1"] * 36)
    assert e.value.column_name == "q1"
    mapping = {f"q{i}": f"q{i}" for i in range(1, 37)}
    mapping["q2"] = "q1"
    with pytest.raises(attune.UsageError):
        attune.score_frame(df, "ecr-r", columns=mapping)


def test_duplicate_dataframe_columns_raise_attune_errors():
    df = pd.DataFrame([ROW + [5]], columns=COLUMNS + ["q3"])
    with pytest.raises(attune.DataError) as e:
        attune.score_frame(df, "ecr-r")
    assert e.value.column_name == "q3"
    df2 = pd.DataFrame([ROW + ["a", "b"]], columns=COLUMNS + ["id", "id"])
    with pytest.raises(attune.DataError):
        attune.score_frame(df2, "ecr-r", keep=["id"])
