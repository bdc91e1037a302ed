"""attune.dask on a real distributed.LocalCluster with two worker processes: equal to one machine."""
import numpy as np
import pandas as pd
import pytest

import attune

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
import attune.dask  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def frame(request):
    # The example file (with its three bad rows) plus random rows with gaps, so partitions differ.
    from conftest import SOURCE
    df = pd.read_csv(SOURCE / "examples" / "data" / "ecr-r-synthetic.csv")
    rng = np.random.default_rng(11)
    extra = pd.DataFrame(rng.integers(1, 8, size=(1500, 36)).astype(float), columns=[f"Q{i}" for i in range(1, 37)])
    extra = extra.mask(rng.random(extra.shape) < 0.03)
    extra.insert(0, "id", [f"R{i}" for i in range(1500)])
    df = pd.concat([df, extra], ignore_index=True)
    for c in [f"Q{i}" for i in range(1, 37)]:
        df[c] = df[c].astype(str).replace("nan", "")  # text columns, as read_csv gives with the bad cell 'x'
    return df


def test_score_equals_single_machine(client, frame):
    ddf = dd.from_pandas(frame, npartitions=7)
    got = attune.dask.score(ddf, "ecr-r", columns="Q{n}").compute()
    want = attune.score_frame(frame, "ecr-r", columns="Q{n}")
    assert got.index.equals(want.index)
    pd.testing.assert_frame_equal(got, want)


def test_reliability_equals_single_machine(client, frame):
    ddf = dd.from_pandas(frame, npartitions=7)
    got = attune.dask.reliability(ddf, "ecr-r", columns="Q{n}")
    want = attune.reliability(frame, "ecr-r", columns="Q{n}")
    # Exact integer sums merged in any order: identical to the last digit, not just close.
    pd.testing.assert_frame_equal(got.scales, want.scales, check_exact=True)
    pd.testing.assert_frame_equal(got.items, want.items, check_exact=True)
    assert got.to_json() == want.to_json()
    assert got.scales.loc["anxiety", "n"] == 1997  # 2000 rows minus the 3 bad rows
