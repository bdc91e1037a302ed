"""attune.dask.calibrate_scale on a distributed.LocalCluster (two worker processes) against one
machine's `attune calibrate` on the same file: the E-step's sums added across partitions give the
same fit (issue 20 §1)."""
import json
import os
import subprocess

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
import attune.dask  # noqa: E402
from conftest import SOURCE  # noqa: E402


def test_partitioned_calibration_equals_one_machine(tmp_path):
    ref = SOURCE / "tests" / "reference" / "irt"
    out = tmp_path / "cal.json"
    subprocess.run([os.environ["ATTUNE_CLI"], "calibrate", "-i", str(ref / "grm6.instrument.json"), str(ref / "grm_sim.csv"),
                    "-o", str(out), "-q"], check=True)
    one = json.load(open(out))["scales"]["s"]
    frame = pd.read_csv(ref / "grm_sim.csv")
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        got = attune.dask.calibrate_scale(dd.from_pandas(frame, npartitions=5), [it["id"] for it in one["items"]],
                                          [it["reversed"] for it in one["items"]], response_scale=(1, 5))
    finally:
        client.close()
        cluster.close()
    assert got["converged"] and got["iterations"] == one["iterations"] and got["rows"] == one["rows_used"]
    # Only the order of the additions differs (partitions vs 4,096-row blocks): 1e-13 in the sums,
    # which the M-step's Newton iterations carry to a few 1e-9 in the parameters (measured up to 3.9e-9).
    for j, it in enumerate(one["items"]):
        assert abs(got["a"][j] - it["a"]) < 1e-7, (j, got["a"][j], it["a"])
        assert max(abs(x - y) for x, y in zip(got["b"][j], it["b"])) < 1e-7, j
    # The log-likelihood here is at the last cycle's parameters (before its M-step), so it is close
    # to, not equal to, the one at the estimates.
    assert abs(got["log_likelihood"] - one["log_likelihood"]) < 1e-3 * abs(one["log_likelihood"])
