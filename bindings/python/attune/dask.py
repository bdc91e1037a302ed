"""attune on Dask: score and analyse data that outgrow one machine, partition by partition.

    import dask.dataframe as dd, attune.dask
    ddf = dd.read_csv("s3://bucket/ecr-r-*.csv")
    scores = attune.dask.score(ddf, "ecr-r", columns="Q{n}")          # lazy Dask DataFrame
    rel = attune.dask.reliability(ddf, "ecr-r", columns="Q{n}")       # attune.Reliability (computed)

Scoring is row-wise, so each partition is scored on its own worker (map_partitions). Reliability
needs the whole data set: each partition yields exact sums (integer counts and cross-products held
exactly in doubles, the same accumulators as the C++ batch code), the sums are merged in a tree, and
the statistics are computed once from the merged sums, so the result equals the single-machine
result to the last digit whatever the partitioning.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

import attune

from ._frame import ColumnSpec


def _instrument(instrument: Any):
    # A plan cannot be pickled; an instrument can (as its JSON), so workers get the instrument and
    # compile their own plan with the same options.
    if isinstance(instrument, attune.ScoringPlan):
        raise attune.UsageError("attune.dask needs an instrument (id, path or Instrument), not a ScoringPlan",
                                expected="pass the options as keyword arguments instead")
    return attune.load_instrument(instrument) if isinstance(instrument, str) else instrument


def _score_partition(pdf, instrument, columns, missing, keep, options):
    return attune.score_frame(pdf, instrument, columns=columns, missing=missing, keep=keep, threads=1, **options)


def score(ddf, instrument: Any, *, columns: ColumnSpec = None, missing: Optional[Sequence[float]] = None,
          keep: Optional[Sequence[Any]] = None, **options: Any):
    """A lazy Dask DataFrame of scores: the columns of attune.score_frame, partition by partition,
    with the input's index and divisions."""
    if options.get("quality"):
        # synonyms and Mahalanobis judge a row against the whole sample; a partition is not it.
        raise attune.UsageError("attune.dask.score cannot add quality columns partition by partition",
                                expected="attune.score_frame(df, ..., quality=True) on the whole data set")
    ins = _instrument(instrument)
    meta = attune.score_frame(ddf._meta, ins, columns=columns, missing=missing, keep=keep, **options)
    return ddf.map_partitions(_score_partition, ins, columns, missing, keep, options, meta=meta,
                              align_dataframes=False)


def _sums(pdf, instrument, columns, missing, options):
    return attune.reliability_sums(pdf, instrument, columns=columns, missing=missing, **options)


def _merge(parts):
    total = parts[0]
    for p in parts[1:]:
        total.merge(p)
    return total


def reliability_sums(ddf, instrument: Any, *, columns: ColumnSpec = None, missing: Optional[Sequence[float]] = None,
                     split_every: int = 8, **options: Any):
    """A dask.delayed of the merged exact sums (attune._core.ReliabilitySums)."""
    import dask
    ins = _instrument(instrument)
    parts = [dask.delayed(_sums)(p, ins, columns, missing, options) for p in ddf.to_delayed()]
    if not parts:
        parts = [dask.delayed(_sums)(ddf._meta, ins, columns, missing, options)]
    # A tree of merges: no single task holds every partition's sums at once.
    while len(parts) > 1:
        parts = [dask.delayed(_merge)(parts[i:i + split_every]) for i in range(0, len(parts), split_every)]
    return parts[0]


def reliability(ddf, instrument: Any, *, columns: ColumnSpec = None, missing: Optional[Sequence[float]] = None,
                missing_handling: str = "pairwise", miskey_below: float = 0.0, ci_level: float = 0.95,
                split_every: int = 8, **options: Any) -> "attune.Reliability":
    """Reliability and item statistics over the whole Dask DataFrame (computes now; uses the current
    Dask scheduler, e.g. a distributed.Client)."""
    ins = _instrument(instrument)
    sums = reliability_sums(ddf, ins, columns=columns, missing=missing, split_every=split_every, **options).compute()
    return attune.reliability_from_sums(sums, ins, missing_handling=missing_handling, miskey_below=miskey_below,
                                        ci_level=ci_level, **options)


def _partition_sums(pdf, columns, reversed_items, scale, a, d):
    import pandas as pd
    from . import _core
    # Empty cells are NaN (not answered); anything else that is not a number is refused by the C++ side.
    answers = pdf[list(columns)].apply(pd.to_numeric).to_numpy(dtype=float)
    return _core.irt_partition_sums(a, d, reversed_items, scale[0], scale[1], answers)


def _add_sums(parts):
    total = dict(parts[0])
    for p in parts[1:]:
        if (p["items"], p["categories"], p["nodes"]) != (total["items"], total["categories"], total["nodes"]):
            raise attune.UsageError("partition sums of different shapes cannot be added")
        for key in ("r", "observed", "log_likelihood", "rows"):
            total[key] = total[key] + p[key]
    return total


def _total(ddf, columns, reversed_items, scale, a, d, split_every):
    import dask
    parts = [dask.delayed(_partition_sums)(p, columns, reversed_items, scale, a, d) for p in ddf.to_delayed()]
    while len(parts) > 1:
        parts = [dask.delayed(_add_sums)(parts[i:i + split_every]) for i in range(0, len(parts), split_every)]
    return parts[0].compute()


def calibrate_scale(ddf, columns: Sequence[str], reversed_items: Sequence[bool], *, response_scale=(1, 5),
                    tolerance: float = 1e-4, max_iterations: int = 500, split_every: int = 8) -> dict:
    """One scale's graded response model (docs/irt.md) by EM over a Dask DataFrame: each cycle, every
    partition's E-step sums (expected counts per item, category and node) are made on the workers and
    added in a tree; the M-step runs here on the total. The same start values, E-step, M-step and stop
    rule as `attune calibrate`, so the parameters agree with one machine's (summation order aside).
    Missing answers are NaN or empty cells. Returns a, b (the usual metric), iterations, converged,
    max_change, log_likelihood (at the last cycle's parameters) and rows."""
    from . import _core
    reversed_items = [bool(r) for r in reversed_items]
    scale = (int(response_scale[0]), int(response_scale[1]))
    total = _total(ddf, columns, reversed_items, scale, [], [], split_every)
    a, d = _core.irt_start_parameters(total)
    converged, change, iterations = False, float("nan"), 0
    for iterations in range(1, max_iterations + 1):
        total = _total(ddf, columns, reversed_items, scale, a, d, split_every)
        a, d, change = _core.irt_m_step(total, a, d)
        if change < tolerance:
            converged = True
            break
    k = total["categories"] - 1
    b = [[-d[j * k + i] / a[j] for i in range(k)] for j in range(len(a))]
    return {"a": list(a), "b": b, "iterations": iterations, "converged": converged, "max_change": change,
            "log_likelihood": total["log_likelihood"], "rows": int(total["rows"])}
