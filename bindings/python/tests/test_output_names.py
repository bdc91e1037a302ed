"""Output column names (issue 18): unique for the RQ, none of the profile's for an instrument
without a profile, and a kept column that would be overwritten is refused."""
import numpy as np
import pandas as pd
import pytest

import attune


def test_rq_frame_keeps_ratings_and_dimensions_apart():
    df = pd.DataFrame({"id": ["p1"], "secure": [7], "fearful": [1], "preoccupied": [1], "dismissing": [4]})
    out = attune.score_frame(df, "rq")
    assert len(set(out.columns)) == len(out.columns)
    # The rating keeps the scale id; the dimension is (7 - 4) / 3 (midpoint 4, unit half the range).
    assert out["secure"].iloc[0] == 7
    assert out["profile_secure"].iloc[0] == 1
    assert out["profile_avoidant"].iloc[0] == 0
    assert "anxious" not in out.columns
    assert out["category"].iloc[0] == "secure"


def test_ecr_r_frame_names_unchanged():
    out = attune.score_frame(pd.DataFrame([[4] * 36], columns=[f"q{i}" for i in range(1, 37)]), "ecr-r")
    assert {"secure", "anxious", "avoidant", "fearful", "category"} <= set(out.columns)


def test_kept_column_named_like_an_output_column_is_refused():
    df = pd.DataFrame({"id": ["p1"], "category": ["x"], "secure": [7], "fearful": [1], "preoccupied": [1], "dismissing": [4]})
    with pytest.raises(attune.UsageError, match="kept column 'category' has the name of an output column"):
        attune.score_frame(df, "rq", keep=["id", "category"])
    with pytest.raises(attune.UsageError, match="twice"):
        attune.score_frame(df, "rq", keep=["id", "id"])


def test_instrument_without_a_profile_has_no_profile_columns(source_dir):
    ins = attune.load_instrument(str(source_dir / "examples" / "instruments" / "bfi.json"))
    data = pd.read_csv(source_dir / "tests" / "reference" / "bfi_first500.csv")
    out = attune.score_frame(data, ins)
    assert list(out.columns) == ["id"] + [f"{s}{suffix}" for s in
                                         ("agree", "conscientious", "extraversion", "neuroticism", "openness")
                                         for suffix in ("", "_z", "_pct")] + ["notes"]
    ref = pd.read_csv(source_dir / "tests" / "reference" / "bfi_first500_scores.csv")
    # tools/r/reference_bfi.R: psych::scoreItems(bfi.keys, impute = "none")
    for s in ("agree", "conscientious", "extraversion", "neuroticism", "openness"):
        np.testing.assert_allclose(out[s].to_numpy(), ref[s].to_numpy(), atol=1e-9, equal_nan=True)
    one = attune.score({"A1": 2, "A2": 4, "A3": 3, "A4": 4, "A5": 4}, ins)
    assert "profile" not in one.to_dict()
    assert one.category is None
    assert one.raw("agree") == 4  # (7 - 2 + 4 + 3 + 4 + 4) / 5


def test_columns_zero_padded_and_case_folded():
    rng = np.random.default_rng(3)
    x = rng.integers(1, 8, size=(5, 36))
    plain = attune.score_frame(pd.DataFrame(x, columns=[f"Q{i}" for i in range(1, 37)]), "ecr-r", columns="Q{n}")
    padded = attune.score_frame(pd.DataFrame(x, columns=[f"ECR_{i:02d}" for i in range(1, 37)]), "ecr-r", columns="ECR_{n:02}")
    folded = attune.score_frame(pd.DataFrame(x, columns=[f"Q{i}" for i in range(1, 37)]), "ecr-r")  # Q1 for q1
    pd.testing.assert_frame_equal(plain, padded)
    pd.testing.assert_frame_equal(plain, folded)
    with pytest.raises(attune.UsageError, match="unknown placeholder"):
        attune.score_frame(pd.DataFrame(x, columns=[f"Q{i}" for i in range(1, 37)]), "ecr-r", columns="Q{x}")
