"""attune.score_frame(..., quality=True) and attune.audit against the CLI on the same file, and
against hand computations where the definition is simple enough to do by hand."""
import io
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import attune
import attune.dask

QUALITY = ["longstring", "irv", "even_odd", "synonyms", "mahalanobis", "mahalanobis_p", "share_answered",
           "out_of_range", "quality_flags"]


def _synthetic_with_odd_rows(source_dir):
    """The example file (500 rows, 3 of them bad) and rows that catch flags: a straight-liner, a row
    answering 10 of 36 items, a row with three invalid cells (9, 2.5, text), a zig-zag."""
    text = (source_dir / "examples" / "data" / "ecr-r-synthetic.csv").read_text()
    head = text.splitlines()[0].split(",")
    rows = [["S1", "30"] + ["4"] * 36,
            ["S2", "30"] + ["5"] * 10 + [""] * 26,
            ["S3", "30"] + ["9", "2.5", "x"] + ["3"] * 33,
            ["S4", "30"] + ["1", "7"] * 18]
    extra = "".join(",".join(r) + "\n" for r in rows)
    return head, text + extra


def _cli_csv(cli, args, path, tmp_path):
    out = tmp_path / "cli.csv"
    subprocess.run([cli, *args, str(path), "-o", str(out), "--errors", str(tmp_path / "errors.csv"), "-q"], check=False)
    return pd.read_csv(out, keep_default_na=False, na_values=[""], dtype={"quality_flags": str})


def test_quality_columns_equal_cli(cli, source_dir, tmp_path):
    head, text = _synthetic_with_odd_rows(source_dir)
    path = tmp_path / "data.csv"
    path.write_text(text)
    want = _cli_csv(cli, ["score", "-i", "ecr-r", "--map", "Q{n}", "--quality", "--decimals", "9"], path, tmp_path)
    got = attune.score_frame(pd.read_csv(path), "ecr-r", columns="Q{n}", quality=True)
    assert list(got.columns) == list(want.columns)
    assert list(got.columns[-10:]) == QUALITY + ["notes"]
    assert len(got) == len(want) == 504
    for c in QUALITY[:-1]:
        # --decimals 9: the CLI's numbers are within half of 1e-9 of Python's doubles.
        np.testing.assert_allclose(got[c].to_numpy(dtype=float), want[c].to_numpy(dtype=float), atol=5.1e-10, rtol=0,
                                   equal_nan=True, err_msg=c)
    assert got["quality_flags"].tolist() == want["quality_flags"].fillna("").tolist()
    # Every index is computed somewhere (an empty column would also be equal), but even-odd, which
    # needs three item scales (ECR-R has two): empty, with the CLI's note saying why.
    for c in QUALITY[:-1]:
        if c != "even_odd":
            assert got[c].notna().sum() > 400, c
    assert got["even_odd"].isna().all()
    assert "even_odd needs at least 3 item scales" in got.attrs["quality"]["note"]
    assert got.attrs["quality"]["flagged"]["any"] == int((got["quality_flags"] != "").sum())


def test_quality_by_hand(source_dir, tmp_path):
    _, text = _synthetic_with_odd_rows(source_dir)
    got = attune.score_frame(pd.read_csv(io.StringIO(text)), "ecr-r", columns="Q{n}", quality=True, keep=["id"])
    got = got.set_index("id")
    # Straight-liner: the longest run is all 36 items (>= ceil(0.5 * 36) = 18 flags it); the SD of
    # identical answers is 0 (<= 0 flags it).
    s1 = got.loc["S1"]
    assert s1["longstring"] == 36 and s1["irv"] == 0 and s1["share_answered"] == 1
    assert "longstring" in s1["quality_flags"].split("|") and "irv" in s1["quality_flags"].split("|")
    # 10 of 36 answered: share 10/36 < 0.5 flags share_answered.
    assert got.loc["S2", "share_answered"] == pytest.approx(10 / 36, abs=1e-15)
    assert "share_answered" in got.loc["S2", "quality_flags"].split("|")
    # Three invalid cells (9 out of 1..7, 2.5 not whole, 'x' not a number): an error row, only
    # out_of_range is known (3 > 0 flags it), the other indices are empty as in the CLI.
    s3 = got.loc["S3"]
    assert s3["out_of_range"] == 3 and s3["quality_flags"] == "out_of_range"
    assert np.isnan(s3["irv"]) and np.isnan(s3["longstring"]) and s3["notes"].startswith("error:")
    # Zig-zag 1,7,1,7,...: every answer differs from the one before (longstring 1); the population
    # SD of 18 ones and 18 sevens is 3 (the sample SD: sqrt(36 * 9 / 35)); IRV is one of them.
    s4 = got.loc["S4"]
    assert s4["longstring"] == 1
    assert s4["irv"] in (pytest.approx(3.0, abs=1e-12), pytest.approx((36 * 9 / 35) ** 0.5, abs=1e-12))


def test_quality_thresholds_and_refusals(source_dir):
    df = pd.read_csv(source_dir / "examples" / "data" / "ecr-r-synthetic.csv")
    base = attune.score_frame(df, "ecr-r", columns="Q{n}", quality=True)
    strict = attune.score_frame(df, "ecr-r", columns="Q{n}", quality=True,
                                quality_thresholds={"longstring_share": 0.05})
    # ceil(0.05 * 36) = 2: any two equal answers in a row flag the row.
    assert (strict["quality_flags"].str.contains("longstring")).sum() == (strict["longstring"] >= 2).sum()
    assert (strict["quality_flags"].str.contains("longstring")).sum() > (base["quality_flags"].str.contains("longstring")).sum()
    with pytest.raises(attune.UsageError) as e:
        attune.score_frame(df, "ecr-r", columns="Q{n}", quality=True, quality_thresholds={"longstring": 0.5})
    assert "longstring_share" in e.value.expected
    with pytest.raises(attune.UsageError):
        attune.score_frame(df, "ecr-r", columns="Q{n}", quality_thresholds={"longstring_share": 0.5})
    plain = attune.score_frame(df, "ecr-r", columns="Q{n}")
    assert not set(QUALITY) & set(plain.columns)


def test_audit_equals_cli(cli, source_dir, tmp_path):
    data = source_dir / "examples" / "data" / "ecr-r-synthetic.csv"
    for listwise in (False, True):
        args = [cli, "audit", "-i", "ecr-r", "--map", "Q{n}", "--format", "json", str(data), "-q",
                "--errors", str(tmp_path / "e.csv")] + (["--listwise"] if listwise else [])
        want = json.loads(subprocess.run(args, capture_output=True, text=True, check=False).stdout)
        got = attune.audit(pd.read_csv(data), "ecr-r", columns="Q{n}", listwise=listwise).to_dict()
        # Both ends of the scale turn up early in this file, so the check stops counting in each chunk:
        # a partial count would depend on how the rows were cut into chunks (the CLI's file against a
        # DataFrame), so rows is not reported (null) and the two documents are equal whole.
        assert got["response_scale"]["rows"] is None and want["response_scale"]["rows"] is None
        assert got == want, listwise
    got = attune.audit(pd.read_csv(data), "ecr-r", columns="Q{n}")
    assert got.items.shape[0] == 36 and list(got.scales.index) == ["anxiety", "avoidance"]


def test_audit_finds_an_item_turned_around(source_dir):
    # Q9 is reverse-keyed on anxiety (the instrument's key). Stored already reversed (8 - x), the
    # data say the opposite key: the audit must flag Q9 and only Q9.
    df = pd.read_csv(source_dir / "examples" / "data" / "ecr-r-synthetic.csv")
    before = attune.audit(df, "ecr-r", columns="Q{n}")
    assert before.miskeyed == []
    df["Q9"] = 8 - pd.to_numeric(df["Q9"], errors="coerce")
    after = attune.audit(df, "ecr-r", columns="Q{n}")
    item = attune.load_instrument("ecr-r").item_ids[8]
    assert after.miskeyed == [{"scale": "anxiety", "item": item}]
    assert after.items.loc[("anxiety", item), "miskeyed"]
    assert after.items.loc[("anxiety", item), "loading"] < 0


def test_dask_refuses_quality_per_partition(source_dir):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(pd.read_csv(source_dir / "examples" / "data" / "ecr-r-synthetic.csv"), npartitions=2)
    with pytest.raises(attune.UsageError) as e:
        attune.dask.score(ddf, "ecr-r", columns="Q{n}", quality=True)
    assert "quality=True" in e.value.expected
