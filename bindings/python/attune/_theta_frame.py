"""The parts of the CLI's results that come from a calibration or a norm set: theta columns of a scored
frame (``score_frame(..., irt=CAL)``, as ``attune score FILE --irt``) and one person's "norms" member
(as ``attune score --json``)."""
from __future__ import annotations

import json
from typing import Any, Dict, Optional, Sequence

from . import _core
from ._errors import UsageError


def add_theta_columns(out: Any, plan: "_core.ScoringPlan", calibration: Any, arrays: Sequence[Any],
                      missing: Sequence[float], threads: int, method: str, quality: bool) -> None:
    """Inserts <scale>_theta and <scale>_theta_se per calibrated scale where the CLI writes them:
    after the profile's columns, before the quality columns and notes (the CLI's names and values;
    NaN where the CLI leaves the cell empty: a row with an answer off the scale, or a scale with no
    item answered)."""
    if method not in ("eap", "map"):
        raise UsageError(f"irt_method '{method}'", expected="eap (posterior mean and SD) or map (posterior mode)")
    cal = calibration if isinstance(calibration, str) else str(calibration)
    got = _core.theta_columns(plan, cal, list(arrays), list(missing), method == "map", threads)
    values = got["values"]
    # notes is last; the nine quality columns come right before it.
    at = len(out.columns) - 1 - (9 if quality else 0)
    for s, sid in enumerate(got["scale_ids"]):
        for k, suffix in enumerate(("_theta", "_theta_se")):
            name = sid + suffix
            if name in out.columns:
                raise UsageError(f"kept column '{name}' has the name of an output column", column_name=name,
                                 expected="keep= columns named unlike the score columns")
            out.insert(at, name, values[:, 2 * s + k])
            at += 1


def add_norms_member(doc: Dict[str, Any], plan: "_core.ScoringPlan", answers: Any, norm_set: Optional[str],
                     norm_group: Optional[str], convert: Optional[str]) -> None:
    """Adds "norms" to a result document where a norm set applies, as the CLI's ``score --json``."""
    if convert not in (None, "linear"):
        raise UsageError(f"convert_response_scale '{convert}'", expected="linear, or None")
    text = _core.norms_json(plan, answers, norm_set or "", norm_group or "", convert == "linear")
    if text != "null":
        doc["norms"] = json.loads(text)
