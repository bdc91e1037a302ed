import pickle

import pandas as pd
import pytest

import attune


def test_out_of_range_answer_names_item_and_value():
    with pytest.raises(attune.AnswerError) as ei:
        attune.score({"q5": 8}, "ecr-r")
    e = ei.value
    assert isinstance(e, attune.Error)
    assert e.kind == "answer" and e.code == 3
    assert e.item == "q5"
    assert e.value == "8"
    assert "1 to 7" in e.expected
    assert "q5" in str(e)
    assert e.row is None  # no row for one person


def test_non_number_answer():
    with pytest.raises(attune.AnswerError) as ei:
        attune.score({"q2": "lots"}, "ecr-r")
    assert ei.value.item == "q2" and ei.value.value == "lots"


def test_unknown_item_is_an_error():
    with pytest.raises(attune.Error) as ei:
        attune.score({"q99": 3}, "ecr-r")
    assert "q99" in str(ei.value)


def test_bad_instrument_json_names_source():
    with pytest.raises(attune.InstrumentError) as ei:
        attune.instrument_from_json('{"id": 3}', "mine.json")
    assert ei.value.file == "mine.json" or "mine.json" in str(ei.value)


def test_missing_column_is_a_data_error():
    df = pd.DataFrame({"Q1": [1, 2]})
    with pytest.raises(attune.DataError) as ei:
        attune.score_frame(df, "ecr-r", columns="Q{n}")
    assert ei.value.column_name == "Q2" and ei.value.item == "q2"


def test_usage_errors():
    with pytest.raises(attune.UsageError):
        attune.scoring_plan("ecr-r", data_scale=(5, 1))
    with pytest.raises(attune.UsageError):
        attune.score_frame(pd.DataFrame({"a": [1]}), "ecr-r", columns=["a"])
    with pytest.raises(attune.Error):
        attune.scoring_plan("ecr-r", profile_method="no-such-method")


def test_errors_pickle_with_fields():
    try:
        attune.score({"q5": 8}, "ecr-r")
    except attune.AnswerError as e:
        e2 = pickle.loads(pickle.dumps(e))
        assert type(e2) is attune.AnswerError and e2.item == "q5" and str(e2) == str(e)
