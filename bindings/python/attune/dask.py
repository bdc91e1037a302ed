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
