import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import attune

from test_score_one import ANSWERS


def test_frame_keeps_index_and_matches_one_person():
    row = [ANSWERS[f"q{i}"] for i in range(1, 37)]
    df = pd.DataFrame([row, row], columns=[f"q{i}" for i in range(1, 37)], index=pd.Index(["b", "a"], name="who"))
    out = attune.score_frame(df, "ecr-r")
    assert out.index.equals(df.index)
    assert list(out["anxiety"]) == pytest.approx([94 / 18] * 2, abs=1e-12)
    assert list(out["category"]) == ["fearful", "fearful"]


def test_numpy_block_and_missing_codes():
    # Rows: the hand-computed pattern; the same with q17 coded 0 (declared missing): (94 - 5) / 17.
    row = np.array([ANSWERS[f"q{i}"] for i in range(1, 37)], dtype=np.float64)
    x = np.vstack([row, row])
    x[1, 16] = 0
    out = attune.score_frame(x, "ecr-r", missing=[0])
    assert list(out.index) == [0, 1]
    assert out["anxiety"].tolist() == pytest.approx([94 / 18, 89 / 17], abs=1e-12)
    # Without declaring 0 as missing it is an invalid answer, reported in notes; the row stays.
    out2 = attune.score_frame(x, "ecr-r")
    assert np.isnan(out2["anxiety"].iloc[1])
    assert out2["notes"].iloc[1] == "error: answer is out of range in column 'column 17', value '0'"


def test_integer_and_shuffled_index_frame():
    rng = np.random.default_rng(7)
    x = rng.integers(1, 8, size=(50, 36))
    df = pd.DataFrame(x, columns=[f"q{i}" for i in range(1, 37)], index=rng.permutation(50) * 10)
    out = attune.score_frame(df, "ecr-r", threads=2)
    assert out.index.equals(df.index)
    keyed = x.astype(float).copy()
    rev = [9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36]
    for q in rev:
        keyed[:, q - 1] = 8 - keyed[:, q - 1]
    np.testing.assert_allclose(out["anxiety"], keyed[:, :18].mean(axis=1), atol=1e-12)
    np.testing.assert_allclose(out["avoidance"], keyed[:, 18:].mean(axis=1), atol=1e-12)


def test_equals_cli_csv(cli, source_dir, tmp_path):
    data = source_dir / "examples" / "data" / "ecr-r-synthetic.csv"
    out_csv = tmp_path / "cli.csv"
    subprocess.run([cli, "score", "-i", "ecr-r", "--map", "Q{n}", str(data), "-o", str(out_csv), "--errors",
                    str(tmp_path / "errors.csv"), "-q"], check=False)
    want = pd.read_csv(out_csv, keep_default_na=False, na_values=[""])
    got = attune.score_frame(pd.read_csv(data), "ecr-r", columns="Q{n}")
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want) == 500
    for c in want.columns:
        if want[c].dtype.kind == "f" or got[c].dtype.kind == "f":
            # The CLI writes 6 decimals.
            np.testing.assert_allclose(got[c].to_numpy(dtype=float), want[c].to_numpy(dtype=float), atol=5.1e-7,
                                       rtol=0, equal_nan=True, err_msg=c)
        else:
            g = got[c].astype(object).where(got[c].notna(), "").astype(str).tolist()
            w = want[c].astype(object).where(want[c].notna(), "").astype(str).tolist()
            assert g == w, c
    # The three bad rows of the example file are reported in notes, as the CLI does.
    assert got["notes"].str.startswith("error:").sum() == 3


def test_reliability_matches_psych_reference(source_dir):
    ref = json.loads((source_dir / "tests" / "reference" / "ecr_r_synthetic_reliability.json").read_text())
    df = pd.read_csv(source_dir / "examples" / "data" / "ecr-r-synthetic.csv")
    rel = attune.reliability(df, "ecr-r", columns="Q{n}")
    scales = rel.scales
    for sid in ("anxiety", "avoidance"):
        r = ref["scales"][sid]
        assert scales.loc[sid, "n"] == r["n"]
        assert scales.loc[sid, "alpha"] == pytest.approx(r["alpha"], abs=1e-9)
        assert scales.loc[sid, "std_alpha"] == pytest.approx(r["std_alpha"], abs=1e-9)
        assert scales.loc[sid, "lambda6"] == pytest.approx(r["lambda6"], abs=1e-6)
        assert scales.loc[sid, "omega_total"] == pytest.approx(r["omega_total"], abs=1e-4)
    items = rel.items
    assert items.index.names == ["scale", "item"]
    assert len(items) == 36
    assert json.loads(rel.to_json())  # the C++ JSON document
