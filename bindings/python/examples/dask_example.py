"""attune on Dask. With no address it starts a local cluster of two worker processes; pass a
scheduler address (e.g. tcp://scheduler:8786) to use a real cluster.

    PYTHONPATH=build/bindings/python /usr/bin/python3 bindings/python/examples/dask_example.py [ADDRESS]
"""
import pathlib
import sys

import dask.dataframe as dd
from distributed import Client, LocalCluster

import attune
import attune.dask

root = pathlib.Path(__file__).resolve().parents[3]

if __name__ == "__main__":
    if len(sys.argv) > 1:
        client = Client(sys.argv[1])
    else:
        client = Client(LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None))
    ddf = dd.read_csv(root / "examples" / "data" / "ecr-r-synthetic.csv", dtype=str, blocksize="16KB")
    print("partitions:", ddf.npartitions)
    scores = attune.dask.score(ddf, "ecr-r", columns="Q{n}")
    print(scores.head())
    rel = attune.dask.reliability(ddf, "ecr-r", columns="Q{n}")
    print(rel.scales[["n", "alpha", "omega_total"]])
    client.close()
