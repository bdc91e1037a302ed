"""From pandas/NumPy data to item columns, and from score blocks to the CLI's output columns."""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import re

import numpy as np

from . import _core
from ._errors import DataError, InternalError, UsageError

ColumnSpec = Union[None, str, Sequence[str], Mapping[str, str]]

_DIMENSIONS = ("secure", "anxious", "avoidant", "fearful")
# Category masks -> text, as the CLI writes them: ties joined by '|', none -> missing.
_CATEGORY_TEXT = np.array(
    [None] + ["|".join(_DIMENSIONS[c] for c in range(4) if m & (1 << c)) for m in range(1, 16)], dtype=object)


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _expand_pattern(pattern: str, position: int, item_id: str) -> str:
    """As the CLI's --map: {n}, {n:0W} (zero-padded to W digits, 1 to 9) and {id}; nothing else."""
    def one(m: "re.Match[str]") -> str:
        name = m.group(1)
        if name == "n":
            return str(position)
        if name == "id":
            return item_id
        if re.fullmatch(r"n:0[1-9]", name):
            return str(position).zfill(int(name[3]))
        raise UsageError(f"column pattern '{pattern}': unknown placeholder '{{{name}}}'",
                         expected="placeholders {n}, {n:0W} (zero-padded to W digits, 1 to 9) or {id}")
    out = _PLACEHOLDER.sub(one, pattern)
    if "{" in out or "}" in out:
        raise UsageError(f"column pattern '{pattern}': a brace without its pair",
                         expected="placeholders {n}, {n:0W} (zero-padded to W digits, 1 to 9) or {id}")
    return out


def _fold_case(wanted: str, names: Sequence[Any]) -> Any:
    """The column named like an item id: the exact name, else the one name equal to it ignoring case."""
    if wanted in names:
        return wanted
    same = [n for n in names if isinstance(n, str) and n.lower() == wanted.lower()]
    if len(same) > 1:
        raise DataError(f"columns '{same[0]}' and '{same[1]}' both match item {wanted} when case is ignored",
                        column_name=str(same[0]), item=wanted,
                        expected="one column per item whatever its case, or columns= naming the column")
    return same[0] if same else wanted


def item_columns(instrument: "_core.Instrument", names: Sequence[Any], columns: ColumnSpec) -> List[Any]:
    """The data column for each item, in item order. Declared, never guessed (as the CLI's --map)."""
    ids = list(instrument.item_ids)
    positions = list(instrument.item_positions)
    if columns is None:
        wanted = ids
    elif isinstance(columns, str):
        if "{" not in columns:
            raise UsageError(f"column pattern '{columns}' has no {{n}} or {{id}}", expected="e.g. 'Q{n}' or '{id}'")
        wanted = [_expand_pattern(columns, p, i) for i, p in zip(ids, positions)]
    elif isinstance(columns, Mapping):
        unknown = [k for k in columns if k not in ids]
        if unknown:
            raise UsageError(f"no item '{unknown[0]}' in {instrument.id}", item=str(unknown[0]),
                             expected="item ids of the instrument")
        missing = [i for i in ids if i not in columns]
        if missing:
            raise UsageError(f"no column given for item '{missing[0]}'", item=missing[0],
                             expected="one column for every item")
        wanted = [columns[i] for i in ids]
    else:
        wanted = list(columns)
        if len(wanted) != len(ids):
            raise UsageError(f"{len(wanted)} columns listed for {len(ids)} items",
                             expected="one column per item, in item position order")
    _refuse_repeated_columns(ids, wanted)
    present = set(names)
    if columns is None:
        wanted = [_fold_case(col, names) for col in wanted]
    counts: Dict[Any, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    for item, col in zip(ids, wanted):
        if counts.get(col, 0) > 1:
            # pandas would hand back a DataFrame for the name; which copy is the item's is a guess.
            raise DataError(f"column '{col}' appears {counts[col]} times in the data", column_name=str(col), item=item,
                            expected="each item's column once (rename the duplicates)")
        if col not in present:
            raise DataError(f"no column '{col}' for item {item}", column_name=str(col), item=item,
                            expected="a column for every item (see the columns= argument)")
    return wanted


def _refuse_repeated_columns(ids: Sequence[str], wanted: Sequence[Any]) -> None:
    """One column per item, as the CLI's --map: a column named for two items would score one answer twice."""
    first: Dict[Any, str] = {}
    for item, col in zip(ids, wanted):
        if col in first:
            raise UsageError(f"column '{col}' is given for items {first[col]} and {item}", column_name=str(col),
                             item=item, expected="a different column for every item")
        first[col] = item


def _refuse_booleans(dtype: Any, name: Any) -> None:
    """True/False are not answers on a rating scale; scoring them as 1 and 0 would be a silent guess."""
    if dtype == np.bool_ or str(dtype) == "boolean":
        raise DataError(f"column '{name}' holds true/false values", column_name=str(name),
                        expected="answers as numbers on the response scale, or missing")


def as_float_or_int(values: Any, name: Any, texts: Optional[Dict[int, str]] = None) -> np.ndarray:
    """A 1-D float64 or int64 array for _core, without a copy when the data already are one of those.

    Text cells that are not numbers become +inf, which the kernel reports as an invalid answer (so the
    row keeps its place with the reason in notes, as in the CLI); their text goes to `texts`.
    """
    if hasattr(values, "to_numpy"):
        s = values
        if s.dtype == np.float64 or s.dtype == np.int64:
            return s.to_numpy()
        _refuse_booleans(s.dtype, name)
        if s.dtype == object:
            import pandas as pd
            # A True or False cell is not a number here (to_numeric would make it 1 or 0).
            is_bool = s.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
            num = pd.to_numeric(s.mask(is_bool), errors="coerce")
            bad = num.isna().to_numpy() & s.notna().to_numpy()
            if bad.any():
                raw = s.to_numpy()
                for r in np.flatnonzero(bad):
                    text = str(raw[r]).strip()
                    if text == "":
                        continue  # an empty cell is missing, as in a CSV
                    if texts is not None:
                        texts[int(r)] = text
                    num.iat[int(r)] = np.inf
            s = num
        try:
            return s.to_numpy(dtype=np.float64, na_value=np.nan)
        except (ValueError, TypeError) as e:
            raise DataError(f"column '{name}' cannot be read as numbers: {e}", column_name=str(name),
                            expected="numbers, or missing") from None
    a = np.asarray(values)
    if a.dtype == np.float64 or a.dtype == np.int64:
        return a
    _refuse_booleans(a.dtype, name)
    try:
        return a.astype(np.float64)
    except (ValueError, TypeError) as e:
        raise DataError(f"column {name} cannot be read as numbers: {e}", column_name=str(name),
                        expected="numbers, or missing") from None


def notes_for(plan: "_core.ScoringPlan", block: Dict[str, np.ndarray], item_names: Sequence[Any],
              arrays: Sequence[np.ndarray], missing: Sequence[float],
              texts: Optional[Sequence[Dict[int, str]]] = None) -> np.ndarray:
    """The CLI's notes column: filled only for the few rows that need one (errors, short scales)."""
    raw, answered, bad = block["raw"], block["answered"], block["bad_item"]
    n = bad.shape[0]
    notes = np.full(n, None, dtype=object)
    if n == 0:
        return notes
    bad_rows = np.flatnonzero(bad >= 0)
    scale_ids = plan.instrument.scale_ids
    short = np.isnan(raw) & (bad < 0)[:, None]
    short_rows = np.flatnonzero(short.any(axis=1))
    for r in short_rows:
        parts = []
        for s in np.flatnonzero(short[r]):
            unit = " scales" if plan.is_derived(int(s)) else " answered"
            parts.append(f"{scale_ids[s]}: {int(answered[r, s])} of {plan.members(int(s))}{unit}, "
                         f"minimum {plan.min_answered(int(s))}")
        notes[r] = "; ".join(parts)
    for r in bad_rows:
        row = np.array([float(a[r]) for a in arrays], dtype=np.float64)
        for m in missing:
            row[row == m] = np.nan
        j = int(bad[r])
        col = item_names[j]
        if texts is not None and int(r) in texts[j]:
            reason, value = "not a number", texts[j][int(r)]
        else:
            e = _core.row_error(plan, row)
            reason, value = e.get("reason", "invalid answer"), e.get("value", "")
        text = "error: " + reason + f" in column '{col}'"
        if value:
            text += f", value '{value}'"
        notes[r] = text
    return notes


def _values_by_name(plan: "_core.ScoringPlan", block: Dict[str, np.ndarray], notes: np.ndarray,
                    quality: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Each output column this frame can fill, by the name the table gives it: what a column holds is
    decided here, which columns there are and in what order by the table (_core.output_columns)."""
    import pandas as pd
    values: Dict[str, Any] = {}
    raw, z, pct = block["raw"], block["z"], block["percentile"]
    for s, sid in enumerate(plan.instrument.scale_ids):
        values[sid] = raw[:, s]
        values[sid + "_z"] = z[:, s]
        values[sid + "_pct"] = pct[:, s]
    if plan.has_profile:
        dims = block["dimensions"]
        for c, name in enumerate(plan.dimension_columns):
            values[name] = dims[:, c]
        values["category"] = _CATEGORY_TEXT[block["category"]]
        values["confidence"] = block["confidence"]
        values["method"] = pd.Categorical.from_codes(np.zeros(len(block["confidence"]), dtype=np.int8), [plan.method])
    values.update(quality or {})
    values["notes"] = notes
    return values


def output_frame(plan: "_core.ScoringPlan", block: Dict[str, np.ndarray], index: Any,
                 kept: Sequence[Tuple[Any, Any]], notes: np.ndarray, quality: Optional[Dict[str, Any]] = None):
    """The CLI's CSV columns: the kept columns, then the score columns of the library's table of
    output columns (src/batch/columns.cpp, output_table()), in its order: <scale>, <scale>_z,
    <scale>_pct, the four dimensions (named as ScoringPlan.dimension_columns gives them), category,
    confidence, method, the quality columns when asked for, notes. An instrument without a profile has
    no dimension, category, confidence or method columns."""
    import pandas as pd
    cols: Dict[Any, Any] = {}
    for name, values in kept:
        if name in cols:
            raise UsageError(f"keep= names column '{name}' twice", column_name=str(name), expected="each kept column once")
        cols[name] = values
    values = _values_by_name(plan, block, notes, quality)
    own: Dict[Any, Any] = {}
    for name in _core.output_columns(plan, quality is not None):
        if name not in values:
            # A column added to the table must be added here too: never a frame without it.
            raise InternalError(f"output column '{name}' has no values in the Python frame",
                                expected="every column of the library's output table (attune._frame._values_by_name)")
        own[name] = values[name]
    # A kept column named like a score column would be replaced by it without a word.
    taken = [c for c in own if c in cols]
    if taken:
        raise UsageError(f"kept column '{taken[0]}' has the name of an output column", column_name=str(taken[0]),
                         expected="keep= columns named unlike the score columns")
    cols.update(own)
    return pd.DataFrame(cols, index=index, copy=False)
