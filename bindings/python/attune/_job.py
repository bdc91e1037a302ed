"""attune.research_job: the library's research job on a data file, as ``attune score`` runs it."""
from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Union

from . import _core
from ._errors import UsageError

Progress = Callable[[int, int, int], None]


def research_job_options(columns: Any, missing: Optional[Sequence[Any]], keep: Optional[Sequence[str]], fmt: str,
                         norms: Union[str, Mapping[str, Any], None], quality: bool,
                         quality_thresholds: Optional[Mapping[str, float]], reliability: bool,
                         response_scale_confirmed: bool, input_format: Optional[str], decimals: int, threads: int,
                         skip_rows: int, row_numbers: bool, delimiter: str, on_error: str) -> Dict[str, Any]:
    """The options dict of _core.research_job, checked as the CLI checks its options."""
    if fmt not in ("csv", "jsonl", "sav"):
        raise UsageError(f"format '{fmt}'", expected="csv, jsonl or sav")
    if on_error not in ("report", "stop"):
        raise UsageError(f"on_error '{on_error}'", expected="report or stop")
    if quality_thresholds is not None and not quality:
        raise UsageError("quality_thresholds given without quality=True", expected="quality=True with quality_thresholds")
    if delimiter in ("tab", "\\t"):
        delimiter = "\t"
    if len(delimiter) != 1:
        raise UsageError("delimiter must be one character", expected="e.g. ',' ';' or tab")
    return {
        "columns": columns, "missing": [str(m) for m in (missing or [])], "keep": list(keep or []),
        "keep_default": keep is None, "format": fmt, "sample_norms": norms == "sample", "quality": quality,
        "quality_thresholds": dict(quality_thresholds or {}), "reliability": reliability,
        "response_scale_confirmed": response_scale_confirmed, "input_format": input_format or "",
        "decimals": int(decimals), "threads": int(threads), "skip_rows": int(skip_rows), "row_numbers": row_numbers,
        "delimiter": delimiter, "on_error": on_error,
    }


def run(plan: "_core.ScoringPlan", input: Union[str, "os.PathLike[str]"], output: Union[str, "os.PathLike[str]"],
        options: Dict[str, Any], progress: Optional[Progress]) -> Dict[str, Any]:
    """The summary of _core.research_job, with the reliability document parsed."""
    summary = _core.research_job(plan, os.fspath(input), os.fspath(output), options, progress)
    text = summary.pop("reliability_json")
    summary["reliability"] = json.loads(text) if text is not None else None
    summary["reliability_json"] = text
    return summary
