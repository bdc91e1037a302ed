"""Response-quality columns (``attune score --quality``) and the key audit (``attune audit``)."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence

import numpy as np

from . import _core

# The CLI's columns, in its order (docs/cli.md, score --quality); the frame takes them from the library's
# table, and a test checks that this tuple names the same.
QUALITY_COLUMNS = ("longstring", "irv", "even_odd", "synonyms", "mahalanobis", "mahalanobis_p", "share_answered",
                   "out_of_range", "quality_flags")

_FLAG_NAMES: List[str] = list(_core.quality_flag_names())
# Flag bit sets -> text, as the CLI writes them: caught flags joined by '|' in flag order, none -> "".
_FLAG_TEXT = np.array(["|".join(f for i, f in enumerate(_FLAG_NAMES) if m & (1 << i)) for m in range(1 << len(_FLAG_NAMES))],
                      dtype=object)


def quality_block(plan: "_core.ScoringPlan", arrays: Sequence[np.ndarray], missing: Sequence[float], threads: int,
                  thresholds: Optional[Mapping[str, float]]) -> Dict[str, Any]:
    """The indices per row (float64; NaN where the CLI leaves the cell empty) and the flags as text."""
    block = _core.quality_columns(plan, list(arrays), [float(m) for m in missing], threads, dict(thresholds or {}))
    block["quality_flags"] = _FLAG_TEXT[block["flags"]]
    # The quality columns are those the library's output table adds with quality on, in its order.
    plain = set(_core.output_columns(plan, False))
    cols: Dict[str, Any] = {name: block[name] for name in _core.output_columns(plan, True)
                            if name not in plain and name in block}
    flagged = {name: int(np.count_nonzero(block["flags"] & (1 << i))) for i, name in enumerate(_FLAG_NAMES)}
    flagged["any"] = int(np.count_nonzero(block["flags"]))
    return {"columns": cols, "note": block["note"], "flagged": flagged}


class Document:
    """A JSON document of the CLI's (a result, an audit) as a Python object: ``to_dict``, ``to_json``."""

    def __init__(self, doc: Dict[str, Any]) -> None:
        self._doc = doc

    def to_dict(self) -> Dict[str, Any]:
        return self._doc

    def to_json(self, indent: Optional[int] = 2) -> str:
        return json.dumps(self._doc, indent=indent)


class Audit(Document):
    """Does the instrument's key (and response scale) fit the data? The document of
    ``attune audit --format json``, with its item and scale tables as DataFrames."""

    @property
    def scales(self):
        """One row per scale: n, first_component_share, note (when a figure is missing)."""
        import pandas as pd
        rows = [{"id": sid, **{k: v for k, v in s.items() if k != "items"}} for sid, s in self._doc["scales"].items()]
        return pd.DataFrame(rows).set_index("id")

    @property
    def items(self):
        """One row per (scale, item): reverse (the instrument's key), suggested_reverse, miskeyed, item_rest_r,
        loading, loading_sign, n."""
        import pandas as pd
        rows = [{"scale": sid, "item": it["id"], **{k: v for k, v in it.items() if k != "id"}}
                for sid, s in self._doc["scales"].items() for it in s["items"]]
        return pd.DataFrame(rows).set_index(["scale", "item"])

    @property
    def miskeyed(self) -> List[Dict[str, str]]:
        """The items whose suggested key differs from the instrument's: [{"scale": ..., "item": ...}]."""
        return list(self._doc["miskeyed"])

    @property
    def response_scale(self) -> Dict[str, Any]:
        """The response-scale check: does the data's use of the scale fit the declared one?"""
        return dict(self._doc["response_scale"])

    def __repr__(self) -> str:
        return f"<attune.Audit {self._doc['instrument']}: {len(self.miskeyed)} item(s) look miskeyed>"


def audit_doc(plan: "_core.ScoringPlan", arrays: Sequence[np.ndarray], missing: Sequence[float], listwise: bool) -> Audit:
    return Audit(json.loads(_core.audit_json(plan, list(arrays), [float(m) for m in missing], listwise)))
