from typing import Any, Optional, Sequence

from . import ColumnSpec, InstrumentLike, Reliability

def score(ddf: Any, instrument: InstrumentLike, *, columns: ColumnSpec = ..., missing: Optional[Sequence[float]] = ...,
          keep: Optional[Sequence[Any]] = ..., **options: Any) -> Any: ...
def reliability_sums(ddf: Any, instrument: InstrumentLike, *, columns: ColumnSpec = ...,
                     missing: Optional[Sequence[float]] = ..., split_every: int = ..., **options: Any) -> Any: ...
def reliability(ddf: Any, instrument: InstrumentLike, *, columns: ColumnSpec = ...,
                missing: Optional[Sequence[float]] = ..., missing_handling: str = ..., miskey_below: float = ...,
                ci_level: float = ..., split_every: int = ..., **options: Any) -> Reliability: ...
