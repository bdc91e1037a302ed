"""score_frame(..., irt=CAL): <scale>_theta and <scale>_theta_se with the CLI's names, places and
values (`attune score FILE --irt`, nine decimals), for EAP and MAP, with missing answers, a missing
code, a row with an answer off the scale and a row with a scale left unanswered."""
import subprocess

import numpy as np
import pandas as pd
import pytest

import attune

CALIBRATION = "ecr-openpsychometrics-1to5"


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(20)
    data = rng.integers(1, 6, size=(60, 36)).astype(float)
    data[rng.random(data.shape) < 0.1] = np.nan   # not answered
    data[3, :5] = 0                               # the declared missing code
    data[7, 4] = 9                                # off the scale: the CLI reports the row
    data[11, 1::2] = np.nan                       # every even item (the anxiety scale's) unanswered
    df = pd.DataFrame(data, columns=[f"Q{i}" for i in range(1, 37)])
    df.insert(0, "id", [f"p{k}" for k in range(len(df))])
    return df


@pytest.mark.parametrize("method", ["eap", "map"])
def test_theta_columns_are_the_clis(cli, tmp_path, method):
    df = _frame()
    path = tmp_path / "data.csv"
    df.to_csv(path, index=False, na_rep="")
    args = [cli, "score", "-i", "ecr", "--response-scale", "1..5", "--map", "Q{n}", "--missing", "0", "--irt", CALIBRATION,
            "--decimals", "9", "-q", str(path), "-o", str(tmp_path / "out.csv")]
    if method == "map":
        args.append("--irt-map")
    subprocess.run(args, check=False)
    want = pd.read_csv(tmp_path / "out.csv", keep_default_na=False, na_values=[""])
    got = attune.score_frame(df, "ecr", columns="Q{n}", missing=[0], data_scale=(1, 5), irt=CALIBRATION, irt_method=method)
    assert list(got.columns) == list(want.columns)
    theta_cols = [c for c in want.columns if c.endswith("_theta") or c.endswith("_theta_se")]
    assert sorted(theta_cols) == sorted(["avoidance_theta", "avoidance_theta_se", "anxiety_theta", "anxiety_theta_se"])
    for c in theta_cols:
        a, b = got[c].to_numpy(dtype=float), want[c].to_numpy(dtype=float)
        assert np.array_equal(np.isnan(a), np.isnan(b)), c
        assert np.nanmax(np.abs(a - b)) < 1e-9, c
    assert np.isnan(got.loc[7, "anxiety_theta"]) and np.isnan(got.loc[11, "anxiety_theta"])
    assert not np.isnan(got.loc[11, "avoidance_theta"])


def test_theta_columns_with_quality_sit_before_the_quality_columns():
    got = attune.score_frame(_frame(), "ecr", columns="Q{n}", missing=[0], data_scale=(1, 5), irt=CALIBRATION, quality=True)
    cols = list(got.columns)
    assert cols.index("anxiety_theta_se") + 1 == cols.index("longstring") and cols[-1] == "notes"


def test_a_calibration_on_another_response_scale_is_refused():
    with pytest.raises(attune.UsageError):
        attune.score_frame(_frame(), "ecr", columns="Q{n}", missing=[0], irt=CALIBRATION)  # ECR's own 1..7
    with pytest.raises(attune.UsageError):
        attune.score_frame(_frame(), "ecr", columns="Q{n}", data_scale=(1, 5), irt=CALIBRATION, irt_method="mode")
