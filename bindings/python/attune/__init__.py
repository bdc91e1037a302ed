"""attune: score adult-attachment questionnaires (ECR-R, ECR, ECR-S, ECR-RS, RQ, RSQ, RAAS).

A thin layer over the C++ core (``attune._core``): the same numbers as the ``attune`` command line.
Scores describe tendencies on a continuum; they are not a diagnosis.

    >>> import attune
    >>> r = attune.score({"q1": 5, "q2": 3}, "ecr-r")           # one person
    >>> df = attune.score_frame(data, "ecr-r", columns="Q{n}")   # a DataFrame, same index
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _data  # noqa: F401  (the installed package's instruments and guidance: before any load)
from . import _core
from ._errors import (AnswerError, DataError, Error, InstrumentError, InternalError, IoError, LimitError,
                      TextPackError, UsageError)
from ._theta_frame import add_norms_member, add_theta_columns
from ._frame import ColumnSpec, as_float_or_int, item_columns, notes_for, output_frame
from ._quality import QUALITY_COLUMNS, Audit, Document, audit_doc, quality_block
from ._cat import Cat, cat_step, load_calibration, theta
from . import _job

__all__ = [
    "Error", "UsageError", "InstrumentError", "AnswerError", "DataError", "IoError", "TextPackError", "LimitError",
    "InternalError", "Instrument", "ScoringPlan", "Result", "Reliability", "list_instruments", "load_instrument",
    "instrument_from_json", "scoring_plan", "score", "score_frame", "reliability", "reliability_sums",
    "reliability_from_sums", "plan", "version", "disclaimer", "audit", "Audit", "QUALITY_COLUMNS",
    "Cat", "cat_step", "load_calibration", "theta",
    "compare", "couple", "research_job",
]

Instrument = _core.Instrument
ScoringPlan = _core.ScoringPlan
InstrumentLike = Union[str, "_core.Instrument", "_core.ScoringPlan"]
Norms = Union[None, str, Mapping[str, Mapping[str, float]]]

__version__ = _core.version()


def version() -> str:
    return _core.version()


def disclaimer() -> str:
    """The sentence every person-facing output carries."""
    return _core.disclaimer()


def list_instruments() -> List[str]:
    """Ids of the built-in instruments."""
    return list(_core.list_instruments())


def load_instrument(id_or_path: str) -> "_core.Instrument":
    """A built-in instrument id ("ecr-r") or the path of an instrument JSON file."""
    return _core.Instrument.load(id_or_path)


def instrument_from_json(text: str, source_name: str = "<memory>") -> "_core.Instrument":
    return _core.Instrument.from_json(text, source_name)


def scoring_plan(instrument: InstrumentLike, *, profile_method: Optional[str] = None,
                 data_scale: Optional[Tuple[int, int]] = None, norms: Norms = None,
                 norms_label: str = "") -> "_core.ScoringPlan":
    """Compiles an instrument with scoring options (build once, score many).

    data_scale: the scale the answers were collected on when it differs, e.g. (1, 5).
    norms: "instrument" (default), "midpoint", or {scale: {"mean": m, "sd": s}} on the instrument metric.
    """
    if isinstance(instrument, _core.ScoringPlan):
        if profile_method or data_scale or norms is not None:
            raise UsageError("options given with an already compiled ScoringPlan",
                             expected="an instrument id, path or Instrument when passing options")
        return instrument
    ins = load_instrument(instrument) if isinstance(instrument, str) else instrument
    return _core.ScoringPlan(ins, profile_method or "", data_scale, norms, norms_label)


class Result(Document):
    """One person's scores: the same document as ``attune score --json``, with shortcuts."""

    @property
    def scales(self) -> Dict[str, Dict[str, Any]]:
        return {s["id"]: s for s in self._doc["scales"]}

    def raw(self, scale: str) -> Optional[float]:
        return self.scales[scale]["raw"]

    @property
    def profile(self) -> Dict[str, Any]:
        """The profile object; empty for an instrument without a profile (its result has none)."""
        return self._doc.get("profile", {})

    @property
    def dimensions(self) -> Dict[str, Optional[float]]:
        return dict(self.profile.get("dimensions", {}))

    @property
    def category(self) -> Optional[str]:
        """The winning category; ties joined by '|' (never broken silently); None when unavailable."""
        return self.profile.get("category")

    @property
    def confidence(self) -> Optional[float]:
        return self.profile.get("confidence")

    @property
    def method(self) -> str:
        return self.profile.get("method", "")

    @property
    def notes(self) -> List[str]:
        return list(self._doc.get("notes", []))

    @property
    def disclaimer(self) -> str:
        return self._doc.get("disclaimer", "")

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={v['raw']!r}" for k, v in self.scales.items())
        return f"<attune.Result {self._doc['instrument']['id']}: {parts}; category={self.category!r}>"


def score(answers: Union[Mapping[Any, Any], str], instrument: InstrumentLike, *, norm_set: Optional[str] = None,
          norm_group: Optional[str] = None, convert_response_scale: Optional[str] = None, **options: Any) -> Result:
    """Scores one person: a dict of item id (or position number) -> answer; None = missing.

    A JSON object text is accepted too. Options as for scoring_plan().

    Where a norm set applies (the instrument's default for answers on its response scale, e.g. the
    ECR on data_scale=(1, 5), or norm_set=ID|FILE), the result has a "norms" member as ``attune score
    --json`` writes it: the set, its source, the cell, and per scale z and percentile
    (docs/norms.md). norm_group="gender=female,age=30" chooses the cell (default: the whole sample);
    norm_set="none" leaves norms out; convert_response_scale="linear" as the CLI's option.
    """
    plan = scoring_plan(instrument, **options)
    answers = answers if isinstance(answers, str) else dict(answers)
    text = _core.score_json(plan, answers) if isinstance(answers, str) else _core.score_answers(plan, answers)
    doc = json.loads(text)
    add_norms_member(doc, plan, answers, norm_set, norm_group, convert_response_scale)
    return Result(doc)


def plan(result: Union[Result, Mapping[str, Any], str], *, stage: Optional[str] = None,
         parent: Optional[bool] = None, partnered: Optional[bool] = None,
         start: Union[None, str, _dt.date] = None, instrument: Optional[InstrumentLike] = None,
         guidance: Optional[str] = None) -> Dict[str, Any]:
    """The recommendation plan for a scored person, as plain Python objects (docs/guidance.md).

    result: a Result from score(), its to_dict(), or the JSON text of ``attune score --json``.
    stage: single, dating, long_term, parenting or separating; parent/partnered: None = not asked.
    start: first day of the 30-day schedule (date or "YYYY-MM-DD"); None = days without dates.
    instrument: the instrument/scoring plan the result came from (default: the built-in one named in
    the result, with the result's profile method). guidance: a pack folder (default: the "en" pack on
    the search path, loaded once). Deterministic: the same result and context give the same plan.
    The plan is not a diagnosis; its "disclaimer" says so and must be shown with it.
    """
    if isinstance(result, Result):
        text = result.to_json(indent=None)
    elif isinstance(result, str):
        text = result
    else:
        text = json.dumps(dict(result))
    if isinstance(start, _dt.date):
        start = start.isoformat()
    sp = scoring_plan(instrument) if instrument is not None else None
    out = _core.plan_json(text, sp, stage or "", parent, partnered, start or "", guidance or "", -1)
    return json.loads(out)


def _result_text(result: Union[Result, Mapping[str, Any], str]) -> str:
    if isinstance(result, Result):
        return result.to_json(indent=None)
    return result if isinstance(result, str) else json.dumps(dict(result))


def _change_options(sd: Optional[Mapping[str, float]], reliability: Optional[Mapping[str, float]],
                    **extra: Any) -> str:
    opts: Dict[str, Any] = {k: v for k, v in extra.items() if v is not None}
    if sd:
        opts["sd"] = dict(sd)
    if reliability:
        opts["reliability"] = dict(reliability)
    return json.dumps(opts)


def compare(before: Union[Result, Mapping[str, Any], str], after: Union[Result, Mapping[str, Any], str], *,
            sd: Optional[Mapping[str, float]] = None, reliability: Optional[Mapping[str, float]] = None,
            before_date: Union[None, str, _dt.date] = None, after_date: Union[None, str, _dt.date] = None,
            norm_set: Optional[str] = None, convert_response_scale: Optional[str] = None,
            guidance: Optional[str] = None) -> Dict[str, Any]:
    """Two results of one person compared per scale, as ``attune compare --format json`` (docs/change.md).

    Each scale has its difference, reliable change index (Jacobson & Truax, 1991), mdc95, "reliable"
    (None when no standard error is known) and the "basis" of its standard error. sd/reliability: by
    scale id, both for each scale. Dates: "YYYY-MM-DD" or dates, else the results' own "taken".
    The norm sets the results name are looked up as ``attune compare`` does (a result saved before
    sets carried an SD and alpha still gets a verdict); norm_set=ID|FILE judges results that name
    none, and convert_response_scale="linear" as the CLI's options. Results of different instruments
    or response scales raise UsageError. Not a diagnosis.
    """
    b, a = (d.isoformat() if isinstance(d, _dt.date) else d for d in (before_date, after_date))
    opts = _change_options(sd, reliability, before_date=b, after_date=a, norm_set=norm_set,
                           convert_response_scale=convert_response_scale)
    return json.loads(_core.change_json(False, _result_text(before), _result_text(after), opts, guidance or ""))


def couple(a: Union[Result, Mapping[str, Any], str], b: Union[Result, Mapping[str, Any], str], *,
           names: Optional[Sequence[str]] = None, sd: Optional[Mapping[str, float]] = None,
           reliability: Optional[Mapping[str, float]] = None, guidance: Optional[str] = None) -> Dict[str, Any]:
    """Two partners who both chose to share, as ``attune couple --format json`` (docs/change.md).

    Positions with 95% intervals, per-dimension differences against measurement error, and a shared
    plan of practices for two, each with why. Never a compatibility score or a prediction; its
    "not_a_score" says so and must be shown with it.
    """
    opts = _change_options(sd, reliability, names=list(names) if names is not None else None)
    return json.loads(_core.change_json(True, _result_text(a), _result_text(b), opts, guidance or ""))


def _prepare(data: Any, plan: "_core.ScoringPlan", columns: ColumnSpec, keep: Optional[Sequence[Any]]):
    """Item arrays (item order), their column names, the index and the kept columns of `data`."""
    if isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise UsageError(f"a {data.ndim}-dimensional array", expected="rows x items")
        if data.shape[1] != plan.item_count:
            raise UsageError(f"the array has {data.shape[1]} columns for {plan.item_count} items",
                             expected="one column per item, in item position order")
        if keep:
            raise UsageError("keep= needs a DataFrame")
        arrays = [as_float_or_int(data[:, j], j + 1) for j in range(data.shape[1])]
        names = [f"column {j + 1}" for j in range(data.shape[1])]
        return arrays, names, None, [], None
    if not hasattr(data, "columns"):
        raise UsageError(f"cannot score a {type(data).__name__}", expected="a pandas DataFrame or a 2-D NumPy array")
    names = item_columns(plan.instrument, list(data.columns), columns)
    texts: List[Dict[int, str]] = [{} for _ in names]
    arrays = [as_float_or_int(data[c], c, t) for c, t in zip(names, texts)]
    if keep is None:
        keep = [c for c in ("id", "ID") if c in data.columns][:1]
    for k in keep:
        if k not in data.columns:
            raise DataError(f"no column '{k}' to keep", column_name=str(k), expected="a column of the data")
        if list(data.columns).count(k) > 1:
            raise DataError(f"column '{k}' to keep appears more than once in the data", column_name=str(k),
                            expected="each kept column once (rename the duplicates)")
    kept = [(k, data[k].to_numpy()) for k in keep]
    return arrays, names, data.index, kept, texts


def score_frame(data: Any, instrument: InstrumentLike, *, columns: ColumnSpec = None,
                missing: Optional[Sequence[float]] = None, keep: Optional[Sequence[Any]] = None,
                threads: int = 0, quality: bool = False, quality_thresholds: Optional[Mapping[str, float]] = None,
                irt: Optional[str] = None, irt_method: str = "eap", **options: Any):
    """Scores every row of a DataFrame (or a rows x items NumPy array) in C++, without per-row Python.

    Returns a DataFrame with the same index and the same columns as ``attune score`` writes as CSV:
    the kept columns (default: a column named id/ID), then <scale>, <scale>_z, <scale>_pct per scale,
    secure, anxious, avoidant, fearful, category, confidence, method, notes. A row with an invalid
    answer keeps its place, with empty scores and the reason in notes (as the CLI's report mode).

    columns: None (columns named like the item ids), a pattern ("Q{n}", "{id}"), a list in item
    position order, or a dict item id -> column. missing: codes that mean "not answered" (e.g. [0]).

    quality=True adds the columns of ``attune score --quality`` before notes, with the CLI's values:
    longstring, irv, even_odd, synonyms, mahalanobis, mahalanobis_p, share_answered, out_of_range
    (float64, NaN where the CLI leaves the cell empty) and quality_flags (the caught flags joined by
    '|', "" for none). synonyms and mahalanobis judge each row against the whole of `data`. A flag is
    a prompt to look at a row, never a verdict on the person. quality_thresholds: as the CLI's
    --quality-* options, by name without the prefix (longstring_share, irv_at_most, even_odd_below,
    synonym_r, synonyms_below, mahalanobis_p, share_answered_below, out_of_range_above). The frame's
    attrs["quality"] holds the rows caught per flag and the CLI's note on columns left empty.

    irt=CALIBRATION (a file or shipped id, as ``attune score FILE --irt``) adds <scale>_theta and
    <scale>_theta_se per calibrated scale after the profile's columns, with the CLI's values (EAP with
    the posterior SD; irt_method="map" for the posterior mode); NaN where the CLI leaves them empty.
    """
    plan = scoring_plan(instrument, **options)
    arrays, names, index, kept, texts = _prepare(data, plan, columns, keep)
    miss = [float(m) for m in (missing or [])]
    if quality_thresholds is not None and not quality:
        raise UsageError("quality_thresholds given without quality=True", expected="quality=True with quality_thresholds")
    block = _core.score_columns(plan, arrays, miss, threads)
    notes = notes_for(plan, block, names, arrays, miss, texts)
    q = quality_block(plan, arrays, miss, threads, quality_thresholds) if quality else None
    out = output_frame(plan, block, index, kept, notes, q["columns"] if q else None)
    if irt is not None:
        add_theta_columns(out, plan, irt, arrays, miss, threads, irt_method, quality)
    if q:
        out.attrs["quality"] = {"flagged": q["flagged"], "note": q["note"]}
    return out


def research_job(input: Any, instrument: InstrumentLike, output: Any, *, columns: ColumnSpec = None,
                 missing: Optional[Sequence[Any]] = None, keep: Optional[Sequence[str]] = None, format: str = "csv",
                 norms: Norms = None, quality: bool = False, quality_thresholds: Optional[Mapping[str, float]] = None,
                 reliability: bool = False, response_scale_confirmed: bool = False, input_format: Optional[str] = None,
                 decimals: int = 6, threads: int = 0, skip_rows: int = 0, row_numbers: bool = False,
                 delimiter: str = ",", on_error: str = "report", progress: Optional[_job.Progress] = None,
                 **options: Any) -> Dict[str, Any]:
    """Scores a data file (CSV, SPSS .sav or JSON Lines) into `output`, as ``attune score`` does, in one
    library call: the same passes in the same order (sample norms, the quality model's first reading,
    scoring, reliability and the response-scale check) and the same bytes as the CLI with the same options.

    format: csv, jsonl or sav. norms: "instrument" (default), "midpoint", "sample" (mean and sd from
    this file) or {scale: {"mean": m, "sd": s}}. quality/reliability: as --quality/--reliability.
    columns, missing, keep: as --map, --missing, --keep (default: a column named id, if any).
    progress(rows, bytes_read, total_bytes): called now and then while the file is scored.
    The output appears under its name only when complete. Returns the summary: rows_in, rows_scored,
    rows_reported, rows_with_notes, rows_skipped, blank_lines, errors (one dict per row that could not
    be scored), response_scale, quality (rows caught per flag, and the note on columns left empty)
    and reliability (the document --reliability writes; its text as reliability_json).
    Scores describe tendencies on a continuum; they are not a diagnosis.
    """
    if norms == "sample":
        plan = scoring_plan(instrument, **options)
    else:
        plan = scoring_plan(instrument, norms=norms, **options)
    opts = _job.research_job_options(columns, missing, keep, format, norms, quality, quality_thresholds, reliability,
                                     response_scale_confirmed, input_format, decimals, threads, skip_rows,
                                     row_numbers, delimiter, on_error)
    return _job.run(plan, input, output, opts, progress)


def audit(data: Any, instrument: InstrumentLike, *, columns: ColumnSpec = None,
          missing: Optional[Sequence[float]] = None, listwise: bool = False, **options: Any) -> Audit:
    """Checks the instrument's key and response scale against the data, as ``attune audit``: per scale
    and item, item-rest r, the loading on the scale's first principal component, the instrument's key
    and the key the data suggest (docs/audit.md). ``.to_dict()`` is the document of ``attune audit
    --format json``; ``.items`` and ``.scales`` are DataFrames. Rows with an invalid answer are left
    out, as the CLI leaves them out. listwise: only rows answering every item of a scale."""
    plan = scoring_plan(instrument, **options)
    arrays, _, _, _, _ = _prepare(data, plan, columns, [])
    return audit_doc(plan, arrays, missing or [], listwise)


class Reliability:
    """Reliability and item statistics per scale (psych::alpha / omega definitions)."""

    def __init__(self, report: Dict[str, Any]) -> None:
        self._report = report

    @property
    def scales(self):
        """One row per scale: alpha, std_alpha, lambda6, average_r, ..., omega_total, confidence intervals."""
        import pandas as pd
        rows = []
        for s in self._report["scales"]:
            r = {k: v for k, v in s.items() if k not in ("items", "alpha_ci_feldt", "alpha_ci_duhachek")}
            r["alpha_ci_feldt_lower"], r["alpha_ci_feldt_upper"] = s["alpha_ci_feldt"]
            r["alpha_ci_duhachek_lower"], r["alpha_ci_duhachek_upper"] = s["alpha_ci_duhachek"]
            rows.append(r)
        return pd.DataFrame(rows).set_index("id")

    @property
    def items(self):
        """One row per (scale, item): keyed mean, sd, r_drop, r_cor, std_r, alpha if deleted, missing share."""
        import pandas as pd
        rows = []
        for s in self._report["scales"]:
            for it in s["items"]:
                r = {k: v for k, v in it.items() if k not in ("frequencies", "id")}
                rows.append({"scale": s["id"], "item": it["id"], **r})
        return pd.DataFrame(rows).set_index(["scale", "item"])

    @property
    def frequencies(self):
        """Share of each answer per (scale, item), unkeyed, on the data's response scale."""
        import pandas as pd
        rows = []
        for s in self._report["scales"]:
            for it in s["items"]:
                rows.append({"scale": s["id"], "item": it["id"], **{int(k): v for k, v in it["frequencies"].items()}})
        return pd.DataFrame(rows).set_index(["scale", "item"])

    @property
    def warnings(self) -> List[Dict[str, Any]]:
        return list(self._report["warnings"])

    def to_dict(self) -> Dict[str, Any]:
        return {k: v for k, v in self._report.items() if k != "json"}

    def to_json(self) -> str:
        """The same JSON as the C++ to_json(ReliabilityReport)."""
        return self._report["json"]


def reliability_sums(data: Any, instrument: InstrumentLike, *, columns: ColumnSpec = None,
                     missing: Optional[Sequence[float]] = None, **options: Any) -> "_core.ReliabilitySums":
    """Exact per-scale sums of a block of rows (mergeable in any order with .merge(); picklable)."""
    plan = scoring_plan(instrument, **options)
    arrays, _, _, _, _ = _prepare(data, plan, columns, [])
    return _core.reliability_sums(plan, arrays, [float(m) for m in (missing or [])])


def reliability_from_sums(sums: "_core.ReliabilitySums", instrument: InstrumentLike, *,
                          missing_handling: str = "pairwise", miskey_below: float = 0.0, ci_level: float = 0.95,
                          **options: Any) -> Reliability:
    plan = scoring_plan(instrument, **options)
    return Reliability(_core.reliability_report(plan, sums, missing_handling, miskey_below, ci_level))


def reliability(data: Any, instrument: InstrumentLike, *, columns: ColumnSpec = None,
                missing: Optional[Sequence[float]] = None, missing_handling: str = "pairwise",
                miskey_below: float = 0.0, ci_level: float = 0.95, **options: Any) -> Reliability:
    """Cronbach's alpha, standardized alpha, Guttman's lambda 6, omega total and item statistics per
    scale, from the rows that can be scored. missing_handling: "pairwise" (psych's default) or "listwise"."""
    plan = scoring_plan(instrument, **options)
    sums = reliability_sums(data, plan, columns=columns, missing=missing)
    return reliability_from_sums(sums, plan, missing_handling=missing_handling, miskey_below=miskey_below,
                                 ci_level=ci_level)


# TODO(guidance, issue 6): attune.recommend(result, ...) -> the plan as plain Python objects, once
# include/attune/guidance.hpp (attune::recommend -> Plan) has landed in git.
